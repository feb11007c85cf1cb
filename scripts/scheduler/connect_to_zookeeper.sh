#!/bin/bash
# Configure.post_configure_source of io.cfmesos.relationships.SchedulerConnectsToZooKeeper: several schedulers
# elect one leader under zk://<ensemble>/cf-mesos (ha.zookeeper). Idempotent.
set -euo pipefail

log() { printf '%s cf-mesos scheduler/connect_to_zookeeper: %s\n' "$(date -u +%FT%TZ)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
quote() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }

dir=${INSTALL_DIR:-}
endpoints=${ZK_ENDPOINTS:-}
if [ -z "$dir" ] || [ "$dir" = null ]; then die "input INSTALL_DIR is empty"; fi
if [ -z "$endpoints" ] || [ "$endpoints" = null ]; then
  die "ZK_ENDPOINTS is empty: the ZooKeeper node has not exported its endpoints (did its configure run?)"
fi
# Comma lists can arrive space-separated.
endpoints=$(printf '%s' "$endpoints" | tr ' ' ',' | sed 's/,,*/,/g; s/^,//; s/,$//')
mkdir -p "$dir/conf/fragments"
tmp=$(mktemp "$dir/conf/fragments/.50-ha.XXXXXX")
{
  echo "# from the SchedulerConnectsToZooKeeper relationship"
  printf 'ha.zookeeper: %s\n' "$(quote "zk://${endpoints}/cf-mesos")"
} > "$tmp"
mv -f "$tmp" "$dir/conf/fragments/50-ha.yml"
log "ha.zookeeper = zk://${endpoints}/cf-mesos"
