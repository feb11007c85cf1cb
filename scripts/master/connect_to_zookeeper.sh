#!/bin/bash
# Configure.post_configure_source of io.cfmesos.relationships.MasterConnectsToZooKeeper: point mesos-master at
# the ensemble's own endpoint list (the ZooKeeper node's configure output), which wins over the list the master
# derived from its peers in configure.
set -euo pipefail

log() { printf '%s cf-mesos master/connect_to_zookeeper: %s\n' "$(date -u +%FT%TZ)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

ZK_ENDPOINTS=${ZK_ENDPOINTS:-}
MESOS_CONFIG_DIR=${MESOS_CONFIG_DIR:-}
[ -n "$MESOS_CONFIG_DIR" ] || die "input MESOS_CONFIG_DIR is empty"
if [ -z "$ZK_ENDPOINTS" ] || [ "$ZK_ENDPOINTS" = null ]; then
  die "ZK_ENDPOINTS is empty: the ZooKeeper node has not exported its endpoints (did its configure run?)"
fi
# Comma lists can arrive space-separated.
endpoints=$(printf '%s' "$ZK_ENDPOINTS" | tr ' ' ',' | sed 's/,,*/,/g; s/^,//; s/,$//')
mkdir -p "$MESOS_CONFIG_DIR"
tmp=$(mktemp "$MESOS_CONFIG_DIR/.zk.flags.XXXXXX")
printf '%s\n' "--zk=zk://${endpoints}/mesos" > "$tmp"
mv -f "$tmp" "$MESOS_CONFIG_DIR/zk.flags"
log "mesos-master will use zk://${endpoints}/mesos"
