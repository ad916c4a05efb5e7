#!/usr/bin/env bash
# Freshness benchmark of kpi-service (issue 10): p99 from capture's 202 answer to the KPI API showing the lead, at
# RATE leads/s through the gateway of the running suite (dev/stack.sh up). See bench/kpi/Freshness.java.
# Usage: bench/kpi/freshness.sh [SECONDS=120] [RATE=500] [PROBES=5] [POLL_MS=50]
# A gateway of its own (127.0.0.1:$FRESH_GATEWAY_PORT, default 18480, the suite's services as upstreams, the JVM
# options of k8s/base/gateway/jvm.env) with rate limits off: the whole load comes from one IP and one marketer, which
# the per-IP and per-user limits would answer 429. GATEWAY=URL uses a running gateway instead.
# WARMUP seconds (default 20) of the same load run first and are not counted (JIT of the load path).
# Creates (or resets) the form 'freshness' (channel website, no campaign, no rate limits, no double opt-in) through
# the gateway with a marketing token. Leaves the leads it created (campaigns fresh-load and fresh-<run>-<n>).
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_=${1:-120}
RATE=${2:-500}
PROBES=${3:-5}
POLL_MS=${4:-50}
WARMUP=${WARMUP:-20}
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
TOKEN_FILE=$(mktemp)
refresher=
gateway_pid=
cleanup() {
  [[ -n "$refresher" ]] && kill "$refresher" 2>/dev/null
  if [[ -n "$gateway_pid" ]]; then kill "$gateway_pid" 2>/dev/null; while kill -0 "$gateway_pid" 2>/dev/null; do sleep 0.2; done; fi
  rm -f "$TOKEN_FILE" "$TOKEN_FILE.new"
}
trap cleanup EXIT
if [[ -z "${GATEWAY:-}" ]]; then
  port=${FRESH_GATEWAY_PORT:-18480}
  jar=gateway/target/quarkus-app/quarkus-run.jar
  [[ -f "$jar" ]] || { echo "no $jar: build it (./mvnw -B -q -DskipTests package -pl gateway -am)" >&2; exit 1; }
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && { echo "port $port is taken" >&2; exit 1; }
  while IFS= read -r line; do
    case "$line" in JDK_JAVA_OPTIONS=*) ;; *) export "${line?}" ;; esac
  done < <(dev/jvm-options.sh gateway --env)
  # shellcheck disable=SC2046
  "$JAVA" $(dev/jvm-options.sh gateway) -Dquarkus.http.port="$port" -Dgateway.rate-limit.enabled=false \
    -Dquarkus.log.level=WARN -jar "$jar" > /tmp/freshness-gateway.log 2>&1 &
  gateway_pid=$!
  GATEWAY=http://127.0.0.1:$port
  for _ in $(seq 1 60); do curl -fs "$GATEWAY/q/health/ready" >/dev/null && break; sleep 0.5; done
  curl -fs "$GATEWAY/q/health/ready" >/dev/null || { echo "own gateway not ready (see /tmp/freshness-gateway.log)" >&2; exit 1; }
fi
dev/token.sh marketing > "$TOKEN_FILE"
# tokens live 5 minutes: refresh every 60 s while the run lasts
( while sleep 60; do dev/token.sh marketing > "$TOKEN_FILE.new" && mv "$TOKEN_FILE.new" "$TOKEN_FILE"; done ) &
refresher=$!
form='{"key":"freshness","name":"Freshness benchmark (bench/kpi/freshness.sh)","channel":"website","doubleOptIn":false,"requireRenderToken":false,"rateLimits":{"perIpPerMinute":0,"perFormPerMinute":0}}'
auth=(-H "Authorization: Bearer $(cat "$TOKEN_FILE")" -H 'Content-Type: application/json')
code=$(curl -s -o /dev/null -w '%{http_code}' "${auth[@]}" "$GATEWAY/api/capture/forms/freshness")
if [[ "$code" == 404 ]]; then
  code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "${auth[@]}" -d "$form" "$GATEWAY/api/capture/forms")
else
  code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT "${auth[@]}" -d "$form" "$GATEWAY/api/capture/forms/freshness")
fi
[[ "$code" == 200 || "$code" == 201 ]] || { echo "could not create/update form 'freshness' (HTTP $code)" >&2; exit 1; }
echo "freshness: ${SECONDS_} s at $RATE leads/s through $GATEWAY, $PROBES probes/s polled every $POLL_MS ms; $(uptime | sed 's/.*load average/load average/')"
if (( WARMUP > 0 )); then
  echo "warm-up: $WARMUP s (not counted)"
  "$JAVA" bench/kpi/Freshness.java "$GATEWAY" freshness "$TOKEN_FILE" "$WARMUP" "$RATE" "$PROBES" "$POLL_MS" | sed 's/^RESULT/  warm-up/' || true
fi
"$JAVA" bench/kpi/Freshness.java "$GATEWAY" freshness "$TOKEN_FILE" "$SECONDS_" "$RATE" "$PROBES" "$POLL_MS"
echo "end: $(uptime | sed 's/.*load average/load average/')"
