#!/bin/bash
# Standard.create of io.cfmesos.nodes.CFMesosScheduler: install the scheduler jar and the base configuration
# (artifacts scheduler_jar and base_config, whose local paths Alien4Cloud passes in variables of those names),
# and make sure Java 17+ and curl are there. Idempotent: unchanged files are not rewritten.
set -euo pipefail

log() { printf '%s cf-mesos scheduler/create: %s\n' "$(date -u +%FT%TZ)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

INSTALL_DIR=${INSTALL_DIR:-}
if [ -z "$INSTALL_DIR" ] || [ "$INSTALL_DIR" = null ]; then die "input INSTALL_DIR is empty"; fi
# Artifact paths arrive in variables named after the artifacts.
# shellcheck disable=SC2154
jar=${scheduler_jar:-}
# shellcheck disable=SC2154
base=${base_config:-}
[ -f "$jar" ] || die "artifact scheduler_jar is missing (got '${jar}')"
[ -f "$base" ] || die "artifact base_config is missing (got '${base}')"

apt_updated=false
apt_install() {
  command -v apt-get >/dev/null 2>&1 || die "cannot install $*: no apt-get on this host; use an image that has it"
  exec 9>/var/lock/cf-mesos-install.lock
  flock -w 900 9 || die "timed out waiting for another cf-mesos install on this host"
  if [ "$apt_updated" = false ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -q
    apt_updated=true
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"
}

java_major() {
  # "openjdk version "17.0.15" ..." or "1.8.0_..." -> 17 or 1
  java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1
}
java_cmd=${JAVA_HOME:+$JAVA_HOME/bin/}java
if ! command -v "$java_cmd" >/dev/null 2>&1 || [ "$(java_major)" -lt 17 ]; then
  log "installing a Java 17 runtime"
  apt_install openjdk-17-jre-headless
fi
command -v curl >/dev/null 2>&1 || apt_install curl

mkdir -p "$INSTALL_DIR/conf/fragments" "$INSTALL_DIR/log" "$INSTALL_DIR/run"
install_file() {
  if cmp -s "$1" "$2"; then
    log "$2 is up to date"
  else
    install -m 0644 "$1" "$2.tmp"
    mv -f "$2.tmp" "$2"
    log "installed $2"
  fi
}
install_file "$jar" "$INSTALL_DIR/cf-mesos.jar"
install_file "$base" "$INSTALL_DIR/conf/base.yml"
