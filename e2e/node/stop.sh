#!/usr/bin/env bash
# Stops what start.sh started in DIR and undoes what it did to the machine:
#
#   stop.sh DIR
#
# kube-proxy, kubelet, the scheduler and controller-manager; every container of the node
# (killed), containerd; then the node's iptables chains (kube-proxy --cleanup), mounts, network
# namespaces, bridge, dummy interface, cgroups and root directories; last the control plane
# (../controlplane/stop.sh). Stopping what is not running is not an error. DIR keeps the logs.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log() { echo "[node stop] $*" >&2; }

[[ $# -eq 1 ]] || { log "usage: $0 DIR"; exit 2; }
dir="$1"
# shellcheck source=e2e/node/layout.sh
source "$here/layout.sh"
bin=""
if [[ -f "$dir/env" ]]; then
  bin="$(sed -n 's/^CONTROLPLANE_BIN=//p' "$dir/env")"
fi

stop() { # name
  local pidfile="$dir/$1.pid" pid
  [[ -f "$pidfile" ]] || return 0
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    log "stopping $1 (pid $pid)"
    kill -TERM "$pid" 2>/dev/null
    local deadline=$((SECONDS + 15))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null && sleep 0.5
  fi
  rm -f "$pidfile"
}

stop kube-proxy
stop kubelet
stop kube-scheduler
stop kube-controller-manager

# The containers outlive containerd (their shims are separate processes): kill them first.
if [[ -S "$CONTAINERD_SOCKET" ]] && ctr --address "$CONTAINERD_SOCKET" version >/dev/null 2>&1; then
  c() { ctr --address "$CONTAINERD_SOCKET" -n k8s.io "$@"; }
  tasks="$(c tasks ls -q 2>/dev/null)"
  if [[ -n "$tasks" ]]; then
    log "killing $(wc -w <<<"$tasks") containers"
    for id in $tasks; do c tasks kill -s SIGKILL "$id" >/dev/null 2>&1; done
    sleep 1
    for id in $tasks; do c tasks delete -f "$id" >/dev/null 2>&1; done
  fi
  for id in $(c containers ls -q 2>/dev/null); do c containers delete "$id" >/dev/null 2>&1; done
fi
stop containerd
# Shims left behind by a containerd that died first.
pkill -KILL -f "containerd-shim-runc-v2 .*-address $CONTAINERD_SOCKET" 2>/dev/null

if [[ -n "$bin" && -x "$bin/kube-proxy" ]] && grep -q -- '-N KUBE-' <<<"$(iptables -t nat -S 2>/dev/null)"; then
  log "removing kube-proxy's iptables chains"
  "$bin/kube-proxy" --cleanup >>"$dir/kube-proxy.log" 2>&1
fi

# Pod network namespaces: those holding an address of the pod range.
prefix="${POD_CIDR%.*/*}."
for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
  if grep -q " inet ${prefix//./\\.}" <<<"$(ip -n "$ns" -4 -o addr show 2>/dev/null)"; then
    ip netns delete "$ns" 2>/dev/null
  fi
done
ip link delete "$CNI_BRIDGE" 2>/dev/null
ip route delete "$SERVICE_CIDR" dev "$NODE_LINK" 2>/dev/null
ip link delete "$NODE_LINK" 2>/dev/null

# kubelet's volume mounts (tmpfs for Secrets and tokens), containerd's overlays and shm.
for root in "$NODE_ROOT" "$NODE_RUN"; do
  findmnt -rn -o TARGET 2>/dev/null | grep -E "^$root(/|$)" | sort -r | while read -r mnt; do
    umount -l "$mnt" 2>/dev/null
  done
done
# kubelet's cgroups (cgroupfs driver, cgroup v1 or v2): empty once the containers are gone.
for root in /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/kubepods; do
  [[ -d "$root" ]] && find "$root" -depth -type d -exec rmdir {} \; 2>/dev/null
done
rm -rf "$NODE_ROOT" "$NODE_RUN"
# kubelet writes these fixed paths whatever its root directory: only our pods' log links and
# the device-plugin socket directory, if nothing else is there.
find /var/log/containers -maxdepth 1 -lname "$NODE_ROOT/*" -delete 2>/dev/null
rmdir /var/log/containers /var/lib/kubelet/device-plugins /var/lib/kubelet 2>/dev/null

if [[ -f "$dir/env" ]]; then
  "$here/../controlplane/stop.sh" "$dir"
fi
exit 0
