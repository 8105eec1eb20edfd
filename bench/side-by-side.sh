#!/usr/bin/env bash
# Webhooks side by side, in one run, on the same machine and the same inputs (bench/README.md):
#
#   bench/side-by-side.sh [--out DIR] [--smoke] SUBJECT...
#
# SUBJECT is one of
#   jvm      the packaged jar (target/quarkus-app) with deploy/components/jvm's JVM flags
#   native   the native executable (PIW_NATIVE_EXECUTABLE, default the one
#            native/native-check.sh --link wrote) with -XX:MaxRAM set to deploy/base's memory
#            limit: it sizes its heap as in that container (on this host it would take 80 % of
#            24 GiB)
#   go       the Go amazon-eks-pod-identity-webhook, the binary at GO_WEBHOOK (built by you from
#            its source; this repository carries neither its code nor a script for it)
#   native-NAME=PATH
#            another native executable, as `native` but from PATH, reported as native-NAME: builds
#            with different options compared in one run (e.g. native-pie=/tmp/old/webhook)
#   jvm-NAME=DIR
#            another packaged jar, as `jvm` but the quarkus-app directory DIR, reported as jvm-NAME
#            (e.g. jvm-base=/tmp/old/quarkus-app, a copy of an earlier commit's target/quarkus-app).
#            When DIR holds app.aot (the JVM image's AOT cache, native/aot/train.sh), it runs as the
#            image does: on JDK 25 (BENCH_AOT_JAVA, default $JAVA25/bin/java) with -XX:AOTCache
#
# Every subject is fed by the same kube-apiserver and etcd (e2e/controlplane) holding 2,001
# ServiceAccounts, serves TLS with the same certificate, and answers the same AdmissionReviews
# (bench/loadgen corpus). One subject runs at a time; the load generators share the cores.
# Measured per subject:
#   - start to the first mutated answer (the process started, until /mutate returns a patch): in
#     START_ROUNDS rounds first, each subject started once per round, in turn, and stopped (median
#     and range), then once more for the measures below;
#   - RSS idle, under load (halfway through the highest fixed rate) and after the load, VmHWM;
#     after the load, the RSS by mapping (raw/SUBJECT-rss-by-mapping.txt);
#   - saturation: h2load over HTTP/2, 4 connections x 16 streams, median of 3;
#   - latency at fixed rates, open loop, Go's HTTP/2 client (as kube-apiserver): p50, p99, max,
#     and every answer that was not 200 with the expected patch;
#   - jvm subjects only: the GC log (raw/SUBJECT-gc.log), the full collections after the first mutated answer
#     (the startup's own are counted apart), and, once everything else is measured, the live heap's
#     top classes (raw/SUBJECT-histogram.txt; jcmd's histogram collects first).
# Results: DIR/summary.md (tables; when `go` ran, each measure also as a ratio against it),
# DIR/results.jsonl and DIR/latency-SUBJECT.jsonl, raw output in DIR/raw.
#
# env: RATES ("1000 2000"), RATE_SECONDS (30), WARMUP_SECONDS (10), SATURATION_N (100000),
#      IDLE_SECONDS (10), START_ROUNDS (8), BENCH_JAVA_OPTS (deploy/components/jvm's flags; with
#      -XX:NativeMemoryTracking=summary, raw/SUBJECT-nmt.txt gets the JVM's memory by area after the
#      load), BENCH_NATIVE_OPTS, BENCH_AOT_JAVA
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh

out="" smoke=false subjects=()
declare -A executables=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift ;;
    --smoke) smoke=true ;;
    jvm | native | go) subjects+=("$1") ;;
    native-*=* | jvm-*=*) subjects+=("${1%%=*}"); executables[${1%%=*}]=${1#*=} ;;
    *) echo "usage: bench/side-by-side.sh [--out DIR] [--smoke] {jvm|native|native-NAME=PATH|jvm-NAME=DIR|go}..." >&2; exit 2 ;;
  esac
  shift
done
[ ${#subjects[@]} -gt 0 ] || { echo "bench: name at least one subject: jvm, native, go" >&2; exit 2; }
if $smoke; then
  RATES=${RATES:-200} RATE_SECONDS=${RATE_SECONDS:-2} WARMUP_SECONDS=${WARMUP_SECONDS:-1}
  SATURATION_N=${SATURATION_N:-2000} IDLE_SECONDS=${IDLE_SECONDS:-1} START_ROUNDS=${START_ROUNDS:-1}
else
  RATES=${RATES:-"1000 2000"} RATE_SECONDS=${RATE_SECONDS:-30} WARMUP_SECONDS=${WARMUP_SECONDS:-10}
  SATURATION_N=${SATURATION_N:-100000} IDLE_SECONDS=${IDLE_SECONDS:-10} START_ROUNDS=${START_ROUNDS:-8}
fi
JAVA_OPTS=${BENCH_JAVA_OPTS:-$(shipped_java_opts)}
NATIVE_OPTS=${BENCH_NATIVE_OPTS:-$(shipped_max_ram deploy/base/deployment.yaml)}
native_exe=${PIW_NATIVE_EXECUTABLE:-$(find target/native-check/out -maxdepth 1 -name '*-runner' -type f 2>/dev/null | head -1)}
executables[native]=$native_exe
executables[jvm]=target/quarkus-app
# The JVM of jvm subjects whose DIR holds an AOT cache (the JVM image's JDK 25).
aot_java=${BENCH_AOT_JAVA:-${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java}

for tool in go h2load curl openssl python3; do
  command -v $tool >/dev/null || { echo "bench: $tool is needed" >&2; exit 2; }
done
for s in "${subjects[@]}"; do
  case $s in
    jvm) [ -f target/quarkus-app/quarkus-run.jar ] || { echo "bench: jvm: no target/quarkus-app/quarkus-run.jar (./mvnw package)" >&2; exit 2; } ;;
    jvm-*) [ -f "${executables[$s]}/quarkus-run.jar" ] || { echo "bench: $s: no ${executables[$s]}/quarkus-run.jar" >&2; exit 2; } ;;
    native) [ -x "$native_exe" ] || { echo "bench: native: no executable (native/native-check.sh --link, or PIW_NATIVE_EXECUTABLE)" >&2; exit 2; } ;;
    native-*) [ -x "${executables[$s]}" ] || { echo "bench: $s: ${executables[$s]} is not an executable" >&2; exit 2; } ;;
    go) [ -x "${GO_WEBHOOK:-}" ] || { echo "bench: go: set GO_WEBHOOK to the Go webhook's binary" >&2; exit 2; } ;;
  esac
done

out=${out:-target/bench/side-by-side-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out/raw"
out=$(cd "$out" && pwd)
raw=$out/raw
log() { printf '%s side-by-side: %s\n' "$(date -u +%H:%M:%S)" "$*" | tee -a "$raw/run.log" >&2; }

(cd bench/loadgen && go build -o "$out/loadgen" .)
loadgen=$out/loadgen
"$loadgen" corpus -out "$out/corpus" >"$raw/corpus.txt"
corpus=$out/corpus

# --- the shared API server, with the corpus' namespaces and ServiceAccounts ----------------------
cluster=$out/cluster
pid=""
stop_all() {
  stop_pid
  e2e/controlplane/stop.sh "$cluster" >/dev/null 2>&1 || true
}
trap stop_all EXIT
log "control plane (e2e/controlplane)"
e2e/controlplane/start.sh "$cluster" >"$raw/controlplane.txt" 2>&1 || { cat "$raw/controlplane.txt" >&2; exit 1; }
# shellcheck disable=SC1091
. "$cluster/env"
kubectl() { "$KUBECTL" --kubeconfig "$KUBECONFIG" "$@"; }
sed -n 's/^  namespace: //p' "$corpus/objects.yaml" | sort -u | sed 's/^/apiVersion: v1\nkind: Namespace\nmetadata:\n  name: /; s/$/\n---/' >"$out/namespaces.yaml"
kubectl apply -f "$out/namespaces.yaml" >"$raw/apply.txt"
kubectl apply --server-side -f "$corpus/objects.yaml" >>"$raw/apply.txt"
sa_count=$(kubectl get serviceaccounts -A --no-headers | awk '$2 != "default"' | wc -l)
log "API server $APISERVER_URL: $sa_count ServiceAccounts besides the default ones"
# Every subject connects as a deployed webhook does: as its ServiceAccount, with deploy/base's
# RBAC and a bearer token (kubectl create token, as kubelet projects one), not with the admin's
# client certificate (a client key costs a Java client a PKCS#12 keystore at startup, which
# in-cluster webhooks never build). This project's subjects find the API server as in a pod, with
# no --kubeconfig: KUBERNETES_SERVICE_HOST/PORT, the token file and the CA (fabric8 takes the
# latter two's paths from its KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN and KUBERNETES_CERTS_CA_FILE),
# which is also the path the JVM image's AOT cache was trained on (native/aot/train.sh). The Go
# webhook's in-cluster loader reads the token at a fixed path under /var/run/secrets, so it gets
# the same server, token and CA in a kubeconfig.
kubectl create namespace pod-identity-webhook >>"$raw/apply.txt"
kubectl apply -n pod-identity-webhook -f deploy/base/rbac.yaml >>"$raw/apply.txt"
token=$(kubectl create token pod-identity-webhook -n pod-identity-webhook --duration=12h)
printf %s "$token" >"$out/token"
webhook_kubeconfig=$out/webhook.kubeconfig
"$KUBECTL" config --kubeconfig="$webhook_kubeconfig" set-cluster bench --server="$APISERVER_URL" \
  --certificate-authority="$CONTROLPLANE_DIR/pki/ca.crt" --embed-certs=true >/dev/null
"$KUBECTL" config --kubeconfig="$webhook_kubeconfig" set-credentials pod-identity-webhook --token="$token" >/dev/null
"$KUBECTL" config --kubeconfig="$webhook_kubeconfig" set-context bench --cluster=bench --user=pod-identity-webhook >/dev/null
"$KUBECTL" config --kubeconfig="$webhook_kubeconfig" use-context bench >/dev/null
apiserver_host=${APISERVER_URL#https://}
in_cluster=(KUBERNETES_SERVICE_HOST="${apiserver_host%:*}" KUBERNETES_SERVICE_PORT="$APISERVER_PORT" KUBERNETES_AUTH_TRYKUBECONFIG=false
  KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN="$out/token" KUBERNETES_CERTS_CA_FILE="$CONTROLPLANE_DIR/pki/ca.crt")

# --- one serving certificate for all -----------------------------------------------------------
certs=$out/certs
mkdir -p "$certs"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=bench-ca -keyout "$certs/ca.key" -out "$certs/ca.crt" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout "$certs/tls.key" -out "$certs/tls.csr" 2>/dev/null
openssl x509 -req -in "$certs/tls.csr" -CA "$certs/ca.crt" -CAkey "$certs/ca.key" -CAcreateserial -days 2 \
  -extfile <(printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth') -out "$certs/tls.crt" 2>/dev/null

port=${BENCH_PORT:-18443}
metrics_port=${BENCH_METRICS_PORT:-19999}
url=https://127.0.0.1:$port/mutate
flags=(--in-cluster=false --namespace=default --tls-cert="$certs/tls.crt" --tls-key="$certs/tls.key" --port="$port"
  --metrics-port="$metrics_port")

launch() { # subject
  # shellcheck disable=SC2086
  case $1 in
    jvm*)
      local java=java aot=""
      if [ -f "${executables[$1]}/app.aot" ]; then
        java=$aot_java
        aot=-XX:AOTCache=${executables[$1]}/app.aot
      fi
      exec env "${in_cluster[@]}" "$java" $JAVA_OPTS $aot -Xlog:gc:file="$raw/$1-gc.log":uptime \
        -jar "${executables[$1]}/quarkus-run.jar" "${flags[@]}" ;;
    native*) exec env "${in_cluster[@]}" "${executables[$1]}" $NATIVE_OPTS "${flags[@]}" ;;
    go) exec "$GO_WEBHOOK" --kubeconfig="$webhook_kubeconfig" "${flags[@]}" ;;
  esac
}

rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
hwm_kb() { awk '/VmHWM/ {print $2}' "/proc/$pid/status"; }

# Starts the subject (pid) and waits for its first mutated answer (first_ms).
start_subject() { # subject log
  local started
  started=$(date +%s%N)
  launch "$1" >"$2" 2>&1 &
  pid=$!
  first_ms=""
  for _ in $(seq 6000); do
    answer=$(curl -s --cacert "$certs/ca.crt" -H 'Content-Type: application/json' --data-binary "@$corpus/typical.json" "$url" 2>/dev/null || true)
    if [[ "$answer" == *'"patch"'* ]]; then
      first_ms=$(( ($(date +%s%N) - started) / 1000000 ))
      return
    fi
    kill -0 "$pid" 2>/dev/null || { log "$1 exited; see $2"; exit 1; }
    sleep 0.005
  done
  log "$1: no mutated answer within 60 s"
  exit 1
}

# Start times spread from one start to the next as much as they differ between subjects, so they
# are compared over rounds in which every subject starts once, in turn (START_ROUNDS).
starts=$out/starts.jsonl
: >"$starts"
for round in $(seq "$START_ROUNDS"); do
  for subject in "${subjects[@]}"; do
    start_subject "$subject" "$raw/$subject-start-$round.log"
    printf '{"subject":"%s","round":%s,"ms":%s}\n' "$subject" "$round" "$first_ms" >>"$starts"
    stop_pid
  done
  log "start round $round: $(awk -v r="$round" -F'[:,}]' '$4 == r {gsub(/"/, "", $2); printf "%s %s ms  ", $2, $6}' "$starts")"
done

results=$out/results.jsonl
: >"$results"
for subject in "${subjects[@]}"; do
  log "$subject: start"
  start_subject "$subject" "$raw/$subject.log"
  sleep "$IDLE_SECONDS"
  idle=$(rss_kb)
  log "$subject: first mutated answer after $first_ms ms; idle RSS $((idle / 1024)) MiB"

  h2load -n "$SATURATION_N" -c 4 -m 16 -H 'Content-Type: application/json' -d "$corpus/typical.json" "$url" >"$raw/$subject-warmup.txt" 2>&1
  saturation=()
  for i in 1 2 3; do
    h2load -n "$SATURATION_N" -c 4 -m 16 -H 'Content-Type: application/json' -d "$corpus/typical.json" "$url" >"$raw/$subject-h2load-$i.txt" 2>&1
    saturation+=("$(awk '/^finished in/ {print $4}' "$raw/$subject-h2load-$i.txt")")
    awk -v s="$subject" '/^requests:/ {t=$2} /^status codes:/ {ok=$3} END {if (t != ok) printf "side-by-side: %s h2load: %d of %d not 2xx\n", s, t-ok, t > "/dev/stderr"}' "$raw/$subject-h2load-$i.txt"
  done
  log "$subject: saturation ${saturation[*]} req/s"

  top_rate=$(echo "$RATES" | awk '{print $NF}')
  for rate in $RATES; do
    if [ "$rate" = "$top_rate" ]; then
      ( sleep $(( WARMUP_SECONDS + RATE_SECONDS / 2 )); rss_kb >"$raw/$subject-rss-under-load.txt" ) &
      sampler=$!
    fi
    "$loadgen" run -url "$url" -body "$corpus/typical.json" -rate "$rate" -duration "${RATE_SECONDS}s" \
      -warmup "${WARMUP_SECONDS}s" -cacert "$certs/ca.crt" -json "$out/latency-$subject.jsonl" \
      >>"$raw/$subject-loadgen.txt" 2>&1 || log "$subject at $rate/s: wrong or missing answers (raw/$subject-loadgen.txt)"
    kill -0 "$pid" 2>/dev/null || { log "$subject died under load"; exit 1; }
  done
  wait "$sampler"
  loaded=$(cat "$raw/$subject-rss-under-load.txt")
  sleep "$IDLE_SECONDS"
  after=$(rss_kb)
  peak=$(hwm_kb)
  # Where the RSS after the load lives: each mapping's resident KiB, largest first (the
  # executable's text and image heap are file-backed; the collected heap and malloc are anonymous).
  awk '/^[0-9a-f]+-[0-9a-f]+ / {name = ($6 == "" ? "[anon]" : $6)} /^Rss:/ {rss[name] += $2}
    END {for (n in rss) if (rss[n] > 0) printf "%8d KiB  %s\n", rss[n], n}' "/proc/$pid/smaps" | sort -rn >"$raw/$subject-rss-by-mapping.txt"
  cat "/proc/$pid/smaps_rollup" >>"$raw/$subject-rss-by-mapping.txt" 2>/dev/null || true
  log "$subject: RSS under load $((loaded / 1024)) MiB, after $((after / 1024)) MiB, peak $((peak / 1024)) MiB"
  gc=""
  if [[ $subject == jvm* ]]; then
    # Uptime stamps: "[12.345s] GC(7) Pause Full (...)"; the first mutated answer came first_ms
    # after the launch, which is the JVM's uptime give or take its own start.
    read -r full_startup full_serving young < <(awk -v t="$first_ms" '
      /Pause Full/ {if (substr($1, 2) * 1000 <= t) startup++; else serving++}
      /Pause Young/ {young++}
      END {print startup + 0, serving + 0, young + 0}' "$raw/$subject-gc.log")
    if [[ "$JAVA_OPTS" == *NativeMemoryTracking* ]]; then
      # Where the RSS goes (heap, metaspace, code, threads, GC, Netty's direct memory as "Other").
      jcmd "$pid" VM.native_memory summary >"$raw/$subject-nmt.txt" 2>&1 || log "$subject: no native memory summary (jcmd)"
    fi
    jcmd "$pid" GC.class_histogram >"$raw/$subject-histogram.txt" 2>&1 || log "$subject: no class histogram (jcmd)"
    live_kb=$(awk '/^Total/ {print int($3 / 1024)}' "$raw/$subject-histogram.txt")
    log "$subject: full collections $full_serving while serving ($full_startup during startup), $young young; live heap after the load $((${live_kb:-0} / 1024)) MiB"
    gc=$(printf ',"full_gcs_serving":%s,"full_gcs_startup":%s,"young_gcs":%s,"live_heap_kb":%s' "$full_serving" "$full_startup" "$young" "${live_kb:-null}")
  fi
  printf '{"subject":"%s","first_mutation_ms":%s,"rss_idle_kb":%s,"rss_load_kb":%s,"rss_after_kb":%s,"rss_peak_kb":%s,"saturation":[%s]%s}\n' \
    "$subject" "$first_ms" "$idle" "$loaded" "$after" "$peak" "$(IFS=,; echo "${saturation[*]}")" "$gc" >>"$results"
  stop_pid
done

{
  cat <<EOF
# Side by side

\`\`\`
date: $(date -u +%Y-%m-%dT%H:%M:%SZ)
commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (with local changes)')
cpu: $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
API server: $APISERVER_URL, $sa_count ServiceAccounts
jvm: java $JAVA_OPTS ($(java -version 2>&1 | head -1))
jars: $(for s in "${subjects[@]}"; do [[ $s == jvm* ]] && printf '%s=%s%s ' "$s" "${executables[$s]}" "$([ -f "${executables[$s]}/app.aot" ] && echo " (AOT cache, $("$aot_java" -version 2>&1 | head -1))")"; done)
native: $(for s in "${subjects[@]}"; do [[ $s == native* ]] && printf '%s=%s ' "$s" "${executables[$s]}"; done)$NATIVE_OPTS
go: ${GO_WEBHOOK:-}
rates: $RATES req/s, $RATE_SECONDS s each after $WARMUP_SECONDS s warm-up; saturation $SATURATION_N requests x 3
\`\`\`

EOF
  python3 bench/side-by-side-summary.py "$out"
} >"$out/summary.md"
log "done: $out/summary.md"
cat "$out/summary.md"
