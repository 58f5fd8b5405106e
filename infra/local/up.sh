#!/usr/bin/env bash
# Provisions and starts Shouwang's local infrastructure without Docker:
#   kafka     Apache Kafka 4.1.1, single-node KRaft, jars from Maven Central, run with the machine's Java
#   ferretdb  FerretDB 1.24.2 (MongoDB wire protocol, SQLite backend), built with the machine's Go
#   redis     Debian's redis-server (apt-get installed when missing)
#
# Usage: infra/local/up.sh [kafka|ferretdb|redis ...]    (no argument: all three)
# Idempotent: what already runs (live pid AND answering port) is reused. See infra/local/README.md.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

usage() {
  cat <<EOF
Usage: $0 [kafka|ferretdb|redis ...]
Provisions (first run: download/build into \$SHOUWANG_CACHE_DIR=$SHOUWANG_CACHE_DIR) and starts the
local infrastructure, then waits until each component answers. No argument: all three.
Then: source infra/local/env.sh   (MONGODB_URI, KAFKA_BROKERS, REDIS_URL)
EOF
}

# ===================================================================================================
# tools

NODE_OK=""
# node_ready_check <component> <script> <args...>: runs a readiness script when node and the npm
# packages are there; otherwise falls back to the port check already done
have_node_for() {
  local pkg=$1
  if ! command -v node >/dev/null 2>&1; then
    [[ -n $NODE_OK ]] || warn "node not found: readiness is checked by TCP port only"
    NODE_OK=no
    return 1
  fi
  if ! (cd "$INFRA_DIR" && node -e "require.resolve('$pkg')" >/dev/null 2>&1); then
    warn "npm package '$pkg' not installed (run 'npm ci' at the repository root): readiness is checked by TCP port only"
    return 1
  fi
  NODE_OK=yes
}

require_java() {
  command -v java >/dev/null 2>&1 ||
    die "kafka: 'java' not found. Kafka 4 needs a Java 17+ runtime: apt-get install -y openjdk-17-jre-headless (or any JDK 17+ on PATH)."
  local v major
  v=$(java -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)
  major=${v%%.*}
  if [[ $major == 1 ]]; then major=$(cut -d. -f2 <<<"$v"); fi
  if [[ $major =~ ^[0-9]+$ ]] && ((major < 17)); then
    die "kafka: Java $v found, Kafka 4 needs Java 17 or newer: apt-get install -y openjdk-17-jre-headless"
  fi
}

require_mvn() {
  command -v mvn >/dev/null 2>&1 ||
    die "kafka: 'mvn' not found. Maven 3.6+ is needed once, to download the Kafka jars from Maven Central: apt-get install -y maven"
}

GO_BIN=""
require_go() {
  if command -v go >/dev/null 2>&1; then
    GO_BIN=$(command -v go)
  elif [[ -x /usr/local/go/bin/go ]]; then
    GO_BIN=/usr/local/go/bin/go
  else
    die "ferretdb: 'go' not found. Go 1.24 or newer is needed once, to build FerretDB: install the Go toolchain and put its bin/ on PATH (e.g. /usr/local/go/bin)."
  fi
  local v minor
  v=$("$GO_BIN" env GOVERSION 2>/dev/null || true)
  minor=$(sed -n 's/^go1\.\([0-9]*\).*/\1/p' <<<"$v")
  if [[ -n $minor ]] && ((minor < 21)); then
    die "ferretdb: $v found at $GO_BIN; FerretDB $FERRETDB_VERSION needs Go 1.24 or newer (Go 1.21+ can fetch it automatically)"
  fi
}

APT_UPDATED=""
require_redis() {
  if command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1; then
    return 0
  fi
  command -v apt-get >/dev/null 2>&1 ||
    die "redis: redis-server/redis-cli not found and apt-get is unavailable: install Redis 6+ (redis-server and redis-cli on PATH)"
  [[ $(id -u) == 0 ]] ||
    die "redis: redis-server not found; install it as root: apt-get update && apt-get install -y redis-server"
  local aptlog="$LOG_DIR/redis-install.log"
  if [[ -z $APT_UPDATED ]]; then
    run_logged "redis: apt-get update" "$aptlog" "" env DEBIAN_FRONTEND=noninteractive apt-get update
    APT_UPDATED=yes
  fi
  run_logged "redis: apt-get install -y redis-server" "$aptlog.install" "" \
    env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends redis-server
  command -v redis-server >/dev/null 2>&1 || die "redis: apt-get installed redis-server but it is not on PATH"
}

# ===================================================================================================
# kafka

KAFKA_HOME="$SHOUWANG_CACHE_DIR/kafka-$KAFKA_VERSION"

mvn_probe() { printf '%s files downloaded' "$(grep -c 'Downloaded from' "$1" 2>/dev/null || true)"; }

kafka_provision() {
  require_java
  local hash stamp="$KAFKA_HOME/.resolved"
  hash=$(files_hash "$INFRA_DIR/kafka/pom.xml")
  if [[ -f $stamp && $(<"$stamp") == "$hash" && -d $KAFKA_HOME/libs ]]; then
    log "kafka: Kafka $KAFKA_VERSION jars cached in $KAFKA_HOME/libs"
    return 0
  fi
  require_mvn
  mkdir -p "$KAFKA_HOME"
  local repo="${SHOUWANG_MAVEN_REPO:-$SHOUWANG_CACHE_DIR/m2}" work
  work=$(mktemp -d "$KAFKA_HOME/resolve.XXXXXX")
  cp "$INFRA_DIR/kafka/pom.xml" "$work/pom.xml"
  log "kafka: resolving Kafka $KAFKA_VERSION + Log4j 2 jars from Maven Central into $KAFKA_HOME/libs (first run only, about a minute; Maven repository $repo; log $KAFKA_HOME/resolve.log)"
  run_logged "kafka: jar download" "$KAFKA_HOME/resolve.log" mvn_probe \
    mvn -B -f "$work/pom.xml" "-Dmaven.repo.local=$repo" \
    dependency:copy-dependencies -DincludeScope=runtime "-DoutputDirectory=$work/libs"
  [[ -f $work/libs/kafka_2.13-$KAFKA_VERSION.jar ]] || die "kafka: Maven finished but kafka_2.13-$KAFKA_VERSION.jar is missing in $work/libs"
  rm -rf "$KAFKA_HOME/libs"
  mv "$work/libs" "$KAFKA_HOME/libs"
  rm -rf "$work"
  printf '%s\n' "$hash" >"$stamp"
  log "kafka: $(find "$KAFKA_HOME/libs" -name '*.jar' | wc -l) jars ($(du -sh "$KAFKA_HOME/libs" | cut -f1)) cached in $KAFKA_HOME/libs"
}

kafka_java_opts() {
  KAFKA_JAVA=(java
    "-Xms${SHOUWANG_KAFKA_HEAP_MIN:-128m}" "-Xmx${SHOUWANG_KAFKA_HEAP:-512m}"
    -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35
    -XX:+ExplicitGCInvokesConcurrent -XX:+ExitOnOutOfMemoryError
    -Djava.awt.headless=true
    "-Dlog4j2.configurationFile=$INFRA_DIR/kafka/log4j2.xml"
    "-Dshouwang.kafka.log=$(log_file kafka)"
    -cp "$KAFKA_HOME/libs/*")
}

kafka_write_config() {
  local conf="$CONF_DIR/kafka.properties"
  cat >"$conf" <<EOF
# Generated by infra/local/up.sh on every start; edit up.sh, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${SHOUWANG_KAFKA_CONTROLLER_PORT}
listeners=PLAINTEXT://127.0.0.1:${SHOUWANG_KAFKA_PORT},CONTROLLER://127.0.0.1:${SHOUWANG_KAFKA_CONTROLLER_PORT}
advertised.listeners=PLAINTEXT://127.0.0.1:${SHOUWANG_KAFKA_PORT}
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
log.dirs=${DATA_DIR}/kafka

# the services provision their own topics
auto.create.topics.enable=false
num.partitions=3
default.replication.factor=1
min.insync.replicas=1

# single node: internal topics with one replica
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1

# tests join consumer groups often: no initial rebalance delay
group.initial.rebalance.delay.ms=0

# a 2-core machine
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
log.retention.hours=168
EOF
}

kafka_format() {
  local dir="$DATA_DIR/kafka"
  if [[ -f $dir/meta.properties ]]; then
    log "kafka: storage $dir already formatted (cluster $(sed -n 's/^cluster.id=//p' "$dir/meta.properties")), keeping data"
    return 0
  fi
  mkdir -p "$dir"
  local cluster_id
  # a Kafka Uuid: 16 random bytes, URL-safe base64 without padding
  cluster_id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
  log "kafka: formatting storage $dir (cluster id $cluster_id)"
  local logf
  logf=$(log_file kafka)
  printf '\n===== [infra] %s formatting kafka storage =====\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >>"$logf"
  if ! timeout "$WAIT_TIMEOUT" "${KAFKA_JAVA[@]}" kafka.tools.StorageTool format \
    --cluster-id "$cluster_id" --config "$CONF_DIR/kafka.properties" --ignore-formatted \
    >>"$logf" 2>&1 9>&-; then
    fail_with_log kafka "formatting the storage failed"
  fi
  [[ -f $dir/meta.properties ]] || fail_with_log kafka "StorageTool ran but $dir/meta.properties is missing"
}

kafka_start() {
  local port=$SHOUWANG_KAFKA_PORT pid
  if pid=$(component_pid kafka); then
    if port_open "$port"; then
      log "kafka: already running (pid $pid, 127.0.0.1:$port), reusing it"
    else
      log "kafka: pid $pid is running but 127.0.0.1:$port does not answer yet, waiting for it"
    fi
    KAFKA_PID=$pid
    return 0
  fi
  remove_stale_pid_file kafka
  ensure_port_free kafka "$port" SHOUWANG_KAFKA_PORT
  ensure_port_free kafka "$SHOUWANG_KAFKA_CONTROLLER_PORT" SHOUWANG_KAFKA_CONTROLLER_PORT
  kafka_provision
  kafka_java_opts
  kafka_write_config
  kafka_format
  log "kafka: starting Kafka $KAFKA_VERSION (KRaft broker+controller, 127.0.0.1:$port, controller 127.0.0.1:$SHOUWANG_KAFKA_CONTROLLER_PORT, heap ${SHOUWANG_KAFKA_HEAP:-512m}, log $(log_file kafka))"
  launch kafka "${KAFKA_JAVA[@]}" kafka.Kafka "$CONF_DIR/kafka.properties"
  KAFKA_PID=$LAUNCHED_PID
}

kafka_wait() {
  local deadline=$(($(now) + WAIT_TIMEOUT)) left
  wait_for_port kafka "$KAFKA_PID" "$SHOUWANG_KAFKA_PORT" "$deadline"
  if have_node_for kafkajs; then
    left=$((deadline - $(now)))
    if ((left < 10)); then left=10; fi
    log "kafka: port open, checking metadata with kafkajs (at most ${left}s)"
    node "$INFRA_DIR/kafka-ready.js" --brokers "$KAFKA_BROKERS" --timeout "$left" ||
      fail_with_log kafka "Kafka does not answer metadata requests on $KAFKA_BROKERS"
  fi
  pid_running "$KAFKA_PID" || fail_exited kafka "process $KAFKA_PID exited"
}

# ===================================================================================================
# ferretdb

FERRETDB_HOME="$SHOUWANG_CACHE_DIR/ferretdb-$FERRETDB_VERSION"
FERRETDB_BIN="$FERRETDB_HOME/ferretdb"
FERRETDB_TAGS=ferretdb_no_postgresql

go_probe() {
  printf '%s modules downloaded, %s packages compiled' \
    "$(grep -c '^go: downloading' "$1" 2>/dev/null || true)" "$(grep -vc '^go: ' "$1" 2>/dev/null || true)"
}

ferretdb_provision() {
  local src="$INFRA_DIR/ferretdb" hash stamp="$FERRETDB_HOME/ferretdb.stamp"
  hash=$(files_hash "$src/main.go" "$src/go.mod" "$src/go.sum"; printf 'tags=%s\n' "$FERRETDB_TAGS")
  hash=$(printf '%s' "$hash" | sha256sum | cut -c1-16)
  if [[ -x $FERRETDB_BIN && -f $stamp && $(<"$stamp") == "$hash" ]]; then
    log "ferretdb: binary cached at $FERRETDB_BIN"
    return 0
  fi
  require_go
  mkdir -p "$FERRETDB_HOME"
  local tmp="$FERRETDB_BIN.tmp.$$"
  log "ferretdb: building FerretDB $FERRETDB_VERSION wrapper with $("$GO_BIN" env GOVERSION) into $FERRETDB_BIN (first run or sources changed; a few minutes on 2 cores; log $FERRETDB_HOME/build.log)"
  run_logged "ferretdb: go build" "$FERRETDB_HOME/build.log" go_probe \
    env -C "$src" CGO_ENABLED=0 "$GO_BIN" build -v -trimpath -tags "$FERRETDB_TAGS" -o "$tmp" .
  mv -f "$tmp" "$FERRETDB_BIN"
  printf '%s\n' "$hash" >"$stamp"
  log "ferretdb: built $FERRETDB_BIN ($(du -h "$FERRETDB_BIN" | cut -f1))"
}

ferretdb_start() {
  local port=$SHOUWANG_MONGO_PORT pid
  if pid=$(component_pid ferretdb); then
    if port_open "$port"; then
      log "ferretdb: already running (pid $pid, 127.0.0.1:$port), reusing it"
    else
      log "ferretdb: pid $pid is running but 127.0.0.1:$port does not answer yet, waiting for it"
    fi
    FERRETDB_PID=$pid
    return 0
  fi
  remove_stale_pid_file ferretdb
  ensure_port_free ferretdb "$port" SHOUWANG_MONGO_PORT
  ferretdb_provision
  mkdir -p "$DATA_DIR/ferretdb"
  log "ferretdb: starting FerretDB $FERRETDB_VERSION (SQLite in $DATA_DIR/ferretdb, 127.0.0.1:$port, log $(log_file ferretdb))"
  launch ferretdb "$FERRETDB_BIN" -listen-addr "127.0.0.1:$port" -sqlite-dir "$DATA_DIR/ferretdb" \
    -log-level "${SHOUWANG_FERRETDB_LOG_LEVEL:-info}"
  FERRETDB_PID=$LAUNCHED_PID
}

ferretdb_wait() {
  local deadline=$(($(now) + WAIT_TIMEOUT)) left
  wait_for_port ferretdb "$FERRETDB_PID" "$SHOUWANG_MONGO_PORT" "$deadline"
  if have_node_for mongodb; then
    left=$((deadline - $(now)))
    if ((left < 10)); then left=10; fi
    log "ferretdb: port open, sending a MongoDB ping (at most ${left}s)"
    node "$INFRA_DIR/mongo-ready.js" --uri "$MONGODB_URI" --timeout "$left" ||
      fail_with_log ferretdb "FerretDB does not answer a MongoDB ping on $MONGODB_URI"
  fi
  pid_running "$FERRETDB_PID" || fail_exited ferretdb "process $FERRETDB_PID exited"
}

# ===================================================================================================
# redis

redis_cli() { redis-cli -h 127.0.0.1 -p "$SHOUWANG_REDIS_PORT" "$@"; }

redis_start() {
  local port=$SHOUWANG_REDIS_PORT pid
  if pid=$(component_pid redis); then
    if port_open "$port"; then
      log "redis: already running (pid $pid, 127.0.0.1:$port), reusing it"
    else
      log "redis: pid $pid is running but 127.0.0.1:$port does not answer yet, waiting for it"
    fi
    REDIS_PID=$pid
    return 0
  fi
  remove_stale_pid_file redis
  ensure_port_free redis "$port" SHOUWANG_REDIS_PORT
  require_redis
  local logf pidf
  logf=$(log_file redis)
  pidf=$(pid_file redis)
  mkdir -p "$DATA_DIR/redis"
  rm -f "$pidf"
  log "redis: starting $(redis-server --version | cut -d' ' -f1-3) (127.0.0.1:$port, no persistence, log $logf)"
  printf '\n===== [infra] %s starting redis =====\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >>"$logf"
  # stdout/stderr only catch what redis-server prints before it opens --logfile (the same file)
  # shellcheck disable=SC2094
  redis-server --bind 127.0.0.1 --port "$port" --protected-mode yes \
    --dir "$DATA_DIR/redis" --daemonize yes --pidfile "$pidf" --logfile "$logf" \
    --save '' --appendonly no </dev/null >>"$logf" 2>&1 9>&- ||
    fail_with_log redis "redis-server failed to start"
  # the daemonized server writes its pid file itself, shortly after the fork
  for _ in $(seq 1 100); do
    [[ -s $pidf ]] && break
    sleep 0.1
  done
  REDIS_PID=$(read_pid_file redis) || fail_with_log redis "redis-server wrote no pid file $pidf"
}

redis_wait() {
  local deadline=$(($(now) + WAIT_TIMEOUT)) start next reply
  start=$(now)
  next=$((start + 10))
  while :; do
    reply=$(timeout 3 redis-cli -h 127.0.0.1 -p "$SHOUWANG_REDIS_PORT" ping 2>&1 || true)
    [[ $reply == PONG ]] && break
    pid_running "$REDIS_PID" || fail_exited redis "process $REDIS_PID exited before answering PING"
    if (($(now) >= deadline)); then
      fail_with_log redis "no PONG within ${WAIT_TIMEOUT}s (last reply: $reply)"
    fi
    if (($(now) >= next)); then
      log "redis: waiting for PONG ($(($(now) - start))s)"
      next=$(($(now) + 10))
    fi
    sleep 0.2
  done
  log "redis: ready (PING -> PONG on $REDIS_URL)"
}

# ===================================================================================================
# main

main() {
  local components c t0 rc=0
  components=$(parse_components "$@") || rc=$?
  if ((rc == 2)); then
    usage
    exit 0
  elif ((rc != 0)); then
    exit "$rc"
  fi
  mapfile -t COMPONENTS <<<"$components"
  t0=$(now)
  ensure_dirs
  take_lock
  log "up: ${COMPONENTS[*]} (local dir $SHOUWANG_LOCAL_DIR, cache $SHOUWANG_CACHE_DIR)"

  # provision and launch everything first, then wait: Kafka's JVM warms up meanwhile
  for c in "${COMPONENTS[@]}"; do
    "${c}_start"
  done
  for c in "${COMPONENTS[@]}"; do
    "${c}_wait"
  done

  log "up: ready in $(($(now) - t0))s: ${COMPONENTS[*]}"
  for c in "${COMPONENTS[@]}"; do
    case $c in
      kafka) log "  KAFKA_BROKERS=$KAFKA_BROKERS" ;;
      ferretdb) log "  MONGODB_URI=$MONGODB_URI" ;;
      redis) log "  REDIS_URL=$REDIS_URL" ;;
    esac
  done
  log "  (source infra/local/env.sh to export them; infra/local/down.sh stops)"
}

main "$@"
