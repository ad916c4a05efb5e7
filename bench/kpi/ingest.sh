#!/usr/bin/env bash
# Ingest benchmark of kpi-service: a backlog is written to fresh topics first, then one instance (fresh database,
# own group) drains it; events/s = events processed / (last - first processed_at in the inbox), peak RSS sampled.
# Usage: bench/kpi/ingest.sh LEADS MODE [JAR]   MODE: captured | mixed (see KpiBench.java); JAR: default the current build
# The old one-event-per-transaction consumer: build commit 8490224 (git archive into a folder, package kpi-service) and
# pass its quarkus-run.jar with MODE captured and CAPTURE_ONLY=1 (it consumed lead.captured only).
set -euo pipefail
cd "$(dirname "$0")/../.."
LEADS=${1:-20000}
MODE=${2:-mixed}
JAR=${3:-kpi-service/target/quarkus-app/quarkus-run.jar}
RUN=kpibench-$(date +%s)
DB=${DB:-kpi_ingest_bench}
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
M2=~/.m2/repository
CP=$M2/org/apache/kafka/kafka-clients/4.1.1/kafka-clients-4.1.1.jar:$M2/org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.jar
psql -h 127.0.0.1 -U postgres -qc "drop database if exists $DB" -c "create database $DB"
TOTAL=$("$JAVA" -cp "$CP" bench/kpi/KpiBench.java $RUN "$LEADS" "$MODE" 2>/dev/null | tail -1)
echo "backlog: $TOTAL"
EXPECTED=${TOTAL%% events*}
START=$(date +%s.%N)
PID=$(bench/kpi/service.sh $DB $RUN "$JAR")
trap 'kill $PID 2>/dev/null || true; while kill -0 $PID 2>/dev/null; do sleep 0.2; done' EXIT
echo "service pid $PID ready after $(echo "$(date +%s.%N) - $START" | bc) s; $(uptime | sed 's/.*load average/load average/')"
peak=0
for i in $(seq 1 900); do
  rss=$(ps -o rss= -p $PID | tr -d ' '); [ "$rss" -gt "$peak" ] && peak=$rss
  n=$(psql -h 127.0.0.1 -U postgres -d $DB -tAc "select count(*) from processed_event")
  [ "$n" -ge "$EXPECTED" ] && break
  sleep 1
done
psql -h 127.0.0.1 -U postgres -d $DB -tAc "select count(*) || ' events in ' || round(extract(epoch from max(processed_at) - min(processed_at))::numeric, 1) || ' s = ' || round(count(*) / greatest(extract(epoch from max(processed_at) - min(processed_at)), 0.001)) || ' events/s' from processed_event"
echo "peak RSS $((peak / 1024)) MB; $(uptime | sed 's/.*load average/load average/')"
