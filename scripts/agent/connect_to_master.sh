#!/bin/bash
# Configure.post_configure_source of io.cfmesos.relationships.AgentConnectsToMaster: record the master the
# agent registers with. MESOS_MASTER is the master's master_url: zk://.../mesos or http://host:port.
set -euo pipefail

log() { printf '%s cf-mesos agent/connect_to_master: %s\n' "$(date -u +%FT%TZ)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

MESOS_MASTER=${MESOS_MASTER:-}
MESOS_CONFIG_DIR=${MESOS_CONFIG_DIR:-}
[ -n "$MESOS_CONFIG_DIR" ] || die "input MESOS_CONFIG_DIR is empty"
if [ -z "$MESOS_MASTER" ] || [ "$MESOS_MASTER" = null ]; then
  die "MESOS_MASTER is empty: the master has not exported master_url (did its configure run?)"
fi
case "$MESOS_MASTER" in
  zk://*) master=$(printf '%s' "$MESOS_MASTER" | tr ' ' ',') ;;      # comma lists can arrive space-separated
  http://*|https://*) master=${MESOS_MASTER#*://}; master=${master%%/*} ;;  # mesos-agent --master takes host:port
  *) master=$MESOS_MASTER ;;
esac
mkdir -p "$MESOS_CONFIG_DIR"
tmp=$(mktemp "$MESOS_CONFIG_DIR/.master-address.flags.XXXXXX")
printf '%s\n' "--master=$master" > "$tmp"
mv -f "$tmp" "$MESOS_CONFIG_DIR/master-address.flags"
log "mesos-agent will register with $master"
