#!/bin/sh
# The JVM image's training run (Dockerfile.jvm, JDK 24+): records APP_DIR/app.aot, the AOT cache
# that the image's launcher (native/webhook-jvm.sh) hands the JVM, so that the classes the webhook
# loads and links at startup, and the profiles of its first admissions, come ready-made.
#
#   native/aot/train.sh APP_DIR CLASSES_DIR EXAMPLES_DIR
#
# APP_DIR: the packaged application (quarkus-run.jar, aot-jar packaging: the JVM caches only
# classes of the class path); CLASSES_DIR: AdmissionTraining.class and TrainingApiServer.class
# (compiled from this directory); EXAMPLES_DIR: review.json and objects.yaml (examples/). The
# training runs as a deployed webhook does: serving certificate from files, JAVA_OPTS from the
# environment, and the Kubernetes client configured in-cluster (KUBERNETES_SERVICE_HOST and a
# token file) against TrainingApiServer, which answers the webhook's ServiceAccount list, watch
# and warm-up GET as kube-apiserver would. No API server is reachable while an image builds;
# without this one the client's classes would load as the deployed webhook starts, with its first
# list waiting for them. The cache holds only for the JVM that wrote it, the same class path and
# compatible flags (the same GC); the JVM warns and runs without it otherwise.
set -eu
app=$1 classes=$2 examples=$3
java=${JAVA:-java}
work=$(mktemp -d)
pid="" api=""
cleanup() { for p in $pid $api; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "training: $*" >&2; for f in "$work"/*.log; do [ -f "$f" ] && { echo "--- $f" >&2; tail -30 "$f" >&2; }; done; exit 1; }

# 1. A serving certificate, from the webhook's own standalone mode; not recorded: it loads Bouncy
#    Castle to sign, which a deployed webhook (cert-manager's certificate) never does.
# shellcheck disable=SC2086
$java ${JAVA_OPTS:-} -jar "$app/quarkus-run.jar" --objects-file="$examples/objects.yaml" \
  --self-signed-cert-dir="$work/certs" --port=18443 --metrics-port=18444 >"$work/certificate.log" 2>&1 &
pid=$!
tries=0
until [ -s "$work/certs/tls.key" ] && [ -s "$work/certs/ca.crt" ]; do
  kill -0 "$pid" 2>/dev/null || fail "the webhook exited before writing a certificate"
  tries=$((tries + 1)); [ "$tries" -le 1200 ] || fail "no certificate within two minutes"
  sleep 0.1
done
kill "$pid"; wait "$pid" || true; pid=""

# 2. The training's API server, on the certificate above (it names localhost). The ServiceAccount
#    is the one examples/review.json names; its role matches examples/objects.yaml.
api_port=18445
$java -XX:-UsePerfData -cp "$classes" TrainingApiServer "$api_port" "$work/certs/tls.crt" "$work/certs/tls.key" \
  default/s3-reader arn:aws:iam::111122223333:role/s3-reader "$work/api.ready" >"$work/api-server.log" 2>&1 &
api=$!
tries=0
until [ -s "$work/api.ready" ]; do
  kill -0 "$api" 2>/dev/null || fail "the training API server exited"
  tries=$((tries + 1)); [ "$tries" -le 600 ] || fail "the training API server did not listen within a minute"
  sleep 0.1
done
printf training >"$work/token"

# 3. The recorded run: start (in-cluster configuration; no kubeconfig is looked for), the early
#    ServiceAccount list and the informer's, 50 admissions over TLS and HTTP/2, SIGTERM. The JVM
#    writes the cache as it exits.
# shellcheck disable=SC2086
KUBERNETES_SERVICE_HOST=localhost KUBERNETES_SERVICE_PORT=$api_port KUBERNETES_AUTH_TRYKUBECONFIG=false \
KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN="$work/token" KUBERNETES_CERTS_CA_FILE="$work/certs/ca.crt" \
$java ${JAVA_OPTS:-} -XX:AOTCacheOutput="$app/app.aot" -jar "$app/quarkus-run.jar" \
  --tls-cert="$work/certs/tls.crt" --tls-key="$work/certs/tls.key" \
  --port=18443 --metrics-port=18444 >"$work/training.log" 2>&1 &
pid=$!
$java -XX:-UsePerfData -cp "$classes" AdmissionTraining https://localhost:18443/mutate "$examples/review.json" "$work/certs/ca.crt" 50 \
  || fail "the admissions failed"
grep -q "early ServiceAccount list: " "$work/training.log" || fail "the webhook's early ServiceAccount list failed"
# The informer lists again a second after the boot (IdentitySources.AFTER_BOOT); its sync is waited
# for, up to 10 s.
for _ in $(seq 100); do grep -q "ServiceAccount informer synced" "$work/training.log" && break; sleep 0.1; done
grep -q "ServiceAccount informer synced" "$work/training.log" || fail "the webhook's informer did not sync"
kill -TERM "$pid"; wait "$pid" || fail "the webhook did not stop cleanly"; pid=""
kill "$api"; wait "$api" 2>/dev/null || true; api=""
[ -s "$app/app.aot" ] || fail "no AOT cache written"
echo "training: $app/app.aot, $(wc -c <"$app/app.aot") bytes"
