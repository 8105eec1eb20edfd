#!/bin/sh
# The JVM image's training run (Dockerfile.jvm, JDK 24+): records APP_DIR/app.aot, the AOT cache
# that the image's launcher (native/webhook-jvm.sh) hands the JVM, so that the classes the webhook
# loads and links at startup, and the profiles of its first admissions, come ready-made.
#
#   native/aot/train.sh APP_DIR CLASSES_DIR EXAMPLES_DIR
#
# APP_DIR: the packaged application (quarkus-run.jar, aot-jar packaging: the JVM caches only
# classes of the class path); CLASSES_DIR: AdmissionTraining.class (compiled from this directory);
# EXAMPLES_DIR: objects.yaml and review.json (examples/). The training runs as a deployed webhook
# does (serving certificate from files, JAVA_OPTS from the environment), in standalone mode on
# EXAMPLES_DIR/objects.yaml: no API server is reachable while an image builds, so the Kubernetes
# client's classes are not in the cache and load as they would without it. The cache holds only for
# the JVM that wrote it, the same class path and compatible flags (the same GC); the JVM warns and
# runs without it otherwise.
set -eu
app=$1 classes=$2 examples=$3
java=${JAVA:-java}
work=$(mktemp -d)
pid=""
cleanup() { [ -z "$pid" ] || kill "$pid" 2>/dev/null || true; rm -rf "$work"; }
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

# 2. The recorded run: start, 50 admissions over TLS and HTTP/2, SIGTERM. The JVM writes the cache
#    as it exits.
# shellcheck disable=SC2086
$java ${JAVA_OPTS:-} -XX:AOTCacheOutput="$app/app.aot" -jar "$app/quarkus-run.jar" \
  --objects-file="$examples/objects.yaml" --tls-cert="$work/certs/tls.crt" --tls-key="$work/certs/tls.key" \
  --port=18443 --metrics-port=18444 >"$work/training.log" 2>&1 &
pid=$!
$java -XX:-UsePerfData -cp "$classes" AdmissionTraining https://localhost:18443/mutate "$examples/review.json" "$work/certs/ca.crt" 50 \
  || fail "the admissions failed"
kill -TERM "$pid"; wait "$pid" || fail "the webhook did not stop cleanly"; pid=""
[ -s "$app/app.aot" ] || fail "no AOT cache written"
echo "training: $app/app.aot, $(wc -c <"$app/app.aot") bytes"
