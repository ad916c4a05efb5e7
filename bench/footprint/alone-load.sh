#!/usr/bin/env bash
# One service alone: ready time and idle RSS of a jar with its k8s/base/<module>/jvm.env options, as dev/stack.sh
# runs it (no AOT cache unless one is passed in JVM_EXTRA). For before/after comparisons of a code change:
# call it with main's jar and the branch's jar in turn (A B B A). Needs the infrastructure (PostgreSQL, Kafka,
# Keycloak); binds 127.0.0.1 only; the service gets its own database and topic/group names (SUFFIX).
#
#   bench/footprint/alone-load.sh LABEL JAR [MODULE]      (MODULE default capture-service)
#   env: PORT [19601] SUFFIX [alone] IDLE_AT [60] s after launch for the RSS, READY_TIMEOUT [300] s, PG_PORT [5432]
#        LOAD [0] capture-service only: 1 = then form posts straight to the service (wrk, bench/capture/submit.lua,
#        CONNECTIONS [64], WARMUP [15] s not counted, DURATION [20] s measured) and the RSS SETTLE [30] s after
# Prints one line: label, ready ms (launch -> /q/health/ready 200), Quarkus "started in", RSS at IDLE_AT,
# classes loaded (jcmd PerfCounter.print on this run's own pid), load average at launch and at the measurement.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$(pwd)"
LABEL="${1:?usage: alone-load.sh LABEL JAR [MODULE]}"
JAR="$(realpath "${2:?jar}")"
MODULE="${3:-capture-service}"
PORT="${PORT:-19601}"
SUFFIX="${SUFFIX:-alone}"
IDLE_AT="${IDLE_AT:-60}"
READY_TIMEOUT="${READY_TIMEOUT:-300}"
PG_PORT="${PG_PORT:-5432}"
export JAVA_HOME="${LEADS_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
db="${MODULE%-service}_$SUFFIX"
psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -Atqc "select 1 from pg_database where datname='$db'" | grep -q 1 \
  || psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -qc "create database $db" >/dev/null
props="$ROOT/$MODULE/src/main/resources/application.properties"
mapfile -t sprops < <(
  echo "-Dquarkus.http.host=127.0.0.1"; echo "-Dquarkus.http.port=$PORT"
  echo "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://127.0.0.1:$PG_PORT/$db"
  echo "-Dquarkus.datasource.reactive.url=postgresql://127.0.0.1:$PG_PORT/$db"
  echo "-Dquarkus.datasource.jdbc.acquisition-timeout=60s"
  sed -n 's/^\(platform\.outbox\.topic\)=\(.*\)$/-D\1='"$SUFFIX"'.\2/p' "$props"
  sed -n 's/^\(mp\.messaging\.incoming\.[^.]*\.topic\)=\(.*\)$/-D\1='"$SUFFIX"'.\2/p' "$props"
  sed -n 's/^\(mp\.messaging\.incoming\.[^.]*\.group\.id\)=.*$/-D\1='"$SUFFIX-$MODULE"'/p' "$props")
opts="$(dev/jvm-options.sh "$MODULE") ${JVM_EXTRA:-}"
mapfile -t envs < <(dev/jvm-options.sh "$MODULE" --env | grep -v '^JDK_JAVA_OPTIONS=')
logf="$ROOT/.dev/footprint/alone.$LABEL.log"
mkdir -p "$(dirname "$logf")"
ready() { [[ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$PORT/q/health/ready" 2>/dev/null)" == 200 ]]; }
ready && { echo "port $PORT is taken" >&2; exit 1; }
load0="$(cut -d' ' -f1 /proc/loadavg)"
start="$(date +%s%3N)"
# shellcheck disable=SC2086
(cd "$ROOT/$MODULE" && exec env "${envs[@]}" "$JAVA_HOME/bin/java" $opts "${sprops[@]}" -jar "$JAR" >"$logf" 2>&1 </dev/null) &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
up=0
for ((i = 0; i < READY_TIMEOUT * 10; i++)); do
  ready && { up=1; break; }
  kill -0 "$pid" 2>/dev/null || { tail -n 30 "$logf" >&2; exit 1; }
  sleep 0.1
done
((up)) || { echo "not ready after $READY_TIMEOUT s" >&2; exit 1; }
ready_ms=$(($(date +%s%3N) - start))
started_in="$(grep -ho 'started in [0-9.]*s' "$logf" | tail -1 | grep -o '[0-9.]*' || echo '?')"
while (($(date +%s%3N) - start < IDLE_AT * 1000)); do sleep 0.5; done
rss="$(awk '/^VmRSS:/ {printf "%d", $2 / 1024}' "/proc/$pid/status")"
classes="$("$JAVA_HOME/bin/jcmd" "$pid" PerfCounter.print 2>/dev/null | sed -n 's/^java.cls.loadedClasses=//p')"
load1="$(cut -d' ' -f1 /proc/loadavg)"
loaded=""
if [[ "${LOAD:-0}" == 1 ]]; then
  url="http://127.0.0.1:$PORT"
  token="$(dev/token.sh marketing)"
  if [[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$url/api/capture/forms/bench")" == 404 ]]; then
    curl -sf -o /dev/null -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$url/api/capture/forms" \
      -d '{"key":"bench","name":"Benchmark form (bench/footprint/alone.sh)","channel":"website","campaign":"bench","doubleOptIn":false,"requireRenderToken":false,"rateLimits":{"perIpPerMinute":0,"perFormPerMinute":0}}'
  fi
  c="${CONNECTIONS:-64}"
  posts() { BENCH_RUN="$(date +%s%N)" BENCH_RATE=0 BENCH_CONNECTIONS="$c" wrk -t2 -c"$c" -d"${1}s" --timeout 10s \
    -s bench/capture/submit.lua "$url/api/capture/forms/bench/submissions"; }
  posts "${WARMUP:-15}" >/dev/null
  rate="$(posts "${DURATION:-20}" | grep '^BENCH ' | awk '{for (i = 2; i <= NF; i++) {split($i, kv, "="); v[kv[1]] = kv[2]} printf "%.0f", v["ok202"] / (v["duration_us"] / 1e6)}')"
  sleep "${SETTLE:-30}"
  loaded="posts_per_s=$rate rss_after_load_mb=$(awk '/^VmRSS:/ {printf "%d", $2 / 1024}' "/proc/$pid/status") load_after=$(cut -d' ' -f1 /proc/loadavg) "
fi
echo "$LABEL ready_ms=$ready_ms started_in=${started_in}s rss_${IDLE_AT}s_mb=$rss classes=$classes load_at_launch=$load0 load_at_rss=$load1 $loaded$(date -u +%H:%M:%S)"
