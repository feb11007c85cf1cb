#!/bin/bash
# Standard.stop of io.cfmesos.nodes.ZooKeeper: stop this member by its pid file (zkServer.sh stop misses it
# when the config is not in the default place). Idempotent.
set -euo pipefail

log() { printf '%s cf-mesos zookeeper/stop: %s\n' "$(date -u +%FT%TZ)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

ZK_CONFIG_DIR=${ZK_CONFIG_DIR:-}
[ -n "$ZK_CONFIG_DIR" ] || die "input ZK_CONFIG_DIR is empty"
pidfile="$ZK_CONFIG_DIR/zookeeper.pid"
if [ ! -f "$pidfile" ]; then
  log "ZooKeeper is not running (no $pidfile)"
  exit 0
fi
pid=$(cat "$pidfile")
if kill -0 "$pid" 2>/dev/null; then
  kill -TERM "$pid"
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  log "stopped ZooKeeper (pid $pid)"
else
  log "ZooKeeper (pid $pid) was not running"
fi
rm -f "$pidfile"
