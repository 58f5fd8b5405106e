#!/usr/bin/env bash
# Stops Shouwang's local infrastructure started by infra/local/up.sh.
#
# Usage: infra/local/down.sh [kafka|ferretdb|redis ...]    (no argument: all three)
# Graceful: SIGTERM (Redis: SHUTDOWN NOSAVE), a bounded wait ($SHOUWANG_STOP_TIMEOUT, default 60 s),
# then SIGKILL. Pid files are removed; data under $SHOUWANG_LOCAL_DIR/data is kept.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

usage() {
  cat <<EOF
Usage: $0 [kafka|ferretdb|redis ...]
Stops the local infrastructure (no argument: all). Data in $DATA_DIR is kept;
to start from scratch afterwards: rm -rf "$SHOUWANG_LOCAL_DIR".
EOF
}

stop_component() {
  local name=$1 pid port t0
  port=$(component_port "$name")
  t0=$(now)
  if ! pid=$(component_pid "$name"); then
    remove_stale_pid_file "$name"
    if port_open "$port"; then
      warn "$name: no process started by these scripts, but 127.0.0.1:$port answers: left alone (another SHOUWANG_LOCAL_DIR, or a foreign process)"
    else
      log "$name: not running"
    fi
    return 0
  fi
  log "$name: stopping pid $pid (127.0.0.1:$port)"
  if [[ $name == redis ]] && command -v redis-cli >/dev/null 2>&1; then
    # SHUTDOWN NOSAVE: nothing is persisted anyway (--save '' --appendonly no)
    timeout 5 redis-cli -h 127.0.0.1 -p "$port" shutdown nosave >/dev/null 2>&1 || true

    for _ in $(seq 1 50); do
      pid_running "$pid" || break
      sleep 0.1
    done
  fi
  if pid_running "$pid"; then
    stop_pid "$name" "$pid"
  fi
  rm -f "$(pid_file "$name")"
  log "$name: stopped in $(($(now) - t0))s"
}

main() {
  local components c rc=0
  components=$(parse_components "$@") || rc=$?
  if ((rc == 2)); then
    usage
    exit 0
  elif ((rc != 0)); then
    exit "$rc"
  fi
  mapfile -t COMPONENTS <<<"$components"
  take_lock
  log "down: ${COMPONENTS[*]} (local dir $SHOUWANG_LOCAL_DIR)"
  for c in "${COMPONENTS[@]}"; do
    stop_component "$c"
  done
}

main "$@"
