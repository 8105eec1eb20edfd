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
