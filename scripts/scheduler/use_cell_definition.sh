#!/bin/bash
# Configure.post_configure_source of io.cfmesos.relationships.SchedulerLaunchesCells: the cell image and size
# (cell.*) come from the DiegoCellOnMesos node. It runs once per cell instance (one per agent) with the same
# values, so it rewrites the same fragment each time. Unset sizes keep base.yml's values.
set -euo pipefail

log() { printf '%s cf-mesos scheduler/use_cell_definition: %s\n' "$(date -u +%FT%TZ)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
opt() { local v=${!1:-}; [ "$v" = null ] && v=; printf '%s' "$v"; }
quote() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }
emit() { if [ -n "$2" ]; then printf '%s: %s\n' "$1" "$(quote "$2")"; fi; }

dir=$(opt INSTALL_DIR)
image=$(opt CELL_IMAGE)
[ -n "$dir" ] || die "input INSTALL_DIR is empty"
[ -n "$image" ] || die "CELL_IMAGE is empty: set the image property of the DiegoCellOnMesos node"
mkdir -p "$dir/conf/fragments"
tmp=$(mktemp "$dir/conf/fragments/.40-cell.XXXXXX")
{
  echo "# from the SchedulerLaunchesCells relationship (DiegoCellOnMesos properties)"
  emit cell.image "$image"
  emit cell.memory-mb "$(opt CELL_MEMORY_MB)"
  emit cell.disk-mb "$(opt CELL_DISK_MB)"
  emit cell.containers "$(opt CELL_CONTAINERS)"
  emit cell.overhead-memory-mb "$(opt CELL_OVERHEAD_MEMORY_MB)"
  emit cell.overhead-disk-mb "$(opt CELL_OVERHEAD_DISK_MB)"
  emit cell.overhead-cpus "$(opt CELL_OVERHEAD_CPUS)"
} > "$tmp"
mv -f "$tmp" "$dir/conf/fragments/40-cell.yml"
log "cell.image = $image"
