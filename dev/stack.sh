#!/usr/bin/env bash
# Local development stack of the leads platform: PostgreSQL (the machine's own), Kafka (KRaft),
# Keycloak, GreenMail and the five Quarkus services, all bound to 127.0.0.1, no Docker.
#
#   dev/stack.sh up [--infra]   start what is not running yet (idempotent)
#   dev/stack.sh status         running or not, PID, port, RSS of every component
#   dev/stack.sh down [--services]  stop what `up` started (by recorded PID); PostgreSQL stays up;
#                               --services: only the five services, the infrastructure stays up
#   dev/stack.sh logs           print where the logs are (and list them)
#   dev/stack.sh aot            train the JDK AOT cache of each service (restarts the services once)
#
# State: <repo>/.dev/{logs,pids,kafka-data,kafka}; downloads: ~/.m2 and ~/.cache/leads-platform.
set -euo pipefail

# ---------------------------------------------------------------------------------------------
# Configuration
# ---------------------------------------------------------------------------------------------
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"

JAVA_HOME_DEFAULT=/usr/lib/jvm/temurin-25-jdk-amd64
if [[ -n "${LEADS_JAVA_HOME:-}" ]]; then
  export JAVA_HOME="$LEADS_JAVA_HOME"
elif [[ -x "$JAVA_HOME_DEFAULT/bin/java" ]]; then
  export JAVA_HOME="$JAVA_HOME_DEFAULT"
fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
export PATH="${JAVA_HOME:+$JAVA_HOME/bin:}$PATH"

STATE="$ROOT/.dev"
LOGS="$STATE/logs"
PIDS="$STATE/pids"
CACHE="${LEADS_CACHE_DIR:-$HOME/.cache/leads-platform}"

HOST=127.0.0.1
PG_PORT=5432

KAFKA_VERSION=4.3.1
KAFKA_HOME="$CACHE/kafka-$KAFKA_VERSION"
KAFKA_PORT=9092
KAFKA_CONTROLLER_PORT=9093
KAFKA_DATA="$STATE/kafka-data"
KAFKA_CONF_DIR="$STATE/kafka"
KAFKA_TOPICS=(capture.events scoring.events nurturing.events)

KC_VERSION=26.7.3
KC_HOME="$CACHE/keycloak-$KC_VERSION"
KC_PORT=8180
KC_REALM=leads
REALM_FILE="$SCRIPT_DIR/realm/leads-realm.json"

GM_VERSION=2.1.13
GM_JAR="$CACHE/greenmail-standalone-$GM_VERSION.jar"
GM_SMTP_PORT=3025
GM_API_PORT=8025

DATABASES=(capture scoring nurturing kpi capture_test scoring_test nurturing_test kpi_test)

# module:port, in start order (two at a time); the gateway goes last.
SERVICES=(capture-service:8081 scoring-service:8082 nurturing-service:8083 kpi-service:8084 gateway:8080)

# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------
log()  { printf '[stack %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
warn() { printf '[stack %s] WARN: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die()  { printf '[stack %s] ERROR: %s\n' "$(date +%H:%M:%S)" "$*" >&2; exit 1; }

now() { date +%s.%N; }
elapsed() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.1f", e - s }'; }

mvn_cmd() {
  # System Maven is enough for dependency:get / dependency:copy; the wrapper is the fallback.
  if command -v mvn >/dev/null 2>&1; then
    mvn "$@"
  elif [[ -x "$ROOT/mvnw" ]]; then
    "$ROOT/mvnw" "$@"
  else
    die "neither mvn nor ./mvnw found"
  fi
}

port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

http_code() { curl -s -o /dev/null -m "${2:-5}" -w '%{http_code}' "$1" 2>/dev/null || true; }
http_ok() { [[ "$(http_code "$1" "${2:-5}")" == 200 ]]; }

pidfile() { echo "$PIDS/$1.pid"; }

# PID recorded for a component if that process is still alive, else nothing (and stale file removed).
live_pid() {
  local f pid
  f="$(pidfile "$1")"
  [[ -f "$f" ]] || return 1
  pid="$(cat "$f" 2>/dev/null || true)"
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    echo "$pid"
    return 0
  fi
  rm -f "$f"
  return 1
}

# start_bg NAME LOGFILE WORKDIR CMD...: own session/process group, PID recorded.
start_bg() {
  local name="$1" logfile="$2" workdir="$3"
  shift 3
  mkdir -p "$PIDS" "$LOGS"
  {
    echo "=== $(date -Is) starting $name: $*"
  } >>"$logfile"
  (cd "$workdir" && exec setsid "$@" >>"$logfile" 2>&1 </dev/null) &
  echo $! >"$(pidfile "$name")"
  disown 2>/dev/null || true
}

# wait_for NAME TIMEOUT CHECK_FN [ARGS...]: polls CHECK until it succeeds, fails if the process died.
wait_for() {
  local name="$1" timeout="$2"
  shift 2
  local start=$SECONDS
  while ((SECONDS - start < timeout)); do
    if "$@"; then return 0; fi
    if [[ -f "$(pidfile "$name")" ]] && ! live_pid "$name" >/dev/null; then
      warn "$name exited during startup; last lines of its log:"
      tail -n 30 "$LOGS/$name.log" >&2 || true
      return 1
    fi
    sleep 1
  done
  warn "$name not healthy after ${timeout}s; last lines of its log:"
  tail -n 30 "$LOGS/$name.log" >&2 || true
  return 1
}

# stop_components NAME...: TERM them all (each its own process group), wait up to 20 s, then KILL.
stop_components() {
  local name pid
  local -a names=() pids=()
  for name in "$@"; do
    pid="$(live_pid "$name")" || continue
    log "stopping $name (pid $pid)"
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    names+=("$name")
    pids+=("$pid")
  done
  ((${#pids[@]} == 0)) && return 0
  local i j alive
  for ((i = 0; i < ${STOP_WAIT:-20}; i++)); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    ((alive == 0)) && break
    sleep 1
  done
  for ((j = 0; j < ${#pids[@]}; j++)); do
    pid="${pids[j]}"
    if kill -0 "$pid" 2>/dev/null; then
      warn "${names[j]} did not stop within ${STOP_WAIT:-20} s: KILL"
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$(pidfile "${names[j]}")"
  done
}

stop_component() { stop_components "$1"; }

rss_mb() {
  # Sum of VmRSS over the process and its descendants (kc.sh re-exec, etc.), in MB.
  local pid="$1" total=0 p kb
  local pids=("$pid")
  while read -r p; do [[ -n "$p" ]] && pids+=("$p"); done < <(pgrep -g "$pid" 2>/dev/null | grep -vx "$pid" || true)
  for p in "${pids[@]}"; do
    kb="$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || true)"
    total=$((total + ${kb:-0}))
  done
  echo $((total / 1024))
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL (the machine's own: started if needed, never stopped)
# ---------------------------------------------------------------------------------------------
pg_ready() { pg_isready -q -h "$HOST" -p "$PG_PORT" >/dev/null 2>&1; }

pg_version() { ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1; }

psql_pg() { psql -X -q -h "$HOST" -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 "$@"; }

up_postgres() {
  local t0 ver
  t0="$(now)"
  if ! pg_ready; then
    if ! command -v pg_ctlcluster >/dev/null 2>&1 || [[ -z "$(pg_version)" ]]; then
      log "PostgreSQL not installed: apt-get install postgresql"
      [[ "$(id -u)" == 0 ]] || die "PostgreSQL is missing and this is not root: install it"
      DEBIAN_FRONTEND=noninteractive apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    fi
    ver="$(pg_version)"
    [[ -n "$ver" ]] || die "no PostgreSQL cluster found under /etc/postgresql"
    ensure_pg_trust "$ver"
    log "starting PostgreSQL $ver (cluster main)"
    pg_ctlcluster --skip-systemctl-redirect "$ver" main start || true
    local i
    for ((i = 0; i < 30; i++)); do pg_ready && break; sleep 1; done
    pg_ready || die "PostgreSQL is not accepting connections on $HOST:$PG_PORT"
    log "PostgreSQL ready in $(elapsed "$t0") s"
  else
    log "PostgreSQL already running"
  fi
  local db existing
  existing="$(psql_pg -d postgres -At -c 'select datname from pg_database')" ||
    die "cannot connect as postgres to $HOST:$PG_PORT (trust auth expected)"
  for db in "${DATABASES[@]}"; do
    if ! grep -qx "$db" <<<"$existing"; then
      psql_pg -d postgres -c "CREATE DATABASE \"$db\" OWNER postgres" >/dev/null
      log "created database $db"
    fi
  done
}

# A freshly installed Debian cluster uses scram for TCP: make local loopback connections trust,
# as on the development machines (only when we installed/started it and it is not set yet).
ensure_pg_trust() {
  local ver="$1" hba="/etc/postgresql/$1/main/pg_hba.conf"
  [[ -w "$hba" ]] || return 0
  if ! grep -Eq '^host[[:space:]]+all[[:space:]]+all[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' "$hba"; then
    log "pg_hba.conf: trust for 127.0.0.1 (local development only)"
    sed -i '1i host    all    all    127.0.0.1/32    trust\nhost    all    all    ::1/128    trust' "$hba"
  fi
}

# ---------------------------------------------------------------------------------------------
# Kafka (KRaft, single combined node)
# ---------------------------------------------------------------------------------------------
kafka_install() {
  if [[ -f "$KAFKA_HOME/.complete" ]]; then return 0; fi
  log "resolving Kafka $KAFKA_VERSION jars with Maven (once)"
  rm -rf "$KAFKA_HOME"
  mkdir -p "$KAFKA_HOME/libs"
  mvn_cmd -B -q -f "$SCRIPT_DIR/kafka/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$KAFKA_HOME/libs" >"$LOGS/kafka-install.log" 2>&1 ||
    { tail -n 30 "$LOGS/kafka-install.log" >&2; die "could not resolve the Kafka jars"; }
  touch "$KAFKA_HOME/.complete"
}

kafka_write_config() {
  mkdir -p "$KAFKA_CONF_DIR" "$KAFKA_DATA"
  cat >"$KAFKA_CONF_DIR/server.properties" <<EOF
# Generated by dev/stack.sh: local single-node KRaft broker+controller.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$KAFKA_PORT,CONTROLLER://$HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_DATA
num.partitions=3
default.replication.factor=1
auto.create.topics.enable=true
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=2
log.retention.hours=24
log.segment.bytes=104857600
EOF
  cat >"$KAFKA_CONF_DIR/log4j2.properties" <<'EOF'
status = warn
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.stdout.ref = STDOUT
logger.kafka.name = kafka
logger.kafka.level = INFO
logger.apache.name = org.apache.kafka
logger.apache.level = INFO
logger.controller.name = kafka.controller
logger.controller.level = INFO
logger.state.name = state.change.logger
logger.state.level = WARN
logger.request.name = kafka.request.logger
logger.request.level = WARN
logger.authorizer.name = kafka.authorizer.logger
logger.authorizer.level = WARN
EOF
  cat >"$KAFKA_CONF_DIR/tools-log4j2.properties" <<'EOF'
status = warn
appender.console.type = Console
appender.console.name = STDERR
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.stderr.ref = STDERR
EOF
}

# Runs a Kafka command-line tool (quick-starting client JVM).
kafka_tool() {
  "$JAVA" -Xms32m -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto \
    -Dlog4j2.configurationFile="$KAFKA_CONF_DIR/tools-log4j2.properties" \
    -cp "$KAFKA_HOME/libs/*" "$@"
}

kafka_topics() { kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$HOST:$KAFKA_PORT" "$@"; }

kafka_healthy() { port_open "$KAFKA_PORT" && kafka_topics --list >/dev/null 2>&1; }

kafka_format() {
  if [[ -f "$KAFKA_DATA/meta.properties" ]]; then return 0; fi
  local cid
  cid="$(kafka_tool kafka.tools.StorageTool random-uuid 2>>"$LOGS/kafka.log" | tail -n 1)"
  [[ -n "$cid" ]] || die "kafka random-uuid failed (see $LOGS/kafka.log)"
  log "formatting Kafka storage in $KAFKA_DATA (cluster id $cid)"
  kafka_tool kafka.tools.StorageTool format -t "$cid" -c "$KAFKA_CONF_DIR/server.properties" \
    >>"$LOGS/kafka.log" 2>&1 || die "kafka storage format failed (see $LOGS/kafka.log)"
}

KAFKA_T0=""
# Launches Kafka if it is not running (does not wait): see up_kafka_wait.
up_kafka_start() {
  local pid
  KAFKA_T0="$(now)"
  kafka_install
  kafka_write_config
  if pid="$(live_pid kafka)"; then
    log "Kafka already running (pid $pid)"
  elif port_open "$KAFKA_PORT"; then
    kafka_healthy || die "port $KAFKA_PORT is taken by a process that is not a Kafka broker we started"
    log "Kafka already running on $HOST:$KAFKA_PORT (not started by this script)"
  else
    port_open "$KAFKA_CONTROLLER_PORT" && die "port $KAFKA_CONTROLLER_PORT is taken by another process"
    kafka_format
    log "starting Kafka $KAFKA_VERSION on $HOST:$KAFKA_PORT"
    start_bg kafka "$LOGS/kafka.log" "$KAFKA_CONF_DIR" \
      "$JAVA" -Xms128m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
      -Dlog4j2.configurationFile="$KAFKA_CONF_DIR/log4j2.properties" \
      -Dkafka.logs.dir="$LOGS" \
      -cp "$KAFKA_HOME/libs/*" kafka.Kafka "$KAFKA_CONF_DIR/server.properties"
  fi
}

up_kafka_wait() {
  if live_pid kafka >/dev/null || [[ -f "$(pidfile kafka)" ]]; then
    wait_for kafka 90 port_open "$KAFKA_PORT" || die "Kafka did not start (see $LOGS/kafka.log)"
  fi
  # Healthy = a metadata request answers; then the topics.
  local existing="" i
  for ((i = 0; i < 30; i++)); do
    if existing="$(kafka_topics --list 2>/dev/null)"; then break; fi
    existing="__failed__"
    sleep 1
  done
  [[ "$existing" != "__failed__" ]] || die "Kafka does not answer metadata requests (see $LOGS/kafka.log)"
  local topic
  for topic in "${KAFKA_TOPICS[@]}"; do
    if ! grep -qx "$topic" <<<"$existing"; then
      kafka_topics --create --if-not-exists --topic "$topic" --partitions 3 --replication-factor 1 \
        >/dev/null || die "could not create topic $topic"
      log "created topic $topic"
    fi
  done
  log "Kafka ready in $(elapsed "$KAFKA_T0") s"
}

# ---------------------------------------------------------------------------------------------
# Keycloak (start-dev, realm imported from dev/realm/leads-realm.json)
# ---------------------------------------------------------------------------------------------
kc_install() {
  if [[ -x "$KC_HOME/bin/kc.sh" && -f "$KC_HOME/.complete" ]]; then return 0; fi
  local zip="$HOME/.m2/repository/org/keycloak/keycloak-quarkus-dist/$KC_VERSION/keycloak-quarkus-dist-$KC_VERSION.zip"
  if [[ ! -f "$zip" ]]; then
    log "downloading Keycloak $KC_VERSION with Maven (once, ~177 MB)"
    mvn_cmd -B -q dependency:get -Dartifact="org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip" \
      -Dtransitive=false >"$LOGS/keycloak-install.log" 2>&1 ||
      { tail -n 30 "$LOGS/keycloak-install.log" >&2; die "could not download Keycloak"; }
  fi
  log "unpacking Keycloak into $KC_HOME"
  local tmp="$CACHE/.kc-unzip.$$"
  rm -rf "$tmp" "$KC_HOME"
  mkdir -p "$tmp"
  unzip -q "$zip" -d "$tmp"
  mv "$tmp/keycloak-$KC_VERSION" "$KC_HOME"
  rm -rf "$tmp"
  touch "$KC_HOME/.complete"
}

kc_healthy() { http_ok "http://$HOST:$KC_PORT/realms/$KC_REALM/.well-known/openid-configuration" 3; }

realm_hash() { sha256sum "$REALM_FILE" | cut -d' ' -f1; }

KC_T0=""
KC_LAUNCHED=0
# Launches Keycloak if it is not running (does not wait): see up_keycloak_wait.
up_keycloak_start() {
  local pid hash_file want have
  KC_T0="$(now)"
  [[ -f "$REALM_FILE" ]] || die "realm file $REALM_FILE missing"
  kc_install
  hash_file="$KC_HOME/data/.leads-realm.sha256"
  want="$(realm_hash)"
  have="$(cat "$hash_file" 2>/dev/null || true)"
  if [[ "$want" != "$have" ]]; then
    if live_pid keycloak >/dev/null; then
      log "realm file changed: restarting Keycloak to re-import it"
      stop_component keycloak
    fi
  fi
  if pid="$(live_pid keycloak)"; then
    log "Keycloak already running (pid $pid)"
    return 0
  fi
  if port_open "$KC_PORT"; then
    kc_healthy || die "port $KC_PORT is taken by another process"
    warn "Keycloak already running on $HOST:$KC_PORT (not started by this script; realm not re-checked)"
    return 0
  fi
  mkdir -p "$KC_HOME/data/import"
  if [[ "$want" != "$have" ]]; then
    if [[ -d "$KC_HOME/data/h2" ]]; then
      log "realm file changed since the last import: wiping Keycloak's data/h2"
    fi
    rm -rf "$KC_HOME/data/h2"
  fi
  cp "$REALM_FILE" "$KC_HOME/data/import/leads-realm.json"
  log "starting Keycloak $KC_VERSION on $HOST:$KC_PORT (first start ~60 s, later ~15 s)"
  start_bg keycloak "$LOGS/keycloak.log" "$KC_HOME" \
    env KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin JAVA_HOME="${JAVA_HOME:-}" \
    "$KC_HOME/bin/kc.sh" start-dev --http-port "$KC_PORT" --http-host "$HOST" --import-realm
  KC_LAUNCHED=1
}

up_keycloak_wait() {
  live_pid keycloak >/dev/null || return 0 # foreign instance, checked in up_keycloak_start
  wait_for keycloak 180 kc_healthy || die "Keycloak did not become healthy (see $LOGS/keycloak.log)"
  if [[ "$KC_LAUNCHED" == 1 ]]; then
    realm_hash >"$KC_HOME/data/.leads-realm.sha256"
    log "Keycloak ready in $(elapsed "$KC_T0") s"
  fi
}

# ---------------------------------------------------------------------------------------------
# GreenMail (SMTP 3025, REST API 8025)
# ---------------------------------------------------------------------------------------------
gm_install() {
  [[ -f "$GM_JAR" ]] && return 0
  local m2="$HOME/.m2/repository/com/icegreen/greenmail-standalone/$GM_VERSION/greenmail-standalone-$GM_VERSION.jar"
  if [[ ! -f "$m2" ]]; then
    log "downloading GreenMail $GM_VERSION with Maven (once)"
    mvn_cmd -B -q dependency:get -Dartifact="com.icegreen:greenmail-standalone:$GM_VERSION" \
      -Dtransitive=false >"$LOGS/greenmail-install.log" 2>&1 ||
      { tail -n 30 "$LOGS/greenmail-install.log" >&2; die "could not download GreenMail"; }
  fi
  mkdir -p "$CACHE"
  cp "$m2" "$GM_JAR.tmp" && mv "$GM_JAR.tmp" "$GM_JAR"
}

gm_healthy() { http_ok "http://$HOST:$GM_API_PORT/api/service/readiness" 3; }

up_greenmail() {
  local t0 pid
  t0="$(now)"
  gm_install
  if pid="$(live_pid greenmail)"; then
    wait_for greenmail 60 gm_healthy || die "GreenMail (pid $pid) is not healthy"
    log "GreenMail already running (pid $pid)"
    return 0
  fi
  if port_open "$GM_API_PORT" || port_open "$GM_SMTP_PORT"; then
    gm_healthy || die "port $GM_API_PORT or $GM_SMTP_PORT is taken by another process"
    log "GreenMail already running (not started by this script)"
    return 0
  fi
  log "starting GreenMail $GM_VERSION (SMTP $HOST:$GM_SMTP_PORT, API $HOST:$GM_API_PORT)"
  start_bg greenmail "$LOGS/greenmail.log" "$STATE" \
    "$JAVA" -Xms32m -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    -Dgreenmail.setup.test.smtp -Dgreenmail.hostname="$HOST" -Dgreenmail.auth.disabled \
    -Dgreenmail.api.hostname="$HOST" -Dgreenmail.api.port="$GM_API_PORT" \
    -jar "$GM_JAR"
  wait_for greenmail 60 gm_healthy || die "GreenMail did not become healthy (see $LOGS/greenmail.log)"
  log "GreenMail ready in $(elapsed "$t0") s"
}

# ---------------------------------------------------------------------------------------------
# The five Quarkus services
# ---------------------------------------------------------------------------------------------
svc_jar() { echo "$ROOT/$1/target/quarkus-app/quarkus-run.jar"; }
svc_healthy() { http_ok "http://$HOST:$1/q/health/ready" 3; }

build_services_if_needed() {
  local entry missing=()
  for entry in "${SERVICES[@]}"; do
    [[ -f "$(svc_jar "${entry%%:*}")" ]] || missing+=("${entry%%:*}")
  done
  ((${#missing[@]} == 0)) && return 0
  local t0
  t0="$(now)"
  log "missing jars (${missing[*]}): building with ./mvnw -B -q -DskipTests package (log: $LOGS/build.log)"
  [[ -x "$ROOT/mvnw" ]] || die "$ROOT/mvnw not found"
  (cd "$ROOT" && ./mvnw -B -q -DskipTests package) >"$LOGS/build.log" 2>&1 ||
    { tail -n 40 "$LOGS/build.log" >&2; die "build failed (see $LOGS/build.log)"; }
  log "build done in $(elapsed "$t0") s"
  for entry in "${SERVICES[@]}"; do
    [[ -f "$(svc_jar "${entry%%:*}")" ]] || die "still no $(svc_jar "${entry%%:*}") after the build"
  done
}

# start_service MODULE PORT: starts it unless already running; prints nothing if already healthy.
start_service() {
  local module="$1" port="$2" pid
  if pid="$(live_pid "$module")"; then
    log "$module already running (pid $pid)"
    return 0
  fi
  if port_open "$port"; then
    svc_healthy "$port" || die "port $port is taken by another process (wanted by $module)"
    log "$module already running on port $port (not started by this script)"
    return 0
  fi
  log "starting $module on $HOST:$port"
  # The JVM options of k8s/base/<module>/jvm.env, the file the Kubernetes manifests use too (heap, collector,
  # code cache; MALLOC_ARENA_MAX); the AOT cache when `dev/stack.sh aot` made one for this jar (AOT_MODE
  # --train records one instead). LEADS_SERVICE_JVM_OPTS adds or overrides flags.
  local opts envs=()
  opts="$("$SCRIPT_DIR/jvm-options.sh" "$module" "${AOT_MODE:---cache}" "$(svc_jar "$module")")"
  mapfile -t envs < <("$SCRIPT_DIR/jvm-options.sh" "$module" --env | grep -v '^JDK_JAVA_OPTIONS=')
  # shellcheck disable=SC2086
  start_bg "$module" "$LOGS/$module.log" "$ROOT/$module" \
    env "${envs[@]}" "$JAVA" $opts ${LEADS_SERVICE_JVM_OPTS:-} -jar "$(svc_jar "$module")"
}

wait_service() {
  local module="$1" port="$2" t0
  t0="$(now)"
  wait_for "$module" 120 svc_healthy "$port" || die "$module did not become ready (see $LOGS/$module.log)"
  log "$module ready"
}

up_services() {
  local t0 i
  t0="$(now)"
  build_services_if_needed
  # At most two JVMs starting at once (2 cores).
  for ((i = 0; i < ${#SERVICES[@]}; i += 2)); do
    local a="${SERVICES[i]}" b="${SERVICES[i + 1]:-}"
    start_service "${a%%:*}" "${a##*:}"
    [[ -n "$b" ]] && start_service "${b%%:*}" "${b##*:}"
    wait_service "${a%%:*}" "${a##*:}"
    [[ -n "$b" ]] && wait_service "${b%%:*}" "${b##*:}"
  done
  log "services ready in $(elapsed "$t0") s"
}

print_urls() {
  local infra_only="$1"
  cat <<EOF

Local stack (all on $HOST):
  PostgreSQL     $HOST:$PG_PORT  user postgres (trust)  dbs: ${DATABASES[*]}
  Kafka          $HOST:$KAFKA_PORT  topics: ${KAFKA_TOPICS[*]}
  Keycloak       http://$HOST:$KC_PORT/admin/  (admin / admin)   realm: http://$HOST:$KC_PORT/realms/$KC_REALM
  GreenMail      SMTP $HOST:$GM_SMTP_PORT   API http://$HOST:$GM_API_PORT/api/user (Swagger UI: http://$HOST:$GM_API_PORT/)
EOF
  if [[ "$infra_only" != 1 ]]; then
    echo "  Gateway        http://$HOST:8080"
    echo "  Swagger UI:"
    local entry
    for entry in "${SERVICES[@]}"; do
      printf '    %-18s http://%s:%s/q/swagger-ui\n' "${entry%%:*}" "$HOST" "${entry##*:}"
    done
  fi
  cat <<EOF

Token for the demo user 'marketing' (public client leads-web, password grant):
  curl -s -X POST http://$HOST:$KC_PORT/realms/$KC_REALM/protocol/openid-connect/token \\
    -d grant_type=password -d client_id=leads-web -d username=marketing -d password=marketing | jq -r .access_token
(or: dev/token.sh marketing | sales | admin | partner-user | partner-acme | partner-globex)
EOF
}

# ---------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------
cmd_up() {
  local infra_only=0 arg
  for arg in "$@"; do
    case "$arg" in
      --infra) infra_only=1 ;;
      *) die "unknown option for up: $arg" ;;
    esac
  done
  command -v curl >/dev/null || die "curl is required"
  command -v unzip >/dev/null || die "unzip is required"
  [[ -x "$JAVA" ]] || command -v "$JAVA" >/dev/null || die "java not found (JAVA_HOME=$JAVA_HOME)"
  mkdir -p "$LOGS" "$PIDS" "$CACHE"
  local t0
  t0="$(now)"
  up_postgres
  # Kafka and Keycloak are launched in this order, then waited for: Keycloak's slow start
  # overlaps Kafka's (and the topic creation).
  up_kafka_start
  up_keycloak_start
  up_kafka_wait
  up_keycloak_wait
  up_greenmail
  if [[ "$infra_only" != 1 ]]; then up_services; fi
  print_urls "$infra_only"
  echo
  echo "stack ready in $(elapsed "$t0") s"
}

status_line() {
  local name="$1" port="$2" pid="$3" state="$4"
  local rss="-"
  [[ -n "$pid" && -d "/proc/$pid" ]] && rss="$(rss_mb "$pid")"
  printf '%-18s %-9s %-8s %-6s %s\n' "$name" "$state" "${pid:--}" "$port" "$rss"
}

cmd_status() {
  printf '%-18s %-9s %-8s %-6s %s\n' COMPONENT STATE PID PORT RSS_MB
  # PostgreSQL: the machine's own; PID from its postmaster.pid.
  local pgpid="" ver
  ver="$(pg_version || true)"
  if [[ -n "$ver" && -r "/var/run/postgresql/$ver-main.pid" ]]; then
    pgpid="$(head -n 1 "/var/run/postgresql/$ver-main.pid")"
  fi
  if pg_ready; then status_line postgresql "$PG_PORT" "$pgpid" running; else status_line postgresql "$PG_PORT" "" stopped; fi
  local entries=("kafka:$KAFKA_PORT" "keycloak:$KC_PORT" "greenmail:$GM_API_PORT" "${SERVICES[@]}")
  local entry name port pid state
  for entry in "${entries[@]}"; do
    name="${entry%%:*}" port="${entry##*:}"
    if pid="$(live_pid "$name")"; then
      state=running
      port_open "$port" || state=starting
    else
      pid=""
      if port_open "$port"; then state=foreign; else state=stopped; fi
    fi
    status_line "$name" "$port" "$pid" "$state"
  done
}

cmd_down() {
  local services_only=0 arg i
  for arg in "$@"; do
    case "$arg" in
      --services) services_only=1 ;;
      *) die "unknown option for down: $arg" ;;
    esac
  done
  local services=()
  for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do services+=("${SERVICES[i]%%:*}"); done
  # Services first (they use the infrastructure), then Keycloak and GreenMail, Kafka last.
  stop_components "${services[@]}"
  if [[ "$services_only" != 1 ]]; then
    stop_components greenmail keycloak
    stop_components kafka
  fi
  if [[ "$services_only" == 1 ]]; then
    log "services stopped (infrastructure left running)"
  else
    log "stopped (PostgreSQL left running: it is the machine's own)"
  fi
}

# Trains the AOT cache (JDK 25, JEP 483/514) of every service: each starts once with -XX:AOTCacheOutput
# against the running infrastructure, then stops normally, and the JVM writes
# <module>/target/quarkus-app/app.aot. Later starts use it while it is newer than the jar (a rebuild
# makes it stale: run this again). Needs `up --infra` first.
cmd_aot() {
  local entry module t0
  t0="$(now)"
  kafka_healthy || die "Kafka is not running: dev/stack.sh up --infra first"
  local services=()
  for entry in "${SERVICES[@]}"; do services+=("${entry%%:*}"); done
  stop_components "${services[@]}"
  build_services_if_needed
  for entry in "${SERVICES[@]}"; do rm -f "$(dirname "$(svc_jar "${entry%%:*}")")/app.aot"; done
  AOT_MODE=--train up_services
  log "stopping the services: each JVM writes its AOT cache on exit (up to 5 minutes)"
  STOP_WAIT=300 stop_components "${services[@]}"
  for entry in "${SERVICES[@]}"; do
    module="${entry%%:*}"
    if [[ -f "$(dirname "$(svc_jar "$module")")/app.aot" ]]; then
      log "$module: AOT cache $(du -m "$(dirname "$(svc_jar "$module")")/app.aot" | cut -f1) MB"
    else
      warn "$module: no AOT cache written (see $LOGS/$module.log); it starts without one"
    fi
  done
  log "AOT caches trained in $(elapsed "$t0") s; dev/stack.sh up uses them"
}

cmd_logs() {
  echo "logs: $LOGS"
  ls -la "$LOGS" 2>/dev/null || true
}

usage() {
  sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

main() {
  local cmd="${1:-}"
  [[ $# -gt 0 ]] && shift
  case "$cmd" in
    up) cmd_up "$@" ;;
    status) cmd_status ;;
    down) cmd_down "$@" ;;
    logs) cmd_logs ;;
    aot) cmd_aot ;;
    -h | --help | help | "") usage ;;
    *) usage; exit 2 ;;
  esac
}

main "$@"
