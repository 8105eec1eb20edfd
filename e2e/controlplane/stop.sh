#!/usr/bin/env bash
# Stops what start.sh started in DIR, by the pids it recorded:
#
#   stop.sh DIR [all|apiserver|etcd]     (default: all)
#
# SIGTERM, then SIGKILL after 20 s; then checks that nothing listens on the
# ports any more. Stopping something that is not running is not an error.
# DIR is kept (logs, certificates, etcd data) for a later start.sh or a post-mortem.
set -euo pipefail

log() { echo "[controlplane stop] $*" >&2; }
die() { log "error: $*"; exit 1; }

[[ $# -ge 1 && $# -le 2 ]] || die "usage: $0 DIR [all|apiserver|etcd]"
dir="$1"
what="${2:-all}"
[[ -f "$dir/env" ]] || { log "$dir/env not found: nothing was started there"; exit 0; }
# shellcheck source=/dev/null
source "$dir/env"

listening() { [[ -n "$(ss -Htln "sport = :$1" 2>/dev/null)" ]]; }

stop() { # name port...
  local name="$1" pidfile="$dir/$1.pid" pid
  shift
  if [[ -f "$pidfile" ]]; then
    pid="$(cat "$pidfile")"
    if kill -0 "$pid" 2>/dev/null; then
      log "stopping $name (pid $pid)"
      kill -TERM "$pid" 2>/dev/null || true
      local deadline=$((SECONDS + 20))
      while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
      if kill -0 "$pid" 2>/dev/null; then
        log "$name did not stop within 20 s: SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
        sleep 0.5
      fi
    fi
    rm -f "$pidfile"
  fi
  local port
  for port in "$@"; do
    # A socket can linger a moment after its process is gone.
    local deadline=$((SECONDS + 5))
    while listening "$port" && ((SECONDS < deadline)); do sleep 0.2; done
    if listening "$port"; then
      die "something still listens on port $port after stopping $name: $(ss -Htlnp "sport = :$port" 2>/dev/null)"
    fi
  done
}

case "$what" in
  apiserver) stop kube-apiserver "$APISERVER_PORT" ;;
  etcd) stop etcd "$ETCD_CLIENT_PORT" "$ETCD_PEER_PORT" ;;
  all)
    # The API server first: it would otherwise log etcd errors while it shuts down.
    stop kube-apiserver "$APISERVER_PORT"
    stop etcd "$ETCD_CLIENT_PORT" "$ETCD_PEER_PORT"
    ;;
  *) die "unknown target '$what' (all, apiserver or etcd)" ;;
esac
log "stopped $what"
