#!/bin/bash
# Standard.start of io.cfmesos.nodes.ZooKeeper: start this member and wait until it answers "ruok" with "imok".
# Idempotent: a running member is left alone.
set -euo pipefail

log() { printf '%s cf-mesos zookeeper/start: %s\n' "$(date -u +%FT%TZ)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

ZK_CONFIG_DIR=${ZK_CONFIG_DIR:-}
ZK_CLIENT_PORT=${ZK_CLIENT_PORT:-2181}
START_TIMEOUT_SECONDS=${START_TIMEOUT_SECONDS:-120}
[ -n "$ZK_CONFIG_DIR" ] || die "input ZK_CONFIG_DIR is empty"
cfg="$ZK_CONFIG_DIR/zoo.cfg"
[ -f "$cfg" ] || die "$cfg is missing: configure has not run"
zk=$(command -v zkServer.sh 2>/dev/null || echo /usr/share/zookeeper/bin/zkServer.sh)
[ -x "$zk" ] || die "zkServer.sh not found (create failed?)"
pidfile="$ZK_CONFIG_DIR/zookeeper.pid"

ruok() {
  # ZooKeeper's four-letter command over a plain TCP connection; bash's /dev/tcp needs no extra tool.
  local reply=""
  if exec 8<>"/dev/tcp/127.0.0.1/${ZK_CLIENT_PORT}"; then
    printf 'ruok' >&8
    read -r -t 3 reply <&8 || true
    exec 8<&- 8>&-
  fi 2>/dev/null
  [ "$reply" = imok ]
}

if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
  log "ZooKeeper already running (pid $(cat "$pidfile"))"
  exit 0
fi
# zkServer.sh takes the config file as its second argument and the pid file from ZOOPIDFILE.
ZOO_LOG_DIR="$ZK_CONFIG_DIR" ZOOPIDFILE="$pidfile" "$zk" start "$cfg" >&2 || die "zkServer.sh start failed; see $ZK_CONFIG_DIR"
deadline=$((SECONDS + START_TIMEOUT_SECONDS))
while [ "$SECONDS" -lt "$deadline" ]; do
  if ruok; then
    log "ZooKeeper answers on port $ZK_CLIENT_PORT"
    exit 0
  fi
  if [ -f "$pidfile" ] && ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    die "ZooKeeper exited; see the logs in $ZK_CONFIG_DIR"
  fi
  sleep 1
done
die "ZooKeeper did not answer ruok on port $ZK_CLIENT_PORT within ${START_TIMEOUT_SECONDS}s (a new ensemble waits for a majority of members)"
