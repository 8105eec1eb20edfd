# shellcheck shell=bash
# Shared by bench/run.sh and bench/side-by-side.sh (sourced).

# Stops the process in $pid: SIGTERM, up to 10 s for it to exit, then SIGKILL; empties $pid.
stop_pid() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  pid=""
}

# The memory limit of the Deployment's container as -XX:MaxRAM ("192Mi" -> -XX:MaxRAM=192m): the
# JVM and the native executable size their heaps from it as they would in that container.
# $1: deploy/base/deployment.yaml or deploy/components/jvm/kustomization.yaml.
shipped_max_ram() {
  awk '/limits:/ {l = 1; next} l && /memory:/ {sub(/Mi$/, "m", $2); print "-XX:MaxRAM=" $2; exit}' "$1"
}

# deploy/components/jvm's JAVA_OPTS with its limit, so that the benchmarks run the shipped flags.
shipped_java_opts() {
  local component=deploy/components/jvm/kustomization.yaml
  echo "$(shipped_max_ram "$component") $(awk '/name: JAVA_OPTS/ {j = 1; next}
    j && /value: >-/ {v = 1; next}
    v && /^ *-/ {sub(/^ +/, ""); printf "%s ", $0; next}
    v {exit}' "$component" | sed 's/ $//')"
}
