#!/bin/bash
# Builds the `local` Diego cell image (cell-image/README.md) for the Docker tests: the debootstrap base
# local/debian:bookworm when it is missing (registry pulls fail on our machines), then the image itself from
# cell-image/local/Dockerfile. Idempotent: an existing base is reused and docker's layer cache does the rest.
# Needs: a running dockerd, root (debootstrap), executor/target/cf-mesos-executor.jar.
# Usage: cell-image/build-local.sh [image-tag]   (default cf-mesos/cell:local; CF_MESOS_CELL_IMAGE also works)
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf 'build-local: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

image=${1:-${CF_MESOS_CELL_IMAGE:-cf-mesos/cell:local}}
base=local/debian:bookworm
jar=executor/target/cf-mesos-executor.jar
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

command -v docker >/dev/null 2>&1 || die "no docker client on PATH (apt-get install -y docker.io)"
docker info >/dev/null 2>&1 || die "docker daemon not reachable: start dockerd first (build-and-test-env.md §2)"
[ -f "$jar" ] || die "$jar is missing: ./mvnw -B -q -pl executor -am package -DskipTests"

if docker image inspect "$base" >/dev/null 2>&1; then
  log "base $base present"
else
  command -v debootstrap >/dev/null 2>&1 || die "debootstrap is missing (apt-get install -y debootstrap)"
  [ "$(id -u)" = 0 ] || die "debootstrap needs root"
  rootfs=$(mktemp -d)
  trap 'rm -rf "$rootfs"' EXIT
  log "debootstrap --variant=minbase bookworm from $mirror (about a minute)"
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" > "$rootfs.log" 2>&1 \
    || { tail -n 20 "$rootfs.log" >&2; die "debootstrap failed (log: $rootfs.log)"; }
  rm -f "$rootfs.log"
  tar -C "$rootfs" -c . | docker import - "$base" >/dev/null
  log "imported $base"
fi

mkdir -p cell-image/build
cp "$jar" cell-image/build/cf-mesos-executor.jar
previous=$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null || true)
log "building $image"
docker build -q -f cell-image/local/Dockerfile -t "$image" cell-image >/dev/null
built=$(docker image inspect -f '{{.Id}}' "$image")
log "built $image ($built, $(docker image inspect -f '{{.Size}}' "$image") bytes)"
# A rebuild with a new executor jar leaves the previous image untagged: remove it unless something still uses it.
if [ -n "$previous" ] && [ "$previous" != "$built" ] \
   && [ -z "$(docker image inspect -f '{{join .RepoTags ","}}' "$previous" 2>/dev/null)" ]; then
  if docker rmi "$previous" >/dev/null 2>&1; then
    log "removed the previous, now untagged image $previous"
  fi
fi
