#!/bin/bash
# Standard.configure of io.cfmesos.nodes.MesosAgent: write the mesos-agent flags. The master address comes
# later from the AgentConnectsToMaster relationship (agent/connect_to_master.sh).
set -euo pipefail

log() { printf '%s cf-mesos agent/configure: %s\n' "$(date -u +%FT%TZ)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
need() { if [ -z "${!1:-}" ] || [ "${!1}" = "null" ]; then die "input $1 is empty"; fi; }
opt() { local v=${!1:-}; [ "$v" = null ] && v=; printf '%s' "$v"; }

for v in MESOS_IP MESOS_PORT MESOS_WORK_DIR MESOS_LOG_DIR MESOS_CONFIG_DIR; do need "$v"; done
hostname=$(opt MESOS_HOSTNAME)
zone=$(opt MESOS_ZONE)
attributes=$(opt MESOS_ATTRIBUTES)
resources=$(opt MESOS_RESOURCES)
containerizers=$(opt MESOS_CONTAINERIZERS)
containerizers=${containerizers:-docker,mesos}

# zone is a plain Mesos attribute; Diego-style zone balancing reads it from the offers.
attrs=""
[ -z "$zone" ] || attrs="zone:${zone}"
[ -z "$attributes" ] || attrs="${attrs:+$attrs;}${attributes}"

flags=(
  "--ip=$MESOS_IP"
  "--port=$MESOS_PORT"
  "--work_dir=$MESOS_WORK_DIR"
  "--log_dir=$MESOS_LOG_DIR"
  "--containerizers=$containerizers"
  # Cells are large images; the default 1 minute is too short for a first start.
  "--executor_registration_timeout=5mins"
)
[ -z "$hostname" ] || flags+=("--hostname=$hostname")
[ -z "$attrs" ] || flags+=("--attributes=$attrs")
[ -z "$resources" ] || flags+=("--resources=$resources")

mkdir -p "$MESOS_CONFIG_DIR" "$MESOS_WORK_DIR" "$MESOS_LOG_DIR"
tmp=$(mktemp "$MESOS_CONFIG_DIR/.agent.flags.XXXXXX")
printf '%s\n' "${flags[@]}" > "$tmp"
mv -f "$tmp" "$MESOS_CONFIG_DIR/agent.flags"
printf '%s\n' "$MESOS_IP" "$MESOS_PORT" > "$MESOS_CONFIG_DIR/endpoint"
log "wrote $MESOS_CONFIG_DIR/agent.flags${attrs:+ (attributes $attrs)}"
