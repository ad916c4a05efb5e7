#!/usr/bin/env bash
# Benchmark of nurturing-service's outbound webhooks: REPLICAS instances on their own database and topics,
# fed by WebhookBench (Kafka events in, a local signature-verifying receiver out). Every consumer channel of the
# service is pointed at this run's topics and groups: never at the shared topics or the stack's group ids.
# Usage: bench/nurturing-webhooks/run.sh        env: EVENTS OUTAGE_EVENTS DOWN REPLICAS (see WebhookBench.java)
# Needs the local infrastructure (dev/stack.sh up --infra: Postgres, Kafka, Keycloak for an admin token) and a
# packaged nurturing-service (./mvnw -pl nurturing-service -am package -DskipTests).
set -euo pipefail
cd "$(dirname "$0")/../.."
RUN=whbench-$(date +%s)
REPLICAS=${REPLICAS:-2}
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
M2=~/.m2/repository
CP=$M2/org/apache/kafka/kafka-clients/4.1.1/kafka-clients-4.1.1.jar:$M2/org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.jar:$M2/com/standardwebhooks/standardwebhooks/1.2.0/standardwebhooks-1.2.0.jar
DB=nurturing_hooks_bench
BASE_PORT=${BASE_PORT:-18283}

psql -h 127.0.0.1 -U postgres -qc "drop database if exists $DB" -c "create database $DB"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
for r in $(seq 1 "$REPLICAS"); do
  PORT=$((BASE_PORT + r - 1))
  "$JAVA" -Xmx512m ${SERVICE_OPTS:-} \
    -Dquarkus.http.port=$PORT \
    -Dquarkus.datasource.jdbc.url=jdbc:postgresql://127.0.0.1:5432/$DB \
    -Dquarkus.datasource.reactive.url=postgresql://127.0.0.1:5432/$DB \
    -Dmp.messaging.incoming.capture-events.topic=$RUN.capture.events \
    -Dmp.messaging.incoming.capture-events.group.id=$RUN-contacts \
    -Dmp.messaging.incoming.scoring-events.topic=$RUN.scoring.events \
    -Dmp.messaging.incoming.scoring-events.group.id=$RUN-contacts \
    -Dmp.messaging.incoming.webhook-events.topics=$RUN.capture.events,$RUN.scoring.events,$RUN.nurturing.events \
    -Dmp.messaging.incoming.webhook-events.group.id=$RUN-webhooks \
    -Dplatform.outbox.topic=$RUN.nurturing.events \
    -Dnurturing.webhooks.allow-private-targets=true \
    -Dquarkus.log.level=WARN \
    -jar nurturing-service/target/quarkus-app/quarkus-run.jar > /tmp/$RUN-service-$r.log 2>&1 &
  PIDS+=($!)
  # start the JVMs one at a time (2 cores): the next one when this one is ready
  for i in $(seq 1 120); do
    curl -fs http://127.0.0.1:$PORT/q/health/ready > /dev/null && break
    sleep 1
  done
  echo "nurturing-service replica $r ready on $PORT (pid ${PIDS[-1]})"
done
TOKEN=$(dev/token.sh admin)
echo "run $RUN, $REPLICAS replicas, $(nproc) cores; $(uptime | sed 's/.*load average/load average/')"
"$JAVA" -cp "$CP" bench/nurturing-webhooks/WebhookBench.java "http://127.0.0.1:$BASE_PORT" "$TOKEN" "$RUN.scoring.events"
for r in $(seq 1 "$REPLICAS"); do
  p=${PIDS[$((r - 1))]}
  echo "replica $r: attempts recorded $(curl -fs http://127.0.0.1:$((BASE_PORT + r - 1))/q/metrics | awk '/^webhooks_attempts_total/ {s += $2} END {print s+0}'), CPU $(( $(awk '{print $14 + $15}' /proc/$p/stat) / $(getconf CLK_TCK) )) s, RSS $(( $(ps -o rss= -p $p) / 1024 )) MB"
done
echo "after the run: $(uptime | sed 's/.*load average/load average/')"
