#!/usr/bin/env bash
# The benchmark suite in one command (bench/README.md):
#
#   bench/run.sh                 full run, about 15 minutes; results in target/bench/<time>/
#   bench/run.sh --smoke         every step at a tiny scale, about a minute (BenchSmokeIT runs it)
#   bench/run.sh --out DIR       results somewhere else
#   bench/run.sh --no-build      use the jar already in target/ (after ./mvnw package)
#   bench/run.sh side-by-side [--out DIR] [--smoke] {go|jvm|native}...
#                                the webhooks side by side against one kube-apiserver, with ratios
#                                against the Go webhook (bench/side-by-side.sh, which it runs)
#
# Needs Java 17, Go (bench/loadgen) and h2load (Debian nghttp2-client). Everything runs on this
# machine: the webhook with the JVM flags of deploy/components/jvm (heap 80 MiB, a quarter of the
# 320 MiB limit), the load generators beside it on the same cores. Run it on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh

if [ "${1:-}" = side-by-side ]; then
  shift
  exec bash bench/side-by-side.sh "$@"
fi

smoke=false
build=true
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) smoke=true ;;
    --no-build) build=false ;;
    --out) out="$2"; shift ;;
    *) echo "usage: bench/run.sh [--smoke] [--no-build] [--out DIR] | bench/run.sh side-by-side [--out DIR] [--smoke] SUBJECT..." >&2; exit 2 ;;
  esac
  shift
done
out=${out:-target/bench/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out/raw"
out=$(cd "$out" && pwd)
raw=$out/raw
rm -f "$raw"/*

for tool in java go h2load curl; do
  command -v $tool >/dev/null || { echo "bench: $tool is needed (h2load: apt-get install nghttp2-client)" >&2; exit 2; }
done

if $smoke; then
  SATURATION_N=2000 WARMUP_N=2000 RATES="200" RATE_SECONDS=2 WARMUP_SECONDS=1 STARTUPS=1 IDLE_SECONDS=1
  CACHE_SIZES="10000"
else
  SATURATION_N=${SATURATION_N:-100000} WARMUP_N=${WARMUP_N:-200000} RATES=${RATES:-"500 1000 2000"}
  RATE_SECONDS=${RATE_SECONDS:-30} WARMUP_SECONDS=${WARMUP_SECONDS:-10} STARTUPS=${STARTUPS:-5}
  IDLE_SECONDS=${IDLE_SECONDS:-20} CACHE_SIZES=${CACHE_SIZES:-"10000 100000"}
fi

# The JVM flags of deploy/components/jvm; -XX:MaxRAM from its limit makes the JVM size its initial
# heap as it would in the container (a 64th of the limit; on this host it would start larger).
JAVA_OPTS=${BENCH_JAVA_OPTS:-$(shipped_java_opts)}
port=${BENCH_PORT:-18443}
metrics_port=${BENCH_METRICS_PORT:-19999}
url=https://127.0.0.1:$port/mutate

log() { printf '%s bench: %s\n' "$(date -u +%H:%M:%S)" "$*" | tee -a "$raw/run.log" >&2; }

if $build; then
  log "building the webhook (./mvnw package)"
  ./mvnw -B -q package -DskipTests >"$raw/build.txt" 2>&1 || { cat "$raw/build.txt" >&2; exit 1; }
fi
[ -f target/quarkus-app/quarkus-run.jar ] || { echo "bench: target/quarkus-app/quarkus-run.jar missing; run without --no-build" >&2; exit 1; }
log "building bench/loadgen"
(cd bench/loadgen && go build -o "$out/loadgen" .)
loadgen=$out/loadgen
"$loadgen" corpus -out "$out/corpus" >"$raw/corpus.txt"
corpus=$out/corpus

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (with local changes)')"
  echo "cpu: $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
  echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "kernel: $(uname -r)"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "go: $(go version)"
  echo "h2load: $(h2load --version | head -1)"
  echo "JAVA_OPTS: $JAVA_OPTS"
  echo "smoke: $smoke"
} >"$raw/machine.txt"

pid=""
trap stop_pid EXIT

# Starts the webhook in standalone mode on the corpus' ServiceAccounts; prints ms to /readyz 200.
start_webhook() {
  stop_pid
  local started
  started=$(date +%s%N)
  # shellcheck disable=SC2086
  java $JAVA_OPTS -jar target/quarkus-app/quarkus-run.jar --objects-file="$corpus/objects.yaml" \
    --self-signed-cert-dir="$out/certs" --port=$port --metrics-port=$metrics_port >>"$raw/webhook.log" 2>&1 &
  pid=$!
  for _ in $(seq 3000); do
    if curl -sfk -o /dev/null "https://127.0.0.1:$port/readyz"; then
      echo $(( ($(date +%s%N) - started) / 1000000 ))
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || { echo "bench: the webhook exited; see $raw/webhook.log" >&2; return 1; }
    sleep 0.01
  done
  echo "bench: the webhook was not ready after 30 s" >&2
  return 1
}

rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
hwm_kb() { awk '/VmHWM/ {print $2}' "/proc/$pid/status"; }

# --- startup and idle memory -------------------------------------------------------------------
log "startup: $STARTUPS start(s) to /readyz"
: >"$raw/startup.txt"
for _ in $(seq "$STARTUPS"); do
  start_webhook >>"$raw/startup.txt"
done
startup_ms=$(sort -n "$raw/startup.txt" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
sleep "$IDLE_SECONDS"
idle_rss=$(rss_kb)
log "startup median ${startup_ms} ms; idle RSS $((idle_rss / 1024)) MiB after ${IDLE_SECONDS}s"

h2() { # h2load with the corpus file $1, then its other arguments; raw output to $raw/h2load-<label>.txt
  local body=$1 label=$2; shift 2
  h2load "$@" -H 'Content-Type: application/json' -d "$corpus/$body.json" "$url" >"$raw/h2load-$label.txt" 2>&1
  # Every request must have been answered 200.
  if ! awk '/^requests:/ {total=$2} /^status codes:/ {ok=$3} END {exit !(total > 0 && total == ok)}' "$raw/h2load-$label.txt"; then
    echo "bench: h2load $label: not every request was answered 2xx:" >&2; cat "$raw/h2load-$label.txt" >&2; return 1
  fi
  awk '/^finished in/ {print $4}' "$raw/h2load-$label.txt"
}

# --- saturation (closed loop, h2load) ------------------------------------------------------------
log "JIT warm-up: $WARMUP_N requests"
h2 typical warmup -n "$WARMUP_N" -c 4 -m 16 >/dev/null
declare -A sat
sat_runs=(
  "typical h2-c1-m32 -c 1 -m 32"
  "typical h2-c4-m16 -c 4 -m 16"
  "typical h1-c64 --h1 -c 64"
  "large h2-c4-m16 -c 4 -m 16"
  "no-change h2-c4-m16 -c 4 -m 16"
  "missing-sa h2-c4-m16 -c 4 -m 16"
)
for run in "${sat_runs[@]}"; do
  read -r body label args <<<"$run"
  log "saturation: $body $label"
  # shellcheck disable=SC2086
  sat["$body $label"]=$(h2 "$body" "$body-$label" -n "$SATURATION_N" $args)
done
log "saturation: near-limit h2-c1-m4"
sat["near-limit h2-c1-m4"]=$(h2 near-limit near-limit-h2-c1-m4 -n $(( SATURATION_N / 200 + 10 )) -c 1 -m 4)
load_hwm=$(hwm_kb)

# --- latency at fixed rates (open loop, loadgen: Go's HTTP/2 client, as kube-apiserver) ----------
: >"$out/latency.jsonl"
lat() { # corpus rate extra-args...
  local body=$1 rate=$2; shift 2
  log "latency: $body at $rate/s $*"
  "$loadgen" run -url "$url" -body "$corpus/$body.json" -rate "$rate" -duration "${RATE_SECONDS}s" \
    -warmup "${WARMUP_SECONDS}s" -cacert "$out/certs/ca.crt" -json "$out/latency.jsonl" "$@" >>"$raw/loadgen.txt" 2>&1 && return 0
  # A full run goes on (the errors are in the table); the smoke run must be clean.
  if $smoke; then cat "$raw/loadgen.txt" >&2; exit 1; fi
  log "latency: $body at $rate/s had errors (see raw/loadgen.txt)"
  kill -0 "$pid" 2>/dev/null || { log "the webhook died; restarting it"; start_webhook >/dev/null; h2 typical rewarm -n "$WARMUP_N" -c 4 -m 16 >/dev/null; }
}
under_load_rate=$(echo "$RATES" | awk '{r=$1; for (i=1; i<=NF; i++) if ($i <= 2000) r=$i; print r}')
for rate in $RATES; do
  if [ "$rate" = "$under_load_rate" ]; then
    # RSS sampled halfway through the measured part of this run.
    ( sleep $(( WARMUP_SECONDS + RATE_SECONDS / 2 )); rss_kb >"$raw/rss-under-load.txt" ) &
    sampler=$!
    lat typical "$rate"
    wait $sampler
  else
    lat typical "$rate"
  fi
done
under_load_rss=$(cat "$raw/rss-under-load.txt")
lat typical "$under_load_rate" -h1
for body in large no-change missing-sa; do
  lat "$body" "$(echo "$RATES" | awk '{print $1}')"
done
lat near-limit 20
load_hwm=$(( $(hwm_kb) > load_hwm ? $(hwm_kb) : load_hwm ))
after_rss=$(rss_kb)
stop_pid

# --- JMH: the mutation and the admission path without HTTP --------------------------------------
log "JMH"
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$out/classpath.txt" >"$raw/classpath.txt" 2>&1
if [ ! -f target/test-classes/META-INF/BenchmarkList ]; then
  ./mvnw -B -q test-compile >>"$raw/classpath.txt" 2>&1
fi
cp="target/test-classes:target/classes:$(cat "$out/classpath.txt")"
if $smoke; then jmh_args=(-f 1 -wi 1 -w 200ms -i 1 -r 200ms -p pod=typical); else jmh_args=(-f 1 -wi 5 -w 2s -i 5 -r 2s); fi
java -Dbench.corpus="$corpus" -cp "$cp" org.openjdk.jmh.Main AdmissionBenchmark "${jmh_args[@]}" -rf json -rff "$out/jmh.json" >"$raw/jmh.txt" 2>&1
grep -A20 '^Benchmark ' "$raw/jmh.txt" >"$out/jmh-table.txt"

# --- ServiceAccount cache memory (the informer's store) ------------------------------------------
log "cache memory: $CACHE_SIZES"
mkdir -p "$out/cache-classes"
javac -cp "$cp" -d "$out/cache-classes" bench/CacheMemory.java
: >"$raw/cache.txt"
for n in $CACHE_SIZES; do
  java -XX:+UseSerialGC -Xmx2g -cp "$out/cache-classes:$cp" CacheMemory "$n" | tee -a "$raw/cache.txt" >/dev/null
done

# --- summary ------------------------------------------------------------------------------------
{
  echo "# Benchmark run"
  echo
  echo '```'
  cat "$raw/machine.txt"
  echo '```'
  echo
  echo "| measure | value |"
  echo "|---|---|"
  echo "| start to /readyz 200 (median of $STARTUPS) | $startup_ms ms |"
  echo "| RSS idle (${IDLE_SECONDS} s after ready) | $((idle_rss / 1024)) MiB |"
  echo "| RSS under load (typical pod, HTTP/2, $under_load_rate req/s) | $((under_load_rss / 1024)) MiB |"
  echo "| RSS after all load / peak (VmHWM) | $((after_rss / 1024)) MiB / $((load_hwm / 1024)) MiB |"
  echo
  echo "Saturation (h2load, closed loop, $SATURATION_N requests each):"
  echo
  echo "| pod | connections | req/s |"
  echo "|---|---|---|"
  for key in "typical h2-c1-m32" "typical h2-c4-m16" "typical h1-c64" "large h2-c4-m16" "no-change h2-c4-m16" "missing-sa h2-c4-m16" "near-limit h2-c1-m4"; do
    echo "| ${key% *} | ${key#* } | ${sat[$key]} |"
  done
  echo
  echo "Latency at fixed rates (loadgen, open loop, ${RATE_SECONDS} s each after ${WARMUP_SECONDS} s warm-up; ms from when each request was due):"
  echo
  echo "| pod | protocol | rate | p50 | p90 | p99 | p99.9 | max | errors |"
  echo "|---|---|---|---|---|---|---|---|---|"
  sed -E 's/.*"body":"[^"]*\/([a-z-]+)\.json","protocol":"([^"]*)".*"rate":([0-9]+).*"errors":([0-9]+).*"p50_ms":([0-9.]+),"p90_ms":([0-9.]+),"p99_ms":([0-9.]+),"p999_ms":([0-9.]+),"max_ms":([0-9.]+).*/\1 \2 \3 \5 \6 \7 \8 \9 \4/' "$out/latency.jsonl" \
    | awk '{printf "| %s | %s | %s | %.2f | %.2f | %.2f | %.2f | %.2f | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9}'
  echo
  echo "JMH (µs per operation):"
  echo
  echo '```'
  cat "$out/jmh-table.txt"
  echo '```'
  echo
  echo "ServiceAccount cache:"
  echo
  echo '```'
  cat "$raw/cache.txt"
  echo '```'
  echo
  echo "Raw output: $raw/"
} >"$out/summary.md"
log "done: $out/summary.md"
cat "$out/summary.md"
