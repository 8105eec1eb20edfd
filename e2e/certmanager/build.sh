#!/usr/bin/env bash
# Builds the test-only cert-manager `controller`, `cainjector` and `webhook` (./controller,
# ./cainjector, ./webhook: small mains over cert-manager's packages, version pinned in go.mod)
# into a per-user cache keyed by that version and these sources, and prints the cache directory
# on the last line of stdout. A rerun with the binaries present only prints it. The binaries are
# static (CGO_ENABLED=0), so images.sh can put each alone into an image. Cold: about 10 minutes
# on two cores.
#
# Progress goes to stderr. Override the cache root with PIW_CERTMANAGER_CACHE.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

log() { echo "[cert-manager build] $*" >&2; }

command -v go >/dev/null || { log "go is not on PATH; it is needed to build cert-manager"; exit 1; }
export GOFLAGS=-mod=mod

version="$(sed -n 's/^[[:space:]]*\(require \)\{0,1\}github.com\/cert-manager\/cert-manager \(v[^[:space:]]*\).*/\2/p' go.mod | head -1)"
[[ -n "$version" ]] || { log "cannot read the cert-manager version from $here/go.mod"; exit 1; }
# The sources of the two mains are part of the key: an edit rebuilds.
sources="$( (cat go.mod controller/main.go cainjector/main.go webhook/main.go; echo CGO_ENABLED=0) | sha256sum | cut -c1-12)"

cache_root="${PIW_CERTMANAGER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pod-identity-webhook/cert-manager}"
out="$cache_root/$version/bin-$sources"

if [[ -x "$out/controller" && -x "$out/cainjector" && -x "$out/webhook" ]]; then
  log "controller, cainjector and webhook for cert-manager $version already in $out"
  echo "$out"
  exit 0
fi

mkdir -p "$cache_root/$version"
work="$(mktemp -d "$cache_root/$version/.build.XXXXXX")"
trap 'rm -rf "$work"' EXIT

export CGO_ENABLED=0
log "compiling controller and cainjector from cert-manager $version (cold: about 8 minutes)"
start=$SECONDS
go build -trimpath -ldflags="-s -w" -o "$work/" ./controller ./cainjector

# The webhook's admission plugins are internal/ packages of cert-manager's module: compile our
# main from inside a scratch copy of that module (nothing of it is kept but the binary).
log "compiling webhook inside a copy of the cert-manager $version module"
module_dir="$(go list -m -f '{{.Dir}}' github.com/cert-manager/cert-manager)"
[[ -d "$module_dir/internal/webhook" ]] || { log "no internal/webhook in $module_dir"; exit 1; }
cp -r "$module_dir" "$work/module"
chmod -R u+w "$work/module"
mkdir -p "$work/module/cmd/piw-webhook"
grep -v '^//go:build ignore$' webhook/main.go >"$work/module/cmd/piw-webhook/main.go"
(cd "$work/module" && go build -trimpath -ldflags="-s -w" -o "$work/webhook" ./cmd/piw-webhook)
rm -rf "$work/module"
rm -rf "$out"
mv "$work" "$out"
log "built in $((SECONDS - start)) s into $out"
echo "$out"
