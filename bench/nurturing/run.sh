#!/usr/bin/env bash
# nurturing-service send benchmark (issue 9). One command, three phases in one run:
#  1. yardstick: smtp-source (Debian's postfix package) pushes plain SMTP into a fresh GreenMail
#  2. peak: N due sends, two nurturing replicas, kill -9 of one replica in the middle; counted on the SMTP side
#  3. lag: the same at half the peak rate; p99 of (sent - due)
# Uses ports 18125/18126 (GreenMail SMTP/API) and 18183/18184 (replicas), database nurturing_bench, Kafka topics bench.nurturing.*.
# Needs the local stack's PostgreSQL, Kafka and Keycloak (dev/stack.sh up --infra) and a built nurturing-service.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
N=${N:-50000}
REPLICA_OPTS=${REPLICA_OPTS:-}
ADDRESSES=${ADDRESSES:-100}
YARDSTICK=${YARDSTICK:-20000}
LAG_SECONDS=${LAG_SECONDS:-30}
JAVA=${LEADS_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
OUT=${OUT:-$ROOT/.dev/bench-nurturing}
APP=${APP:-$ROOT/nurturing-service/target/quarkus-app}
GM_JAR=${GM_JAR:-$HOME/.cache/leads-platform/greenmail-standalone-2.1.13.jar}
API=http://127.0.0.1:18126
DB=nurturing_bench
PSQL="psql -h 127.0.0.1 -U postgres -d $DB -qtAX"
mkdir -p "$OUT"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
log() { echo "$(date -u +%H:%M:%S) $*"; }

[ -f "$APP/quarkus-run.jar" ] || (cd "$ROOT" && ./mvnw -B -q -o -pl nurturing-service -am package -DskipTests)
# smtp-source comes with Debian's postfix package: installed here when missing, preseeded to "No configuration" so
# that no mail server is configured or started on this machine
if ! command -v smtp-source >/dev/null && command -v apt-get >/dev/null && [[ "$(id -u)" == 0 ]]; then
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postfix >/dev/null 2>&1 \
    || { DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postfix >/dev/null; }
fi
command -v smtp-source >/dev/null || { echo "smtp-source missing: apt-get install postfix (No configuration)"; exit 1; }

log "GreenMail on 18125 (API 18126)"
"$JAVA" -Xms256m -Xmx3g -XX:+UseParallelGC -Dgreenmail.smtp.hostname=127.0.0.1 -Dgreenmail.smtp.port=18125 -Dgreenmail.auth.disabled \
  -Dgreenmail.hostname=127.0.0.1 -Dgreenmail.api.hostname=127.0.0.1 -Dgreenmail.api.port=18126 -jar "$GM_JAR" > "$OUT/greenmail.log" 2>&1 &
GM=$!; PIDS+=($GM)
until curl -sf $API/api/service/readiness >/dev/null; do sleep 0.5; done

dropdb -h 127.0.0.1 -U postgres --if-exists $DB; createdb -h 127.0.0.1 -U postgres $DB

replica() { # port → pid
  "$JAVA" -Xmx512m -Dquarkus.http.port=$1 \
    -Dquarkus.datasource.reactive.url=postgresql://127.0.0.1:5432/$DB -Dquarkus.datasource.jdbc.url=jdbc:postgresql://127.0.0.1:5432/$DB \
    -Dquarkus.mailer.port=18125 -Dnurturing.dispatch.greenmail-api=$API \
    -Dnurturing.scheduler.lease=15s -Dnurturing.dispatch.lease=${LEASE:-10s} -Dnurturing.dispatch.timeout=${SMTP_TIMEOUT:-5s} \
    -Dnurturing.scheduler.every=200ms -Dnurturing.dispatch.workers=${WORKERS:-2} -Dnurturing.dispatch.batch-size=${BATCH:-100} \
    -Dquarkus.mailer.max-pool-size=${POOL:-16} $REPLICA_OPTS \
    -Dplatform.outbox.topic=bench.nurturing.events \
    -Dmp.messaging.incoming.capture-events.topic=bench.nurturing.capture -Dmp.messaging.incoming.capture-events.group.id=nurturing-bench \
    -Dmp.messaging.incoming.scoring-events.topic=bench.nurturing.scoring -Dmp.messaging.incoming.scoring-events.group.id=nurturing-bench \
    -Dmp.messaging.incoming.webhook-events.topics=bench.nurturing.events -Dmp.messaging.incoming.webhook-events.group.id=nurturing-bench-webhooks \
    -jar "$APP/quarkus-run.jar" > "$OUT/replica-$1.log" 2>&1 &
  echo $!
}
ready() { until curl -sf http://127.0.0.1:$1/q/health/ready >/dev/null; do sleep 0.5; done; }
A=$(replica 18183); PIDS+=($A); ready 18183
B=$(replica 18184); PIDS+=($B); ready 18184
log "replicas ready: A=$A B=$B"

TOKEN=$("$ROOT/dev/token.sh" marketing)
curl -sf -X PUT -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' http://127.0.0.1:18183/api/nurturing/templates/bench \
  -d '{"name":"Bench","subject":"Bench {lead.firstName}","html":"<p>Hello {lead.firstName}</p><a href=\"https://acme.io/offer\">offer</a>","text":"Hello {lead.firstName}"}' >/dev/null
SEQ=$(curl -sf -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' http://127.0.0.1:18183/api/nurturing/sequences \
  -d '{"name":"Bench","steps":[{"id":"offer","type":"send","template":"bench"}]}' | python3 -c "import json,sys; print(json.load(sys.stdin)['id'])")

# --- 1. yardstick
log "yardstick: smtp-source, $YARDSTICK messages, 32 sessions"
G_Y0=$(awk '{print $14+$15}' /proc/$GM/stat)
S0=$(date +%s.%N)
smtp-source -s 32 -l 1500 -m "$YARDSTICK" -c -f bench@leads.local -t sink@bench.local 127.0.0.1:18125 > /dev/null
S1=$(date +%s.%N)
RAW=$(python3 -c "print(round($YARDSTICK/($S1-$S0)))")
G_Y=$(python3 -c "print(round(($(awk '{print $14+$15}' /proc/$GM/stat)-$G_Y0)*1000/$(getconf CLK_TCK)/$YARDSTICK, 3))")
log "GreenMail CPU per message under smtp-source: $G_Y ms"
log "smtp-source: $YARDSTICK in $(python3 -c "print(round($S1-$S0,1))") s = $RAW msg/s"
curl -sf -X POST $API/api/mail/purge >/dev/null

seed() { # count, rate (0 = all due at once), lead offset → T0 (epoch seconds) of the first due time
  local n=$1 rate=$2 t0
  t0=$(( $(date +%s) + 10 ))
  $PSQL <<SQL
begin;
insert into contact (lead_id, email, first_name, marketing_consent, status, country, updated_at)
select gen_random_uuid(), 'bench-' || (i % $ADDRESSES) || '@bench.local', i::text, true, 'active', 'DE', now() from generate_series(1, $n) i;
insert into enrollment (id, lead_id, sequence_id, version, status, current_step, next_due, trigger, started_at)
select gen_random_uuid(), lead_id, '$SEQ', 1, 'active', 'offer',
       to_timestamp($t0) + case when $rate = 0 then interval '0' else ((first_name::int - 1) / $rate::float8) * interval '1 second' end,
       'bench', now() from contact;
commit;
SQL
  echo $t0
}
sent() { $PSQL -c "select count(*) from email_message where state in ('sent','unknown','bounced','failed','suppressed')"; }
reset() { $PSQL -c "truncate enrollment_history, email_message, enrollment cascade; delete from contact; delete from outbox_event"; curl -sf -X POST $API/api/mail/purge >/dev/null; }

# --- 2. peak with kill -9
log "peak: seeding $N due sends"
T0=$(seed "$N" 0)
while [ "$(date +%s)" -lt "$T0" ]; do sleep 0.2; done
log "due now"
cpu() { awk '{print $14+$15}' /proc/$1/stat 2>/dev/null || echo 0; }   # utime+stime in clock ticks
CPU_A0=$(cpu $A); CPU_B0=$(cpu $B); CPU_G0=$(cpu $GM)
KILLED=""
while true; do
  s=$(sent)
  if [ -z "$KILLED" ] && [ "$s" -ge $((N / 2)) ]; then CPU_B1=$(cpu $B); kill -9 "$B"; KILLED="$s"; log "kill -9 replica B at $s sent"; fi
  [ "$s" -ge "$N" ] && break
  [ $(( $(date +%s) - T0 )) -gt ${PEAK_TIMEOUT:-900} ] && { log "timeout"; break; }
  sleep 0.2
done
T_DB=$(date +%s.%N)
TICK=$(getconf CLK_TCK)
CPU_MS=$(python3 -c "print(round((($(cpu $A)-$CPU_A0)+(${CPU_B1:-$(cpu $B)}-$CPU_B0))*1000/$TICK/$N, 3), round(($(cpu $GM)-$CPU_G0)*1000/$TICK/$N, 3))")
log "CPU per mail (ms): nurturing replicas, GreenMail: $CPU_MS; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
log "all $N final in the database after $(python3 -c "print(round($T_DB-$T0,1))") s; counting on the SMTP side"
$PSQL -c "select state, count(*) from email_message group by 1 order by 1" | tee "$OUT/peak-states.txt"
COUNT=$(python3 "$ROOT/bench/nurturing/count.py" $API "$ADDRESSES" "$N")
echo "$COUNT" | tee "$OUT/peak-count.json"
# what happened to the duplicated ones (their first names are their numbers): kept for the write-up
DUPS=$(echo "$COUNT" | python3 -c "import json,sys; print(','.join(\"'%d'\" % n for n in json.load(sys.stdin)['duplicated']))")
if [ -n "$DUPS" ]; then
  $PSQL -c "select c.first_name, m.state, m.attempts, m.last_error, h.action, h.reason, h.at from contact c join email_message m on m.lead_id = c.lead_id
            left join enrollment_history h on h.enrollment_id = m.enrollment_id where c.first_name in ($DUPS) order by 1, h.at" > "$OUT/peak-duplicates.txt"
fi
LAST=$(echo "$COUNT" | python3 -c "import json,sys,datetime; l=json.load(sys.stdin)['last_received']; print(datetime.datetime.fromisoformat(l).timestamp() if l else $T0 + 1e9)")
PEAK_S=$(python3 -c "print(round($LAST-$T0+1,1))")
PEAK_RATE=$(python3 -c "print(round($N/($LAST-$T0+1)))")
log "peak: $N in <= $PEAK_S s on the SMTP side (last Received header, whole seconds) = $PEAK_RATE msg/s; yardstick $RAW msg/s"

# --- 3. lag at half the peak rate, both replicas again
B=$(replica 18184); PIDS+=($B); ready 18184
reset
HALF=$(( PEAK_RATE / 2 ))
LAG_N=$(( HALF * LAG_SECONDS ))
log "lag: $LAG_N sends due at $HALF/s over $LAG_SECONDS s"
T0=$(seed "$LAG_N" "$HALF")
while [ "$(sent)" -lt "$LAG_N" ] && [ $(( $(date +%s) - T0 )) -lt $(( LAG_SECONDS + 120 )) ]; do sleep 1; done
$PSQL -c "select round(percentile_cont(0.5) within group (order by lag)::numeric, 3), round(percentile_cont(0.99) within group (order by lag)::numeric, 3), round(max(lag)::numeric, 3), count(*)
          from (select extract(epoch from m.sent_at - (to_timestamp($T0) + ((c.first_name::int - 1) / $HALF::float8) * interval '1 second')) as lag
                from email_message m join contact c on c.lead_id = m.lead_id where m.state = 'sent') x" | tee "$OUT/lag.txt"
log "lag (p50|p99|max seconds|count) above; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "{\"n\":$N,\"yardstick_msgs\":$YARDSTICK,\"yardstick_rate\":$RAW,\"peak_seconds\":$PEAK_S,\"peak_rate\":$PEAK_RATE,\"killed_at\":\"$KILLED\",\"smtp\":$COUNT,\"lag\":\"$(cat "$OUT/lag.txt")\",\"half_rate\":$HALF,\"cpu_ms_per_mail\":\"$CPU_MS\"}" | tee "$OUT/result.json"
