#!/bin/bash
# Standard.configure of io.cfmesos.nodes.CFMesosScheduler: write the scheduler's own settings as a config
# fragment of dotted keys (conf/fragments/10-scheduler.yml). The relationships add the master, BBS, cell and
# ZooKeeper fragments; start.sh joins them into a config that extends base.yml. Unset inputs write nothing, so
# base.yml decides. Idempotent.
set -euo pipefail

log() { printf '%s cf-mesos scheduler/configure: %s\n' "$(date -u +%FT%TZ)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
opt() { local v=${!1:-}; [ "$v" = null ] && v=; printf '%s' "$v"; }
# YAML double-quoted scalar: the scheduler's loader parses numbers from text, so quoting is always safe.
quote() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }
emit() { if [ -n "$2" ]; then printf '%s: %s\n' "$1" "$(quote "$2")"; fi; }

dir=$(opt INSTALL_DIR)
[ -n "$dir" ] || die "input INSTALL_DIR is empty"
mkdir -p "$dir/conf/fragments"

auctioneer_port=$(opt AUCTIONEER_PORT)
status_port=$(opt STATUS_PORT)
idle=$(opt IDLE_TIMEOUT_SECONDS)

tmp=$(mktemp "$dir/conf/fragments/.10-scheduler.XXXXXX")
{
  echo "# from the CFMesosScheduler node's properties (scripts/scheduler/configure.sh)"
  emit strategy "$(opt STRATEGY)"
  emit auctioneer.listen-address "${auctioneer_port:+0.0.0.0:$auctioneer_port}"
  emit status.listen-address "${status_port:+0.0.0.0:$status_port}"
  emit mesos.role "$(opt MESOS_ROLE)"
  emit mesos.principal "$(opt MESOS_PRINCIPAL)"
  emit mesos.secret-file "$(opt MESOS_SECRET_FILE)"
  emit cell.per-agent "$(opt CELLS_PER_AGENT)"
  emit cell.cpus-per-gb-memory "$(opt CPUS_PER_GB_MEMORY)"
  emit cell.min-warm "$(opt MIN_WARM_CELLS)"
  emit cell.idle-timeout "${idle:+${idle}s}"
  emit auctioneer.cert-file "$(opt AUCTIONEER_CERT_FILE)"
  emit auctioneer.key-file "$(opt AUCTIONEER_KEY_FILE)"
  emit auctioneer.ca-file "$(opt AUCTIONEER_CA_FILE)"
} > "$tmp"
mv -f "$tmp" "$dir/conf/fragments/10-scheduler.yml"
log "wrote $dir/conf/fragments/10-scheduler.yml ($(grep -vc '^#' "$dir/conf/fragments/10-scheduler.yml") keys)"
