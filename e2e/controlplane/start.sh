#!/usr/bin/env bash
# Starts a throw-away control plane (etcd + kube-apiserver, no controller-manager,
# scheduler or kubelet) on loopback, with its state in DIR:
#
#   start.sh DIR
#
# Leaves in DIR: admin.kubeconfig (client certificate in group system:masters),
# env (ports, paths, pids; shell syntax), the PKI, the logs etcd.log and
# kube-apiserver.log. Returns once /readyz answers ok.
#
# Running it again on the same DIR starts whichever of the two is not running and
# keeps the certificates and ports, so `stop.sh DIR apiserver && start.sh DIR`
# restarts the API server alone, at the same address, on the same data.
#
# Binaries come from $PIW_CONTROLPLANE_BIN, or else from build.sh (which builds
# them on first use).
#
# With PIW_NODE_IP set (e2e/node/start.sh does), the API server serves on that address instead
# of loopback and advertises it (the `kubernetes` Service's endpoint, which pods reach), runs
# the Node authorizer, and start.sh also issues the certificates and kubeconfigs of the
# controller-manager, the scheduler, a kubelet and kube-proxy (DIR/<component>.kubeconfig).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log() { echo "[controlplane start] $*" >&2; }
die() { log "error: $*"; exit 1; }

[[ $# -eq 1 ]] || die "usage: $0 DIR"
mkdir -p "$1"
dir="$(cd "$1" && pwd)"

# The API server calls the webhook on loopback; a proxy from the environment must
# never be put in between.
export NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}" no_proxy="127.0.0.1,localhost${no_proxy:+,$no_proxy}"

bin="${PIW_CONTROLPLANE_BIN:-}"
if [[ -z "$bin" ]]; then
  log "locating binaries (build.sh)"
  bin="$("$here/build.sh" | tail -1)"
fi
for b in etcd kube-apiserver; do [[ -x "$bin/$b" ]] || die "$bin/$b is missing; run build.sh"; done

running() { # pid file
  [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null
}

listening() { # port
  [[ -n "$(ss -Htln "sport = :$1" 2>/dev/null)" ]]
}

taken=" "
# Ports below the kernel's ephemeral range: one inside it can be taken, between this check and the
# bind, by the local end of any outgoing connection (seen in CI: etcd's "bind: address already in
# use" on a port that nothing listened on when it was chosen).
ephemeral_start=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true)
ephemeral_start=${ephemeral_start:-32768}
port_low=$((ephemeral_start > 12000 ? 10000 : 1024))
free_port() { # variable: sets it to a port nothing listens on and not handed out before
  local port tries=0
  while ((tries++ < 200)); do
    port=$((port_low + RANDOM % (ephemeral_start - port_low)))
    if ! listening "$port" && [[ "$taken" != *" $port "* ]]; then
      taken+="$port "
      printf -v "$1" '%s' "$port"
      return 0
    fi
  done
  die "no free port found on 127.0.0.1"
}

# --- ports: chosen once per DIR, so a restart keeps the address --------------
if [[ -f "$dir/env" ]]; then
  # shellcheck source=/dev/null
  source "$dir/env"
else
  log "choosing free loopback ports"
  free_port ETCD_CLIENT_PORT
  free_port ETCD_PEER_PORT
  free_port APISERVER_PORT
  NODE_IP="${PIW_NODE_IP:-}"
  NODE_NAME="${PIW_NODE_NAME:-e2e-node}"
fi
NODE_IP="${NODE_IP:-}"

# --- PKI ---------------------------------------------------------------------
pki="$dir/pki"
if [[ ! -f "$pki/admin.crt" ]]; then
  log "generating CA, serving certificate, admin client certificate and service-account keys in $pki"
  mkdir -p "$pki"
  chmod 700 "$pki"
  ossl() { openssl "$@" 2>>"$pki/openssl.log" || die "openssl $1 failed: $(tail -5 "$pki/openssl.log")"; }

  ossl req -x509 -newkey rsa:2048 -nodes -sha256 -days 30 \
    -keyout "$pki/ca.key" -out "$pki/ca.crt" -subj "/CN=pod-identity-webhook e2e CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"

  issue() { # name subject extensions
    ossl req -newkey rsa:2048 -nodes -sha256 -keyout "$pki/$1.key" -out "$pki/$1.csr" -subj "$2"
    printf '%s\n' "$3" >"$pki/$1.ext"
    ossl x509 -req -sha256 -days 30 -in "$pki/$1.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" \
      -CAcreateserial -out "$pki/$1.crt" -extfile "$pki/$1.ext"
    rm -f "$pki/$1.csr" "$pki/$1.ext"
  }
  issue apiserver "/CN=kube-apiserver" \
    "$(printf '%s\n' 'basicConstraints=critical,CA:FALSE' 'keyUsage=critical,digitalSignature,keyEncipherment' \
      'extendedKeyUsage=serverAuth' \
      "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,IP:10.96.0.1${NODE_IP:+,IP:$NODE_IP}")"
  client() { # name subject
    issue "$1" "$2" "$(printf '%s\n' 'basicConstraints=critical,CA:FALSE' \
      'keyUsage=critical,digitalSignature,keyEncipherment' 'extendedKeyUsage=clientAuth')"
  }
  client admin "/O=system:masters/CN=e2e-admin"
  if [[ -n "$NODE_IP" ]]; then
    # The identities RBAC's bootstrap roles and the Node authorizer expect.
    client kube-controller-manager "/CN=system:kube-controller-manager"
    client kube-scheduler "/CN=system:kube-scheduler"
    client kubelet "/O=system:nodes/CN=system:node:$NODE_NAME"
    client kube-proxy "/CN=system:kube-proxy"
    client apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client"
  fi

  ossl genrsa -out "$pki/sa.key" 2048
  ossl rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub"
  chmod 600 "$pki"/*.key
fi

SERVICE_ACCOUNT_ISSUER="https://oidc.example.test/cluster"
APISERVER_URL="https://${NODE_IP:-127.0.0.1}:$APISERVER_PORT"

cat >"$dir/env" <<EOF
# Written by start.sh; shell syntax.
CONTROLPLANE_DIR=$dir
CONTROLPLANE_BIN=$bin
ETCD_CLIENT_PORT=$ETCD_CLIENT_PORT
ETCD_PEER_PORT=$ETCD_PEER_PORT
APISERVER_PORT=$APISERVER_PORT
APISERVER_URL=$APISERVER_URL
SERVICE_ACCOUNT_ISSUER=$SERVICE_ACCOUNT_ISSUER
KUBECONFIG=$dir/admin.kubeconfig
KUBECTL=$bin/kubectl
CA_CERT=$pki/ca.crt
NODE_IP=$NODE_IP
NODE_NAME=${NODE_NAME:-}
EOF

b64() { base64 -w0 <"$1"; }
kubeconfig() { # file certificate-name
  cat >"$1" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: e2e
  cluster:
    server: $APISERVER_URL
    certificate-authority-data: $(b64 "$pki/ca.crt")
users:
- name: $2
  user:
    client-certificate-data: $(b64 "$pki/$2.crt")
    client-key-data: $(b64 "$pki/$2.key")
contexts:
- name: e2e
  context:
    cluster: e2e
    user: $2
current-context: e2e
EOF
  chmod 600 "$1"
}
kubeconfig "$dir/admin.kubeconfig" admin
if [[ -n "$NODE_IP" ]]; then
  for component in kube-controller-manager kube-scheduler kubelet kube-proxy; do
    kubeconfig "$dir/$component.kubeconfig" "$component"
  done
fi

# --- processes -----------------------------------------------------------------
launch() { # name log command...
  local name="$1" logfile="$2"
  shift 2
  # setsid: the processes outlive this script and the shell or JVM that ran it,
  # and a Ctrl-C meant for the caller does not reach them.
  setsid "$@" </dev/null >>"$logfile" 2>&1 &
  echo $! >"$dir/$name.pid"
}

wait_for() { # what seconds logfile pidfile command...
  local what="$1" seconds="$2" logfile="$3" pidfile="$4"
  shift 4
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if ! running "$pidfile"; then
      log "$what exited; last lines of $logfile:"
      tail -30 "$logfile" >&2
      exit 1
    fi
    if ((SECONDS >= deadline)); then
      log "$what not ready after ${seconds}s; last lines of $logfile:"
      tail -30 "$logfile" >&2
      exit 1
    fi
    sleep 0.5
  done
}

if running "$dir/etcd.pid"; then
  log "etcd already running (pid $(cat "$dir/etcd.pid"))"
else
  listening "$ETCD_CLIENT_PORT" && die "port $ETCD_CLIENT_PORT (etcd) is taken by another process"
  log "starting etcd on 127.0.0.1:$ETCD_CLIENT_PORT"
  mkdir -p "$dir/etcd-data"
  chmod 700 "$dir/etcd-data"
  launch etcd "$dir/etcd.log" "$bin/etcd" \
    --name=e2e \
    --data-dir="$dir/etcd-data" \
    --listen-client-urls="http://127.0.0.1:$ETCD_CLIENT_PORT" \
    --advertise-client-urls="http://127.0.0.1:$ETCD_CLIENT_PORT" \
    --listen-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-advertise-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster="e2e=http://127.0.0.1:$ETCD_PEER_PORT" \
    --unsafe-no-fsync=true \
    --log-level=warn
  wait_for etcd 60 "$dir/etcd.log" "$dir/etcd.pid" \
    curl -sf "http://127.0.0.1:$ETCD_CLIENT_PORT/health"
fi

readyz() {
  curl -sf --cacert "$pki/ca.crt" --cert "$pki/admin.crt" --key "$pki/admin.key" "$APISERVER_URL/readyz"
}

if running "$dir/kube-apiserver.pid"; then
  log "kube-apiserver already running (pid $(cat "$dir/kube-apiserver.pid"))"
else
  listening "$APISERVER_PORT" && die "port $APISERVER_PORT (kube-apiserver) is taken by another process"
  log "starting kube-apiserver on $APISERVER_URL"
  if [[ -n "$NODE_IP" ]]; then
    # A node joins: pods reach the API server at NODE_IP through the `kubernetes` Service, the
    # kubelet is authorized as a node, and the API server reaches kubelets for logs and exec.
    mode_flags=(--bind-address="$NODE_IP" --advertise-address="$NODE_IP"
      --authorization-mode=Node,RBAC --enable-admission-plugins=NodeRestriction
      --kubelet-client-certificate="$pki/apiserver-kubelet-client.crt"
      --kubelet-client-key="$pki/apiserver-kubelet-client.key"
      --kubelet-preferred-address-types=InternalIP)
  else
    # No controller-manager runs: nothing creates the `default` ServiceAccount of a
    # namespace, and Endpoints for the `kubernetes` Service would point at loopback,
    # which the API rejects, hence the reconciler is off.
    mode_flags=(--bind-address=127.0.0.1 --advertise-address=127.0.0.1
      --authorization-mode=RBAC --endpoint-reconciler-type=none)
  fi
  launch kube-apiserver "$dir/kube-apiserver.log" "$bin/kube-apiserver" \
    --etcd-servers="http://127.0.0.1:$ETCD_CLIENT_PORT" \
    "${mode_flags[@]}" \
    --secure-port="$APISERVER_PORT" \
    --cert-dir="$dir/apiserver-certs" \
    --tls-cert-file="$pki/apiserver.crt" \
    --tls-private-key-file="$pki/apiserver.key" \
    --client-ca-file="$pki/ca.crt" \
    --service-account-key-file="$pki/sa.pub" \
    --service-account-signing-key-file="$pki/sa.key" \
    --service-account-issuer="$SERVICE_ACCOUNT_ISSUER" \
    --service-account-jwks-uri="$SERVICE_ACCOUNT_ISSUER/openid/v1/jwks" \
    --service-cluster-ip-range=10.96.0.0/16 \
    --profiling=false \
    --v=1
  wait_for kube-apiserver 120 "$dir/kube-apiserver.log" "$dir/kube-apiserver.pid" readyz
fi

log "ready: $APISERVER_URL (kubeconfig $dir/admin.kubeconfig)"
