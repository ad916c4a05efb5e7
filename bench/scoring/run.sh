#!/usr/bin/env bash
# Benchmark of scoring-service: one instance on its own database and topics, fed by ScoringBench.
# Usage: bench/scoring/run.sh [LEADS] [EVENTS] [RATE]   (RATE 0 = as fast as possible)
# Needs the local infrastructure (dev/stack.sh up --infra) and a packaged scoring-service
# (./mvnw -pl scoring-service -am package -DskipTests).
set -euo pipefail
cd "$(dirname "$0")/../.."
LEADS=${1:-500}
EVENTS=${2:-20000}
RATE=${3:-0}
RUN=bench-$(date +%s)
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
M2=~/.m2/repository
CP=$M2/org/apache/kafka/kafka-clients/4.1.1/kafka-clients-4.1.1.jar:$M2/org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.jar
DB=scoring_bench
PORT=${PORT:-18082}
CONCURRENCY=${CONCURRENCY:-1}   # consumers of the input channel in this instance (partitions are shared out)

psql -h 127.0.0.1 -U postgres -qc "drop database if exists $DB" -c "create database $DB"
"$JAVA" -Xmx512m ${SERVICE_OPTS:-} \
  -Dquarkus.http.port=$PORT \
  -Dquarkus.datasource.jdbc.url=jdbc:postgresql://127.0.0.1:5432/$DB \
  -Dquarkus.datasource.reactive.url=postgresql://127.0.0.1:5432/$DB \
  -Dmp.messaging.incoming.capture-events.topic=$RUN.capture.events \
  -Dmp.messaging.incoming.capture-events.group.id=$RUN \
  -Dmp.messaging.incoming.nurturing-events.topic=$RUN.nurturing.events \
  -Dmp.messaging.incoming.nurturing-events.group.id=$RUN \
  -Dplatform.outbox.topic=$RUN.scoring.events \
  -Dmp.messaging.incoming.capture-events.concurrency=$CONCURRENCY \
  -Dquarkus.log.level=WARN \
  -jar scoring-service/target/quarkus-app/quarkus-run.jar > /tmp/$RUN-service.log 2>&1 &
SERVICE=$!
trap 'kill $SERVICE 2>/dev/null || true; wait $SERVICE 2>/dev/null || true' EXIT
for i in $(seq 1 60); do
  curl -fs http://127.0.0.1:$PORT/q/health/ready > /dev/null && break
  sleep 1
done
echo "scoring-service ready (pid $SERVICE, run $RUN); $(uptime | sed 's/.*load average/load average/')"
# peak RSS of the service, sampled every second while the generator runs
( peak=0; while kill -0 $SERVICE 2>/dev/null; do
    rss=$(ps -o rss= -p $SERVICE 2>/dev/null | tr -d ' '); [ -n "$rss" ] && [ "$rss" -gt "$peak" ] && peak=$rss && echo $peak > /tmp/$RUN-rss
    sleep 1; done ) &
SAMPLER=$!
"$JAVA" -cp "$CP" bench/scoring/ScoringBench.java $RUN.capture.events $RUN.scoring.events "$LEADS" "$EVENTS" "$RATE"
kill $SAMPLER 2>/dev/null || true
ps -o rss= -p $SERVICE | awk '{printf "service RSS %.0f MB at the end", $1/1024}'
CPU_TICKS=$(awk '{print $14 + $15}' /proc/$SERVICE/stat)
awk '{printf ", peak %.0f MB\n", $1/1024}' /tmp/$RUN-rss
echo "service CPU time over the whole run (start, captures, warm-up, timed events): $((CPU_TICKS / $(getconf CLK_TCK))) s"
echo "after the run: $(uptime | sed 's/.*load average/load average/')"
