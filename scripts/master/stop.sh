#!/bin/bash
# Standard.stop of io.cfmesos.nodes.MesosMaster: stop the mesos-master this node started. Idempotent.
set -euo pipefail

log() { printf '%s cf-mesos master/stop: %s\n' "$(date -u +%FT%TZ)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

MESOS_CONFIG_DIR=${MESOS_CONFIG_DIR:-}
[ -n "$MESOS_CONFIG_DIR" ] || die "input MESOS_CONFIG_DIR is empty"
pidfile="$MESOS_CONFIG_DIR/mesos-master.pid"
if [ ! -f "$pidfile" ]; then
  log "mesos-master is not running (no $pidfile)"
  exit 0
fi
pid=$(cat "$pidfile")
if kill -0 "$pid" 2>/dev/null; then
  kill -TERM "$pid"
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  if kill -0 "$pid" 2>/dev/null; then
    log "mesos-master (pid $pid) ignored SIGTERM for 30s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  log "stopped mesos-master (pid $pid)"
else
  log "mesos-master (pid $pid) was not running"
fi
rm -f "$pidfile"
