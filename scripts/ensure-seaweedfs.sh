#!/usr/bin/env bash
# Makes the SeaweedFS server (`weed`, Apache-2.0) available for the e2e suite's team-state test, which
# starts its S3 gateway as a real S3-compatible backend for Pulumi state.
#
# Built once per machine from SeaweedFS's Go module (module proxy only) and cached in
# ~/.cache/pulumi-scp/seaweedfs/<version>/weed; skipped when that binary is already there.
# `go install` does not work for this module (its go.mod has `replace` lines), so the build runs in a
# scratch module that requires it: `go get` at the pinned version, then `go build` of its `weed` package.
# Nothing of SeaweedFS's source is committed: the build fetches by module path and version.
#
# Prints the path of the binary on its last line. Progress goes to stderr.
# `--check`: build nothing; print the path when the binary is there, else say how to get it and exit 1
# (what the e2e suite calls, so that it fails with that message instead of building for minutes).
set -euo pipefail

# A pseudo-version: SeaweedFS's release tags (e.g. "3.99") are not semantic versions, so the module
# proxy serves its commits by pseudo-version. Bump it here; the cache is per version.
V="${SEAWEEDFS_VERSION:-v0.0.0-20261109003541-7506e5f91cd6}"
mod=github.com/seaweedfs/seaweedfs
root="${SEAWEEDFS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-scp/seaweedfs}"
dir="$root/$V"
bin="$dir/weed"
log() { echo "ensure-seaweedfs: $*" >&2; }

complete() { [ -x "$bin" ] && "$bin" version >/dev/null 2>&1; }

if complete; then
  echo "$bin"
  exit 0
fi
if [ "${1:-}" = "--check" ]; then
  log "no SeaweedFS $V binary at $bin: run 'bash scripts/ensure-seaweedfs.sh' (builds it once, several minutes)"
  exit 1
fi

command -v go >/dev/null || {
  log "no Go toolchain on PATH: cannot build SeaweedFS $V. Install Go 1.21 or newer (it fetches the newer"
  log "toolchain the module asks for from the module proxy by itself), then run scripts/ensure-seaweedfs.sh again."
  exit 1
}

start=$(date +%s)
build="$dir/build"
mkdir -p "$build" && cd "$build"
export GOFLAGS="-mod=mod"
log "building weed $V from $mod (in $PWD; several minutes on 2 cores the first time)"
if [ ! -f go.sum ] || ! grep -q "^$mod $V " go.sum; then
  printf 'module local/seaweedfs-build\n\ngo 1.25\n' > go.mod
  rm -f go.sum
  go get "$mod/weed@$V" >&2
fi
# Build beside the final path and move it in place, so an interrupted build never leaves a half binary.
go build -trimpath -ldflags "-s -w" -o "$bin.tmp" "$mod/weed" >&2
mv "$bin.tmp" "$bin"
complete || { log "built, but $bin does not run"; exit 1; }
log "weed $V ready in $(( $(date +%s) - start ))s; binary $(du -h "$bin" | cut -f1), Go build cache $(du -sh "$(go env GOCACHE)" 2>/dev/null | cut -f1), module cache $(du -sh "$(go env GOMODCACHE)" 2>/dev/null | cut -f1)"
echo "$bin"
