#!/usr/bin/env bash
# Prints, on the last line of stdout, a directory holding cert-manager's CustomResourceDefinitions
# (deploy/crds/*.yaml of the Go module github.com/cert-manager/cert-manager at the version go.mod pins),
# copied into a per-user cache on the first run. A rerun with the cache present only prints it.
#
# Progress goes to stderr, so `dir=$(crds.sh)` captures just the directory.
# Override the cache root with PIW_CERTMANAGER_CACHE.
set -euo pipefail

# The Go module proxy serves v1.21.x at the time of writing (`go list -m -versions
# github.com/cert-manager/cert-manager`); build.sh compiles the same version.
version="$(sed -n 's/^[[:space:]]*github.com\/cert-manager\/cert-manager \(v[^[:space:]]*\).*/\1/p' "$(dirname "${BASH_SOURCE[0]}")/go.mod" | head -1)"
module=github.com/cert-manager/cert-manager

log() { echo "[cert-manager crds] $*" >&2; }

cache_root="${PIW_CERTMANAGER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pod-identity-webhook/cert-manager}"
out="$cache_root/$version/crds"

if compgen -G "$out/*.yaml" >/dev/null; then
  log "CRDs of cert-manager $version already in $out"
  echo "$out"
  exit 0
fi

command -v go >/dev/null || { log "go is not on PATH; it is needed to download $module"; exit 1; }

log "downloading $module@$version (first run only)"
# Outside any module, so no go.mod constrains the download.
info="$(cd / && GOFLAGS= go mod download -json "$module@$version")"
module_dir="$(printf '%s\n' "$info" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')"
[[ -d "$module_dir/deploy/crds" ]] || { log "no deploy/crds in the module ($module_dir)"; exit 1; }

mkdir -p "$cache_root/$version"
# Copy into a private directory and rename at the end: an interrupted run never leaves a
# half-filled cache directory that a later run would trust.
work="$(mktemp -d "$cache_root/$version/.copy.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cp "$module_dir"/deploy/crds/*.yaml "$work/"
chmod u+w "$work"/*.yaml
rm -rf "$out"
mv "$work" "$out"
log "copied $(ls "$out" | wc -l) CRD files to $out"
echo "$out"
