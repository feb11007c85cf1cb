#!/bin/bash
# Standard.start of io.cfmesos.nodes.MesosAgent: start mesos-agent and wait until GET /health answers.
# Idempotent: a running agent is left alone.
set -euo pipefail

log() { printf '%s cf-mesos agent/start: %s\n' "$(date -u +%FT%TZ)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

MESOS_CONFIG_DIR=${MESOS_CONFIG_DIR:-}
[ -n "$MESOS_CONFIG_DIR" ] || die "input MESOS_CONFIG_DIR is empty"
START_TIMEOUT_SECONDS=${START_TIMEOUT_SECONDS:-120}
dir=$MESOS_CONFIG_DIR
[ -f "$dir/agent.flags" ] || die "$dir/agent.flags is missing: configure has not run"
[ -f "$dir/master-address.flags" ] || die "no Mesos master known: the AgentConnectsToMaster relationship has not run"
command -v mesos-agent >/dev/null 2>&1 || die "mesos-agent is not installed (create failed?)"
command -v curl >/dev/null 2>&1 || die "curl is required for the health check (create installs it)"
if grep -q '^--containerizers=.*docker' "$dir/agent.flags"; then
  docker info >/dev/null 2>&1 || die "the Docker containerizer is configured but the Docker daemon does not answer"
fi

mapfile -t flags < "$dir/agent.flags"
mapfile -t master < "$dir/master-address.flags"
{ read -r ip; read -r port; } < "$dir/endpoint"
health="http://${ip}:${port}/health"
pidfile="$dir/mesos-agent.pid"

if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
  log "mesos-agent already running (pid $(cat "$pidfile"))"
  exit 0
fi

logfile="$dir/mesos-agent.out"
# A clean environment: the operation's inputs (MESOS_*) would otherwise be read by Mesos as flags.
nohup env -i PATH="$PATH" HOME="${HOME:-/root}" mesos-agent "${flags[@]}" "${master[@]}" >>"$logfile" 2>&1 < /dev/null &
pid=$!
echo "$pid" > "$pidfile"
log "started mesos-agent (pid $pid), waiting for $health"

deadline=$((SECONDS + START_TIMEOUT_SECONDS))
while [ "$SECONDS" -lt "$deadline" ]; do
  if curl -fsS -m 2 -o /dev/null "$health" 2>/dev/null; then
    log "mesos-agent is up at http://${ip}:${port}"
    exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    rm -f "$pidfile"
    tail -n 30 "$logfile" >&2 || true
    die "mesos-agent exited before $health answered; see $logfile"
  fi
  sleep 1
done
die "mesos-agent did not answer $health within ${START_TIMEOUT_SECONDS}s; it is still running (pid $pid), see $logfile"
