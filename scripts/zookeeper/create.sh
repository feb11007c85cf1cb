#!/bin/bash
# Standard.create of io.cfmesos.nodes.ZooKeeper: make ZooKeeper's zkServer.sh available (Debian package
# "zookeeper", which does not start a service by itself). Idempotent.
set -euo pipefail

log() { printf '%s cf-mesos zookeeper/create: %s\n' "$(date -u +%FT%TZ)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

zk_server() {
  command -v zkServer.sh 2>/dev/null || { [ -x /usr/share/zookeeper/bin/zkServer.sh ] && echo /usr/share/zookeeper/bin/zkServer.sh; } || true
}

if [ -n "$(zk_server)" ]; then
  log "ZooKeeper already installed: $(zk_server)"
  exit 0
fi
command -v apt-get >/dev/null 2>&1 || die "zkServer.sh not found and no apt-get to install ZooKeeper; use an image that has it"
# The master's Mesos install may run at the same time on this host; apt allows one installer at a time.
exec 9>/var/lock/cf-mesos-install.lock
flock -w 900 9 || die "timed out waiting for another cf-mesos install on this host"
DEBIAN_FRONTEND=noninteractive apt-get update -q
DEBIAN_FRONTEND=noninteractive apt-get install -y -q zookeeper
[ -n "$(zk_server)" ] || die "the zookeeper package did not provide zkServer.sh"
log "installed ZooKeeper: $(zk_server)"
