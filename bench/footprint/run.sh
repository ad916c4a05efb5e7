#!/usr/bin/env bash
# Footprint benchmark (issue 12): JVM options "before" and "after", side by side in one run.
# For each variant it starts the five services from this checkout's jars, one at a time, on their own
# ports, databases, Kafka topics and consumer groups (nothing of the shared stack is touched), then
#   1. ready time: launch -> /q/health/ready answers 200 (and Quarkus' own "started in")
#   2. idle RSS of every service 60 s after its start
#   3. capture throughput through the gateway: wrk with bench/capture/submit.lua, WARMUP s not
#      counted, then DURATION s measured (202 answers per second)
#   4. idle RSS again, SETTLE s after the load
# and stops them. The variants alternate ROUNDS times (before after before after ...), so both see
# the same machine load. Prints a markdown table per round and the medians.
# Variants (VARIANTS, default "before tuned after"):
#
#   before  -Xmx512m, nothing else (what dev/stack.sh ran until issue 12)
#   tuned   k8s/base/<module>/jvm.env through dev/jvm-options.sh: what the Kubernetes pods run
#   main    the jars and k8s/base/<module>/jvm.env of another build, copied to BASELINE/<module>/{quarkus-app,jvm.env}
#           (e.g. main's, to compare a branch with today's code and settings in one run)
#   after   the same with the JDK 25 AOT cache as `dev/stack.sh aot` + `up` use it (trained once first if
#           missing or older than the jar)
#
# Needs: the running infrastructure (dev/stack.sh up --infra: PostgreSQL, Kafka, Keycloak), built jars
# (./mvnw package), wrk. Targets 127.0.0.1 only; every phase is bounded in time.
# Environment: PORT_BASE [18600] gateway = PORT_BASE, capture +1, scoring +2, nurturing +3, kpi +4
#   SUFFIX [fp] databases <service>_SUFFIX, topics SUFFIX.<topic>, groups SUFFIX-<module>
#   ROUNDS [2] WARMUP [30] DURATION [20] CONNECTIONS [128] SETTLE [30] IDLE_AT [60] VARIANTS ["before tuned after"]
#   PG_PORT [5432] the PostgreSQL to use (127.0.0.1, user postgres, trust): give the run its own server
#     when the machine's is busy (its max_connections shared by other test runs)
#   READY_TIMEOUT [120] seconds a service may take to become ready (more on a machine shared with builds)
#   BASELINE [.dev/baseline] where the "main" variant's jars and jvm.env files are
#   DB_POOL [unset] reactive pool size of every service in both variants (unset: the services' own, 20)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$(pwd)"
export JAVA_HOME="${LEADS_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$JAVA_HOME/bin/java"
PORT_BASE="${PORT_BASE:-18600}"
SUFFIX="${SUFFIX:-fp}"
ROUNDS="${ROUNDS:-2}"
WARMUP="${WARMUP:-30}"
DURATION="${DURATION:-20}"
CONNECTIONS="${CONNECTIONS:-128}"
SETTLE="${SETTLE:-30}"
IDLE_AT="${IDLE_AT:-60}"
VARIANTS="${VARIANTS:-before tuned after}"
DB_POOL="${DB_POOL:-}"
PG_PORT="${PG_PORT:-5432}"
BASELINE="${BASELINE:-$ROOT/.dev/baseline}"
READY_TIMEOUT="${READY_TIMEOUT:-120}"
MODULES=(capture-service scoring-service nurturing-service kpi-service gateway)
STATE="$ROOT/.dev/footprint"
mkdir -p "$STATE"

die() { echo "bench/footprint/run.sh: $*" >&2; exit 1; }
log() { printf '[footprint %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
command -v wrk >/dev/null || die "wrk is missing (apt-get install -y wrk)"
for m in "${MODULES[@]}"; do
  [[ -f "$m/target/quarkus-app/quarkus-run.jar" ]] || die "no $m/target/quarkus-app/quarkus-run.jar: ./mvnw -DskipTests package first"
done

port_of() {
  case "$1" in
    gateway) echo "$PORT_BASE" ;; capture-service) echo $((PORT_BASE + 1)) ;; scoring-service) echo $((PORT_BASE + 2)) ;;
    nurturing-service) echo $((PORT_BASE + 3)) ;; kpi-service) echo $((PORT_BASE + 4)) ;;
  esac
}
db_of() { echo "${1%-service}_$SUFFIX"; }

for m in capture-service scoring-service nurturing-service kpi-service; do
  db="$(db_of "$m")"
  psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -Atqc "select 1 from pg_database where datname='$db'" | grep -q 1 \
    || psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -qc "create database $db" >/dev/null
done

# The service's own configuration, moved onto this run's ports, databases, topics and groups: every
# non-test topic and group of its application.properties gets the SUFFIX.
service_props() {
  local m="$1" port props db
  port="$(port_of "$m")"
  props="$ROOT/$m/src/main/resources/application.properties"
  echo "-Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=$port"
  if [[ "$m" == gateway ]]; then
    local r
    for r in capture scoring nurturing kpi; do
      echo "-Dgateway.routes.$r.upstream=http://127.0.0.1:$(port_of "$r-service")"
    done
    # the whole load comes from one IP: the per-IP limit of public paths (600/min) would measure the limiter (10/s)
    echo "-Dgateway.rate-limit.enabled=false"
    return
  fi
  db="$(db_of "$m")"
  echo "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://127.0.0.1:$PG_PORT/$db -Dquarkus.datasource.reactive.url=postgresql://127.0.0.1:$PG_PORT/$db"
  # Flyway's JDBC connection at start: the default 5 s acquisition timeout fails the start on a saturated machine
  echo "-Dquarkus.datasource.jdbc.acquisition-timeout=60s"
  # optionally a smaller pool (both variants): for a PostgreSQL whose max_connections others share
  [[ -z "$DB_POOL" ]] || echo "-Dquarkus.datasource.reactive.max-size=$DB_POOL"
  sed -n 's/^\(platform\.outbox\.topic\)=\(.*\)$/-D\1='"$SUFFIX"'.\2/p' "$props"
  sed -n 's/^\(mp\.messaging\.incoming\.[^.]*\.topic\)=\(.*\)$/-D\1='"$SUFFIX"'.\2/p' "$props"
  sed -n 's/^\(mp\.messaging\.incoming\.[^.]*\.group\.id\)=.*$/-D\1='"$SUFFIX-$m"'/p' "$props"
}

jvm_opts() { # variant module
  case "$1" in
    before) echo "-Xmx512m" ;;
    main) sed -n 's/^JDK_JAVA_OPTIONS=//p' "$BASELINE/$2/jvm.env" | tail -n 1 ;;
    tuned) dev/jvm-options.sh "$2" ;;
    *) dev/jvm-options.sh "$2" --aot "$ROOT/$2/target/quarkus-app/quarkus-run.jar" ;;
  esac
}

ready() { [[ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$1/q/health/ready" 2>/dev/null)" == 200 ]]; }
rss_mb() { awk '/^VmRSS:/ {printf "%d", $2 / 1024}' "/proc/$1/status" 2>/dev/null || echo "-"; }
now_ms() { date +%s%3N; }

declare -A PID START READY_MS STARTED_IN
start_one() { # variant module
  local v="$1" m="$2" port envs=() opts
  port="$(port_of "$m")"
  ready "$port" && die "port $port is already taken"
  opts="$(jvm_opts "$v" "$m")"
  local jar="target/quarkus-app/quarkus-run.jar"
  if [[ "$v" == main ]]; then
    jar="$BASELINE/$m/quarkus-app/quarkus-run.jar"
    [[ -f "$jar" ]] || die "no $jar (copy the baseline build there first)"
    mapfile -t envs < <(grep -E '^[A-Z_][A-Z0-9_]*=' "$BASELINE/$m/jvm.env" | grep -v '^JDK_JAVA_OPTIONS=')
  elif [[ "$v" != before ]]; then mapfile -t envs < <(dev/jvm-options.sh "$m" --env | grep -v '^JDK_JAVA_OPTIONS='); fi
  local logf="$STATE/$m.$v.log"
  : >"$logf"
  START[$m]="$(now_ms)"
  # shellcheck disable=SC2046
  (cd "$ROOT/$m" && exec env "${envs[@]}" "$JAVA" $opts $(service_props "$m") -jar "$jar" >>"$logf" 2>&1 </dev/null) &
  PID[$m]=$!
  local i up=0
  for ((i = 0; i < READY_TIMEOUT * 10; i++)); do
    ready "$port" && { up=1; break; }
    kill -0 "${PID[$m]}" 2>/dev/null || { tail -n 30 "$logf" >&2; die "$m ($v) exited during start"; }
    sleep 0.1
  done
  # the first 200 counts: on a saturated machine a second probe may time out (curl -m 2) right after
  ((up)) || die "$m ($v) not ready after $READY_TIMEOUT s"
  READY_MS[$m]=$(($(now_ms) - START[$m]))
  STARTED_IN[$m]="$(grep -ho 'started in [0-9.]*s' "$logf" | tail -1 | grep -o '[0-9.]*' || echo '?')"
}

stop_all() {
  local m
  for m in "${MODULES[@]}"; do [[ -n "${PID[$m]:-}" ]] && kill -TERM "${PID[$m]}" 2>/dev/null || true; done
  for m in "${MODULES[@]}"; do
    [[ -n "${PID[$m]:-}" ]] || continue
    local i
    # up to 5 minutes: a JVM trained with -XX:AOTCacheOutput assembles its cache on exit
    for ((i = 0; i < 600; i++)); do kill -0 "${PID[$m]}" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "${PID[$m]}" 2>/dev/null || true
    PID[$m]=""
  done
}
trap stop_all EXIT

bench_form() {
  local token json code url="http://127.0.0.1:$(port_of capture-service)"
  token="$(dev/token.sh marketing)" || die "no marketing token (is Keycloak up?)"
  json='{"key":"bench","name":"Benchmark form (bench/footprint/run.sh)","channel":"website","campaign":"bench","doubleOptIn":false,"requireRenderToken":false,"rateLimits":{"perIpPerMinute":0,"perFormPerMinute":0}}'
  code="$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$url/api/capture/forms/bench")"
  if [[ "$code" == 404 ]]; then
    code="$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "$json" "$url/api/capture/forms")"
  fi
  [[ "$code" == 200 || "$code" == 201 ]] || die "cannot create the form bench in capture (HTTP $code)"
}

wrk_rate() { # seconds -> 202 per second through the gateway
  local out line
  out="$(BENCH_RUN="$(date +%s%N)" BENCH_RATE=0 BENCH_CONNECTIONS="$CONNECTIONS" wrk -t2 -c"$CONNECTIONS" -d"${1}s" --timeout 10s \
    -s bench/capture/submit.lua "http://127.0.0.1:$PORT_BASE/api/capture/forms/bench/submissions")" || die "wrk failed: $out"
  line="$(grep '^BENCH ' <<<"$out")"
  awk '{for (i = 2; i <= NF; i++) {split($i, kv, "="); v[kv[1]] = kv[2]} printf "%.0f", v["ok202"] / (v["duration_us"] / 1e6)}' <<<"$line"
}

# AOT training run for the "after" variant when a cache is missing or older than its jar: each service
# once with -XX:AOTCacheOutput, a short load, then a normal exit writes target/quarkus-app/app.aot.
if [[ " $VARIANTS " == *" after "* ]]; then
  need=0
  for m in "${MODULES[@]}"; do
    [[ "$(jvm_opts after "$m")" == *AOTCacheOutput* ]] && need=1
  done
  if ((need)); then
    log "training the AOT caches (one run with -XX:AOTCacheOutput)"
    for m in "${MODULES[@]}"; do start_one after "$m"; done
    bench_form
    wrk_rate 10 >/dev/null
    stop_all
    for m in "${MODULES[@]}"; do
      [[ -f "$m/target/quarkus-app/app.aot" ]] || die "no AOT cache written for $m (see $STATE/$m.after.log)"
    done
  fi
fi

declare -A RESULTS
round_table=""
for ((r = 1; r <= ROUNDS; r++)); do
  for v in $VARIANTS; do
    log "round $r, variant $v: starting the services one at a time"
    for m in "${MODULES[@]}"; do start_one "$v" "$m"; done
    bench_form
    first="${START[capture-service]}"
    wait_s=$(((first + IDLE_AT * 1000 - $(now_ms)) / 1000))
    ((wait_s > 0)) && sleep "$wait_s"
    declare -A IDLE=()
    for m in "${MODULES[@]}"; do IDLE[$m]="$(rss_mb "${PID[$m]}")"; done
    log "round $r, $v: load through the gateway (${WARMUP}s warm-up, ${DURATION}s measured, $CONNECTIONS connections)"
    ((WARMUP > 0)) && wrk_rate "$WARMUP" >/dev/null
    rate="$(wrk_rate "$DURATION")"
    sleep "$SETTLE"
    row="| $r | $v | $rate/s |"
    for m in "${MODULES[@]}"; do
      after="$(rss_mb "${PID[$m]}")"
      row+=" ${READY_MS[$m]} ms (${STARTED_IN[$m]} s) / ${IDLE[$m]} / $after MB |"
      RESULTS["$v,$m,ready"]+="${READY_MS[$m]} "
      RESULTS["$v,$m,idle"]+="${IDLE[$m]} "
      RESULTS["$v,$m,after"]+="$after "
    done
    RESULTS["$v,rate"]+="$rate "
    round_table+="$row"$'\n'
    log "$row"
    stop_all
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR] = $1} END {if (NR % 2) print a[(NR + 1) / 2]; else printf "%.0f", (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
echo
echo "### Footprint, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GB RAM; load average at the end $(cut -d' ' -f1-3 /proc/loadavg) (other engineers' builds share the cores)."
echo "Command: \`ROUNDS=$ROUNDS WARMUP=$WARMUP DURATION=$DURATION CONNECTIONS=$CONNECTIONS SETTLE=$SETTLE PG_PORT=$PG_PORT${DB_POOL:+ DB_POOL=$DB_POOL} bench/footprint/run.sh\`"
echo
echo "Per round: gateway→capture throughput; per service: ready time (Quarkus \"started in\") / idle RSS ${IDLE_AT} s after start / idle RSS ${SETTLE} s after the load."
echo
echo "| round | variant | throughput | $(printf '%s | ' "${MODULES[@]}")"
echo "|---|---|---|---|---|---|---|---|"
printf '%s' "$round_table"
echo
echo "Medians:"
echo
echo "| variant | throughput | $(printf '%s: ready / idle / after load | ' "${MODULES[@]}")"
echo "|---|---|---|---|---|---|---|"
for v in $VARIANTS; do
  row="| $v | $(median <<<"${RESULTS[$v,rate]}")/s |"
  for m in "${MODULES[@]}"; do
    row+=" $(median <<<"${RESULTS[$v,$m,ready]}") ms / $(median <<<"${RESULTS[$v,$m,idle]}") / $(median <<<"${RESULTS[$v,$m,after]}") MB |"
  done
  echo "$row"
done
