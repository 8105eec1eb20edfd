#!/usr/bin/env bash
# Starts a one-node Kubernetes cluster on this machine, with its state and logs in DIR:
#
#   start.sh DIR
#
# The control plane of ../controlplane (etcd, kube-apiserver) plus kube-controller-manager,
# kube-scheduler, containerd (Debian's, with its CRI plugin), kubelet and kube-proxy (iptables
# mode), all from the versions ../controlplane/build.sh pins. Pods get addresses on a bridge of
# their own (Debian's CNI plugins) and can reach only the node address, the Service range and
# each other: nothing is routed or masqueraded off the machine. Needs root.
#
# Every image archive in $PIW_IMAGE_ARCHIVES (../images/build.sh prints that directory) is
# imported into containerd, the sandbox image local/pause:e2e among them: nothing is pulled.
#
# Leaves in DIR what ../controlplane/start.sh leaves (admin.kubeconfig, env, pki, logs) plus the
# logs and configurations of the node's components, and returns once the node is Ready.
# Machine-wide state (network interfaces, iptables chains, mounts, cgroups) is undone by stop.sh.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log() { echo "[node start] $*" >&2; }
die() { log "error: $*"; exit 1; }

[[ $# -eq 1 ]] || die "usage: $0 DIR"
[[ "$(id -u)" == 0 ]] || die "a node needs root (containerd, kubelet, iptables)"
mkdir -p "$1"
dir="$(cd "$1" && pwd)"
# shellcheck source=e2e/node/layout.sh
source "$here/layout.sh"

for tool in containerd containerd-shim-runc-v2 runc ctr ip iptables conntrack; do
  command -v "$tool" >/dev/null || die "$tool is missing (Debian: apt-get install containerd runc iproute2 iptables conntrack)"
done
for plugin in bridge host-local loopback; do
  [[ -x "$CNI_BIN_DIR/$plugin" ]] || die "CNI plugin $CNI_BIN_DIR/$plugin is missing (Debian: apt-get install containernetworking-plugins)"
done

bin="${PIW_CONTROLPLANE_BIN:-}"
[[ -n "$bin" ]] || bin="$("$here/../controlplane/build.sh" | tail -1)"
for b in kube-controller-manager kube-scheduler kubelet kube-proxy; do
  [[ -x "$bin/$b" ]] || die "$bin/$b is missing; run e2e/controlplane/build.sh"
done

# A leftover of a killed run would hold the addresses, mounts and chains.
"$here/stop.sh" "$dir" >&2

# --- network: the node's address, and the Service range routed to it ------------------------
log "node address $NODE_IP on $NODE_LINK; pods on $POD_CIDR ($CNI_BRIDGE)"
ip link add "$NODE_LINK" type bridge
ip addr add "$NODE_IP/32" dev "$NODE_LINK"
ip link set "$NODE_LINK" up
# Connections from the host to a ClusterIP leave with the node address as their source and are
# rewritten by kube-proxy before they could go anywhere; without this route they would follow
# the default route.
ip route add "$SERVICE_CIDR" dev "$NODE_LINK" src "$NODE_IP"
sysctl -qw net.ipv4.ip_forward=1
if [[ -e /proc/sys/net/bridge/bridge-nf-call-iptables ]]; then
  sysctl -qw net.bridge.bridge-nf-call-iptables=1
fi

# --- control plane ---------------------------------------------------------------------------
PIW_NODE_IP="$NODE_IP" PIW_NODE_NAME="$NODE_NAME" PIW_CONTROLPLANE_BIN="$bin" \
  "$here/../controlplane/start.sh" "$dir"
# shellcheck source=/dev/null
source "$dir/env"
pki="$dir/pki"
kubectl() { "$bin/kubectl" --kubeconfig="$dir/admin.kubeconfig" "$@"; }

launch() { # name command...
  local name="$1"
  shift
  setsid "$@" </dev/null >>"$dir/$name.log" 2>&1 &
  echo $! >"$dir/$name.pid"
}

alive() { [[ -f "$dir/$1.pid" ]] && kill -0 "$(cat "$dir/$1.pid")" 2>/dev/null; }

wait_until() { # what seconds component command...
  local what="$1" deadline=$((SECONDS + $2)) component="$3"
  shift 3
  until "$@" >/dev/null 2>&1; do
    alive "$component" || { tail -30 "$dir/$component.log" >&2; die "$component exited while waiting for $what"; }
    ((SECONDS < deadline)) || { tail -30 "$dir/$component.log" >&2; die "$what: not after $2 s"; }
    sleep 0.5
  done
}

log "starting kube-controller-manager and kube-scheduler"
launch kube-controller-manager "$bin/kube-controller-manager" \
  --kubeconfig="$dir/kube-controller-manager.kubeconfig" \
  --authentication-kubeconfig="$dir/kube-controller-manager.kubeconfig" \
  --authorization-kubeconfig="$dir/kube-controller-manager.kubeconfig" \
  --bind-address=127.0.0.1 --secure-port=0 \
  --leader-elect=false \
  --use-service-account-credentials=true \
  --service-account-private-key-file="$pki/sa.key" \
  --root-ca-file="$pki/ca.crt" \
  --cluster-signing-cert-file="$pki/ca.crt" --cluster-signing-key-file="$pki/ca.key" \
  --service-cluster-ip-range="$SERVICE_CIDR" \
  --allocate-node-cidrs=false \
  --v=1
launch kube-scheduler "$bin/kube-scheduler" \
  --kubeconfig="$dir/kube-scheduler.kubeconfig" \
  --authentication-kubeconfig="$dir/kube-scheduler.kubeconfig" \
  --authorization-kubeconfig="$dir/kube-scheduler.kubeconfig" \
  --bind-address=127.0.0.1 --secure-port=0 \
  --leader-elect=false \
  --v=1

# --- containerd ------------------------------------------------------------------------------
mkdir -p "$NODE_ROOT" "$NODE_RUN" "$dir/cni/net.d"
cat >"$dir/containerd.toml" <<EOF
# containerd 1.6 for the e2e node: its own root, state and socket; images only from imports.
version = 2
root = "$NODE_ROOT/containerd"
state = "$NODE_RUN/containerd"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.internal.v1.tracing", "io.containerd.tracing.processor.v1.otlp"]

[grpc]
  address = "$CONTAINERD_SOCKET"

[ttrpc]
  address = "$CONTAINERD_SOCKET.ttrpc"

[plugins."io.containerd.internal.v1.opt"]
  path = "$NODE_ROOT/opt"

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "docker.io/local/pause:e2e"
  # Root here lacks CAP_SYS_RESOURCE: runc may not lower a container's oom_score_adj below
  # its own, and every pod would fail to start.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$CNI_BIN_DIR"
    conf_dir = "$dir/cni/net.d"
    max_conf_num = 1
EOF
cat >"$dir/cni/net.d/10-e2e.conflist" <<EOF
{
  "cniVersion": "0.4.0",
  "name": "e2e",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$CNI_BRIDGE",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "dataDir": "$NODE_ROOT/cni-ipam",
        "ranges": [[{"subnet": "$POD_CIDR", "gateway": "$POD_GATEWAY"}]],
        "routes": [{"dst": "$SERVICE_CIDR"}, {"dst": "$NODE_IP/32"}]
      }
    }
  ]
}
EOF
log "starting containerd ($CONTAINERD_SOCKET)"
launch containerd containerd --config "$dir/containerd.toml"
wait_until "containerd's socket" 30 containerd ctr --address "$CONTAINERD_SOCKET" version

archives="${PIW_IMAGE_ARCHIVES:-}"
[[ -n "$archives" ]] || die "PIW_IMAGE_ARCHIVES is not set: the images come from e2e/images/build.sh"
for archive in "$archives"/*.tar; do
  log "importing $(basename "$archive")"
  ctr --address "$CONTAINERD_SOCKET" -n k8s.io images import "$archive" >>"$dir/image-import.log" 2>&1 ||
    { tail -5 "$dir/image-import.log" >&2; die "cannot import $archive"; }
done
# Listed first, then matched: `ctr ... | grep -q` under pipefail fails whenever grep exits
# before ctr has written its last line.
images=$(ctr --address "$CONTAINERD_SOCKET" -n k8s.io images ls -q) || die "cannot list containerd's images"
grep -qx docker.io/local/pause:e2e <<<"$images" ||
  die "no docker.io/local/pause:e2e among the imported images: containerd could start no pod"

# --- kubelet ---------------------------------------------------------------------------------
mkdir -p "$NODE_ROOT/kubelet" "$NODE_ROOT/pod-logs" "$NODE_ROOT/volume-plugins"
cat >"$dir/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: "$pki/ca.crt"}
authorization: {mode: Webhook}
containerRuntimeEndpoint: "unix://$CONTAINERD_SOCKET"
cgroupDriver: cgroupfs
failCgroupV1: false
failSwapOn: false
# Every image is imported, none can be pulled again: never collect one, never evict for disk.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {}
podLogsDir: "$NODE_ROOT/pod-logs"
volumePluginDir: "$NODE_ROOT/volume-plugins"
address: "$NODE_IP"
port: $KUBELET_PORT
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: $KUBELET_HEALTHZ_PORT
clusterDomain: cluster.local
serializeImagePulls: false
EOF
log "starting kubelet ($NODE_NAME, $NODE_IP)"
launch kubelet "$bin/kubelet" \
  --config="$dir/kubelet.yaml" \
  --kubeconfig="$dir/kubelet.kubeconfig" \
  --root-dir="$NODE_ROOT/kubelet" \
  --hostname-override="$NODE_NAME" \
  --node-ip="$NODE_IP" \
  --v=1

# --- kube-proxy ------------------------------------------------------------------------------
cat >"$dir/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clientConnection: {kubeconfig: "$dir/kube-proxy.kubeconfig"}
hostnameOverride: "$NODE_NAME"
clusterCIDR: "$POD_CIDR"
nodePortAddresses: ["$NODE_IP/32"]
metricsBindAddress: "127.0.0.1:$KUBE_PROXY_METRICS_PORT"
healthzBindAddress: "127.0.0.1:$KUBE_PROXY_HEALTHZ_PORT"
# The machine's conntrack table size is not ours to change.
conntrack: {maxPerCore: 0}
EOF
log "starting kube-proxy"
launch kube-proxy "$bin/kube-proxy" --config="$dir/kube-proxy.yaml" --v=1
# Healthy once it has written the Service rules.
wait_until "kube-proxy's first sync" 60 kube-proxy curl -sf "http://127.0.0.1:$KUBE_PROXY_HEALTHZ_PORT/healthz"

node_ready() {
  [[ "$(kubectl get node "$NODE_NAME" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}')" == True ]]
}
wait_until "node $NODE_NAME Ready" 120 kubelet node_ready
# The token controller and the root-CA publisher: without them no pod can start.
wait_until "the default ServiceAccount" 60 kube-controller-manager kubectl -n default get serviceaccount default
wait_until "kube-root-ca.crt" 60 kube-controller-manager kubectl -n default get configmap kube-root-ca.crt

cat >>"$dir/env" <<EOF
POD_CIDR=$POD_CIDR
CONTAINERD_SOCKET=$CONTAINERD_SOCKET
EOF
log "ready: node $NODE_NAME at $NODE_IP, API server $APISERVER_URL (kubeconfig $dir/admin.kubeconfig)"
