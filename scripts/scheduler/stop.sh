#!/bin/bash
# Standard.stop of io.cfmesos.nodes.CFMesosScheduler: stop the scheduler this node started (SIGTERM, then
# SIGKILL after 30 s). Its cells keep running: Mesos holds them for mesos.failover-timeout. Idempotent.
set -euo pipefail

log() { printf '%s cf-mesos scheduler/stop: %s\n' "$(date -u +%FT%TZ)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

dir=${INSTALL_DIR:-}
if [ -z "$dir" ] || [ "$dir" = null ]; then die "input INSTALL_DIR is empty"; fi
pidfile="$dir/run/cf-mesos.pid"
if [ ! -f "$pidfile" ]; then
  log "the scheduler is not running (no $pidfile)"
  exit 0
fi
pid=$(cat "$pidfile")
if kill -0 "$pid" 2>/dev/null; then
  kill -TERM "$pid"
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  if kill -0 "$pid" 2>/dev/null; then
    log "the scheduler (pid $pid) ignored SIGTERM for 30s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  log "stopped the scheduler (pid $pid)"
else
  log "the scheduler (pid $pid) was not running"
fi
rm -f "$pidfile"
