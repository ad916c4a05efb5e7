#!/usr/bin/env bash
# nurturing-service consumer backlog drain (batched lead-event consumers): 2*LEADS events (per fresh lead one
# lead.captured on a capture topic and one lead.stage-changed on a scoring topic, own topics per run), then one
# replica per variant drains them from offset 0 with its own consumer group and a fresh database, one after the other.
# Rate = events / (last - first processed_event.processed_at); the wall time from JVM start is printed too.
#   APPS="before=/path/to/main/quarkus-app after=nurturing-service/target/quarkus-app" LEADS=10000 bench/nurturing/backlog.sh
# Port 19810, databases nurturing_backlog_<variant>; mails go nowhere (no sequences, scheduler off, mailer port 19899).
# Needs the local stack's PostgreSQL, Kafka and Keycloak.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LEADS=${LEADS:-10000}
APPS=${APPS:-after=$ROOT/nurturing-service/target/quarkus-app}
PORT=${PORT:-19810}
RUN=backlog.$(date +%s)
JAVA=${LEADS_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
M2=${M2:-$HOME/.m2/repository}
CP=$M2/org/apache/kafka/kafka-clients/4.1.1/kafka-clients-4.1.1.jar:$M2/org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.jar
OUT=${OUT:-$ROOT/.dev/bench-backlog}
mkdir -p "$OUT"
N=$((2 * LEADS))
echo "$(date -u +%T) producing $N events onto $RUN.capture / $RUN.scoring; $(uptime)"
"$JAVA" -cp "$CP" "$ROOT/bench/nurturing/Backlog.java" "$RUN.capture" "$RUN.scoring" "$LEADS" 2>/dev/null
for app in $APPS; do
  variant=${app%%=*}
  dir=${app#*=}
  DB=nurturing_backlog_$variant
  dropdb -h 127.0.0.1 -U postgres --if-exists "$DB" 2>/dev/null
  createdb -h 127.0.0.1 -U postgres "$DB"
  JDK_JAVA_OPTIONS="$("$ROOT/dev/jvm-options.sh" nurturing-service)" MALLOC_ARENA_MAX=2 \
  "$JAVA" -Dquarkus.http.port="$PORT" -Dquarkus.http.host=127.0.0.1 \
    -Dquarkus.datasource.reactive.url="postgresql://127.0.0.1:5432/$DB" -Dquarkus.datasource.jdbc.url="jdbc:postgresql://127.0.0.1:5432/$DB" \
    -Dquarkus.mailer.port=19899 -Dnurturing.scheduler.enabled=false -Dplatform.outbox.topic="$RUN.$variant.out" \
    -Dmp.messaging.incoming.capture-events.topic="$RUN.capture" -Dmp.messaging.incoming.capture-events.group.id="$RUN.$variant" \
    -Dmp.messaging.incoming.scoring-events.topic="$RUN.scoring" -Dmp.messaging.incoming.scoring-events.group.id="$RUN.$variant" \
    -Dmp.messaging.incoming.webhook-events.topics="$RUN.$variant.out" -Dmp.messaging.incoming.webhook-events.group.id="$RUN.$variant.wh" \
    -jar "$dir/quarkus-run.jar" > "$OUT/$variant.log" 2>&1 &
  PID=$!
  START=$(date +%s.%N)
  while :; do
    C=$(psql -h 127.0.0.1 -U postgres -d "$DB" -qtAX -c "select count(*) from processed_event" 2>/dev/null || echo 0)
    [[ "$C" -ge $N ]] && break
    kill -0 $PID 2>/dev/null || { echo "$variant died"; tail -20 "$OUT/$variant.log"; exit 1; }
    sleep 1
  done
  END=$(date +%s.%N)
  kill $PID; wait $PID 2>/dev/null || true
  psql -h 127.0.0.1 -U postgres -d "$DB" -qtAX -c "select '$variant: ' || count(*) || ' events in '
      || round(extract(epoch from max(processed_at) - min(processed_at))::numeric, 1) || ' s (first to last processed_at) = '
      || round(count(*) / extract(epoch from max(processed_at) - min(processed_at))::numeric) || ' events/s; contacts '
      || (select count(*) from contact) from processed_event"
  echo "  wall from JVM start to all processed: $(echo "$END - $START" | bc) s; $(uptime)"
done
