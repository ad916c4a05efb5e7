#!/usr/bin/env bash
# Capture benchmark (issue 3, Performance): in one run on the same machine and the same Postgres,
#   1. pgbench: single-row INSERT rate into a scratch table (jsonb column, unique lower(email) index)
#   2. accepted JSON form submissions per second and p50/p99, straight to capture-service (wrk)
#   3. the same through the gateway
#   4. p50/p99 at half the direct peak rate (paced wrk)
#   5. proxies side by side (issue 11): direct / nginx / gateway interleaved in rounds, on the public form
#      post AND on an authenticated read (a marketer's GET of a lead with a real Keycloak token), with
#      throughput, loss against direct and CPU per request of each proxy. nginx (Debian's package; installed
#      when missing) runs on 127.0.0.1:NGINX_PORT with a config this script writes, and is stopped at the end.
# then prints a summary table, the ratios and the target verdicts, and writes them to
# bench/capture/last-run.md. Expects the suite to run (dev/stack.sh up); starts and stops nothing.
# Targets 127.0.0.1 only. See bench/README.md.
#
# Environment (defaults in brackets):
#   CAPTURE_URL [http://127.0.0.1:8081]   GATEWAY_URL [http://127.0.0.1:8080]
#   FORM_KEY [bench]     form the load posts to; created/updated with no rate limits (see README)
#   DURATION [20]        seconds of each measured phase     WARMUP [60] seconds of JIT warm-up (direct and gateway each)
#   THREADS [2]  CONNECTIONS [search]  wrk -t / -c; unset: the peak is searched over PEAK_CONNECTIONS
#   PEAK_CONNECTIONS ["32 64 128 256"]  PEAK_PROBE [10]  connection counts tried, seconds each
#   PGBENCH_CLIENTS [8]  PGBENCH_JOBS [2]
#   PGHOST [127.0.0.1]  PGPORT [5432]  PGUSER [postgres]   CAPTURE_DB [capture]  BENCH_DB [bench]
#   SETTLE_MAX [60]      max seconds to wait between phases for the outbox backlog to drain
#   PHASES [all]         all | proxies (only step 5, after a warm-up of each path)
#   PROXY_ROUNDS [2]     rounds of direct/nginx/gateway per request kind   NGINX_PORT [8090]
#   PROXY_CONNECTIONS [128]  wrk -c of step 5
set -euo pipefail
cd "$(dirname "$0")/../.."

# the exact command, with every setting that came from the environment
CMD_LINE=""
for v in CAPTURE_URL GATEWAY_URL FORM_KEY DURATION WARMUP THREADS CONNECTIONS PEAK_CONNECTIONS PEAK_PROBE PGBENCH_CLIENTS PGBENCH_JOBS \
         PGHOST PGPORT PGUSER CAPTURE_DB BENCH_DB SETTLE_MAX KEYCLOAK_URL PHASES PROXY_ROUNDS NGINX_PORT PROXY_CONNECTIONS; do
  if [[ -n "${!v:-}" ]]; then CMD_LINE+="$v=${!v} "; fi
done
CMD_LINE+="bench/capture/run.sh"

CAPTURE_URL="${CAPTURE_URL:-http://127.0.0.1:8081}"
GATEWAY_URL="${GATEWAY_URL:-http://127.0.0.1:8080}"
FORM_KEY="${FORM_KEY:-bench}"
DURATION="${DURATION:-20}"
WARMUP="${WARMUP:-60}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-}"
PEAK_CONNECTIONS="${PEAK_CONNECTIONS:-32 64 128 256}"
PEAK_PROBE="${PEAK_PROBE:-10}"
PGBENCH_CLIENTS="${PGBENCH_CLIENTS:-8}"
PGBENCH_JOBS="${PGBENCH_JOBS:-2}"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
CAPTURE_DB="${CAPTURE_DB:-capture}"
BENCH_DB="${BENCH_DB:-bench}"
SETTLE_MAX="${SETTLE_MAX:-60}"
PHASES="${PHASES:-all}"
PROXY_ROUNDS="${PROXY_ROUNDS:-2}"
NGINX_PORT="${NGINX_PORT:-8090}"
PROXY_CONNECTIONS="${PROXY_CONNECTIONS:-128}"

die() { echo "bench/capture/run.sh: $*" >&2; exit 1; }

# ---- preconditions -------------------------------------------------------------------------
# wrk comes from Debian's packages; installed here when missing and apt-get is usable
if ! command -v wrk >/dev/null && command -v apt-get >/dev/null && [[ "$(id -u)" == 0 ]]; then
  echo "  wrk is missing: apt-get install wrk" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null 2>&1 \
    || { DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; } \
    || true
fi
# nginx (the yardstick of step 5) likewise
if ! command -v nginx >/dev/null && [[ -x /usr/sbin/nginx ]]; then PATH="$PATH:/usr/sbin"; fi
if ! command -v nginx >/dev/null && command -v apt-get >/dev/null && [[ "$(id -u)" == 0 ]]; then
  echo "  nginx is missing: apt-get install nginx-light or nginx" >&2
  { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null 2>&1 \
    || { DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null; }; } || true
  # Debian's package starts a system nginx on port 80: not ours, stop it
  if command -v systemctl >/dev/null; then systemctl stop nginx >/dev/null 2>&1 || true; fi
  [[ -f /run/nginx.pid ]] && kill "$(cat /run/nginx.pid)" 2>/dev/null || true
  PATH="$PATH:/usr/sbin"
fi
for tool in wrk pgbench psql curl awk nginx; do
  command -v "$tool" >/dev/null || die "'$tool' is missing (Debian: apt-get install -y ${tool/pgbench/postgresql-client})"
done
for url in "$CAPTURE_URL" "$GATEWAY_URL"; do
  [[ "$url" =~ ^http://127\.0\.0\.1(:[0-9]+)?/?$ ]] || die "only http://127.0.0.1[:port] is allowed, not '$url'"
done
[[ "$PGHOST" == 127.0.0.1 ]] || die "only PGHOST=127.0.0.1 is allowed, not '$PGHOST'"
CAPTURE_URL="${CAPTURE_URL%/}"
GATEWAY_URL="${GATEWAY_URL%/}"
for url in "$CAPTURE_URL" "$GATEWAY_URL"; do
  curl -fsS -m 5 -o /dev/null "$url/q/health/ready" \
    || die "$url/q/health/ready is not UP: start the suite first (dev/stack.sh up)"
done
psql -d "$CAPTURE_DB" -Atqc 'select 1 from form limit 1' >/dev/null 2>&1 \
  || die "cannot read table 'form' of database '$CAPTURE_DB' on $PGHOST:$PGPORT (CAPTURE_DB must be capture-service's database)"

# ---- the benchmark form: no per-IP/per-form rate limit, no render token, no double opt-in -----
# (the default 'contact' form keeps the service's anti-spam limits, 30/min per IP: under load
# almost every submission would be answered 202 as spam and not stored)
token="$(dev/token.sh marketing)" || die "no marketing token from Keycloak (dev/token.sh marketing)"
form_json="{\"key\":\"$FORM_KEY\",\"name\":\"Benchmark form (bench/capture/run.sh)\",\"channel\":\"website\",\"campaign\":\"bench\",\"doubleOptIn\":false,\"requireRenderToken\":false,\"rateLimits\":{\"perIpPerMinute\":0,\"perFormPerMinute\":0}}"
code="$(curl -sS -m 10 -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$CAPTURE_URL/api/capture/forms/$FORM_KEY")"
if [[ "$code" == 404 ]]; then
  code="$(curl -sS -m 10 -o /tmp/bench-form.$$ -w '%{http_code}' -X POST -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' -d "$form_json" "$CAPTURE_URL/api/capture/forms")"
elif [[ "$code" == 200 ]]; then
  code="$(curl -sS -m 10 -o /tmp/bench-form.$$ -w '%{http_code}' -X PUT -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' -d "$form_json" "$CAPTURE_URL/api/capture/forms/$FORM_KEY")"
fi
[[ "$code" == 200 || "$code" == 201 ]] || die "could not create/update form '$FORM_KEY' (HTTP $code): $(cat /tmp/bench-form.$$ 2>/dev/null)"
rm -f /tmp/bench-form.$$
form_id="$(psql -d "$CAPTURE_DB" -Atqc "select id from form where form_key = '$FORM_KEY'")"
[[ -n "$form_id" ]] || die "form '$FORM_KEY' not found in database '$CAPTURE_DB'"

# CPU time (clock ticks) of the process listening on a port, and of all PostgreSQL processes
port_of() { local u="${1#http://127.0.0.1}"; u="${u#:}"; echo "${u:-80}"; }
pid_on() { ss -ltnpH "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2; }
ticks() { [[ -n "$1" && -r /proc/$1/stat ]] && awk '{print $14 + $15}' "/proc/$1/stat" || echo 0; }
pg_ticks() { local s=0 p; for p in $(pgrep -u postgres postgres); do s=$(( s + $(ticks "$p") )); done; echo "$s"; }
HZ="$(getconf CLK_TCK)"
CAPTURE_PID="$(pid_on "$(port_of "$CAPTURE_URL")")"
GATEWAY_PID="$(pid_on "$(port_of "$GATEWAY_URL")")"

stored() { psql -d "$CAPTURE_DB" -Atqc "select count(*) from form_submission where form_id = '$form_id'"; }
spam() { psql -d "$CAPTURE_DB" -Atqc "select count(*) from spam_submission where form_id = '$form_id'"; }
backlog() { psql -d "$CAPTURE_DB" -Atqc "select count(*) from outbox_event where published_at is null"; }

# waits (at most SETTLE_MAX s) until the outbox is drained, so one phase's Kafka publishing does not
# eat the next phase's CPU; prints the backlog found and how long draining took
settle() {
  local b0 start now
  b0="$(backlog)"
  start=$(date +%s)
  while (( $(backlog) > 0 )); do
    now=$(date +%s)
    (( now - start >= SETTLE_MAX )) && break
    sleep 1
  done
  echo "$b0 $(( $(date +%s) - start )) $(backlog)"
}

# runs wrk once; sets W_* variables from the BENCH line, and the stored/spam deltas from the DB
run_wrk() { # label url rate duration
  local label="$1" url="$2" rate="$3" dur="$4" out s0 p0 c0 g0 q0
  s0="$(stored)"; p0="$(spam)"
  c0="$(ticks "$CAPTURE_PID")"; g0="$(ticks "$GATEWAY_PID")"; q0="$(pg_ticks)"
  echo "  $label: wrk -t$THREADS -c$CONNECTIONS -d${dur}s --latency ${rate:+(paced at $rate req/s) }$url/api/capture/forms/$FORM_KEY/submissions" >&2
  out="$(BENCH_RUN="$(date +%s%N)" BENCH_RATE="${rate:-0}" BENCH_CONNECTIONS="$CONNECTIONS" \
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${dur}s" --timeout 10s --latency -s bench/capture/submit.lua \
    "$url/api/capture/forms/$FORM_KEY/submissions")" || die "wrk failed: $out"
  line="$(grep '^BENCH ' <<<"$out")" || die "no BENCH line from wrk: $out"
  for kv in ${line#BENCH }; do
    printf -v "W_${kv%%=*}" '%s' "${kv#*=}"
  done
  # CPU milliseconds per request of capture-service, the gateway and PostgreSQL during the phase
  W_cpu="$(awk -v n="$W_requests" -v hz="$HZ" -v c=$(( $(ticks "$CAPTURE_PID") - c0 )) -v g=$(( $(ticks "$GATEWAY_PID") - g0 )) \
    -v q=$(( $(pg_ticks) - q0 )) 'BEGIN{ if (n < 1) n = 1; printf "%.3f / %.3f / %.3f", c * 1000 / hz / n, g * 1000 / hz / n, q * 1000 / hz / n}')"
  W_stored=$(( $(stored) - s0 ))
  W_spam=$(( $(spam) - p0 ))
  # accepted = answered 202 AND stored (a 202 can also be spam, which is not stored)
  W_accepted=$(( W_ok202 < W_stored ? W_ok202 : W_stored ))
  W_rate="$(awk -v n="$W_accepted" -v us="$W_duration_us" 'BEGIN{printf "%.0f", n / (us / 1e6)}')"
  W_sent_rate="$(awk -v n="$W_requests" -v us="$W_duration_us" 'BEGIN{printf "%.0f", n / (us / 1e6)}')"
  W_p50="$(awk -v u="$W_p50_us" 'BEGIN{printf "%.1f", u / 1000}')"
  W_p99="$(awk -v u="$W_p99_us" 'BEGIN{printf "%.1f", u / 1000}')"
  W_errs=$(( W_connect_err + W_read_err + W_write_err + W_timeout_err ))
  echo "    -> $W_accepted accepted ($W_rate/s), 202: $W_ok202, stored: $W_stored, spam: $W_spam, non-202: $W_non202 (${W_non202_codes}), socket errors: $W_errs, p50 $W_p50 ms, p99 $W_p99 ms, CPU ms/request capture/gateway/postgres $W_cpu" >&2
}

echo "capture benchmark: $(date -u '+%Y-%m-%d %H:%M:%S UTC'), phases of ${DURATION}s" >&2

if [[ "$PHASES" == all ]]; then
# ---- 1. pgbench ------------------------------------------------------------------------------
if [[ -z "$(psql -d postgres -Atqc "select 1 from pg_database where datname = '$BENCH_DB'")" ]]; then
  psql -d postgres -qc "create database $BENCH_DB" >/dev/null
fi
psql -d "$BENCH_DB" -q >/dev/null <<'SQL'
drop table if exists lead_bench;
create table lead_bench (id bigserial primary key, email text not null, payload jsonb not null);
create unique index on lead_bench (lower(email));
SQL
echo "  pgbench -n -c $PGBENCH_CLIENTS -j $PGBENCH_JOBS -T $DURATION -f bench/capture/pgbench-insert.sql $BENCH_DB" >&2
pg_out="$(pgbench -n -c "$PGBENCH_CLIENTS" -j "$PGBENCH_JOBS" -T "$DURATION" -f bench/capture/pgbench-insert.sql "$BENCH_DB" 2>&1)" \
  || die "pgbench failed: $pg_out"
pg_tps="$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p' <<<"$pg_out" | awk '{printf "%.0f", $1}')"
pg_lat="$(sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' <<<"$pg_out")"
pg_failed="$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' <<<"$pg_out")"
[[ -n "$pg_tps" ]] || die "no tps in pgbench output: $pg_out"
echo "    -> $pg_tps TPS, latency average $pg_lat ms, failed: ${pg_failed:-?}" >&2
psql -d "$BENCH_DB" -qc 'drop table lead_bench' >/dev/null

# ---- 2. direct peak (after a warm-up that is not counted) ------------------------------------
if (( WARMUP > 0 )); then
  # both paths: the gateway's JIT needs its own warm-up
  CONNECTIONS="${CONNECTIONS:-128}" run_wrk "warm-up direct (not counted)" "$CAPTURE_URL" "" "$WARMUP"
  CONNECTIONS="${CONNECTIONS:-128}" run_wrk "warm-up gateway (not counted)" "$GATEWAY_URL" "" "$WARMUP"
  read -r b t r <<<"$(settle)"; echo "    outbox backlog $b, drained in ${t}s (left: $r)" >&2
fi

# ---- the peak: concurrency at which capture-service accepts the most (group commit batches grow
# with the number of requests in flight, so the peak is not at a fixed connection count)
peak_search=""
if [[ -z "$CONNECTIONS" ]]; then
  best=0
  for c in $PEAK_CONNECTIONS; do
    CONNECTIONS="$c" run_wrk "peak search, $c connections (not counted)" "$CAPTURE_URL" "" "$PEAK_PROBE"
    peak_search+="${peak_search:+, }$c: $W_rate/s"
    if (( W_rate > best )); then best=$W_rate; CONNECTIONS_BEST=$c; fi
    read -r b t r <<<"$(settle)"
  done
  CONNECTIONS="$CONNECTIONS_BEST"
  echo "    peak at $CONNECTIONS connections ($peak_search)" >&2
fi
run_wrk "direct peak" "$CAPTURE_URL" "" "$DURATION"
d_rate=$W_rate d_sent=$W_sent_rate d_p50=$W_p50 d_p99=$W_p99 d_ok=$W_ok202 d_stored=$W_stored d_spam=$W_spam
d_non202=$W_non202 d_codes=$W_non202_codes d_errs=$W_errs d_cpu=$W_cpu
read -r d_backlog d_drain d_left <<<"$(settle)"; echo "    outbox backlog $d_backlog, drained in ${d_drain}s (left: $d_left)" >&2

# ---- 3. gateway peak -------------------------------------------------------------------------
run_wrk "gateway peak" "$GATEWAY_URL" "" "$DURATION"
g_rate=$W_rate g_sent=$W_sent_rate g_p50=$W_p50 g_p99=$W_p99 g_ok=$W_ok202 g_stored=$W_stored g_spam=$W_spam
g_non202=$W_non202 g_codes=$W_non202_codes g_errs=$W_errs g_cpu=$W_cpu
read -r g_backlog g_drain g_left <<<"$(settle)"; echo "    outbox backlog $g_backlog, drained in ${g_drain}s (left: $g_left)" >&2

# ---- 4. direct at half the direct peak rate ----------------------------------------------------
h_target=$(( d_rate / 2 ))
(( h_target > 0 )) || die "direct peak accepted nothing; no half-load run"
run_wrk "direct half load" "$CAPTURE_URL" "$h_target" "$DURATION"
h_rate=$W_rate h_sent=$W_sent_rate h_p50=$W_p50 h_p99=$W_p99 h_ok=$W_ok202 h_stored=$W_stored h_spam=$W_spam
h_non202=$W_non202 h_codes=$W_non202_codes h_errs=$W_errs h_cpu=$W_cpu
read -r h_backlog h_drain h_left <<<"$(settle)"; echo "    outbox backlog $h_backlog, drained in ${h_drain}s (left: $h_left)" >&2

# ---- 5. gateway at the same offered rate: what the gateway adds to latency when it is not saturated
run_wrk "gateway half load" "$GATEWAY_URL" "$h_target" "$DURATION"
gh_rate=$W_rate gh_p50=$W_p50 gh_p99=$W_p99 gh_ok=$W_ok202 gh_stored=$W_stored gh_spam=$W_spam
gh_non202=$W_non202 gh_codes=$W_non202_codes gh_errs=$W_errs gh_cpu=$W_cpu
read -r gh_backlog gh_drain gh_left <<<"$(settle)"; echo "    outbox backlog $gh_backlog, drained in ${gh_drain}s (left: $gh_left)" >&2

# ---- summary -----------------------------------------------------------------------------------
overhead="$(awk -v g="$g_rate" -v d="$d_rate" 'BEGIN{printf "%.1f", (1 - g / d) * 100}')"
ratio="$(awk -v d="$d_rate" -v p="$pg_tps" 'BEGIN{printf "%.2f", d / p}')"
v1="$(awk -v d="$d_rate" -v p="$pg_tps" 'BEGIN{print (d >= p) ? "PASS" : "FAIL"}')"
v2="$(awk -v o="$overhead" 'BEGIN{print (o < 15) ? "PASS" : "FAIL"}')"
v3="$(awk -v p="$h_p99" 'BEGIN{print (p < 50) ? "PASS" : "FAIL"}')"
machine="$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GB RAM, Linux $(uname -r)"
when="$(date -u '+%Y-%m-%d %H:%M UTC')"
report="$(cat <<EOF
### Capture benchmark, $when

Machine: $machine; load generator (wrk, pgbench) and services share it.
Command: \`${CMD_LINE}\`

| measure | figure |
|---|---|
| pgbench single-row INSERT ($PGBENCH_CLIENTS clients, ${DURATION}s) | $pg_tps TPS (latency avg $pg_lat ms, failed ${pg_failed:-?}) |
| direct peak: accepted submissions/s | $d_rate/s (sent $d_sent/s) |
| direct peak: p50 / p99 | $d_p50 ms / $d_p99 ms |
| gateway peak: accepted submissions/s | $g_rate/s (sent $g_sent/s) |
| gateway peak: p50 / p99 | $g_p50 ms / $g_p99 ms |
| gateway overhead (1 − gateway/direct) | $overhead % |
| direct / pgbench ratio | $ratio |
| half load: offered target / achieved accepted | $h_target/s / $h_rate/s |
| half load: p50 / p99 | $h_p50 ms / $h_p99 ms |
| gateway at the same offered rate: achieved, p50 / p99 | $gh_rate/s, $gh_p50 ms / $gh_p99 ms |
| connections (wrk -c) | $CONNECTIONS${peak_search:+ (peak search: $peak_search)} |

| phase | 202 | stored | spam | non-202 (codes) | socket errors | outbox backlog after, drained in | CPU ms/request capture / gateway / postgres |
|---|---|---|---|---|---|---|---|
| direct peak | $d_ok | $d_stored | $d_spam | $d_non202 ($d_codes) | $d_errs | $d_backlog, ${d_drain}s (left $d_left) | $d_cpu |
| gateway peak | $g_ok | $g_stored | $g_spam | $g_non202 ($g_codes) | $g_errs | $g_backlog, ${g_drain}s (left $g_left) | $g_cpu |
| half load | $h_ok | $h_stored | $h_spam | $h_non202 ($h_codes) | $h_errs | $h_backlog, ${h_drain}s (left $h_left) | $h_cpu |
| gateway half load | $gh_ok | $gh_stored | $gh_spam | $gh_non202 ($gh_codes) | $gh_errs | $gh_backlog, ${gh_drain}s (left $gh_left) | $gh_cpu |

| target | result |
|---|---|
| direct throughput ≥ pgbench INSERT rate ($d_rate vs $pg_tps) | $v1 |
| gateway overhead < 15 % ($overhead %) | $v2 |
| p99 < 50 ms at half the peak load ($h_p99 ms) | $v3 |

Accepted = answered 202 and stored as a form submission (counted in the database); wrk measures
latency without correcting for coordinated omission (see bench/README.md).
EOF
)"
fi

# ---- 5. proxies side by side: direct / nginx / gateway, interleaved ----------------------------
NGINX_DIR="$(mktemp -d /tmp/bench-nginx.XXXXXX)"
stop_nginx() {
  if [[ -f "$NGINX_DIR/nginx.pid" ]]; then kill "$(cat "$NGINX_DIR/nginx.pid")" 2>/dev/null || true; sleep 1; fi
  rm -rf "$NGINX_DIR"
}
trap stop_nginx EXIT
capture_port="$(port_of "$CAPTURE_URL")"
mkdir -p "$NGINX_DIR/logs"
cat >"$NGINX_DIR/nginx.conf" <<NGINX
# written by bench/capture/run.sh: a plain reverse proxy in front of capture-service
worker_processes 2;
pid $NGINX_DIR/nginx.pid;
error_log $NGINX_DIR/error.log warn;
events { worker_connections 4096; }
http {
  access_log $NGINX_DIR/access.log combined buffer=64k flush=1s;
  client_body_temp_path $NGINX_DIR/body;
  proxy_temp_path $NGINX_DIR/proxy;
  fastcgi_temp_path $NGINX_DIR/fastcgi;
  uwsgi_temp_path $NGINX_DIR/uwsgi;
  scgi_temp_path $NGINX_DIR/scgi;
  client_max_body_size 1m;
  upstream capture { server 127.0.0.1:$capture_port; keepalive 256; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      proxy_pass http://capture;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$http_host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Request-Id \$request_id;
      proxy_buffering off;
    }
  }
}
NGINX
nginx -c "$NGINX_DIR/nginx.conf" -p "$NGINX_DIR" -e "$NGINX_DIR/error.log" 2>/dev/null \
  || nginx -c "$NGINX_DIR/nginx.conf" -p "$NGINX_DIR" || die "nginx did not start (config: $NGINX_DIR/nginx.conf)"
sleep 1
NGINX_URL="http://127.0.0.1:$NGINX_PORT"
nginx_ticks() { local s=0 p m; m="$(cat "$NGINX_DIR/nginx.pid")"; for p in $m $(pgrep -P "$m"); do s=$(( s + $(ticks "$p") )); done; echo "$s"; }
curl -fsS -m 5 -o /dev/null "$NGINX_URL/q/health/ready" || die "nginx on $NGINX_URL does not reach capture-service"

# an existing lead to read (the newest), and a marketer's token (fetched for each authenticated phase)
lead_id="$(psql -d "$CAPTURE_DB" -Atqc "select id from lead order by created_at desc limit 1" 2>/dev/null || true)"
[[ -n "$lead_id" ]] || lead_id="$(psql -d "$CAPTURE_DB" -Atqc "select id from lead limit 1")"
[[ -n "$lead_id" ]] || die "no lead in database '$CAPTURE_DB' to read (post one form submission first)"
LEAD_PATH="/api/capture/leads/$lead_id"

# one wrk phase against a base URL; kind = post (form submission) or get (authenticated read).
# Prints "rate p50 p99 non2xx errors capture_ms gateway_ms nginx_ms" (CPU ms per request)
proxy_phase() { # kind url duration
  local kind="$1" url="$2" dur="$3" out c0 g0 n0 n rate
  c0="$(ticks "$CAPTURE_PID")"; g0="$(ticks "$GATEWAY_PID")"; n0="$(nginx_ticks)"
  if [[ "$kind" == post ]]; then
    out="$(BENCH_RUN="$(date +%s%N)" BENCH_RATE=0 BENCH_CONNECTIONS="$PROXY_CONNECTIONS" wrk -t"$THREADS" -c"$PROXY_CONNECTIONS" \
      -d"${dur}s" --timeout 10s --latency -s bench/capture/submit.lua "$url/api/capture/forms/$FORM_KEY/submissions")" || die "wrk failed: $out"
  else
    out="$(BENCH_TOKEN="$(dev/token.sh marketing)" BENCH_PATH="$LEAD_PATH" wrk -t"$THREADS" -c"$PROXY_CONNECTIONS" \
      -d"${dur}s" --timeout 10s --latency -s bench/capture/get-lead.lua "$url")" || die "wrk failed: $out"
  fi
  local c=$(( $(ticks "$CAPTURE_PID") - c0 )) g=$(( $(ticks "$GATEWAY_PID") - g0 )) x=$(( $(nginx_ticks) - n0 ))
  n="$(awk '/requests in/{print $1}' <<<"$out")"
  rate="$(awk '/^Requests\/sec/{printf "%.0f", $2}' <<<"$out")"
  awk -v n="$n" -v rate="$rate" -v hz="$HZ" -v c="$c" -v g="$g" -v x="$x" \
    -v p50="$(awk '$1=="50%"{print $2}' <<<"$out")" -v p99="$(awk '$1=="99%"{print $2}' <<<"$out")" \
    -v bad="$(awk '/Non-2xx/{print $NF}' <<<"$out")" \
    -v errs="$(awk '/Socket errors/{gsub(",","");print $4+$6+$8+$10}' <<<"$out")" \
    'BEGIN{ if (n < 1) n = 1; printf "%s %s %s %d %d %.4f %.4f %.4f\n", rate, p50, p99, bad, errs, c*1000/hz/n, g*1000/hz/n, x*1000/hz/n }'
}

if [[ "$PHASES" != all && "$WARMUP" -gt 0 ]]; then
  for u in "$CAPTURE_URL" "$NGINX_URL" "$GATEWAY_URL"; do
    echo "  warm-up $u (post and get, not counted)" >&2
    proxy_phase post "$u" $(( (WARMUP + 1) / 2 )) >/dev/null
    proxy_phase get "$u" $(( (WARMUP + 1) / 2 )) >/dev/null
  done
  settle >/dev/null
fi
proxy_rows=""
declare -A SUM
for kind in post get; do
  for round in $(seq 1 "$PROXY_ROUNDS"); do
    for target in direct nginx gateway; do
      case $target in direct) u="$CAPTURE_URL";; nginx) u="$NGINX_URL";; gateway) u="$GATEWAY_URL";; esac
      echo "  proxies: $kind round $round $target: wrk -t$THREADS -c$PROXY_CONNECTIONS -d${DURATION}s $u" >&2
      read -r rate p50 p99 bad errs cms gms nms <<<"$(proxy_phase "$kind" "$u" "$DURATION")"
      echo "    -> $rate/s, p50 $p50, p99 $p99, non-2xx $bad, socket errors $errs, CPU ms/request capture $cms gateway $gms nginx $nms" >&2
      proxy_rows+="| $kind | $round | $target | $rate | $p50 / $p99 | $bad | $errs | $cms | $gms | $nms |"$'\n'
      SUM[$kind.$target.rate]=$(( ${SUM[$kind.$target.rate]:-0} + rate ))
      SUM[$kind.$target.g]="$(awk -v a="${SUM[$kind.$target.g]:-0}" -v b="$gms" 'BEGIN{print a+b}')"
      SUM[$kind.$target.n]="$(awk -v a="${SUM[$kind.$target.n]:-0}" -v b="$nms" 'BEGIN{print a+b}')"
      if [[ "$kind" == post ]]; then settle >/dev/null; fi
    done
  done
done
stop_nginx
trap - EXIT
proxy_summary=""
for kind in post get; do
  read -r nloss gloss ncpu gcpu cpuratio vloss vcpu <<<"$(awk -v d="${SUM[$kind.direct.rate]}" -v nr="${SUM[$kind.nginx.rate]}" \
    -v gr="${SUM[$kind.gateway.rate]}" -v ncpu="${SUM[$kind.nginx.n]}" -v gcpu="${SUM[$kind.gateway.g]}" -v r="$PROXY_ROUNDS" 'BEGIN{
      if (d < 1) d = 1; nl=(1-nr/d)*100; gl=(1-gr/d)*100; nc=ncpu/r; gc=gcpu/r; q=(nc>0)?gc/nc:0;
      printf "%.1f %.1f %.4f %.4f %.2f %s %s", nl, gl, nc, gc, q, (gl<=10)?"PASS":"FAIL", (q>0 && q<=2)?"PASS":"FAIL" }')"
  if [[ "$kind" == post ]]; then label="public form post"; else label="authenticated GET of a lead (marketing token)"; fi
  proxy_summary+="| $label | $nloss % | $gloss % ($vloss) | $ncpu | $gcpu | $cpuratio × ($vcpu) |"$'\n'
done
proxy_report="$(cat <<REPORT
### Proxies side by side (direct / nginx / gateway, interleaved), $(date -u '+%Y-%m-%d %H:%M UTC')

Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GB RAM, shared with the load generator and
with other work running at the same time: compare the figures within one run (ratios), not across runs.
Command: \`${CMD_LINE}\`; nginx $(nginx -v 2>&1 | sed 's/.*nginx\///'), 2 workers, upstream keep-alive 256,
buffered access log; wrk -t$THREADS -c$PROXY_CONNECTIONS, ${DURATION}s per phase, $PROXY_ROUNDS rounds.
Loss = 1 − (sum of the proxy's requests/s over the rounds) / (the same for direct); CPU = mean over the rounds.

| request | nginx loss vs direct | gateway loss vs direct (target ≤ 10 %) | nginx CPU ms/request | gateway CPU ms/request | gateway / nginx CPU (target ≤ 2) |
|---|---|---|---|---|---|
$proxy_summary
| kind | round | target | requests/s | p50 / p99 | non-2xx | socket errors | capture CPU ms/req | gateway CPU ms/req | nginx CPU ms/req |
|---|---|---|---|---|---|---|---|---|---|
$proxy_rows
REPORT
)"
if [[ -n "${report:-}" ]]; then report+=$'\n\n'"$proxy_report"; else report="$proxy_report"; fi
echo
echo "$report"
printf '%s\n' "$report" > bench/capture/last-run.md
echo
echo "written to bench/capture/last-run.md" >&2
