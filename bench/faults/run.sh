#!/usr/bin/env bash
# Fault suite (issue 13): streams leads through the gateway, injects one fault per scenario and counts
# in every service's database that nothing was lost and nothing counted twice.
#
#   bench/faults/run.sh [--quick] [scenario ...]     scenarios: replicas kill kafka postgres replay rescore (default: all)
#
# Runs on its OWN infrastructure, never the shared one of dev/stack.sh: a throwaway PostgreSQL cluster
# (initdb into .dev/faults/pg, 127.0.0.1:$FAULTS_PG_PORT) and a throwaway Kafka broker (same jars as
# dev/stack.sh, data in .dev/faults/kafka-data, 127.0.0.1:$FAULTS_KAFKA_PORT), both wiped at the start and
# stopped at the end (also on failure or Ctrl-C), and a throwaway GreenMail (SMTP $FAULTS_GREENMAIL_SMTP_PORT, REST API
# $FAULTS_GREENMAIL_API_PORT) that receives nurturing's mails. Two replicas each of capture, scoring, nurturing and kpi
# (same consumer groups) and two gateways (one per replica number; the load alternates between them) run
# from the jars of this worktree on ports 19180-19299. Only Keycloak (8180) is shared, read-only, for one
# marketing token. Bounded in time: every wait has a limit; --quick took 10-12 minutes at load average 20-30
# (7 before nurturing joined).
#
# Every scenario's form is the trigger of a one-step sequence (send at once), so every stored lead must get
# exactly one e-mail, counted by recipient address in GreenMail.
# Prints a markdown table (scenario, leads sent, accepted, stored, scored, counted, e-mailed, duplicates,
# lost, failover) and writes it with the details to .dev/faults/report.md. Exit code 1 if a check failed.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
cd "$ROOT"

JAVA_HOME="${LEADS_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$JAVA_HOME/bin/java"
CACHE="${LEADS_CACHE_DIR:-$HOME/.cache/leads-platform}"
KAFKA_HOME="$CACHE/kafka-4.3.1"
HOST=127.0.0.1

MODE=long
SCENARIOS=()
for arg in "$@"; do
  case "$arg" in
    --quick) MODE=quick ;;
    replicas | kill | kafka | postgres | replay | rescore) SCENARIOS+=("$arg") ;;
    -h | --help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done
((${#SCENARIOS[@]})) || SCENARIOS=(replicas kill kafka postgres replay rescore)

# ---- sizes: quick (CI) and long (BENCHMARKS.md); every one can be overridden by environment ----------
if [[ "$MODE" == quick ]]; then
  : "${FAULTS_RATE:=40}" "${FAULTS_SECONDS:=15}" "${FAULTS_KILL_SECONDS:=40}" "${FAULTS_KILL_AT:=10}"
  : "${FAULTS_KAFKA_SECONDS:=50}" "${FAULTS_PG_SECONDS:=30}" "${FAULTS_PG_DOWN:=8}"
  : "${FAULTS_RESCORE_LEADS:=3000}" "${FAULTS_RESCORE_RATE:=50}"
else
  : "${FAULTS_RATE:=200}" "${FAULTS_SECONDS:=60}" "${FAULTS_KILL_SECONDS:=120}" "${FAULTS_KILL_AT:=30}"
  : "${FAULTS_KAFKA_SECONDS:=90}" "${FAULTS_PG_SECONDS:=60}" "${FAULTS_PG_DOWN:=15}"
  : "${FAULTS_RESCORE_LEADS:=20000}" "${FAULTS_RESCORE_RATE:=$FAULTS_RATE}"
fi
: "${FAULTS_KAFKA_DOWN:=30}"            # seconds Kafka stays stopped
# rescore: at least FAULTS_RESCORE_LEADS leads scored before the activation (streamed at FAULTS_RESCORE_RATE if fewer);
# every wait of the scenario (a chunk claimed, the takeover, the job done) at most FAULTS_RESCORE_MAX s
: "${FAULTS_RESCORE_MAX:=180}"
: "${FAULTS_FAILOVER_TARGET:=10}"       # seconds allowed for a survivor to own a killed replica's partitions
: "${FAULTS_DRAIN_MAX:=120}"            # longest wait for scoring and kpi to catch up after a scenario
: "${FAULTS_FINAL_DRAIN_MAX:=$([[ $MODE == quick ]] && echo 300 || echo 1800)}" # longest wait, at the end, before the counts are taken (a loaded machine is slow; long: nurturing works off tens of thousands of leads)
# a submission without an answer within this many seconds counts as hanging (the gateway's own read timeout
# is 30 s, after which it answers 504)
: "${FAULTS_ANSWER_TIMEOUT:=35}"
: "${FAULTS_WARMUP:=15}"                # seconds of load, not counted, to warm the JVMs up before the scenarios
: "${FAULTS_PG_PORT:=19432}" "${FAULTS_KAFKA_PORT:=19092}" "${FAULTS_KAFKA_CONTROLLER_PORT:=19093}"
: "${FAULTS_GREENMAIL_SMTP_PORT:=19325}" "${FAULTS_GREENMAIL_API_PORT:=19326}"
# nurturing's leases, shorter than the defaults (60 s, 60 s, SMTP timeout 30 s) so that a killed replica's claimed
# enrollments and mails are taken over within the scenario: a mail in doubt waits lease + timeout, then is looked up
# in GreenMail by Message-ID (sent there: kept; not there: sent now), never resent blindly
: "${FAULTS_NURTURING_OPTS:=-Dnurturing.scheduler.lease=15s -Dnurturing.dispatch.lease=10s -Dnurturing.dispatch.timeout=5s}"
: "${FAULTS_JVM_OPTS:=-Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1}"  # C1 only: 10 JVMs start on 2 shared cores
# extra -D options for the services (e.g. to try another consumer setting without changing the defaults)
: "${FAULTS_SERVICE_OPTS:=}"
# extra broker settings, lines separated by \n (e.g. group.consumer.session.timeout.ms=6000 to try KIP-848)
: "${FAULTS_BROKER_EXTRA:=}"

STATE="$ROOT/.dev/faults"
LOGS="$STATE/logs"
PIDS="$STATE/pids"
PGDATA="$STATE/pg"
PGSOCK="$STATE/pgsock"
KAFKA_DATA="$STATE/kafka-data"
TOOL_CP="$STATE/tool"
REPORT="$STATE/report.md"
KAFKA="$HOST:$FAULTS_KAFKA_PORT"
DATABASES=(capture scoring nurturing kpi)
GROUPS_WATCHED=scoring-service,nurturing-service,kpi-service
GREENMAIL_API="http://$HOST:$FAULTS_GREENMAIL_API_PORT"
# the GreenMail jar of dev/stack.sh (its cache), or the one Maven fetched
GM_JAR="$CACHE/greenmail-standalone-2.1.13.jar"
[[ -f "$GM_JAR" ]] || GM_JAR="$HOME/.m2/repository/com/icegreen/greenmail-standalone/2.1.13/greenmail-standalone-2.1.13.jar"

# replica name -> module and port; gateways: one per capture replica
declare -A MODULE=([capture-1]=capture-service [capture-2]=capture-service [scoring-1]=scoring-service
  [scoring-2]=scoring-service [nurturing-1]=nurturing-service [nurturing-2]=nurturing-service [kpi-1]=kpi-service
  [kpi-2]=kpi-service [gateway-1]=gateway [gateway-2]=gateway)
declare -A PORT=([capture-1]=19181 [capture-2]=19281 [scoring-1]=19182 [scoring-2]=19282 [nurturing-1]=19183
  [nurturing-2]=19283 [kpi-1]=19184 [kpi-2]=19284 [gateway-1]=19180 [gateway-2]=19280)
SERVICE_MODULES=(capture-service scoring-service nurturing-service kpi-service gateway)
GATEWAY_URLS="http://$HOST:19180,http://$HOST:19280"

log() { printf '[faults %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now_ms() { date +%s%3N; }
port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

as_pg() { if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
psql_f() { PGOPTIONS='-c client_min_messages=warning' psql -X -q -At -h "$HOST" -p "$FAULTS_PG_PORT" -U postgres -v ON_ERROR_STOP=1 "$@"; }
tool() { "$JAVA" -Xmx256m -XX:TieredStopAtLevel=1 -cp "$TOOL_CP:$KAFKA_HOME/libs/*" FaultTool "$@"; }

# ---- processes -----------------------------------------------------------------------------------------
start_bg() { # NAME CMD...: own process group, PID recorded
  local name="$1"; shift
  (exec setsid "$@" >>"$LOGS/$name.log" 2>&1 </dev/null) &
  echo $! >"$PIDS/$name.pid"
  disown $! # no "Killed" notes from bash when the suite kills it
}
pid_of() { [[ -f "$PIDS/$1.pid" ]] && cat "$PIDS/$1.pid"; }
alive() { local p; p="$(pid_of "$1")" && [[ -n "$p" ]] && kill -0 "$p" 2>/dev/null; }
stop() { # NAME [SIGNAL]: the recorded process group only; waits up to 20 s
  local name="$1" sig="${2:-TERM}" p i
  p="$(pid_of "$name")" || return 0
  kill "-$sig" -- "-$p" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
  kill -KILL -- "-$p" 2>/dev/null || true
  rm -f "$PIDS/$name.pid"
}

pg_start() { as_pg pg_ctl -D "$PGDATA" -l "$LOGS/postgres.log" -w -t 60 start >/dev/null; }
pg_stop() { as_pg pg_ctl -D "$PGDATA" -m "${1:-fast}" -w -t 60 stop >/dev/null 2>&1 || true; }

cleanup() {
  local rc=$?
  set +e
  log "tearing down (services, Kafka, PostgreSQL of the fault suite)"
  for name in "${!MODULE[@]}" watch greenmail; do stop "$name"; done
  stop kafka
  [[ -f "$PGDATA/postmaster.pid" ]] && pg_stop fast
  exit "$rc"
}

infra_up() {
  [[ -x "$JAVA" ]] || die "no JDK at $JAVA_HOME (LEADS_JAVA_HOME)"
  [[ -f "$KAFKA_HOME/.complete" ]] || die "Kafka jars missing in $KAFKA_HOME: run dev/stack.sh up --infra once"
  [[ -f "$GM_JAR" ]] || die "GreenMail jar missing ($GM_JAR): run dev/stack.sh up --infra once"
  for p in "$FAULTS_PG_PORT" "$FAULTS_KAFKA_PORT" "$FAULTS_KAFKA_CONTROLLER_PORT" "$FAULTS_GREENMAIL_SMTP_PORT" \
    "$FAULTS_GREENMAIL_API_PORT" "${PORT[@]}"; do
    port_open "$p" && die "port $p is taken: another fault run? (its state is in $STATE)"
  done
  rm -rf "$STATE"
  mkdir -p "$LOGS" "$PIDS" "$PGDATA" "$PGSOCK" "$KAFKA_DATA" "$TOOL_CP"
  trap cleanup EXIT INT TERM

  log "PostgreSQL: own cluster in $PGDATA on $HOST:$FAULTS_PG_PORT"
  [[ "$(id -u)" == 0 ]] && chown -R postgres "$PGDATA" "$PGSOCK" && chmod 777 "$LOGS"
  as_pg initdb -D "$PGDATA" -U postgres --auth=trust -E UTF8 >"$LOGS/initdb.log" 2>&1 || die "initdb failed ($LOGS/initdb.log)"
  cat >>"$PGDATA/postgresql.conf" <<EOF
port = $FAULTS_PG_PORT
listen_addresses = '$HOST'
unix_socket_directories = '$PGSOCK'
max_connections = 200
shared_buffers = 64MB
fsync = off
EOF
  pg_start || die "PostgreSQL did not start ($LOGS/postgres.log)"
  for db in "${DATABASES[@]}"; do psql_f -d postgres -c "create database $db" >/dev/null; done

  log "Kafka: own broker on $KAFKA (data $KAFKA_DATA)"
  cat >"$STATE/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$FAULTS_KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$KAFKA,CONTROLLER://$HOST:$FAULTS_KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$KAFKA
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
$(printf '%b' "${FAULTS_BROKER_EXTRA:-}")
EOF
  printf 'rootLogger.level = WARN\nappender.c.type = Console\nappender.c.name = C\nrootLogger.appenderRef.c.ref = C\n' >"$STATE/log4j2.properties"
  "$JAVA" -Xmx128m -cp "$KAFKA_HOME/libs/*" -Dlog4j2.configurationFile="$STATE/log4j2.properties" kafka.tools.StorageTool \
    format -t "$("$JAVA" -cp "$KAFKA_HOME/libs/*" -Dlog4j2.configurationFile="$STATE/log4j2.properties" kafka.tools.StorageTool random-uuid | tail -n 1)" \
    -c "$STATE/server.properties" >>"$LOGS/kafka.log" 2>&1 || die "Kafka format failed"
  kafka_start
  log "GreenMail: SMTP $HOST:$FAULTS_GREENMAIL_SMTP_PORT, API $GREENMAIL_API"
  start_bg greenmail "$JAVA" -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dgreenmail.smtp.hostname="$HOST" \
    -Dgreenmail.smtp.port="$FAULTS_GREENMAIL_SMTP_PORT" -Dgreenmail.auth.disabled -Dgreenmail.hostname="$HOST" \
    -Dgreenmail.api.hostname="$HOST" -Dgreenmail.api.port="$FAULTS_GREENMAIL_API_PORT" -jar "$GM_JAR"
  "$JAVA_HOME/bin/javac" -d "$TOOL_CP" -cp "$KAFKA_HOME/libs/*" "$SCRIPT_DIR/FaultTool.java" || die "FaultTool does not compile"
  kafka_wait || die "Kafka not ready ($LOGS/kafka.log)"
  local i
  for ((i = 0; i < 120; i++)); do curl -sf -m 2 -o /dev/null "$GREENMAIL_API/api/service/readiness" && break; sleep 0.5; done
  curl -sf -m 2 -o /dev/null "$GREENMAIL_API/api/service/readiness" || die "GreenMail not ready ($LOGS/greenmail.log)"
  "$JAVA" -Xmx128m -cp "$KAFKA_HOME/libs/*" -Dlog4j2.configurationFile="$STATE/log4j2.properties" org.apache.kafka.tools.TopicCommand \
    --bootstrap-server "$KAFKA" --create --if-not-exists --topic capture.events --partitions 3 --replication-factor 1 >/dev/null
}

kafka_start() {
  start_bg kafka "$JAVA" -Xms128m -Xmx512m -Dlog4j2.configurationFile="$STATE/log4j2.properties" \
    -Dkafka.logs.dir="$LOGS" -cp "$KAFKA_HOME/libs/*" kafka.Kafka "$STATE/server.properties"
}
kafka_wait() { local i; for ((i = 0; i < 120; i++)); do port_open "$FAULTS_KAFKA_PORT" && return 0; sleep 0.5; done; return 1; }

# ---- services ------------------------------------------------------------------------------------------
jar_of() { echo "$ROOT/$1/target/quarkus-app/quarkus-run.jar"; }
# the services run from a copy, so a rebuild during the run (another terminal) cannot change their jars
run_jar_of() { echo "$STATE/apps/$1/quarkus-run.jar"; }

build_if_missing() {
  local missing=()
  for m in "${SERVICE_MODULES[@]}"; do [[ -f "$(jar_of "$m")" ]] || missing+=("$m"); done
  ((${#missing[@]})) || return 0
  log "building ${missing[*]} (jars missing)"
  JAVA_HOME="$JAVA_HOME" ./mvnw -B -q -ntp -DskipTests package -pl "$(IFS=,; echo "${missing[*]}")" -am >"$LOGS/build.log" 2>&1 ||
    die "build failed ($LOGS/build.log)"
}

copy_apps() {
  local m
  for m in "${SERVICE_MODULES[@]}"; do
    mkdir -p "$STATE/apps"
    cp -r "$ROOT/$m/target/quarkus-app" "$STATE/apps/$m"
  done
}

service_start() { # NAME
  local name="$1" module="${MODULE[$1]}" port="${PORT[$1]}" db
  local -a opts=(-Dquarkus.http.port="$port" -Dquarkus.http.host="$HOST")
  case "$module" in
    gateway)
      local n="${name#gateway-}"
      opts+=(-Dgateway.routes.capture.upstream="http://$HOST:${PORT[capture-$n]}"
        -Dgateway.routes.scoring.upstream="http://$HOST:${PORT[scoring-$n]}"
        -Dgateway.routes.kpi.upstream="http://$HOST:${PORT[kpi-$n]}"
        -Dgateway.routes.nurturing.upstream="http://$HOST:${PORT[nurturing-$n]}"
        # the load comes from one IP (127.0.0.1) at FAULTS_RATE: the per-IP limit of public paths would
        # answer most of it 429 and hide what the fault does
        -Dgateway.rate-limit.enabled=false) ;;
    *)
      db="${module%-service}"
      opts+=(-Dquarkus.datasource.jdbc.url="jdbc:postgresql://$HOST:$FAULTS_PG_PORT/$db"
        -Dquarkus.datasource.reactive.url="postgresql://$HOST:$FAULTS_PG_PORT/$db"
        -Dkafka.bootstrap.servers="$KAFKA")
      # each replica names its consumers, so the group description tells the replicas apart
      [[ "$module" != capture-service ]] && opts+=(-Dmp.messaging.incoming.capture-events.client.id="$name")
      [[ "$module" == scoring-service ]] && opts+=(-Dmp.messaging.incoming.nurturing-events.client.id="$name-nurturing")
      if [[ "$module" == nurturing-service ]]; then
        # shellcheck disable=SC2206
        opts+=(-Dmp.messaging.incoming.scoring-events.client.id="$name-scoring" -Dquarkus.mailer.host="$HOST"
          -Dquarkus.mailer.port="$FAULTS_GREENMAIL_SMTP_PORT" -Dnurturing.dispatch.greenmail-api="$GREENMAIL_API"
          $FAULTS_NURTURING_OPTS)
      fi
      ;;
  esac
  # shellcheck disable=SC2086
  start_bg "$name" "$JAVA" $FAULTS_JVM_OPTS "${opts[@]}" $FAULTS_SERVICE_OPTS -jar "$(run_jar_of "$module")"
}

ready() { [[ "$(curl -s -o /dev/null -m 3 -w '%{http_code}' "http://$HOST:${PORT[$1]}/q/health/ready")" == 200 ]]; }

wait_ready() { # NAME...: all healthy within 180 s
  local name start=$SECONDS
  for name in "$@"; do
    until ready "$name"; do
      alive "$name" || { tail -n 30 "$LOGS/$name.log" >&2; die "$name exited during startup"; }
      ((SECONDS - start < 180)) || { tail -n 30 "$LOGS/$name.log" >&2; die "$name not ready after 180 s"; }
      sleep 1
    done
  done
}

services_up() { # two JVMs at a time (2 cores)
  log "starting capture, scoring, nurturing and kpi twice, two gateways"
  service_start capture-1; service_start scoring-1; wait_ready capture-1 scoring-1
  service_start kpi-1; service_start capture-2; wait_ready kpi-1 capture-2
  service_start scoring-2; service_start kpi-2; wait_ready scoring-2 kpi-2
  service_start nurturing-1; service_start nurturing-2; wait_ready nurturing-1 nurturing-2
  service_start gateway-1; service_start gateway-2; wait_ready gateway-1 gateway-2
}

# ---- forms, load, counts ---------------------------------------------------------------------------------
TOKEN=""
form_create() { # KEY: a form whose channel is its key, without rate limits, render token or double opt-in; it asks
  # for marketing e-mail consent (the load grants it), so nurturing may mail every lead
  local key="$1" code
  code="$(curl -sS -m 20 -o "$STATE/form.json" -w '%{http_code}' -X POST -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' "http://$HOST:${PORT[gateway-1]}/api/capture/forms" \
    -d "{\"key\":\"$key\",\"name\":\"Fault suite $key\",\"channel\":\"$key\",\"campaign\":\"faults\",\"doubleOptIn\":false,\"requireRenderToken\":false,\"rateLimits\":{\"perIpPerMinute\":0,\"perFormPerMinute\":0},\"consent\":{\"text\":\"Send me e-mails about the fault suite\",\"version\":\"v1\",\"purposes\":[\"marketing_email\"]}}")"
  [[ "$code" == 201 || "$code" == 200 ]] || die "form $key not created (HTTP $code): $(cat "$STATE/form.json")"
}

# One sequence, triggered by every scenario's form (lead.captured with sourceRef = form key), whose single step
# sends at once: each stored lead means exactly one e-mail. Created through gateway-1 (nurturing-1).
sequence_create() {
  local forms code
  forms="$(printf '"faults-%s",' warmup replicas kill kafka postgres rescore)"
  code="$(curl -sS -m 20 -o "$STATE/template.json" -w '%{http_code}' -X PUT -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' "http://$HOST:${PORT[gateway-1]}/api/nurturing/templates/faults" \
    -d '{"name":"Fault suite","subject":"Fault suite {lead.firstName}","html":"<p>Hello {lead.firstName}</p>","text":"Hello {lead.firstName}"}')"
  [[ "$code" == 201 || "$code" == 200 ]] || die "template not created (HTTP $code): $(cat "$STATE/template.json")"
  code="$(curl -sS -m 20 -o "$STATE/sequence.json" -w '%{http_code}' -X POST -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' "http://$HOST:${PORT[gateway-1]}/api/nurturing/sequences" \
    -d "{\"name\":\"Fault suite\",\"trigger\":{\"forms\":[${forms%,}]},\"reenroll\":false,\"steps\":[{\"id\":\"hello\",\"type\":\"send\",\"template\":\"faults\"}]}")"
  [[ "$code" == 201 || "$code" == 200 ]] || die "sequence not created (HTTP $code): $(cat "$STATE/sequence.json")"
}

load() { # KEY SECONDS [extra FaultTool options]: streams submissions to the form through both gateways
  local key="$1" seconds="$2"; shift 2
  local urls
  urls="$(echo "$GATEWAY_URLS" | sed "s#\([^,]*\)#\1/api/capture/forms/$key/submissions#g")"
  tool load --urls "$urls" --rate "$FAULTS_RATE" --seconds "$seconds" --tag "$key-$RUN" --out "$STATE/$key" \
    --timeout "$FAULTS_ANSWER_TIMEOUT" "$@"
}

prop() { local v; v="$(sed -n "s/^$2=//p" "$STATE/$1/load.properties" | head -n 1)"; echo "${v:-0}"; }

stored() { psql_f -d capture -c "select count(*) from lead where channel = '$1'"; }
scored() { psql_f -d scoring -c "select count(*) from lead_score where channel = '$1'"; }
counted() { psql_f -d kpi -c "select coalesce(sum(leads), 0) from lead_rollup where channel = '$1'"; }
# a lead scored twice would have two initial transitions (from no stage to LEAD)
scoring_duplicates() {
  psql_f -d scoring -c "select count(*) - count(distinct t.lead_id) from stage_transition t join lead_score s using (lead_id)
                        where s.channel = '$1' and t.from_stage is null"
}
# mails of the channel's leads that nurturing has finished with (sent, or bounced, suppressed, in doubt without
# lookup): the drain waits for these; what counts is what GreenMail received (emailed)
mailed() {
  psql_f -d nurturing -c "select count(*) from email_message m join contact c using (lead_id)
                          where c.channel = '$1' and m.state not in ('queued', 'dispatching')"
}
# e-mails GreenMail received for the channel's stored leads, by recipient address: writes
# $STATE/KEY/mails.properties (received, mailed, duplicates, lost) and prints received
emailed() {
  local key="$1"
  psql_f -d capture -c "\copy (select email from lead where channel = '$key') to '$STATE/$key/addresses.txt'"
  tool mails --api "$GREENMAIL_API" --addresses "$STATE/$key/addresses.txt" >"$STATE/$key/mails.properties"
  mprop "$key" received
}
mprop() { local v; v="$(sed -n "s/^$2=//p" "$STATE/$1/mails.properties" | head -n 1)"; echo "${v:-0}"; }

# accepted (202) but not stored in capture's database
not_stored() {
  local key="$1"
  psql_f -d capture -c "create table if not exists faults_accepted (channel text, email text)" >/dev/null
  psql_f -d capture -c "delete from faults_accepted where channel = '$key'" >/dev/null
  sed "s/^/$key,/" "$STATE/$key/accepted.txt" | psql_f -d capture -c "\copy faults_accepted (channel, email) from stdin with csv"
  psql_f -d capture -c "select count(*) from faults_accepted a where a.channel = '$key'
                        and not exists (select 1 from lead l where lower(l.email) = lower(a.email))"
}

# KEY [mails]: waits until scoring and kpi (and with "mails" nurturing: every mail finished) have as many leads as
# capture stored, at most FAULTS_DRAIN_MAX s. After a scenario the suite waits for scoring and kpi only: nurturing
# (one transaction per event, 3 events per lead) is the slowest consumer, and its backlog may run into the next
# scenario's fault, which is a harder test, not a weaker one; the counts wait for every mail (drain_all).
drain() {
  local key="$1" mails="${2:-}" start=$SECONDS s
  while ((SECONDS - start < FAULTS_DRAIN_MAX)); do
    s="$(stored "$key")"
    [[ "$(scored "$key")" == "$s" && "$(counted "$key")" == "$s" && ( -z "$mails" || "$(mailed "$key")" == "$s" ) ]] &&
      { sleep 3; return 0; }
    sleep 1
  done
  log "scoring/kpi${mails:+/nurturing} did not catch up with capture for $key within $FAULTS_DRAIN_MAX s"
}

# ---- report ------------------------------------------------------------------------------------------------
FAILED=0
ROWS=()
DETAILS=()
check() { # CONDITION-TEXT RESULT(0/1)
  if [[ "$2" == 0 ]]; then DETAILS+=("- ok: $1"); else DETAILS+=("- **FAILED**: $1"); FAILED=1; fi
}

# Counts are taken at the end (count_rows), after every consumer had time to catch up: on a loaded machine kpi
# (one event per transaction) may still be counting a scenario's backlog when the next one starts.
PENDING=()
row() { PENDING+=("$1|$2|$3"); } # SCENARIO KEY FAILOVER

drain_all() { # waits until every scenario's leads are scored, counted and mailed, at most $1 s in all
  local limit="$1" start=$SECONDS p key
  # the warm-up's mails too: a count still moving would fail the replay check
  for p in "-|faults-warmup|-" "${PENDING[@]}"; do
    key="$(echo "$p" | cut -d'|' -f2)"
    FAULTS_DRAIN_MAX=$((limit - (SECONDS - start) > 1 ? limit - (SECONDS - start) : 1)) drain "$key" mails
  done
}

count_rows() {
  local p
  drain_all "$FAULTS_FINAL_DRAIN_MAX"
  for p in "${PENDING[@]}"; do
    IFS='|' read -r name key failover <<<"$p"
    count_row "$name" "$key" "$failover"
  done
}

count_row() { # SCENARIO KEY FAILOVER
  local name="$1" key="$2" failover="$3" sent accepted st sc co em dup lost ns
  sent="$(prop "$key" sent)"; accepted="$(prop "$key" accepted)"
  st="$(stored "$key")"; sc="$(scored "$key")"; co="$(counted "$key")"; em="$(emailed "$key")"
  ns="$(not_stored "$key")"
  dup=$(($(scoring_duplicates "$key") + (co > st ? co - st : 0) + $(mprop "$key" duplicates)))
  lost=$((ns + (sc < st ? st - sc : 0) + (co < st ? st - co : 0) + $(mprop "$key" lost)))
  ROWS+=("| $name | $sent | $accepted | $st | $sc | $co | $em | $dup | $lost | $failover |")
  check "$name: nothing lost ($ns accepted but not stored; $((st - sc)) stored but not scored; $((st - co)) stored but not counted; $(mprop "$key" lost) stored but never e-mailed)" $((lost != 0))
  check "$name: nothing doubled ($dup; of them $(mprop "$key" duplicates) e-mails beyond the first to one address)" $((dup != 0))
  local states
  states="$(psql_f -d nurturing -c "select string_agg(state || ' ' || n, ', ' order by state) from (select m.state, count(*) n
             from email_message m join contact c using (lead_id) where c.channel = '$key' group by 1) x")"
  DETAILS+=("- $name: nurturing's mails by state: ${states:-none}; GreenMail: $(mprop "$key" received) received by $(mprop "$key" mailed) of $st addresses")
  # unanswered submissions fail the scenarios whose fault is on the request path (Kafka: all must be accepted,
  # PostgreSQL: never a hang); under replicas and kill -9 (consumers only) they can only be CPU starvation
  # of a loaded machine and are reported
  case "$key" in
    faults-kafka | faults-postgres)
      check "$name: every submission answered within $FAULTS_ANSWER_TIMEOUT s ($(prop "$key" timeouts) without answer)" $(($(prop "$key" timeouts) != 0)) ;;
    *) (($(prop "$key" timeouts))) && DETAILS+=("- $name: $(prop "$key" timeouts) submissions without answer within $FAULTS_ANSWER_TIMEOUT s (the fault does not touch the request path: CPU starvation, see the load average)") ;;
  esac
  check "$name: every refusal a problem+json ($(prop "$key" errorsNotProblem) not)" $(($(prop "$key" errorsNotProblem) != 0))
  (($(prop "$key" status.504))) && DETAILS+=("- $name: $(prop "$key" status.504) × 504 from the gateway (capture gave no connection within the gateway's 2 s connect timeout: CPU starvation, see the load average)")
  check "$name: no 500 and no stack trace ($(prop "$key" status500) × 500, $(prop "$key" stackTraces) bodies with a stack trace)" \
    $(($(prop "$key" status500) + $(prop "$key" stackTraces) != 0))
}

# Failover of GROUP after the kill at KILL_MS of the replica with client id VICTIM: seconds until the group is
# Stable again with every capture.events partition owned by a live member (from the watch log).
failover_seconds() {
  local group="$1" victim="$2" kill_ms="$3"
  awk -v g="$group" -v v="$victim" -v k="$kill_ms" '
    $2 == g && $1 >= k && $3 == "Stable" && index($0, v "=") == 0 {
      n = 0
      for (i = 4; i <= NF; i++) { split($i, kv, "="); m = split(kv[2], ps, ","); for (j = 1; j <= m; j++) if (ps[j] ~ /^capture.events:/) n++ }
      if (n == 3) { printf "%.1f", ($1 - k) / 1000; exit }
    }' "$STATE/watch.log"
}

# ---- scenarios ---------------------------------------------------------------------------------------------
scenario_replicas() {
  local key="faults-replicas"
  form_create "$key"
  log "replicas: $FAULTS_RATE leads/s for $FAULTS_SECONDS s through two gateways to two capture replicas"
  load "$key" "$FAULTS_SECONDS"
  drain "$key"
  local g
  for g in scoring-service nurturing-service kpi-service; do
    local line
    line="$(grep " $g " "$STATE/watch.log" | tail -n 1 | cut -d' ' -f3-)"
    DETAILS+=("- replicas: $g assignment: \`$line\`")
    local members
    members="$(echo "$line" | tr ' ' '\n' | grep -c 'capture.events:' || true)"
    check "replicas: both $g replicas own capture.events partitions" $((members < 2))
  done
  row replicas "$key" "-"
}

scenario_kill() {
  local key="faults-kill"
  form_create "$key"
  log "kill: $FAULTS_RATE leads/s for $FAULTS_KILL_SECONDS s; kill -9 of scoring-2, nurturing-2 and kpi-2 after $FAULTS_KILL_AT s"
  load "$key" "$FAULTS_KILL_SECONDS" &
  local loader=$!
  sleep "$FAULTS_KILL_AT"
  local kill_ms
  kill_ms="$(now_ms)"
  kill -KILL -- "-$(pid_of scoring-2)" "-$(pid_of nurturing-2)" "-$(pid_of kpi-2)"
  rm -f "$PIDS/scoring-2.pid" "$PIDS/nurturing-2.pid" "$PIDS/kpi-2.pid"
  wait "$loader"
  drain "$key"
  local fs fn fk
  fs="$(failover_seconds scoring-service scoring-2 "$kill_ms")"
  fn="$(failover_seconds nurturing-service nurturing-2 "$kill_ms")"
  fk="$(failover_seconds kpi-service kpi-2 "$kill_ms")"
  row "kill -9" "$key" "scoring ${fs:-none} s, nurturing ${fn:-none} s, kpi ${fk:-none} s"
  check "kill -9: scoring's survivor owns all partitions within $FAULTS_FAILOVER_TARGET s (${fs:-never})" \
    "$(awk -v f="${fs:-999}" -v t="$FAULTS_FAILOVER_TARGET" 'BEGIN { print (f <= t) ? 0 : 1 }')"
  check "kill -9: nurturing's survivor owns all partitions within $FAULTS_FAILOVER_TARGET s (${fn:-never})" \
    "$(awk -v f="${fn:-999}" -v t="$FAULTS_FAILOVER_TARGET" 'BEGIN { print (f <= t) ? 0 : 1 }')"
  check "kill -9: kpi's survivor owns all partitions within $FAULTS_FAILOVER_TARGET s (${fk:-never})" \
    "$(awk -v f="${fk:-999}" -v t="$FAULTS_FAILOVER_TARGET" 'BEGIN { print (f <= t) ? 0 : 1 }')"
  # catch-up: the longest time from a lead's capture to its score, for leads captured after the kill
  psql_f -d capture -c "\copy (select id, created_at from lead where channel = '$key') to '$STATE/kill-leads.csv' with csv"
  psql_f -d scoring -c "create table if not exists faults_lead (id uuid primary key, created_at timestamptz)" >/dev/null
  psql_f -d scoring -c "truncate faults_lead" >/dev/null
  psql_f -d scoring -c "\copy faults_lead from '$STATE/kill-leads.csv' with csv"
  local worst
  worst="$(psql_f -d scoring -c "select coalesce(round(extract(epoch from max(s.updated_at - l.created_at))::numeric, 1), 0)
                                 from faults_lead l join lead_score s on s.lead_id = l.id
                                 where l.created_at >= to_timestamp($kill_ms / 1000.0)")"
  DETAILS+=("- kill -9: longest capture-to-score time of a lead captured after the kill: $worst s (the survivor caught up)")
}

scenario_kafka() {
  local key="faults-kafka"
  form_create "$key"
  log "kafka: $FAULTS_RATE leads/s for $FAULTS_KAFKA_SECONDS s; Kafka stopped for $FAULTS_KAFKA_DOWN s after 10 s"
  load "$key" "$FAULTS_KAFKA_SECONDS" &
  local loader=$!
  sleep 10
  local down_ms
  down_ms="$(now_ms)"
  stop kafka TERM
  log "kafka: stopped"
  sleep "$FAULTS_KAFKA_DOWN"
  kafka_start
  kafka_wait || die "Kafka did not come back"
  log "kafka: started again"
  DETAILS+=("- kafka: the broker was unreachable for $(( ($(now_ms) - down_ms) / 1000 )) s (its shutdown, $FAULTS_KAFKA_DOWN s stopped, its start)")
  wait "$loader"
  drain "$key"
  row "Kafka down ${FAULTS_KAFKA_DOWN} s" "$key" "-"
  check "kafka: every submission accepted while Kafka was down ($(prop "$key" accepted) of $(prop "$key" sent))" \
    $(($(prop "$key" accepted) != $(prop "$key" sent)))
}

scenario_postgres() {
  local key="faults-postgres"
  form_create "$key"
  log "postgres: $FAULTS_RATE leads/s for $FAULTS_PG_SECONDS s; PostgreSQL stopped for $FAULTS_PG_DOWN s after 10 s"
  # a random lead id: scoring answers 404 while its database is up, 503 while it is down
  local probe="http://$HOST:${PORT[gateway-1]}/api/scoring/leads/00000000-0000-4000-8000-000000000000"
  echo "$TOKEN" >"$STATE/token"
  load "$key" "$FAULTS_PG_SECONDS" --probe "$probe" --probe-token-file "$STATE/token" &
  local loader=$!
  sleep 10
  pg_stop fast
  log "postgres: stopped"
  sleep "$FAULTS_PG_DOWN"
  pg_start || die "PostgreSQL did not come back"
  log "postgres: started again"
  wait "$loader"
  drain "$key"
  row "PostgreSQL down ${FAULTS_PG_DOWN} s" "$key" "-"
  local refused=$(($(prop "$key" sent) - $(prop "$key" accepted)))
  check "postgres: every refused submission got a 503 problem from capture or a 504 from the gateway ($refused refused, $(prop "$key" status503) × 503, $(prop "$key" status.504) × 504)" \
    $((refused != $(prop "$key" status503) + $(prop "$key" status.504) || $(prop "$key" status503) == 0))
  check "postgres: scoring's callers got 503 problems, no 500 ($(prop "$key" probe.status503) × 503, $(prop "$key" probe.status500) × 500, $(prop "$key" probe.timeouts) without answer)" \
    $(($(prop "$key" probe.status500) + $(prop "$key" probe.timeouts) + $(prop "$key" probe.errorsNotProblem) != 0 || $(prop "$key" probe.status503) == 0))
  DETAILS+=("- postgres: PostgreSQL stopped from 10 s to about $((10 + FAULTS_PG_DOWN)) s of the stream; submissions refused from $(prop "$key" firstFailure.s) s to $(prop "$key" lastFailure.s) s, without answer from $(prop "$key" firstTimeout.s) s to $(prop "$key" lastTimeout.s) s; answers: $(grep '^status\.' "$STATE/$key/load.properties" | tr '\n' ' ')")
}

snapshot() { # every channel's counts in the three databases
  { psql_f -d capture -c "select 'stored', channel, count(*) from lead group by channel order by channel"
    psql_f -d scoring -c "select 'scored', channel, count(*) from lead_score group by channel order by channel"
    psql_f -d scoring -c "select 'transitions', count(*) from stage_transition"
    psql_f -d nurturing -c "select 'enrollments', count(*) from enrollment"
    psql_f -d nurturing -c "select 'mails', c.channel, m.state, count(*) from email_message m join contact c using (lead_id)
                            group by 2, 3 order by 2, 3"
    psql_f -d kpi -c "select 'counted', channel, sum(leads) from lead_rollup group by channel order by channel"; }
}

lag() { tool lag --bootstrap "$KAFKA" --groups "$GROUPS_WATCHED" --topics capture.events 2>/dev/null || echo "?"; }

REPLAY_ROW=""
scenario_replay() {
  local before after copied start l=""
  drain_all "$FAULTS_FINAL_DRAIN_MAX" # a count still moving would look like a changed count
  before="$(snapshot)"
  log "replay: producing every record of capture.events again"
  copied="$(tool replay --bootstrap "$KAFKA" --topic capture.events)"
  start=$SECONDS # (was taken before drain_all: a long drain left no time for the lag to reach 0)
  while ((SECONDS - start < FAULTS_DRAIN_MAX)); do
    l="$(lag)"
    [[ "$l" == 0 ]] && break
    sleep 2
  done
  sleep 3
  after="$(snapshot)"
  local changed
  changed="$(diff <(echo "$before") <(echo "$after") | grep -c '^>' || true)"
  REPLAY_ROW="| duplicate storm (replayed capture.events) | $copied events | - | - | - | - | - | $changed counts changed | - | - |"
  check "replay: consumers caught up with the $copied replayed events (lag ${l:-?})" "$([[ "${l:-}" == 0 ]] && echo 0 || echo 1)"
  check "replay: no count changed in capture, scoring, nurturing (enrollments, mails by state) or kpi ($changed changed)" $((changed != 0))
  # a mail sent again because of the replay would show in the scenarios' e-mailed and duplicates columns: GreenMail
  # is counted after this scenario
}

# ---- rescore: a model activation rescored by both scoring replicas, one of them killed mid-job ------------------
# scoring-service's worker of the replica NAME as it names itself in rescore_chunk.owner: host/pid/random
owner_replica() { # OWNER: scoring-1 or scoring-2 (whose recorded PID is in the owner name), empty if none
  local pid="${1#*/}" n
  pid="${pid%%/*}"
  for n in scoring-1 scoring-2; do [[ "$(pid_of "$n" || true)" == "$pid" ]] && { echo "$n"; return 0; }; done
  return 0
}

# GET/POST through the gateway of replica number N (its scoring upstream is scoring-N): OUT-FILE METHOD PATH [BODY]
gw_call() {
  local n="$1" out="$2" method="$3" path="$4" body="${5:-}"
  curl -sS -m 30 -o "$out" -w '%{http_code}' -X "$method" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    ${body:+-d "$body"} "http://$HOST:${PORT[gateway-$n]}$path"
}

RESCORE_ROW=""
scenario_rescore() {
  local key="faults-rescore" n code t0=$SECONDS
  TOKEN="$("$ROOT/dev/token.sh" marketing)" || die "no marketing token from Keycloak (127.0.0.1:8180)"
  # both scoring replicas work the job (the kill scenario leaves scoring-2 dead)
  for n in scoring-1 scoring-2; do
    if ! alive "$n"; then
      log "rescore: starting $n again"
      service_start "$n"
      DETAILS+=("- rescore: $n was started again before the activation (killed by an earlier scenario)")
    fi
  done
  wait_ready scoring-1 scoring-2
  local have
  have="$(psql_f -d scoring -c "select count(*) from lead_score where merged_into is null")"
  if ((have < FAULTS_RESCORE_LEADS)); then
    local seconds=$(((FAULTS_RESCORE_LEADS - have + FAULTS_RESCORE_RATE - 1) / FAULTS_RESCORE_RATE))
    form_create "$key"
    log "rescore: $have leads scored; $FAULTS_RESCORE_RATE leads/s for $seconds s first (at least $FAULTS_RESCORE_LEADS leads)"
    FAULTS_RATE="$FAULTS_RESCORE_RATE" load "$key" "$seconds"
    drain "$key"
    row "rescore (its leads, streamed before the activation)" "$key" "-"
  fi

  # a new version of the active model (first fit rule one point more), saved and activated through the gateway as
  # marketing does it (scoring README: POST /api/scoring/models, POST /api/scoring/models/{id}/activate)
  code="$(gw_call 1 "$STATE/models.json" GET /api/scoring/models)"
  [[ "$code" == 200 ]] || die "rescore: models not listed (HTTP $code): $(cat "$STATE/models.json")"
  local name="faults-rescore-$RUN" definition model_id version
  definition="$(jq -c 'map(select(.active))[0].model | if (.fitRules | length) > 0 then .fitRules[0].points += 1 else . end' "$STATE/models.json")"
  code="$(gw_call 1 "$STATE/model.json" POST /api/scoring/models "{\"name\":\"$name\",\"model\":$definition}")"
  [[ "$code" == 201 ]] || die "rescore: model not saved (HTTP $code): $(cat "$STATE/model.json")"
  model_id="$(jq -r .id "$STATE/model.json")"
  version="$name@$(jq -r .version "$STATE/model.json")"
  local leads
  leads="$(psql_f -d scoring -c "select count(*) from lead_score where merged_into is null")"
  log "rescore: activating $version ($leads leads to rescore)"
  local act_ms
  act_ms="$(now_ms)"
  code="$(gw_call 1 "$STATE/activate.json" POST "/api/scoring/models/$model_id/activate")"
  [[ "$code" == 200 ]] || die "rescore: activation failed (HTTP $code): $(cat "$STATE/activate.json")"
  local job
  job="$(psql_f -d scoring -c "select id from rescore_job where model_id = '$model_id' order by created_at desc limit 1")"

  # the victim: the first replica seen holding a claimed chunk; frozen (SIGSTOP) so that its claims cannot change,
  # checked again, then killed; if the chunk was finished meanwhile it is thawed and the search goes on
  local owner="" victim="" survivor="" pid kill_ms="" start=$SECONDS
  while ((SECONDS - start < FAULTS_RESCORE_MAX)); do
    owner="$(psql_f -d scoring -c "select owner from rescore_chunk where job_id = '$job' and state = 'claimed' limit 1")"
    if [[ -n "$owner" ]]; then
      victim="$(owner_replica "$owner")"
      if [[ -n "$victim" ]]; then
        pid="$(pid_of "$victim")"
        kill -STOP -- "-$pid"
        if [[ "$(psql_f -d scoring -c "select count(*) from rescore_chunk where job_id = '$job' and state = 'claimed' and owner = '$owner'")" -gt 0 ]]; then
          kill_ms="$(now_ms)"
          kill -KILL -- "-$pid"
          rm -f "$PIDS/$victim.pid"
          break
        fi
        kill -CONT -- "-$pid"
      fi
    fi
    [[ "$(psql_f -d scoring -c "select state from rescore_job where id = '$job'")" == running ]] || break
    sleep 0.05
  done
  local takeover="" lease_left="" held=""
  if [[ -n "$kill_ms" ]]; then
    survivor=$([[ "$victim" == scoring-1 ]] && echo scoring-2 || echo scoring-1)
    held="$(psql_f -d scoring -c "select string_agg(chunk_no::text, ',' order by chunk_no) from rescore_chunk
                                  where job_id = '$job' and state = 'claimed' and owner = '$owner'")"
    lease_left="$(psql_f -d scoring -c "select round(extract(epoch from max(lease_until) - to_timestamp($kill_ms / 1000.0))::numeric, 1)
                                        from rescore_chunk where job_id = '$job' and chunk_no in ($held)")"
    log "rescore: kill -9 of $victim $(( (kill_ms - act_ms) )) ms after the activation, holding chunk(s) $held (lease ends in $lease_left s)"
    # takeover: every chunk the victim held is claimed by another owner (the survivor; the victim is restarted later)
    start=$SECONDS
    while ((SECONDS - start < FAULTS_RESCORE_MAX)); do
      if [[ "$(psql_f -d scoring -c "select count(*) from rescore_chunk where job_id = '$job' and chunk_no in ($held) and owner = '$owner'")" == 0 ]]; then
        takeover="$(awk -v a="$(now_ms)" -v k="$kill_ms" 'BEGIN { printf "%.1f", (a - k) / 1000 }')"
        break
      fi
      sleep 0.2
    done
    log "rescore: the dead replica's chunks taken over after ${takeover:-never} s; restarting $victim"
    service_start "$victim"
  else
    log "rescore: no replica was caught holding a chunk before the job ended (too few leads: FAULTS_RESCORE_LEADS)"
  fi

  # the job ends: the status endpoint (through the survivor's gateway) says done
  local gw=1 state="" status=""
  [[ "$survivor" == scoring-2 ]] && gw=2
  start=$SECONDS
  while ((SECONDS - start < FAULTS_RESCORE_MAX)); do
    code="$(gw_call "$gw" "$STATE/rescore-status.json" GET "/api/scoring/models/$model_id/rescore-status")"
    [[ "$code" == 200 ]] && state="$(jq -r .state "$STATE/rescore-status.json")"
    [[ "$state" == done ]] && break
    sleep 1
  done
  status="$(cat "$STATE/rescore-status.json")"
  local job_s
  job_s="$(psql_f -d scoring -c "select round(extract(epoch from finished_at - created_at)::numeric, 1) from rescore_job where id = '$job'")"
  log "rescore: job $state after ${job_s:-?} s"

  # every event of the job published (the outbox is empty), then the evidence: scoring's rows and scoring.events
  start=$SECONDS
  until [[ "$(psql_f -d scoring -c "select count(*) from outbox_event where published_at is null")" == 0 ]] ||
    ((SECONDS - start >= FAULTS_DRAIN_MAX)); do sleep 1; done
  local read_records
  read_records="$(tool scored --bootstrap "$KAFKA" --topic scoring.events --model-version "$version" --out "$STATE/rescored.csv")"
  psql_f -d scoring -c "create table if not exists faults_rescored (lead_id uuid primary key, events int, records int)" >/dev/null
  psql_f -d scoring -c "truncate faults_rescored" >/dev/null
  psql_f -d scoring -c "\copy faults_rescored from '$STATE/rescored.csv' with csv"
  local total on_model no_event twice redelivered chunks
  total="$(psql_f -d scoring -c "select count(*) from lead_score where merged_into is null")"
  on_model="$(psql_f -d scoring -c "select count(*) from lead_score where merged_into is null and model_id = '$model_id'")"
  no_event="$(psql_f -d scoring -c "select count(*) from lead_score s where merged_into is null
                                    and not exists (select 1 from faults_rescored f where f.lead_id = s.lead_id)")"
  twice="$(psql_f -d scoring -c "select count(*) from faults_rescored where events > 1")"
  redelivered="$(psql_f -d scoring -c "select coalesce(sum(records - events), 0) from faults_rescored")"
  chunks="$(psql_f -d scoring -F ' ' -c "select count(*), count(*) filter (where state = 'done'), coalesce(sum(rescored), 0),
                                          coalesce(sum(skipped), 0), count(*) filter (where attempts > 1)
                                          from rescore_chunk where job_id = '$job'")"
  local c_all c_done c_rescored c_skipped c_retried
  read -r c_all c_done c_rescored c_skipped c_retried <<<"$chunks"
  local lost=$((total - on_model + no_event))
  RESCORE_ROW="| rescore: model activated, kill -9 of ${victim:-no replica} mid-job | - | - | $total | $on_model rescored | - | - | $twice | $lost | takeover ${takeover:-none} s |"
  DETAILS+=("- rescore: $version activated through the gateway over $leads leads (chunks of 500, both scoring replicas' workers, lease 30 s); ${victim:-no replica} killed $(( ${kill_ms:-$act_ms} - act_ms )) ms after the activation holding chunk(s) ${held:-none}, whose lease ended $lease_left s after the kill; ${survivor:-the survivor} claimed them ${takeover:-never} s after the kill; job $state after ${job_s:-?} s; status: \`$status\`")
  DETAILS+=("- rescore: chunks $c_done of $c_all done, $c_retried claimed more than once; leads rescored $c_rescored + already on the model $c_skipped; scoring.events: $read_records records read, lead.scored of $version for $(psql_f -d scoring -c "select count(*) from faults_rescored") leads, $redelivered records sent again by the outbox relay (same event id: consumers skip them)")
  check "rescore: a replica was killed while it held a claimed chunk (${victim:-none}, chunk(s) ${held:-none})" $([[ -n "$kill_ms" ]] && echo 0 || echo 1)
  check "rescore: the dead replica's chunks were taken over within the lease + 5 s (${takeover:-never} s; lease left at the kill $lease_left s)" \
    "$(awk -v t="${takeover:-999}" -v l="${lease_left:-0}" 'BEGIN { print (t <= l + 5) ? 0 : 1 }')"
  check "rescore: the status endpoint says done, total = done, every chunk done ($status)" \
    "$(jq -e '.state == "done" and .total == .done and .chunks == .chunksDone' "$STATE/rescore-status.json" >/dev/null 2>&1 && echo 0 || echo 1)"
  check "rescore: every lead on $version ($on_model of $total; $no_event without a lead.scored of it)" $((lost != 0))
  check "rescore: no lead rescored twice ($twice leads with two lead.scored events of $version; chunks counted $c_rescored + $c_skipped for $total leads)" \
    $((twice != 0 || c_rescored + c_skipped != total))
  [[ -n "$kill_ms" ]] && wait_ready "$victim"
  DETAILS+=("- rescore: the scenario took $((SECONDS - t0)) s, $(( ($(now_ms) - act_ms) / 1000 )) s of it from the activation to the killed replica ready again")
  return 0
}

# ---- main ----------------------------------------------------------------------------------------------------
RUN="$(date +%s)"
T0=$SECONDS
infra_up
build_if_missing
copy_apps
TOKEN="$("$ROOT/dev/token.sh" marketing)" || die "no marketing token from Keycloak (127.0.0.1:8180)"
services_up
sequence_create
start_bg watch "$JAVA" -Xmx128m -XX:TieredStopAtLevel=1 -cp "$TOOL_CP:$KAFKA_HOME/libs/*" FaultTool watch \
  --bootstrap "$KAFKA" --groups "$GROUPS_WATCHED" --out "$STATE/watch.log"
form_create faults-warmup
log "warm-up: $FAULTS_WARMUP s of load (not counted)"
load faults-warmup "$FAULTS_WARMUP" >/dev/null
drain faults-warmup
# the sequence works (its warm-up mails are not counted and need not all be sent yet)
for ((i = 0; i < 120; i++)); do [[ "$(mailed faults-warmup)" -gt 0 ]] && break; sleep 1; done
[[ "$(mailed faults-warmup)" -gt 0 ]] || die "nurturing sent no warm-up e-mail within 120 s (logs: $LOGS/nurturing-1.log, nurturing-2.log)"
log "ready after $((SECONDS - T0)) s; scenarios: ${SCENARIOS[*]} ($MODE mode, $FAULTS_RATE leads/s)"
for s in "${SCENARIOS[@]}"; do "scenario_$s"; done
count_rows
[[ -n "$REPLAY_ROW" ]] && ROWS+=("$REPLAY_ROW")
[[ -n "$RESCORE_ROW" ]] && ROWS+=("$RESCORE_ROW")

{
  echo "## Fault suite ($MODE mode), $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Command: \`bench/faults/run.sh${*:+ $*}\`; $FAULTS_RATE leads/s; machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GB," \
    "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end (shared with other engineers' builds and tests)."
  echo
  echo "| scenario | leads sent | accepted | stored | scored | counted | e-mailed | duplicates | lost | failover |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
  echo
  printf '%s\n' "${DETAILS[@]}"
  echo
  echo "Total time: $((SECONDS - T0)) s. Logs: .dev/faults/logs/"
} | tee "$REPORT"
if ((FAILED)); then
  # a failed run on a clean clone (CI) leaves no logs behind: print what explains it — one sample answer per
  # status and scenario, and the first unexpected failures the services logged (with the top of their stack)
  echo
  echo "### Diagnostics of the failed checks"
  for f in "$STATE"/faults-*/samples.txt; do
    [[ -s "$f" ]] && { echo "- sample answers of $(basename "$(dirname "$f")"):"; sed 's/^/    /' "$f" | head -n 20; }
  done
  for f in "$LOGS"/{gateway,capture,scoring,nurturing,kpi}-*.log; do
    [[ -f "$f" ]] || continue
    hits="$(grep -n -m 3 -A 25 -E 'unexpected failure|Uncaught exception|ERROR' "$f" | grep -v -E "^\s*$" | head -n 90 || true)"
    [[ -n "$hits" ]] && { echo "- first errors in $(basename "$f"):"; sed 's/^/    /' <<<"$hits"; }
  done
fi
exit "$FAILED"
