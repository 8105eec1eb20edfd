#!/usr/bin/env bash
# Builds the control plane (kube-apiserver, kube-controller-manager, kube-scheduler, kubectl,
# etcd) and the node (kubelet, kube-proxy) from the versions pinned in go.mod into
# a per-user cache keyed by those versions, and prints the cache directory on
# the last line of stdout. A rerun with the binaries present only prints it.
#
# Progress goes to stderr, so `dir=$(build.sh)` captures just the directory.
# Override the cache root with PIW_CONTROLPLANE_CACHE.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

log() { echo "[controlplane build] $*" >&2; }

command -v go >/dev/null || { log "go is not on PATH; it is needed to build the control plane"; exit 1; }
export GOFLAGS=-mod=mod

# Versions are read from go.mod, so the cache key can never drift from what is built.
k8s_version="$(sed -n 's/^[[:space:]]*k8s.io\/kubernetes \(v[^[:space:]]*\).*/\1/p' go.mod | head -1)"
etcd_version="$(sed -n 's/^[[:space:]]*go.etcd.io\/etcd\/server\/v3 \(v[^[:space:]]*\).*/\1/p' go.mod | head -1)"
[[ -n "$k8s_version" && -n "$etcd_version" ]] || { log "cannot read the kubernetes or etcd version from $here/go.mod"; exit 1; }

cache_root="${PIW_CONTROLPLANE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pod-identity-webhook/controlplane}"
out="$cache_root/k8s-$k8s_version-etcd-$etcd_version"
binaries=(kube-apiserver kube-controller-manager kube-scheduler kubectl kubelet kube-proxy etcd)

complete() {
  local b
  for b in "${binaries[@]}"; do [[ -x "$out/$b" ]] || return 1; done
}

if complete; then
  log "binaries for kubernetes $k8s_version and etcd $etcd_version already in $out"
  echo "$out"
  exit 0
fi

mkdir -p "$cache_root"
# Build into a private directory and rename at the end: an interrupted build
# never leaves a half-filled cache directory that a later run would trust.
work="$(mktemp -d "$cache_root/.build.XXXXXX")"
trap 'rm -rf "$work"' EXIT

log "downloading Go modules (first run only; a few hundred MB)"
go mod download

minor="${k8s_version#v1.}"; minor="${minor%%.*}"
version_flags=""
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  version_flags+=" -X $pkg.gitVersion=$k8s_version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
  version_flags+=" -X $pkg.gitTreeState=clean"
done

log "compiling ${binaries[*]} (cold: 20-30 minutes on 2 cores)"
start=$SECONDS
go build -trimpath -ldflags="-s -w$version_flags" -o "$work/" \
  k8s.io/kubernetes/cmd/kube-apiserver \
  k8s.io/kubernetes/cmd/kube-controller-manager \
  k8s.io/kubernetes/cmd/kube-scheduler \
  k8s.io/kubernetes/cmd/kubectl \
  k8s.io/kubernetes/cmd/kubelet \
  k8s.io/kubernetes/cmd/kube-proxy \
  go.etcd.io/etcd/server/v3
# The etcd server module's main package is its root, so go names the binary
# after the path element before the major version suffix.
mv "$work/server" "$work/etcd"
log "compiled in $((SECONDS - start)) s"

for b in "${binaries[@]}"; do [[ -x "$work/$b" ]] || { log "build produced no $b"; exit 1; }; done
"$work/etcd" --version >&2
"$work/kube-apiserver" --version >&2
"$work/kubelet" --version >&2

chmod 755 "$work" # mktemp made it private; the binaries are not secret
rm -rf "$out"
mv "$work" "$out"
trap - EXIT
log "installed into $out"
echo "$out"
