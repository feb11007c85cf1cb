#!/bin/bash
# Standard.configure of io.cfmesos.nodes.ZooKeeper: write zoo.cfg and myid for this ensemble member.
# Members are numbered by the sorted Alien4Cloud instance ids so every member computes the same list from
# INSTANCES and <INSTANCE>_ZK_IP. Output: ZK_ENDPOINTS = ip1:port,ip2:port,...
set -euo pipefail

log() { printf '%s cf-mesos zookeeper/configure: %s\n' "$(date -u +%FT%TZ)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
need() { if [ -z "${!1:-}" ] || [ "${!1}" = "null" ]; then die "input $1 is empty"; fi; }

for v in ZK_IP ZK_CLIENT_PORT ZK_PEER_PORT ZK_ELECTION_PORT ZK_DATA_DIR ZK_CONFIG_DIR; do need "$v"; done

servers=()
ips=()
myid=""
id=0
for inst in $(printf '%s\n' "${INSTANCES:-}" | sed 's/[, ][, ]*/\n/g' | sed '/^$/d' | sort); do
  id=$((id + 1))
  var="${inst}_ZK_IP"
  ip=${!var:-}
  if [ -z "$ip" ] && [ "$inst" = "${INSTANCE:-}" ]; then ip=$ZK_IP; fi
  [ -n "$ip" ] || die "no ZK_IP for ZooKeeper instance $inst ($var is empty)"
  [ "$inst" != "${INSTANCE:-}" ] || myid=$id
  ips+=("$ip")
  servers+=("server.${id}=${ip}:${ZK_PEER_PORT}:${ZK_ELECTION_PORT}")
done
if [ "${#ips[@]}" -eq 0 ]; then
  ips=("$ZK_IP")
  myid=1
  servers=("server.1=${ZK_IP}:${ZK_PEER_PORT}:${ZK_ELECTION_PORT}")
fi
[ -n "$myid" ] || die "this instance (${INSTANCE:-?}) is not in INSTANCES (${INSTANCES:-})"
n=${#ips[@]}
if [ $((n % 2)) -eq 0 ]; then
  log "WARNING: $n ZooKeeper members: an even ensemble tolerates no more failures than $((n - 1)) members do"
fi

mkdir -p "$ZK_CONFIG_DIR" "$ZK_DATA_DIR"
tmp=$(mktemp "$ZK_CONFIG_DIR/.zoo.cfg.XXXXXX")
{
  echo "# written by cf-mesos zookeeper/configure.sh"
  echo "tickTime=2000"
  echo "initLimit=10"
  echo "syncLimit=5"
  echo "dataDir=${ZK_DATA_DIR}"
  echo "clientPort=${ZK_CLIENT_PORT}"
  echo "admin.enableServer=false"
  echo "4lw.commands.whitelist=ruok,srvr"
  if [ "$n" -gt 1 ]; then printf '%s\n' "${servers[@]}"; fi
} > "$tmp"
mv -f "$tmp" "$ZK_CONFIG_DIR/zoo.cfg"
echo "$myid" > "$ZK_DATA_DIR/myid"

endpoints=""
for ip in "${ips[@]}"; do endpoints="${endpoints:+$endpoints,}${ip}:${ZK_CLIENT_PORT}"; done
ZK_ENDPOINTS=$endpoints
export ZK_ENDPOINTS
log "member $myid of $n; ZK_ENDPOINTS=$ZK_ENDPOINTS"
