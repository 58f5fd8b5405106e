# shellcheck shell=bash
# Helpers shared by infra/local/up.sh, down.sh and status.sh. Sourced, never executed.

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# shellcheck source-path=SCRIPTDIR source=env.sh
. "$INFRA_DIR/env.sh"

# shellcheck disable=SC2034 # used by the scripts that source this file
readonly KAFKA_VERSION=4.1.1 FERRETDB_VERSION=1.24.2
readonly ALL_COMPONENTS=(kafka ferretdb redis)

# Bounds of every wait, in seconds.
WAIT_TIMEOUT="${SHOUWANG_WAIT_TIMEOUT:-120}"
STOP_TIMEOUT="${SHOUWANG_STOP_TIMEOUT:-60}"

RUN_DIR="$SHOUWANG_LOCAL_DIR/run"
LOG_DIR="$SHOUWANG_LOCAL_DIR/logs"
DATA_DIR="$SHOUWANG_LOCAL_DIR/data"
CONF_DIR="$SHOUWANG_LOCAL_DIR/conf"

# ---------------------------------------------------------------------------------------------------
# output

log() { printf '[infra] %s\n' "$*"; }
warn() { printf '[infra] WARNING: %s\n' "$*" >&2; }
die() {
  printf '[infra] ERROR: %s\n' "$*" >&2
  exit 1
}

# tail_log <file> [lines]: the end of a log, indented, on stderr
tail_log() {
  local file=$1 lines=${2:-40}
  if [[ -s $file ]]; then
    printf '[infra] ---- last %s lines of %s ----\n' "$lines" "$file" >&2
    tail -n "$lines" "$file" | sed 's/^/    /' >&2
    printf '[infra] ---- end of %s ----\n' "$file" >&2
  else
    printf '[infra] (log %s is empty or missing)\n' "$file" >&2
  fi
}

# fail_with_log <component> <message>
fail_with_log() {
  printf '[infra] ERROR: %s: %s\n' "$1" "$2" >&2
  tail_log "$(log_file "$1")"
  exit 1
}

# fail_exited <component> <message>: the component's process is gone: drop its pid file, then fail
fail_exited() {
  rm -f "$(pid_file "$1")"
  fail_with_log "$1" "$2"
}

now() { date +%s; }

# ---------------------------------------------------------------------------------------------------
# paths

pid_file() { printf '%s/%s.pid' "$RUN_DIR" "$1"; }
log_file() { printf '%s/%s.log' "$LOG_DIR" "$1"; }

component_port() {
  case $1 in
    kafka) printf '%s' "$SHOUWANG_KAFKA_PORT" ;;
    ferretdb) printf '%s' "$SHOUWANG_MONGO_PORT" ;;
    redis) printf '%s' "$SHOUWANG_REDIS_PORT" ;;
    *) die "unknown component '$1'" ;;
  esac
}

# A string that the command line of the component's process contains: guards against a pid file
# whose pid has been reused by an unrelated process.
component_marker() {
  case $1 in
    kafka) printf '%s' 'kafka.Kafka' ;;
    ferretdb) printf '%s' '-sqlite-dir' ;;
    redis) printf '%s' 'redis-server' ;;
    *) die "unknown component '$1'" ;;
  esac
}

# parse_components <args...>: validates names, prints them one per line, all when none given
parse_components() {
  local c seen=" "
  if (($# == 0)); then
    set -- "${ALL_COMPONENTS[@]}"
  fi
  for c in "$@"; do
    case $c in
      kafka | ferretdb | redis) ;;
      mongo | mongodb) c=ferretdb ;;
      -h | --help) return 2 ;;
      *) die "unknown component '$c' (expected: ${ALL_COMPONENTS[*]})" ;;
    esac
    if [[ $seen != *" $c "* ]]; then
      seen+="$c "
      printf '%s\n' "$c"
    fi
  done
}

# ---------------------------------------------------------------------------------------------------
# processes and ports

# pid_running <pid>: the process exists and is not a zombie
pid_running() {
  local pid=$1 state
  kill -0 "$pid" 2>/dev/null || return 1
  state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || return 1
  [[ $state != Z ]]
}

# read_pid_file <component>: prints the pid recorded in the pid file (numeric) or fails
read_pid_file() {
  local f pid
  f=$(pid_file "$1")
  [[ -f $f ]] || return 1
  read -r pid <"$f" || true
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  printf '%s' "$pid"
}

# component_pid <component>: prints the pid when the pid file names a live process of that component
component_pid() {
  local pid cmdline
  pid=$(read_pid_file "$1") || return 1
  pid_running "$pid" || return 1
  cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  [[ $cmdline == *"$(component_marker "$1")"* ]] || return 1
  printf '%s' "$pid"
}

# remove_stale_pid_file <component>: drops a pid file that names no live process of the component
remove_stale_pid_file() {
  local f
  f=$(pid_file "$1")
  if [[ -f $f ]] && ! component_pid "$1" >/dev/null; then
    log "$1: removing stale pid file $f (pid $(head -c 32 "$f" | tr -d '\n') is not running)"
    rm -f "$f"
  fi
}

# port_open <port>: something accepts TCP connections on 127.0.0.1:<port>
port_open() {
  timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

# ensure_port_free <component> <port> <variable>: fails clearly when a foreign process holds the port
ensure_port_free() {
  local name=$1 port=$2 var=$3 who=""
  if port_open "$port"; then
    if command -v ss >/dev/null 2>&1; then
      who=$(ss -Hltnp "sport = :$port" 2>/dev/null | sed -n 's/.*users:((\(.*\)))/\1/p' | head -n 1)
    fi
    die "$name: port 127.0.0.1:$port is already in use${who:+ by $who}, and not by a $name these scripts started (no live pid in $(pid_file "$name")). Stop that process or choose another port with $var=<port>."
  fi
}

# wait_for_port <component> <pid> <port> <deadline>: waits until the port answers, failing early when
# the process dies and at the deadline (epoch seconds)
wait_for_port() {
  local name=$1 pid=$2 port=$3 deadline=$4 start next
  start=$(now)
  next=$((start + 10))
  until port_open "$port"; do
    if ! pid_running "$pid"; then
      fail_exited "$name" "process $pid exited before 127.0.0.1:$port answered"
    fi
    if (($(now) >= deadline)); then
      fail_with_log "$name" "127.0.0.1:$port did not answer within ${WAIT_TIMEOUT}s (pid $pid still running)"
    fi
    if (($(now) >= next)); then
      log "$name: waiting for 127.0.0.1:$port ($(($(now) - start))s)"
      next=$(($(now) + 10))
    fi
    sleep 0.5
  done
}

# stop_pid <component> <pid>: SIGTERM, bounded wait, then SIGKILL
stop_pid() {
  local name=$1 pid=$2 start next
  start=$(now)
  next=$((start + 10))
  kill -TERM "$pid" 2>/dev/null || true
  while pid_running "$pid"; do
    if (($(now) - start >= STOP_TIMEOUT)); then
      warn "$name: pid $pid still running ${STOP_TIMEOUT}s after SIGTERM, sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do
        pid_running "$pid" || break
        sleep 0.1
      done
      pid_running "$pid" && die "$name: pid $pid survived SIGKILL"
      return 0
    fi
    if (($(now) >= next)); then
      log "$name: waiting for pid $pid to exit ($(($(now) - start))s)"
      next=$(($(now) + 10))
    fi
    sleep 0.2
  done
}

# launch <component> <command...>: starts a long-running process in its own session, detached from
# this shell, output appended to the component's log, pid recorded in the pid file and in LAUNCHED_PID.
launch() {
  local name=$1 logf pidf
  shift
  logf=$(log_file "$name")
  pidf=$(pid_file "$name")
  printf '\n===== [infra] %s starting %s =====\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$name" >>"$logf"
  # fd 9 is the lock of up.sh/down.sh: the daemon must not inherit it
  setsid "$@" </dev/null >>"$logf" 2>&1 9>&- &
  LAUNCHED_PID=$!
  printf '%s\n' "$LAUNCHED_PID" >"$pidf"
}

# run_logged <label> <logfile> <probe> <command...>: runs a slow step (download, build) with its output
# in <logfile>, printing a progress line every 15 s (<probe> <logfile> prints a short status).
run_logged() {
  local label=$1 logf=$2 probe=$3 pid start next rc
  shift 3
  start=$(now)
  next=$((start + 15))
  "$@" >"$logf" 2>&1 9>&- &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    if (($(now) >= next)); then
      log "$label: still working, $(($(now) - start))s elapsed${probe:+, $("$probe" "$logf")}"
      next=$(($(now) + 15))
    fi
    sleep 1
  done
  rc=0
  wait "$pid" || rc=$?
  if ((rc != 0)); then
    printf '[infra] ERROR: %s failed (exit %s) after %ss\n' "$label" "$rc" "$(($(now) - start))" >&2
    tail_log "$logf" 60
    exit 1
  fi
  log "$label: done in $(($(now) - start))s"
}

# take_lock: serializes up.sh/down.sh runs on the same SHOUWANG_LOCAL_DIR (bounded wait)
take_lock() {
  mkdir -p "$RUN_DIR"
  exec 9>"$RUN_DIR/.lock"
  if ! flock -n 9; then
    log "another up.sh/down.sh holds $RUN_DIR/.lock, waiting (at most 900s)"
    flock -w 900 9 || die "could not take $RUN_DIR/.lock within 900s"
  fi
}

ensure_dirs() {
  mkdir -p "$RUN_DIR" "$LOG_DIR" "$DATA_DIR" "$CONF_DIR" "$SHOUWANG_CACHE_DIR"
}

# sha256 of files (content and name), short
files_hash() {
  local f
  for f in "$@"; do
    printf '%s\n' "${f##*/}"
    cat "$f"
  done | sha256sum | cut -c1-16
}

# the settings are checked as soon as this file is sourced
validate_ports() {
  local var
  for var in SHOUWANG_KAFKA_PORT SHOUWANG_KAFKA_CONTROLLER_PORT SHOUWANG_MONGO_PORT SHOUWANG_REDIS_PORT; do
    if ! [[ ${!var} =~ ^[0-9]+$ ]] || ((${!var} < 1 || ${!var} > 65535)); then
      die "$var='${!var}' is not a TCP port number"
    fi
  done
  if [[ $(printf '%s\n' "$SHOUWANG_KAFKA_PORT" "$SHOUWANG_KAFKA_CONTROLLER_PORT" "$SHOUWANG_MONGO_PORT" "$SHOUWANG_REDIS_PORT" | sort -u | wc -l) != 4 ]]; then
    die "SHOUWANG_KAFKA_PORT, SHOUWANG_KAFKA_CONTROLLER_PORT, SHOUWANG_MONGO_PORT and SHOUWANG_REDIS_PORT must all differ"
  fi
}
validate_ports
