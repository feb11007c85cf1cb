#!/bin/bash
# Standard.start of io.cfmesos.nodes.MesosMaster: start mesos-master with the flags configure wrote and wait
# until GET /health answers. Idempotent: a running master is left alone.
set -euo pipefail

log() { printf '%s cf-mesos master/start: %s\n' "$(date -u +%FT%TZ)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

MESOS_CONFIG_DIR=${MESOS_CONFIG_DIR:-}
[ -n "$MESOS_CONFIG_DIR" ] || die "input MESOS_CONFIG_DIR is empty"
START_TIMEOUT_SECONDS=${START_TIMEOUT_SECONDS:-120}
dir=$MESOS_CONFIG_DIR
[ -f "$dir/master.flags" ] || die "$dir/master.flags is missing: configure has not run"
command -v mesos-master >/dev/null 2>&1 || die "mesos-master is not installed (create failed?)"
command -v curl >/dev/null 2>&1 || die "curl is required for the health check (create installs it)"

mapfile -t flags < "$dir/master.flags"
if [ -f "$dir/zk.flags" ]; then
  # The ZooKeeper relationship's endpoint list replaces the one configure derived.
  kept=()
  for f in "${flags[@]}"; do [[ "$f" == --zk=* ]] || kept+=("$f"); done
  mapfile -t zk < "$dir/zk.flags"
  flags=("${kept[@]}" "${zk[@]}")
fi
{ read -r ip; read -r port; } < "$dir/endpoint"
health="http://${ip}:${port}/health"
pidfile="$dir/mesos-master.pid"

if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
  log "mesos-master already running (pid $(cat "$pidfile"))"
  exit 0
fi

logfile="$dir/mesos-master.out"
# A clean environment: the operation's inputs (MESOS_*) would otherwise be read by Mesos as flags.
nohup env -i PATH="$PATH" HOME="${HOME:-/root}" mesos-master "${flags[@]}" >>"$logfile" 2>&1 < /dev/null &
pid=$!
echo "$pid" > "$pidfile"
log "started mesos-master (pid $pid), waiting for $health"

deadline=$((SECONDS + START_TIMEOUT_SECONDS))
while [ "$SECONDS" -lt "$deadline" ]; do
  if curl -fsS -m 2 -o /dev/null "$health" 2>/dev/null; then
    log "mesos-master is up at http://${ip}:${port}"
    exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    rm -f "$pidfile"
    tail -n 30 "$logfile" >&2 || true
    die "mesos-master exited before $health answered; see $logfile"
  fi
  sleep 1
done
die "mesos-master did not answer $health within ${START_TIMEOUT_SECONDS}s; it is still running (pid $pid), see $logfile"
