#!/usr/bin/env bash
# One service alone, two builds side by side (issue 12): for each run of ORDER (default "A B B A") it starts
# MODULE from JAR_A's or JAR_B's quarkus-app on PORT with a fresh database of its own (dropped and created
# again, so every run migrates the same way) and its own Kafka topics and consumer groups, with the JVM options
# of k8s/base/MODULE/jvm.env (dev/jvm-options.sh, no AOT cache), and prints per run:
#   ready_ms   launch -> /q/health/ready answers 200
#   started_s  Quarkus' own "started in"
#   cpu_s      CPU time (user + system) the JVM had used when it was ready: less dependent on what else runs
#   rss_mb     VmRSS IDLE_AT s after the launch (nothing sent to the service)
#   classes    java.cls.loadedClasses at that moment (jcmd PerfCounter.print on this run's pid only)
#   load       the 1-minute load average at that moment
# and stops the service (SIGTERM, then SIGKILL after 60 s). Nothing of the shared stack is touched.
#
#   MODULE=scoring-service PORT=19502 SUFFIX=fpx JAR_A=/tmp/a/quarkus-app JAR_B=scoring-service/target/quarkus-app \
#     bench/footprint/alone.sh
# Environment: IDLE_AT [60] READY_TIMEOUT [180] ORDER ["A B B A"] PG_PORT [5432]
#   NMT [unset] 1: run with -XX:NativeMemoryTracking=summary and keep `jcmd VM.native_memory summary` of each run
#   (taken with the RSS) in /tmp/alone-SUFFIX-N-BUILD.nmt
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$(pwd)"
export JAVA_HOME="${LEADS_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$JAVA_HOME/bin/java"
MODULE="${MODULE:?MODULE}"
PORT="${PORT:?PORT}"
SUFFIX="${SUFFIX:?SUFFIX (names the database, topics and groups)}"
JAR_A="${JAR_A:?JAR_A (a quarkus-app directory)}"
JAR_B="${JAR_B:?JAR_B (a quarkus-app directory)}"
ORDER="${ORDER:-A B B A}"
IDLE_AT="${IDLE_AT:-60}"
READY_TIMEOUT="${READY_TIMEOUT:-180}"
PG_PORT="${PG_PORT:-5432}"
DB="${MODULE%-service}_$SUFFIX"
PROPS="$ROOT/$MODULE/src/main/resources/application.properties"
[[ -f "$PROPS" ]] || { echo "no $PROPS" >&2; exit 1; }

ready() { [[ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$PORT/q/health/ready" 2>/dev/null)" == 200 ]]; }
now_ms() { date +%s%3N; }
pid=""
stop() {
  [[ -n "$pid" ]] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 120; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -KILL "$pid" 2>/dev/null || true
  pid=""
}
trap stop EXIT

props=(-Dquarkus.http.host=127.0.0.1 "-Dquarkus.http.port=$PORT"
  "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://127.0.0.1:$PG_PORT/$DB"
  "-Dquarkus.datasource.reactive.url=postgresql://127.0.0.1:$PG_PORT/$DB"
  -Dquarkus.datasource.jdbc.acquisition-timeout=60s)
mapfile -t -O "${#props[@]}" props < <(
  sed -n 's/^\(platform\.outbox\.topic\)=\(.*\)$/-D\1='"$SUFFIX"'.\2/p' "$PROPS"
  sed -n 's/^\(mp\.messaging\.incoming\.[^.]*\.topic\)=\(.*\)$/-D\1='"$SUFFIX"'.\2/p' "$PROPS"
  sed -n 's/^\(mp\.messaging\.incoming\.[^.]*\.group\.id\)=.*$/-D\1='"$SUFFIX-$MODULE"'/p' "$PROPS")
read -r -a opts <<<"$(dev/jvm-options.sh "$MODULE")"
[[ -z "${NMT:-}" ]] || opts+=(-XX:NativeMemoryTracking=summary)
mapfile -t envs < <(dev/jvm-options.sh "$MODULE" --env | grep -v '^JDK_JAVA_OPTIONS=')

printf '| run | build | ready_ms | started_s | cpu_s | rss_mb | classes | load |\n|---|---|---|---|---|---|---|---|\n'
n=0
for v in $ORDER; do
  n=$((n + 1))
  app="$JAR_A"; [[ "$v" == B ]] && app="$JAR_B"
  ready && { echo "port $PORT is taken" >&2; exit 1; }
  psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -qc "drop database if exists $DB" >/dev/null
  psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -qc "create database $DB" >/dev/null
  log="/tmp/alone-$SUFFIX-$n-$v.log"
  t0="$(now_ms)"
  (cd "$ROOT/$MODULE" && exec env "${envs[@]}" "$JAVA" "${opts[@]}" "${props[@]}" -jar "$app/quarkus-run.jar" >"$log" 2>&1 </dev/null) &
  pid=$!
  up=0
  for ((i = 0; i < READY_TIMEOUT * 10; i++)); do
    ready && { up=1; break; }
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  ((up)) || { tail -n 30 "$log" >&2; echo "run $n ($v) not ready" >&2; exit 1; }
  ready_ms=$(($(now_ms) - t0))
  cpu="$(awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / hz}' "/proc/$pid/stat")"
  started="$(grep -ho 'started in [0-9.]*s' "$log" | tail -1 | grep -o '[0-9.]*' || echo '?')"
  while (($(now_ms) - t0 < IDLE_AT * 1000)); do sleep 0.5; done
  rss="$(awk '/^VmRSS:/ {printf "%d", $2 / 1024}' "/proc/$pid/status")"
  load="$(cut -d' ' -f1 /proc/loadavg)"
  classes="$("$JAVA_HOME/bin/jcmd" "$pid" PerfCounter.print 2>/dev/null | sed -n 's/^java\.cls\.loadedClasses=//p')"
  [[ -z "${NMT:-}" ]] || "$JAVA_HOME/bin/jcmd" "$pid" VM.native_memory summary >"${log%.log}.nmt" 2>&1 || true
  printf '| %d | %s | %d | %s | %s | %s | %s | %s |\n' "$n" "$v" "$ready_ms" "$started" "$cpu" "$rss" "$classes" "$load"
  stop
done
