#!/bin/bash
# Standard.create of io.cfmesos.nodes.DiegoCellOnMesos, on every Mesos agent: make the cell image available to
# the agent's Docker so the scheduler's cells start without a registry. In order: the image is already there;
# load CELL_IMAGE_ARCHIVE (a `docker save` file, local path or http(s) URL); build CELL_BUILD_CONTEXT; pull.
# Idempotent: an image that is present is left alone.
set -euo pipefail

log() { printf '%s cf-mesos cell/create: %s\n' "$(date -u +%FT%TZ)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
opt() { local v=${!1:-}; [ "$v" = null ] && v=; printf '%s' "$v"; }

image=$(opt CELL_IMAGE)
archive=$(opt CELL_IMAGE_ARCHIVE)
context=$(opt CELL_BUILD_CONTEXT)
[ -n "$image" ] || die "input CELL_IMAGE is empty"
command -v docker >/dev/null 2>&1 || die "docker is not installed on this agent (the MesosAgent create installs it)"
docker info >/dev/null 2>&1 || die "the Docker daemon does not answer on this agent"

present() { docker image inspect "$image" >/dev/null 2>&1; }

if present; then
  log "cell image $image is present ($(docker image inspect --format '{{.Id}}' "$image"))"
  exit 0
fi

if [ -n "$archive" ]; then
  file=$archive
  case "$archive" in
    http://*|https://*)
      file=$(mktemp --suffix=.tar)
      trap 'rm -f "$file"' EXIT
      log "downloading $archive"
      curl -fsSL --retry 3 -o "$file" "$archive" || die "cannot download $archive"
      ;;
  esac
  [ -f "$file" ] || die "image archive $file does not exist on this agent"
  log "loading $image from $archive"
  docker load -i "$file" >&2 || die "docker load of $archive failed"
  present || die "$archive did not contain $image (check the tag it was saved with)"
elif [ -n "$context" ]; then
  [ -d "$context" ] || die "build context $context is not a directory on this agent"
  log "building $image from $context"
  docker build -t "$image" "$context" >&2 || die "docker build of $context failed"
else
  log "pulling $image"
  docker pull "$image" >&2 || die "cannot pull $image; set image_archive or build_context for registries this agent cannot reach"
fi
present || die "cell image $image is still missing"
log "cell image $image ready ($(docker image inspect --format '{{.Id}}' "$image"))"
