# shellcheck shell=bash
# Settings shared by mongo-java-server/up.sh and down.sh (sourced after ../lib.sh, never executed).

# shellcheck disable=SC2034 # used by the scripts that source this file
readonly MJS_NAME=mongo-java-server MJS_VERSION=1.47.0
MJS_PORT="${SHOUWANG_MJS_PORT:-27037}"
MJS_HEAP="${SHOUWANG_MJS_HEAP:-12g}"
MJS_HOME="$SHOUWANG_CACHE_DIR/mongo-java-server-$MJS_VERSION"
if ! [[ $MJS_PORT =~ ^[0-9]+$ ]] || ((MJS_PORT < 1 || MJS_PORT > 65535)); then die "SHOUWANG_MJS_PORT='$MJS_PORT' is not a TCP port number"; fi
[[ $MJS_PORT != "$SHOUWANG_MONGO_PORT" ]] || die "SHOUWANG_MJS_PORT must differ from SHOUWANG_MONGO_PORT ($SHOUWANG_MONGO_PORT, FerretDB)"

# mjs_pid: prints the pid recorded in the pid file when it is a live mongo-java-server of ours
mjs_pid() {
  local pid cmdline
  pid=$(read_pid_file "$MJS_NAME") || return 1
  pid_running "$pid" || return 1
  cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  [[ $cmdline == *"mongo-java-server/Server.java"* ]] || return 1
  printf '%s' "$pid"
}
