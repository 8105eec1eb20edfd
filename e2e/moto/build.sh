#!/usr/bin/env bash
# Installs moto's server (PyPI `moto[server]`, the version below) into a virtualenv in a per-user
# cache and prints the virtualenv's bin directory on the last line of stdout; a rerun with it
# present only prints it. RealNodeIT runs `moto_server` from there as the STS and S3 endpoint the
# AWS CLI in a pod talks to. Override the cache root with PIW_MOTO_CACHE.
set -euo pipefail

version=5.2.5
log() { echo "[moto build] $*" >&2; }
python="${PIW_PYTHON:-python3}"
command -v "$python" >/dev/null || { log "$python is not on PATH"; exit 1; }

cache_root="${PIW_MOTO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pod-identity-webhook/moto}"
out="$cache_root/$version"
# Built in place (a virtualenv records its own path); .complete marks a finished install.
if [[ -f "$out/.complete" ]]; then
  log "moto $version already in $out"
  echo "$out/bin"
  exit 0
fi
rm -rf "$out"
mkdir -p "$cache_root"
log "installing moto[server]==$version from PyPI"
"$python" -m venv "$out"
"$out/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$version" >&2
"$out/bin/moto_server" --help >/dev/null
touch "$out/.complete"
log "installed into $out"
echo "$out/bin"
