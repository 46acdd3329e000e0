#!/usr/bin/env bash
# Makes the Pulumi CLI (`pulumi`), the Node.js language host (`pulumi-language-nodejs`) and the
# dynamic-provider launcher (`pulumi-resource-pulumi-nodejs`) available at the version of the
# @pulumi/pulumi package installed in this project, in ~/.pulumi/versions/<V>/bin (where the npm
# package and the Automation API look first).
#
# Idempotent, and tries in this order:
#   1. already there (~/.pulumi/versions/<V>/bin, or a `pulumi` on PATH at the same version);
#   2. the official installer, where there is internet;
#   3. a build from Pulumi's published Go modules with the Go toolchain (module proxy only).
# Nothing of Pulumi's source is committed: step 3 fetches by module path and version.
#
# Prints the bin directory on its last line. Progress goes to stderr.
#
#   ensure-pulumi-cli.sh [SDK_DIR]
# SDK_DIR (or $PULUMI_SDK_DIR): an installed @pulumi/pulumi package directory other than this project's,
# e.g. a newer SDK in a consumer project (scripts/check-newest-pulumi.sh); its version and launcher are used.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
sdk_pkg="${1:-${PULUMI_SDK_DIR:-$here/node_modules/@pulumi/pulumi}}"
[ -f "$sdk_pkg/package.json" ] || { echo "ensure-pulumi-cli: run 'npm ci' first ($sdk_pkg missing)" >&2; exit 1; }
sdk_pkg=$(cd "$sdk_pkg" && pwd) # the build steps below change directory
V=$(node -p "require('$sdk_pkg/package.json').version")
bin="${PULUMI_HOME:-$HOME/.pulumi}/versions/$V/bin"
log() { echo "ensure-pulumi-cli: $*" >&2; }

version_of() { "$1" version 2>/dev/null | tr -d '[:space:]' || true; }

install_launcher() {
  # The launcher is a tiny script shipped in the npm package; the engine finds it on PATH as a plugin.
  # Copy it (it resolves the provider host relative to the program's node_modules at run time).
  cp "$sdk_pkg/pulumi-resource-pulumi-nodejs" "$bin/pulumi-resource-pulumi-nodejs"
  chmod +x "$bin/pulumi-resource-pulumi-nodejs"
}

complete() {
  [ -x "$bin/pulumi" ] && [ -x "$bin/pulumi-language-nodejs" ] && [ "$(version_of "$bin/pulumi")" = "v$V" ]
}

if complete; then
  install_launcher
  echo "$bin"
  exit 0
fi
mkdir -p "$bin"

# 1b. A pulumi on PATH at the right version (with its language host beside it).
if on_path=$(command -v pulumi 2>/dev/null) && [ "$(version_of "$on_path")" = "v$V" ]; then
  dir=$(dirname "$(readlink -f "$on_path")")
  if [ -x "$dir/pulumi-language-nodejs" ]; then
    log "using pulumi v$V from $dir"
    ln -sf "$dir/pulumi" "$bin/pulumi"
    ln -sf "$dir/pulumi-language-nodejs" "$bin/pulumi-language-nodejs"
    install_launcher
    echo "$bin"
    exit 0
  fi
fi

# 2. The official installer (fails fast without internet).
if [ "${PULUMI_CLI_SKIP_INSTALLER:-}" != "1" ] &&
  curl -fsS --connect-timeout 5 --max-time 10 -o /dev/null https://get.pulumi.com/ 2>/dev/null; then
  log "installing pulumi v$V with the official installer"
  tmp=$(mktemp -d)
  if curl -fsSL --max-time 300 https://get.pulumi.com | sh -s -- --version "$V" --install-root "$tmp" >&2; then
    cp "$tmp/bin/"* "$bin/"
    rm -rf "$tmp"
    if complete; then install_launcher; echo "$bin"; exit 0; fi
  fi
  rm -rf "$tmp"
  log "the official installer did not succeed; building from the Go modules"
fi

# 3. Build from the Go modules.
command -v go >/dev/null || { log "no Go toolchain and no internet: cannot make pulumi v$V available"; exit 1; }
start=$(date +%s)
cache="${PULUMI_CLI_BUILD_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-cli-build}"
# Pulumi's newer tags are not in the checksum database mirror reached here; the module proxy serves the
# content, and each build module's go.sum pins it once fetched.
export GONOSUMDB="github.com/pulumi/*${GONOSUMDB:+,$GONOSUMDB}"
export GOFLAGS="-mod=mod"
ldflags() { echo "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$1"; }

pkg_mod=github.com/pulumi/pulumi/pkg/v3
sdk_mod=github.com/pulumi/pulumi/sdk/v3
lang_mod=github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3
# The last sdk/v3 release that still carried the Node.js language host inside the sdk module.
LEGACY_LANG_VERSION=3.68.0

# 3a. The CLI, from pkg/v3 at the tag. pkg/v3's go.mod replaces sdk/v3 with a relative path (ignored for a
# dependency) and atotto/clipboard with a fork: the fork is repeated here, since a dependency's replaces
# do not apply.
if [ ! -x "$bin/pulumi" ] || [ "$(version_of "$bin/pulumi")" != "v$V" ]; then
  mkdir -p "$cache/cli-v$V" && cd "$cache/cli-v$V"
  log "building pulumi v$V from $pkg_mod (in $PWD)"
  if [ ! -f go.mod ]; then
    printf 'module local/pulumi-cli-build\n\ngo 1.25.11\n\nreplace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e\n' > go.mod
    go get "$pkg_mod@v$V" "$sdk_mod@v$V" >&2
  fi
  go build -trimpath -ldflags "$(ldflags "$V")" -o "$bin/pulumi" "$pkg_mod/cmd/pulumi" >&2
fi

# 3b. The language host. Since 3.69 it is a module of its own with no tags; take it at the commit of the
# pkg/v3 tag when the module proxy serves that commit. The proxy reached here refuses that module
# (403), so fall back to the last release that shipped the host inside sdk/v3: the language protocol is
# stable, and the host only starts `node` on the installed @pulumi/pulumi's own run script, so programs
# still run with the pinned SDK.
if [ ! -x "$bin/pulumi-language-nodejs" ]; then
  commit=$(go mod download -json "$pkg_mod@v$V" | sed -n 's/.*"Hash": "\([0-9a-f]*\)".*/\1/p' | head -1)
  mkdir -p "$cache/lang-v$V" && cd "$cache/lang-v$V"
  printf 'module local/pulumi-lang-build\n\ngo 1.25.11\n' > go.mod
  if [ -n "$commit" ] && go get "$lang_mod@$commit" "$sdk_mod@v$V" >&2 2>/dev/null; then
    log "building pulumi-language-nodejs at commit ${commit:0:12} (v$V)"
    go build -trimpath -ldflags "$(ldflags "$V")" -o "$bin/pulumi-language-nodejs" "$lang_mod" >&2
  else
    log "the module proxy does not serve $lang_mod; building the language host of sdk/v3 v$LEGACY_LANG_VERSION"
    mkdir -p "$cache/lang-v$LEGACY_LANG_VERSION" && cd "$cache/lang-v$LEGACY_LANG_VERSION"
    if [ ! -f go.sum ]; then
      printf 'module local/pulumi-lang-build\n\ngo 1.25.11\n' > go.mod
      go get "$sdk_mod@v$LEGACY_LANG_VERSION" >&2
    fi
    go build -trimpath -ldflags "$(ldflags "$LEGACY_LANG_VERSION")" -o "$bin/pulumi-language-nodejs" \
      "$sdk_mod/nodejs/cmd/pulumi-language-nodejs" >&2
  fi
fi
install_launcher
complete || { log "built, but $bin/pulumi does not report v$V"; exit 1; }
log "pulumi v$V ready in $(( $(date +%s) - start ))s; bin $(du -sh "$bin" | cut -f1), Go build cache $(du -sh "$(go env GOCACHE)" 2>/dev/null | cut -f1), module cache $(du -sh "$(go env GOMODCACHE)" 2>/dev/null | cut -f1)"
echo "$bin"
