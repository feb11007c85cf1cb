#!/bin/bash
# Standard.configure of io.cfmesos.nodes.MesosMaster: write the mesos-master flags and export MASTER_URL.
# With more than one master they find each other through ZooKeeper on the master hosts (ZK_PORT) and keep a
# replicated log with quorum 1 + n/2 (unless MESOS_QUORUM sets it). Alien4Cloud passes the other instances'
# inputs as <INSTANCE>_MESOS_IP and lists them in INSTANCES.
# Output: MASTER_URL = zk://ip1:2181,ip2:2181,.../mesos, or http://ip:port for a single master.
set -euo pipefail

log() { printf '%s cf-mesos master/configure: %s\n' "$(date -u +%FT%TZ)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
need() { if [ -z "${!1:-}" ] || [ "${!1}" = "null" ]; then die "input $1 is empty"; fi; }

for v in MESOS_IP MESOS_PORT MESOS_WORK_DIR MESOS_LOG_DIR MESOS_CONFIG_DIR ZK_PORT; do need "$v"; done
MESOS_HOSTNAME=${MESOS_HOSTNAME:-}
[ "$MESOS_HOSTNAME" != null ] || MESOS_HOSTNAME=
MESOS_CLUSTER=${MESOS_CLUSTER:-cf-mesos}
MESOS_QUORUM=${MESOS_QUORUM:-}
[ "$MESOS_QUORUM" != null ] || MESOS_QUORUM=

# Comma lists may arrive space-separated; sort so every master computes the same list.
ips=()
for inst in $(printf '%s\n' "${INSTANCES:-}" | sed 's/[, ][, ]*/\n/g' | sed '/^$/d' | sort); do
  var="${inst}_MESOS_IP"
  ip=${!var:-}
  if [ -z "$ip" ] && [ "$inst" = "${INSTANCE:-}" ]; then ip=$MESOS_IP; fi
  [ -n "$ip" ] || die "no MESOS_IP for master instance $inst ($var is empty)"
  ips+=("$ip")
done
[ "${#ips[@]}" -gt 0 ] || ips=("$MESOS_IP")
n=${#ips[@]}

flags=(
  "--ip=$MESOS_IP"
  "--port=$MESOS_PORT"
  "--cluster=$MESOS_CLUSTER"
  "--work_dir=$MESOS_WORK_DIR"
  "--log_dir=$MESOS_LOG_DIR"
)
[ -z "$MESOS_HOSTNAME" ] || flags+=("--hostname=$MESOS_HOSTNAME")

if [ "$n" -gt 1 ]; then
  if [ $((n % 2)) -eq 0 ]; then
    log "WARNING: $n masters: an even count tolerates no more failures than $((n - 1)) masters do"
  fi
  quorum=${MESOS_QUORUM:-$((n / 2 + 1))}
  [[ "$quorum" =~ ^[0-9]+$ ]] || die "quorum '$quorum' is not a number"
  if [ "$quorum" -le $((n / 2)) ] || [ "$quorum" -gt "$n" ]; then
    die "quorum $quorum does not fit $n masters: it must be more than $((n / 2)) (else two halves elect two leaders) and at most $n"
  fi
  zk=""
  for ip in "${ips[@]}"; do zk="${zk:+$zk,}${ip}:${ZK_PORT}"; done
  MASTER_URL="zk://${zk}/mesos"
  flags+=("--zk=$MASTER_URL" "--quorum=$quorum")
  log "$n masters, quorum $quorum, ZooKeeper $zk"
else
  MASTER_URL="http://${MESOS_IP}:${MESOS_PORT}"
  # A single master keeps its registry in memory: there is no one to replicate the log with.
  flags+=("--registry=in_memory")
  log "single master at $MASTER_URL"
fi

mkdir -p "$MESOS_CONFIG_DIR" "$MESOS_WORK_DIR" "$MESOS_LOG_DIR"
tmp=$(mktemp "$MESOS_CONFIG_DIR/.master.flags.XXXXXX")
printf '%s\n' "${flags[@]}" > "$tmp"
mv -f "$tmp" "$MESOS_CONFIG_DIR/master.flags"
printf '%s\n' "$MESOS_IP" "$MESOS_PORT" > "$MESOS_CONFIG_DIR/endpoint"
export MASTER_URL
log "wrote $MESOS_CONFIG_DIR/master.flags; MASTER_URL=$MASTER_URL"
