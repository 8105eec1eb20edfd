# Shared by start.sh and stop.sh: where the e2e node lives on this machine. Sourced, not run.
# The addresses are private ranges nothing else here uses; override them if one collides.
# shellcheck disable=SC2034
NODE_NAME="${PIW_NODE_NAME:-e2e-node}"
NODE_LINK=piw-node0                        # a port-less bridge holding the node address (no dummy module here)
NODE_IP="${PIW_NODE_IP:-172.29.0.1}"        # kubelet, kube-apiserver, and what pods may reach
POD_CIDR="${PIW_POD_CIDR:-172.29.1.0/24}"   # the bridge's pod subnet
POD_GATEWAY="${POD_CIDR%.*/*}.1"
SERVICE_CIDR=10.96.0.0/16                   # ../controlplane/start.sh --service-cluster-ip-range
CNI_BRIDGE=piw-cni0
CNI_BIN_DIR="${PIW_CNI_BIN_DIR:-/usr/lib/cni}"
# Short, fixed paths: unix sockets live below them (108-byte limit), and there is one node per
# machine at a time.
NODE_ROOT=/var/lib/piw-e2e-node             # containerd's images and containers, kubelet's pods
NODE_RUN=/run/piw-e2e-node                  # containerd's state and socket
CONTAINERD_SOCKET="$NODE_RUN/containerd.sock"
KUBELET_PORT=10250
KUBELET_HEALTHZ_PORT=10248
KUBE_PROXY_METRICS_PORT=10249
KUBE_PROXY_HEALTHZ_PORT=10256
