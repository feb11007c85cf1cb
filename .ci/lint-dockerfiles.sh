#!/bin/bash
# Lints the cell image's Dockerfiles with dockerfilelint 1.8.0 (npm; hadolint cannot run offline here,
# build-and-test-env.md §3). dockerfilelint's exit code is the number of issues, so any finding fails.
# Installs the pinned version into a throwaway directory unless DOCKERFILELINT names a binary already.
set -euo pipefail
cd "$(dirname "$0")/.."

dockerfiles=(cell-image/Dockerfile cell-image/local/Dockerfile)
lint=${DOCKERFILELINT:-}
if [ -z "$lint" ]; then
  command -v npm >/dev/null 2>&1 || { echo "lint-dockerfiles: npm is not installed" >&2; exit 2; }
  prefix=$(mktemp -d "${TMPDIR:-/tmp}/dockerfilelint.XXXXXX")
  trap 'rm -rf "$prefix"' EXIT
  npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error dockerfilelint@1.8.0 >/dev/null
  lint=$prefix/node_modules/.bin/dockerfilelint
fi
echo "lint-dockerfiles: dockerfilelint 1.8.0 over ${dockerfiles[*]}"
if "$lint" "${dockerfiles[@]}"; then
  echo "lint-dockerfiles: clean"
else
  issues=$?
  echo "lint-dockerfiles: $issues issue(s) above" >&2
  exit 1
fi
