#!/usr/bin/env bash
# Soak (issue 13): SOAK_MINUTES (default 30) of form submissions at half the peak rate through the gateway of the
# running dev stack (dev/stack.sh up: capture, scoring, nurturing, kpi, gateway, PostgreSQL, Kafka, Keycloak).
#
#   bench/soak/run.sh                      30 minutes; SOAK_MINUTES=2 bench/soak/run.sh for a short try
#
# 1. checks that every service answers ready, creates its own form (channel soak-<time>, no rate limits);
# 2. peak: SOAK_RAMP_SECONDS (20) of a closed loop with SOAK_RAMP_CONNECTIONS (64) requests in flight through the
#    gateway while every service runs (the consumers work on what the ramp produces): accepted per second;
#    the soak rate is half of it (SOAK_RATE sets it, SOAK_PEAK skips the ramp);
# 3. the stream at that rate for SOAK_MINUTES, every answer recorded; after SOAK_WARMUP seconds (a fifth of the run,
#    at most 120 s) the START snapshot, at the end of the stream the END snapshot; RSS sampled every 15 s;
# 4. drain: outbox backlogs and consumer lags polled until all are 0 (at most SOAK_DRAIN_MAX s, 600).
# Snapshot = RSS of every service (/proc of the process listening on its port), unsent outbox rows of each
# service's database, lag of each consumer group (kafka-consumer-groups of the Kafka jars in the dev cache).
# Pass: no error answer (any non-2xx or no answer), RSS at the end within SOAK_RSS_TOLERANCE % (25) of the start
# for every service, outbox and lag back to 0 within SOAK_DRAIN_MAX. Report: .dev/soak/report.md; exit 1 on fail.
# Localhost only; stops by itself; the leads stay in the dev databases (channel soak-<time>).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
JAVA_HOME="${LEADS_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$JAVA_HOME/bin/java"
CACHE="${LEADS_CACHE_DIR:-$HOME/.cache/leads-platform}"
KAFKA_HOME="$CACHE/kafka-4.3.1"
HOST=127.0.0.1

: "${SOAK_MINUTES:=30}"
: "${SOAK_RAMP_SECONDS:=20}" "${SOAK_RAMP_CONNECTIONS:=64}"
: "${SOAK_WARMUP:=$(( SOAK_MINUTES * 60 / 5 < 120 ? SOAK_MINUTES * 60 / 5 : 120 ))}"
: "${SOAK_RSS_TOLERANCE:=25}"           # % the RSS of a service may grow from START to END
: "${SOAK_DRAIN_MAX:=600}"              # s allowed after the stream for outbox and lag to reach 0
: "${SOAK_TIMEOUT:=30}"                 # s without an answer = an error (the gateway's own read timeout is 30 s)
: "${SOAK_GATEWAY:=http://$HOST:8080}"
: "${SOAK_KAFKA:=$HOST:9092}"
: "${SOAK_PG_PORT:=5432}"
: "${SOAK_GROUPS:=scoring-service nurturing-service nurturing-webhooks kpi-service}"
# service=port of what the dev stack runs (dev/stack.sh)
: "${SOAK_SERVICES:=gateway=8080 capture-service=8081 scoring-service=8082 nurturing-service=8083 kpi-service=8084}"
: "${SOAK_DATABASES:=capture scoring nurturing kpi}"

STATE="$ROOT/.dev/soak"
REPORT="$STATE/report.md"
mkdir -p "$STATE"
log() { printf '[soak %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
psql_d() { PGOPTIONS='-c client_min_messages=warning' psql -X -q -At -h "$HOST" -p "$SOAK_PG_PORT" -U postgres -d "$@"; }

LOADER=""
SAMPLER=""
cleanup() { # only what this script started, by PID
  local rc=$?
  [[ -n "$LOADER" ]] && kill "$LOADER" 2>/dev/null
  [[ -n "$SAMPLER" ]] && kill "$SAMPLER" 2>/dev/null
  exit "$rc"
}
trap cleanup EXIT INT TERM

pid_on_port() { ss -ltnpH "( sport = :$1 )" | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -n 1; }
rss_mb() { local p; p="$(pid_on_port "$1")"; [[ -n "$p" ]] && awk '/^VmRSS:/ { printf "%d", $2 / 1024 }' "/proc/$p/status" || echo "?"; }

# "name=rss" for every service
rss_all() { local s; for s in $SOAK_SERVICES; do printf '%s=%s ' "${s%%=*}" "$(rss_mb "${s##*=}")"; done; echo; }
# "db=unsent outbox rows" for every database
outbox_all() {
  local db n
  for db in $SOAK_DATABASES; do
    n="$(psql_d "$db" -c "select case when to_regclass('outbox_event') is null then 0 else
            (select count(*) from outbox_event where published_at is null) end" 2>/dev/null || echo "?")"
    printf '%s=%s ' "$db" "$n"
  done
  echo
}
# "group=lag" (sum over its partitions; a partition without a committed offset counts its whole log)
lag_all() {
  local args=() g
  for g in $SOAK_GROUPS; do args+=(--group "$g"); done
  "$JAVA" -Xmx128m -XX:TieredStopAtLevel=1 -cp "$KAFKA_HOME/libs/*" -Dlog4j2.level=ERROR \
    org.apache.kafka.tools.consumer.group.ConsumerGroupCommand --bootstrap-server "$SOAK_KAFKA" --describe "${args[@]}" 2>/dev/null |
    awk -v groups="$SOAK_GROUPS" '
      BEGIN { n = split(groups, gs, " "); for (i = 1; i <= n; i++) lag[gs[i]] = "?" }
      $1 in lag && $3 ~ /^[0-9]+$/ {
        if (lag[$1] == "?") lag[$1] = 0
        lag[$1] += ($6 ~ /^[0-9]+$/) ? $6 : (($5 ~ /^[0-9]+$/) ? $5 : 0)
      }
      END { for (i = 1; i <= n; i++) printf "%s=%s ", gs[i], lag[gs[i]]; print "" }'
}
snapshot() { # LABEL: one line each of RSS, outbox, lag into $STATE/LABEL.txt
  { echo "rss_mb: $(rss_all)"; echo "outbox: $(outbox_all)"; echo "lag: $(lag_all)"; } | tee "$STATE/$1.txt" | sed "s/^/[$1] /" >&2
}
field() { sed -n "s/^$2: //p" "$STATE/$1.txt" | tr ' ' '\n' | sed -n "s/^$3=//p"; }
sum_of() { sed -n "s/^$2: //p" "$STATE/$1.txt" | tr ' ' '\n' | awk -F= 'NF == 2 { if ($2 !~ /^[0-9]+$/) bad = 1; s += $2 } END { print bad ? "?" : s + 0 }'; }
prop() { local v; v="$(sed -n "s/^$2=//p" "$1" | head -n 1)"; echo "${v:-0}"; }

# ---- preconditions ----------------------------------------------------------------------------------------------
[[ -x "$JAVA" ]] || die "no JDK at $JAVA_HOME (LEADS_JAVA_HOME)"
[[ -d "$KAFKA_HOME/libs" ]] || die "Kafka jars missing in $KAFKA_HOME: dev/stack.sh up --infra fetches them"
for s in $SOAK_SERVICES; do
  port="${s##*=}"
  [[ -n "$(pid_on_port "$port")" ]] || die "${s%%=*} is not running on $port (dev/stack.sh up)"
  [[ "$(curl -s -o /dev/null -m 5 -w '%{http_code}' "http://$HOST:$port/q/health/ready")" == 200 ]] || die "${s%%=*} on $port is not ready"
done
rm -f "$STATE"/*.txt "$STATE"/*.properties "$STATE"/*.progress "$STATE/rss.log"
"$JAVA_HOME/bin/javac" -d "$STATE/classes" "$SCRIPT_DIR/SoakLoad.java" || die "SoakLoad does not compile"
load() { "$JAVA" -Xmx512m -cp "$STATE/classes" SoakLoad "$@"; }

RUN="$(date -u +%Y%m%d%H%M%S)"
KEY="soak-$RUN"
TOKEN="$("$ROOT/dev/token.sh" marketing)" || die "no marketing token from Keycloak"
code="$(curl -sS -m 20 -o "$STATE/form.json" -w '%{http_code}' -X POST -H "Authorization: Bearer $TOKEN" \
  -H 'Content-Type: application/json' "$SOAK_GATEWAY/api/capture/forms" \
  -d "{\"key\":\"$KEY\",\"name\":\"Soak $RUN\",\"channel\":\"$KEY\",\"campaign\":\"soak\",\"doubleOptIn\":false,\"requireRenderToken\":false,\"rateLimits\":{\"perIpPerMinute\":0,\"perFormPerMinute\":0}}")"
[[ "$code" == 201 || "$code" == 200 ]] || die "form $KEY not created (HTTP $code): $(cat "$STATE/form.json")"
URL="$SOAK_GATEWAY/api/capture/forms/$KEY/submissions"
log "form $KEY; load average $(cut -d' ' -f1-3 /proc/loadavg)"
snapshot before

# the gateway limits anonymous requests per client IP (600 per minute by default): the load leaves from enough
# loopback addresses (127.1.x.y) that each stays at half of that (10/s), like many visitors
source_ips() { echo $(( $1 / 5 + 16 )); } # RATE/s -> addresses, each at most ~5 req/s

# ---- peak ---------------------------------------------------------------------------------------------------------
if [[ -n "${SOAK_RATE:-}" ]]; then
  PEAK="${SOAK_PEAK:-$((SOAK_RATE * 2))}"; RATE_HOW="set by SOAK_RATE"
elif [[ -n "${SOAK_PEAK:-}" ]]; then
  PEAK="$SOAK_PEAK"; RATE_HOW="half of SOAK_PEAK"
else
  log "peak: $SOAK_RAMP_SECONDS s closed loop, $SOAK_RAMP_CONNECTIONS requests in flight, through the gateway"
  # 256 addresses: a bucket starts full (600) and refills 10/s, so they take 256 x (600 + 10 x SOAK_RAMP_SECONDS)
  load ramp --url "$URL" --connections "$SOAK_RAMP_CONNECTIONS" --seconds "$SOAK_RAMP_SECONDS" --tag "$RUN-ramp" \
    --source-ips 256 --timeout "$SOAK_TIMEOUT" --out "$STATE/ramp.properties" >/dev/null
  PEAK="$(prop "$STATE/ramp.properties" rate.achieved)"
  RATE_HOW="half of the peak measured at the start ($SOAK_RAMP_SECONDS s, $SOAK_RAMP_CONNECTIONS in flight: $PEAK accepted/s, $(prop "$STATE/ramp.properties" errors) errors, p99 $(prop "$STATE/ramp.properties" latency.p99.ms) ms)"
  ((PEAK > 0)) || die "the ramp got no 2xx answer: $(grep '^sample' "$STATE/ramp.properties")"
fi
RATE="${SOAK_RATE:-$((PEAK / 2))}"
log "rate: $RATE submissions/s ($RATE_HOW); $SOAK_MINUTES min; warm-up $SOAK_WARMUP s"
# let the consumers work off the ramp before the stream, so START is not taken in the middle of that backlog
drain_wait() { # SECONDS: until outbox and lag are 0; prints the seconds it took (or "over N")
  local limit="$1" start=$SECONDS
  while ((SECONDS - start < limit)); do
    snapshot drain >/dev/null 2>&1
    [[ "$(sum_of drain outbox)" == 0 && "$(sum_of drain lag)" == 0 ]] && { echo $((SECONDS - start)); return 0; }
    sleep 5
  done
  echo "over $limit"
  return 1
}
[[ -z "${SOAK_RATE:-}${SOAK_PEAK:-}" ]] && log "ramp backlog drained in $(drain_wait "$SOAK_DRAIN_MAX") s"

# ---- stream ---------------------------------------------------------------------------------------------------------
( while true; do echo "$(date -u +%H:%M:%S) $(rss_all)"; sleep 15; done ) >"$STATE/rss.log" 2>/dev/null &
SAMPLER=$!
load stream --url "$URL" --rate "$RATE" --seconds "$((SOAK_MINUTES * 60))" --tag "$RUN" --source-ips "$(source_ips "$RATE")" \
  --timeout "$SOAK_TIMEOUT" --out "$STATE/stream.properties" >/dev/null &
LOADER=$!
T_STREAM=$SECONDS
sleep "$SOAK_WARMUP"
log "START (after $SOAK_WARMUP s of the stream)"
snapshot start
wait "$LOADER" || die "the load generator failed"
LOADER=""
STREAM_S=$((SECONDS - T_STREAM))
log "END of the stream ($STREAM_S s)"
snapshot end
log "drain: outbox and lag to 0 (at most $SOAK_DRAIN_MAX s)"
DRAIN="$(drain_wait "$SOAK_DRAIN_MAX")" && DRAINED=1 || DRAINED=0
snapshot drained
kill "$SAMPLER" 2>/dev/null; SAMPLER=""

# ---- verdict ----------------------------------------------------------------------------------------------------------
S="$STATE/stream.properties"
FAILED=0
LINES=()
verdict() { # TEXT FAILED(0/1)
  if [[ "$2" == 0 ]]; then LINES+=("- ok: $1"); else LINES+=("- **FAILED**: $1"); FAILED=1; fi
}
verdict "no error answers ($(prop "$S" errors) of $(prop "$S" sent): $(grep '^status\.' "$S" | tr '\n' ' '); $(prop "$S" skipped) not sent (client saturated))" \
  $(( $(prop "$S" errors) + $(prop "$S" skipped) != 0 ))
for s in $SOAK_SERVICES; do
  name="${s%%=*}"; a="$(field start rss_mb "$name")"; b="$(field end rss_mb "$name")"
  if [[ "$a" =~ ^[0-9]+$ && "$b" =~ ^[0-9]+$ ]]; then
    verdict "$name RSS $a MB at START, $b MB at END ($(awk -v a="$a" -v b="$b" 'BEGIN { printf "%+.1f", (b - a) * 100 / a }') %, at most +$SOAK_RSS_TOLERANCE %)" \
      "$(awk -v a="$a" -v b="$b" -v t="$SOAK_RSS_TOLERANCE" 'BEGIN { print (b <= a * (1 + t / 100)) ? 0 : 1 }')"
  else
    verdict "$name RSS at START and END ($a, $b: the process was gone)" 1
  fi
done
verdict "outbox and consumer lag back to 0 after the stream (in ${DRAIN} s, at most $SOAK_DRAIN_MAX s)" $((DRAINED != 1))
[[ "$(prop "$S" errors)" != 0 ]] && LINES+=("- error samples: $(grep '^sample\.' "$S" | tr '\n' ' ')")

{
  echo "## Soak, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Command: \`SOAK_MINUTES=$SOAK_MINUTES bench/soak/run.sh\` against the dev stack ($SOAK_GATEWAY); machine: $(nproc) cores," \
    "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end. Rate: **$RATE submissions/s** ($RATE_HOW)."
  echo "Stream: $(prop "$S" sent) sent in $(prop "$S" elapsed.s) s, $(prop "$S" ok) answered 2xx ($(prop "$S" rate.achieved)/s)," \
    "latency p50 $(prop "$S" latency.p50.ms) ms, p99 $(prop "$S" latency.p99.ms) ms, max $(prop "$S" latency.max.ms) ms."
  echo
  echo "| | $(for s in $SOAK_SERVICES; do printf '%s RSS MB | ' "${s%%=*}"; done)$(for d in $SOAK_DATABASES; do printf '%s outbox | ' "$d"; done)$(for g in $SOAK_GROUPS; do printf '%s lag | ' "$g"; done)"
  echo "|---|$(for _ in $SOAK_SERVICES $SOAK_DATABASES $SOAK_GROUPS; do printf -- '---|'; done)"
  for label in before start end drained; do
    printf '| %s | ' "$label"
    for s in $SOAK_SERVICES; do printf '%s | ' "$(field "$label" rss_mb "${s%%=*}")"; done
    for d in $SOAK_DATABASES; do printf '%s | ' "$(field "$label" outbox "$d")"; done
    for g in $SOAK_GROUPS; do printf '%s | ' "$(field "$label" lag "$g")"; done
    echo
  done
  echo
  echo "before: before the ramp; start: after $SOAK_WARMUP s of the stream; end: as the stream ended; drained: after the drain."
  echo "RSS every 15 s: .dev/soak/rss.log (min–max per service over the stream:" \
    "$(for s in $SOAK_SERVICES; do n="${s%%=*}"; sed -n "s/.* $n=\([0-9]*\).*/\1/p" "$STATE/rss.log" | sort -n | sed -n '1p;$p' | paste -sd- | sed "s/^/$n /"; done | paste -sd, | sed 's/,/, /g'))."
  echo
  printf '%s\n' "${LINES[@]}"
  echo
  echo "Verdict: $([[ $FAILED == 0 ]] && echo PASS || echo FAIL)"
} | tee "$REPORT"
exit "$FAILED"
