#!/bin/bash
# Configure.post_configure_source of io.cfmesos.relationships.SchedulerConnectsToBBS: the BBS URL and its TLS
# client files (bbs.*) come from the DiegoBBS node. Idempotent.
set -euo pipefail

log() { printf '%s cf-mesos scheduler/connect_to_bbs: %s\n' "$(date -u +%FT%TZ)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
opt() { local v=${!1:-}; [ "$v" = null ] && v=; printf '%s' "$v"; }
quote() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }
emit() { if [ -n "$2" ]; then printf '%s: %s\n' "$1" "$(quote "$2")"; fi; }

dir=$(opt INSTALL_DIR)
url=$(opt BBS_URL)
[ -n "$dir" ] || die "input INSTALL_DIR is empty"
[ -n "$url" ] || die "BBS_URL is empty: set the url property of the DiegoBBS node"
case "$url" in
  http://*|https://*) ;;
  *) die "BBS_URL must be an http:// or https:// URL, got '$url'" ;;
esac
mkdir -p "$dir/conf/fragments"
tmp=$(mktemp "$dir/conf/fragments/.30-bbs.XXXXXX")
{
  echo "# from the SchedulerConnectsToBBS relationship"
  emit bbs.url "$url"
  emit bbs.cert-file "$(opt BBS_CERT_FILE)"
  emit bbs.key-file "$(opt BBS_KEY_FILE)"
  emit bbs.ca-file "$(opt BBS_CA_FILE)"
} > "$tmp"
mv -f "$tmp" "$dir/conf/fragments/30-bbs.yml"
log "bbs.url = $url"
