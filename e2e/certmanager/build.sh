#!/usr/bin/env bash
# Builds the test-only cert-manager `controller` and `cainjector` (./controller, ./cainjector:
# small mains over cert-manager's library packages, version pinned in go.mod) into a per-user
# cache keyed by that version, and prints the cache directory on the last line of stdout. A
# rerun with the binaries present only prints it. Cold: about 8 minutes on two cores.
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
sources="$(cat go.mod controller/main.go cainjector/main.go | sha256sum | cut -c1-12)"

cache_root="${PIW_CERTMANAGER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pod-identity-webhook/cert-manager}"
out="$cache_root/$version/bin-$sources"

if [[ -x "$out/controller" && -x "$out/cainjector" ]]; then
  log "controller and cainjector for cert-manager $version already in $out"
  echo "$out"
  exit 0
fi

mkdir -p "$cache_root/$version"
work="$(mktemp -d "$cache_root/$version/.build.XXXXXX")"
trap 'rm -rf "$work"' EXIT

log "compiling controller and cainjector from cert-manager $version (cold: about 8 minutes)"
start=$SECONDS
go build -trimpath -ldflags="-s -w" -o "$work/" ./controller ./cainjector
rm -rf "$out"
mv "$work" "$out"
log "built in $((SECONDS - start)) s into $out"
echo "$out"
