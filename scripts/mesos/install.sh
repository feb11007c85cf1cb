#!/bin/bash
# Standard.create of io.cfmesos.nodes.MesosMaster and MesosAgent: make mesos-master or mesos-agent available,
# plus Docker on agents (cells run in the Docker containerizer) and curl for the start scripts' health checks.
# Inputs: MESOS_ROLE (master|agent), INSTALL_DOCKER (true|false), MESOS_PACKAGE_URL (optional .deb URL).
# Idempotent: installs only what is missing.
set -euo pipefail

log() { printf '%s cf-mesos mesos/install: %s\n' "$(date -u +%FT%TZ)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
unset_if_null() { [ "${!1:-}" != "null" ] || eval "$1="; }

for v in MESOS_PACKAGE_URL INSTALL_DOCKER; do unset_if_null "$v"; done
MESOS_ROLE=${MESOS_ROLE:-}
case "$MESOS_ROLE" in
  master|agent) ;;
  *) die "MESOS_ROLE must be master or agent, got '${MESOS_ROLE}'" ;;
esac
INSTALL_DOCKER=${INSTALL_DOCKER:-false}
MESOS_PACKAGE_URL=${MESOS_PACKAGE_URL:-}

# A master and an agent on one host run create at the same time; apt allows one installer at a time.
exec 9>/var/lock/cf-mesos-install.lock
flock -w 900 9 || die "timed out waiting for another cf-mesos install on this host"

apt_updated=false
apt_install() {
  command -v apt-get >/dev/null 2>&1 || die "cannot install $*: no apt-get on this host; use an image that has it"
  if [ "$apt_updated" = false ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -q
    apt_updated=true
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"
}

command -v curl >/dev/null 2>&1 || apt_install curl

binary="mesos-${MESOS_ROLE}"
if command -v "$binary" >/dev/null 2>&1; then
  log "$binary already installed: $("$binary" --version 2>&1 | head -n 1)"
elif [ -n "$MESOS_PACKAGE_URL" ]; then
  deb=$(mktemp --suffix=.deb)
  trap 'rm -f "$deb"' EXIT
  log "downloading Mesos from $MESOS_PACKAGE_URL"
  curl -fsSL --retry 3 -o "$deb" "$MESOS_PACKAGE_URL" || die "cannot download $MESOS_PACKAGE_URL"
  apt_install "$deb"
  command -v "$binary" >/dev/null 2>&1 || die "the package from $MESOS_PACKAGE_URL did not install $binary"
  log "installed $("$binary" --version 2>&1 | head -n 1)"
else
  die "$binary is not installed and mesos_package_url is empty: use an image with Mesos 1.11 or set mesos_package_url"
fi

if [ "$INSTALL_DOCKER" = true ]; then
  if ! command -v docker >/dev/null 2>&1; then
    log "installing Docker (docker.io)"
    apt_install docker.io
  fi
  if ! docker info >/dev/null 2>&1; then
    log "starting the Docker daemon"
    if command -v systemctl >/dev/null 2>&1 && systemctl start docker; then
      :
    else
      service docker start || die "cannot start the Docker daemon"
    fi
  fi
  docker info >/dev/null 2>&1 || die "the Docker daemon does not answer"
  log "Docker $(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?') ready"
fi
