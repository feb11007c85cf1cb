#!/bin/bash
# Configure.post_configure_source of io.cfmesos.relationships.SchedulerConnectsToMaster: the scheduler's Mesos
# master (mesos.master) is the master's master_url, zk://.../mesos or http://host:port. Idempotent.
set -euo pipefail

log() { printf '%s cf-mesos scheduler/connect_to_master: %s\n' "$(date -u +%FT%TZ)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
quote() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }

dir=${INSTALL_DIR:-}
master=${MESOS_MASTER:-}
if [ -z "$dir" ] || [ "$dir" = null ]; then die "input INSTALL_DIR is empty"; fi
if [ -z "$master" ] || [ "$master" = null ]; then
  die "MESOS_MASTER is empty: the master has not exported master_url (did its configure run?)"
fi
case "$master" in
  zk://*) master=$(printf '%s' "$master" | tr ' ' ',') ;;   # comma lists can arrive space-separated
  http://*|https://*) ;;
  *) master="http://${master}" ;;                           # host:port
esac
mkdir -p "$dir/conf/fragments"
tmp=$(mktemp "$dir/conf/fragments/.20-mesos-master.XXXXXX")
{
  echo "# from the SchedulerConnectsToMaster relationship"
  printf 'mesos.master: %s\n' "$(quote "$master")"
} > "$tmp"
mv -f "$tmp" "$dir/conf/fragments/20-mesos-master.yml"
log "mesos.master = $master"
