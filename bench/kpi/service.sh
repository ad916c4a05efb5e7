#!/usr/bin/env bash
# Starts one kpi-service instance for the benchmarks on its own database, topics and group (port 18384 unless PORT).
# Usage: bench/kpi/service.sh DB RUN [JAR]   -> prints the PID; the service logs to /tmp/RUN-service.log
set -euo pipefail
cd "$(dirname "$0")/../.."
DB=$1
RUN=$2
JAR=${3:-kpi-service/target/quarkus-app/quarkus-run.jar}
PORT=${PORT:-18384}
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
# the JVM options the service is deployed with (k8s/base/kpi-service/jvm.env, also used by dev/stack.sh), unless MEM_OPTS
MEM=${MEM_OPTS:-$(dev/jvm-options.sh kpi-service)}
while IFS= read -r line; do
  case "$line" in JDK_JAVA_OPTIONS=*) ;; *) export "${line?}" ;; esac
done < <(dev/jvm-options.sh kpi-service --env)
# CAPTURE_ONLY=1: only the capture channel (the old one-event-per-transaction build knows no other channel)
EXTRA=(-Dmp.messaging.incoming.scoring-events.topic=$RUN.scoring.events -Dmp.messaging.incoming.scoring-events.group.id=$RUN
       -Dmp.messaging.incoming.nurturing-events.topic=$RUN.nurturing.events -Dmp.messaging.incoming.nurturing-events.group.id=$RUN)
[ "${CAPTURE_ONLY:-0}" = 1 ] && EXTRA=()
"$JAVA" $MEM "${EXTRA[@]}" \
  -Dquarkus.http.port=$PORT \
  -Dquarkus.datasource.jdbc.url=jdbc:postgresql://127.0.0.1:5432/$DB \
  -Dquarkus.datasource.reactive.url=postgresql://127.0.0.1:5432/$DB \
  -Dmp.messaging.incoming.capture-events.topic=$RUN.capture.events \
  -Dmp.messaging.incoming.capture-events.group.id=$RUN \
  -Dplatform.outbox.topic=$RUN.kpi.events \
  -Dquarkus.log.level=WARN \
  -jar "$JAR" > /tmp/$RUN-service.log 2>&1 &
PID=$!
for i in $(seq 1 90); do
  curl -fs http://127.0.0.1:$PORT/q/health/ready > /dev/null && break
  sleep 1
done
echo $PID
