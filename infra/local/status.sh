#!/usr/bin/env bash
# Shows which components of the local infrastructure run; exit 0 only when all asked for run and answer.
#
# Usage: infra/local/status.sh [kafka|ferretdb|redis ...]    (no argument: all three)
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

main() {
  local components c pid port rc=0 status=0
  components=$(parse_components "$@") || rc=$?
  if ((rc == 2)); then
    printf 'Usage: %s [kafka|ferretdb|redis ...]\n' "$0"
    exit 0
  elif ((rc != 0)); then
    exit "$rc"
  fi
  mapfile -t COMPONENTS <<<"$components"
  for c in "${COMPONENTS[@]}"; do
    port=$(component_port "$c")
    if pid=$(component_pid "$c"); then
      if port_open "$port"; then
        log "$c: running (pid $pid, 127.0.0.1:$port)"
      else
        log "$c: starting or hung (pid $pid, 127.0.0.1:$port not answering)"
        status=1
      fi
    elif port_open "$port"; then
      log "$c: not started by these scripts, but 127.0.0.1:$port answers"
      status=1
    else
      log "$c: stopped"
      status=1
    fi
  done
  log "local dir $SHOUWANG_LOCAL_DIR; connection settings: source infra/local/env.sh"
  exit "$status"
}

main "$@"
