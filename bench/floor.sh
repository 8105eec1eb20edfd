#!/usr/bin/env bash
# The JVM image's memory against the floor of its own stack (bench/RESULTS.md, stop 31):
#
#   bench/floor.sh [ROUNDS]
#
# Two subjects, started in turn ROUNDS times (default 2), each on the JVM image's JDK (JAVA25,
# default /usr/lib/jvm/temurin-25-jdk-amd64) with deploy/components/jvm's flags:
#   floor    bench/floor: Quarkus with the extensions the webhook serves with (HTTPS, HTTP/2, the
#            management interface, SmallRye Health, Micrometer's Prometheus registry) and one route
#            that answers /mutate with a fixed AdmissionReview. No Kubernetes client, no Jackson,
#            no code of the webhook.
#   webhook  target/quarkus-app, standalone on examples/objects.yaml (no Kubernetes client either).
# Each serves TLS with the same self-signed certificate and gets 30 s of h2load at 2,000 req/s
# (4 connections x 4 streams) with examples/review.json. Printed per start: RSS 5 s after the
# first answer, RSS 6 s after the load, VmHWM, and the answers that were not 2xx.
# Needs h2load, curl, openssl; builds bench/floor (./mvnw -f bench/floor/pom.xml package) and, when
# missing, the webhook (./mvnw package -DskipTests). Nothing else may load the cores meanwhile.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh

rounds=${1:-2}
java=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
port=18643 metrics_port=18644
for tool in h2load curl openssl "$java"; do
  command -v "$tool" >/dev/null || { echo "floor: $tool is needed" >&2; exit 2; }
done
work=$(mktemp -d)
pid=""
trap 'stop_pid; rm -rf "$work"' EXIT

./mvnw -B -q -f bench/floor/pom.xml package -DskipTests
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost -keyout "$work/tls.key" -out "$work/tls.crt" 2>/dev/null
read -r -a opts <<<"$(shipped_java_opts)"

rss() { awk -v k="$2:" '$1 == k {print int($2 / 1024)}' "/proc/$1/status"; }

measure() {
  local subject=$1 round=$2; shift 2
  "$java" "${opts[@]}" "$@" >"$work/$subject.log" 2>&1 &
  pid=$!
  local tries=0
  until curl -s --cacert "$work/tls.crt" -H 'Content-Type: application/json' --data-binary @examples/review.json \
      "https://localhost:$port/mutate" 2>/dev/null | grep -q '"patch"'; do
    kill -0 "$pid" 2>/dev/null || { echo "floor: $subject exited:" >&2; tail -20 "$work/$subject.log" >&2; exit 1; }
    tries=$((tries + 1)); [ "$tries" -le 600 ] || { echo "floor: $subject did not answer within 60 s" >&2; exit 1; }
    sleep 0.1
  done
  sleep 5
  local idle; idle=$(rss "$pid" VmRSS)
  h2load -D 30 -c 4 -m 4 --rps 500 -H 'Content-Type: application/json' -d examples/review.json \
    "https://localhost:$port/mutate" >"$work/$subject-h2load.txt" 2>&1
  sleep 6
  local after hwm failed
  after=$(rss "$pid" VmRSS) hwm=$(rss "$pid" VmHWM)
  failed=$(awk '/^requests:/ {t = $2} /^status codes:/ {ok = $3} END {print t - ok}' "$work/$subject-h2load.txt")
  stop_pid
  printf '| %s | %s | %s MiB | %s MiB | %s MiB | %s |\n' "$subject" "$round" "$idle" "$after" "$hwm" "$failed"
}

echo "java: $("$java" -version 2>&1 | head -1); flags: ${opts[*]}"
echo
echo "| subject | round | RSS idle | RSS after the load | VmHWM | not 2xx |"
echo "|---|---|---|---|---|---|"
for round in $(seq "$rounds"); do
  measure floor "$round" -Dquarkus.http.ssl-port=$port -Dquarkus.management.port=$metrics_port \
    -Dquarkus.tls.webhook.key-store.pem.0.cert="$work/tls.crt" -Dquarkus.tls.webhook.key-store.pem.0.key="$work/tls.key" \
    -jar bench/floor/target/quarkus-app/quarkus-run.jar
  measure webhook "$round" -jar target/quarkus-app/quarkus-run.jar --objects-file=examples/objects.yaml \
    --tls-cert="$work/tls.crt" --tls-key="$work/tls.key" --port=$port --metrics-port=$metrics_port
done
