#!/usr/bin/env bash
# Starts mongo-java-server 1.47.0 (in-memory backend, MongoDB wire protocol) on 127.0.0.1: an OPT-IN
# store for the platform benchmark only (npm run bench:platform -- --store mongo-java-server).
# Not the local default (FerretDB, infra/local/up.sh) and not the tests' store. Why: FerretDB 1.24 on
# SQLite makes every update cost time proportional to the collection, so 100 000 households take days
# there; MongoDB itself cannot be installed here (BENCHMARKS.md).
#
# Usage: infra/local/mongo-java-server/up.sh     (idempotent: a running one is reused)
#   SHOUWANG_MJS_PORT  port (default 27037)        SHOUWANG_MJS_HEAP  JVM -Xmx (default 12g)
#   SHOUWANG_MJS_STOCK=1  stock query planning (no _id pushdown, non-unique indexes ignored; Server.java)
# First run: resolves the jars from Maven Central with mvn into $SHOUWANG_CACHE_DIR/mongo-java-server-1.47.0/libs.
# Stop with infra/local/mongo-java-server/down.sh. Nothing is persisted.
set -euo pipefail

MJS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$MJS_DIR/../lib.sh"
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$MJS_DIR/common.sh"

mvn_probe() { printf '%s files downloaded' "$(grep -c 'Downloaded from' "$1" 2>/dev/null || true)"; }

mjs_provision() {
  local hash stamp="$MJS_HOME/.resolved"
  hash=$(files_hash "$MJS_DIR/pom.xml")
  if [[ -f $stamp && $(<"$stamp") == "$hash" && -d $MJS_HOME/libs ]]; then
    log "$MJS_NAME: jars cached in $MJS_HOME/libs"
    return 0
  fi
  command -v mvn >/dev/null 2>&1 ||
    die "$MJS_NAME: 'mvn' not found. Maven 3.6+ is needed once, to download the jars from Maven Central: apt-get install -y maven"
  mkdir -p "$MJS_HOME"
  local repo="${SHOUWANG_MAVEN_REPO:-$SHOUWANG_CACHE_DIR/m2}" work
  work=$(mktemp -d "$MJS_HOME/resolve.XXXXXX")
  cp "$MJS_DIR/pom.xml" "$work/pom.xml"
  log "$MJS_NAME: resolving mongo-java-server $MJS_VERSION jars from Maven Central into $MJS_HOME/libs (first run only; Maven repository $repo; log $MJS_HOME/resolve.log)"
  run_logged "$MJS_NAME: jar download" "$MJS_HOME/resolve.log" mvn_probe \
    mvn -B -f "$work/pom.xml" "-Dmaven.repo.local=$repo" \
    dependency:copy-dependencies -DincludeScope=runtime "-DoutputDirectory=$work/libs"
  [[ -f $work/libs/mongo-java-server-memory-backend-$MJS_VERSION.jar ]] ||
    die "$MJS_NAME: Maven finished but mongo-java-server-memory-backend-$MJS_VERSION.jar is missing in $work/libs"
  rm -rf "$MJS_HOME/libs"
  mv "$work/libs" "$MJS_HOME/libs"
  rm -rf "$work"
  printf '%s\n' "$hash" >"$stamp"
  log "$MJS_NAME: $(find "$MJS_HOME/libs" -name '*.jar' | wc -l) jars ($(du -sh "$MJS_HOME/libs" | cut -f1)) cached in $MJS_HOME/libs"
}

main() {
  [[ ${1:-} == -h || ${1:-} == --help ]] && {
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
  }
  command -v java >/dev/null 2>&1 || die "$MJS_NAME: 'java' not found: apt-get install -y openjdk-17-jre-headless"
  ensure_dirs
  take_lock
  local pid
  if pid=$(mjs_pid); then
    log "$MJS_NAME: already running (pid $pid, 127.0.0.1:$MJS_PORT), reusing it"
  else
    [[ -f $(pid_file "$MJS_NAME") ]] && rm -f "$(pid_file "$MJS_NAME")"
    if port_open "$MJS_PORT"; then
      die "$MJS_NAME: port 127.0.0.1:$MJS_PORT is already in use by a process these scripts did not start. Stop it or choose another port with SHOUWANG_MJS_PORT=<port>."
    fi
    mjs_provision
    local planning=() planning_text="_id pushdown + non-unique indexes"
    if [[ ${SHOUWANG_MJS_STOCK:-} == 1 ]]; then planning=(--stock) planning_text="stock query planning"; fi
    log "$MJS_NAME: starting mongo-java-server $MJS_VERSION (memory backend, $planning_text, 127.0.0.1:$MJS_PORT, heap $MJS_HEAP, log $(log_file "$MJS_NAME"))"
    launch "$MJS_NAME" java "-Xmx$MJS_HEAP" -XX:+UseG1GC -XX:MaxGCPauseMillis=100 -XX:+ExitOnOutOfMemoryError \
      -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
      -cp "$MJS_HOME/libs/*" "$MJS_DIR/Server.java" --port "$MJS_PORT" "${planning[@]}"
    pid=$LAUNCHED_PID
  fi
  wait_for_port "$MJS_NAME" "$pid" "$MJS_PORT" $(($(now) + WAIT_TIMEOUT))
  if (cd "$MJS_DIR" && node -e "require.resolve('mongodb')") >/dev/null 2>&1; then
    node "$INFRA_DIR/mongo-ready.js" --uri "mongodb://127.0.0.1:$MJS_PORT/" --timeout 30 | sed "s/ferretdb:/$MJS_NAME:/" ||
      fail_with_log "$MJS_NAME" "no MongoDB ping reply on 127.0.0.1:$MJS_PORT"
  fi
  log "$MJS_NAME: ready: MONGODB_URI=mongodb://127.0.0.1:$MJS_PORT/ (in memory; stop with $MJS_DIR/down.sh)"
}

main "$@"
