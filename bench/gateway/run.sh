#!/usr/bin/env bash
# Proxy-cost benchmark of the gateway (issue 11): what one proxied request costs the gateway and nginx
# when the upstream costs (almost) nothing. A static nginx answers every request with a small JSON body
# (the "upstream"); a second nginx (the yardstick: Debian's package, 2 workers, upstream keep-alive) and
# the gateway (this worktree's jar, capture route pointed at the static upstream) proxy to it. wrk runs
# direct / nginx / gateway interleaved, in rounds, on an anonymous public form post (the gateway's lean
# entry) and on an authenticated GET with a real Keycloak token (JWT verified, roles enforced per request),
# and the script prints requests/s and CPU ms per request of each proxy (from /proc, all threads).
# Everything it starts (two nginx, one gateway) listens on 127.0.0.1 and is stopped at the end.
#
# Environment [defaults]: UP_PORT [18591] NGINX_PORT [18590] GATEWAY_PORT [18589] DURATION [15] WARMUP [30]
#   ROUNDS [2] THREADS [2] CONNECTIONS [64] PROFILE [0: 1 = JFR recording of the gateway's measured phases]
#   JAVA [/usr/lib/jvm/temurin-25-jdk-amd64/bin/java]   GATEWAY_JAR [gateway/target/quarkus-app/quarkus-run.jar]
#   BEFORE_JAR [unset: a second gateway build, e.g. a copy of main's quarkus-app, measured as "gateway-before" in
#   the same rounds, for a before/after comparison; the two alternate A B, B A, ... over the rounds]  BEFORE_PORT [GATEWAY_PORT - 2]
#   GATEWAY_OPTS / BEFORE_OPTS [unset: extra JVM options (-Dkey=value ...) of the gateway / of the gateway-before,
#   e.g. the same jar twice with a configuration change in one of them]
# Rate limits are off in both gateways (gateway.rate-limit.enabled=false): the load comes from one IP and one user.
set -euo pipefail
cd "$(dirname "$0")/../.."
UP_PORT="${UP_PORT:-18591}" NGINX_PORT="${NGINX_PORT:-18590}" GATEWAY_PORT="${GATEWAY_PORT:-18589}"
DURATION="${DURATION:-15}" WARMUP="${WARMUP:-30}" ROUNDS="${ROUNDS:-2}" THREADS="${THREADS:-2}" CONNECTIONS="${CONNECTIONS:-64}"
PROFILE="${PROFILE:-0}"
BEFORE_JAR="${BEFORE_JAR:-}" BEFORE_PORT="${BEFORE_PORT:-$(( GATEWAY_PORT - 2 ))}"
read -r -a GATEWAY_OPTS_A <<<"${GATEWAY_OPTS:-}"
read -r -a BEFORE_OPTS_A <<<"${BEFORE_OPTS:-}"
JAVA="${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
GATEWAY_JAR="${GATEWAY_JAR:-gateway/target/quarkus-app/quarkus-run.jar}"
CMD_LINE=""
for v in UP_PORT NGINX_PORT GATEWAY_PORT BEFORE_PORT DURATION WARMUP ROUNDS THREADS CONNECTIONS PROFILE GATEWAY_JAR BEFORE_JAR GATEWAY_OPTS BEFORE_OPTS; do
  if [[ -n "${!v:-}" ]]; then CMD_LINE+="$v='${!v}' "; fi
done
CMD_LINE+="bench/gateway/run.sh"
die() { echo "bench/gateway/run.sh: $*" >&2; exit 1; }

if ! command -v nginx >/dev/null && [[ -x /usr/sbin/nginx ]]; then PATH="$PATH:/usr/sbin"; fi
if ! command -v nginx >/dev/null && command -v apt-get >/dev/null && [[ "$(id -u)" == 0 ]]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null 2>&1 \
    || { DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null; } || true
  PATH="$PATH:/usr/sbin"
fi
for tool in wrk nginx curl awk; do command -v "$tool" >/dev/null || die "'$tool' is missing (Debian: apt-get install -y $tool)"; done
[[ -f "$GATEWAY_JAR" ]] || die "$GATEWAY_JAR missing: ./mvnw -pl gateway -am package -DskipTests"

DIR="$(mktemp -d /tmp/bench-gateway.XXXXXX)"
GATEWAY_PID="" BEFORE_PID=""
cleanup() {
  for c in up proxy; do [[ -f "$DIR/$c/nginx.pid" ]] && kill "$(cat "$DIR/$c/nginx.pid")" 2>/dev/null || true; done
  [[ -n "$GATEWAY_PID" ]] && kill "$GATEWAY_PID" 2>/dev/null || true
  [[ -n "$BEFORE_PID" ]] && kill "$BEFORE_PID" 2>/dev/null || true
  sleep 1; rm -rf "$DIR"
}
trap cleanup EXIT

nginx_conf() { # name port body-of-location
  mkdir -p "$DIR/$1"
  cat >"$DIR/$1/nginx.conf" <<NGINX
worker_processes ${4:-2};
pid $DIR/$1/nginx.pid;
error_log $DIR/$1/error.log warn;
events { worker_connections 4096; }
http {
  access_log ${5:-$DIR/$1/access.log combined buffer=64k flush=1s};
  client_body_temp_path $DIR/$1/body; proxy_temp_path $DIR/$1/proxy; fastcgi_temp_path $DIR/$1/fcgi;
  uwsgi_temp_path $DIR/$1/uwsgi; scgi_temp_path $DIR/$1/scgi;
  upstream up { server 127.0.0.1:$UP_PORT; keepalive 256; }
  server { listen 127.0.0.1:$2; location / { $3 } }
}
NGINX
  nginx -c "$DIR/$1/nginx.conf" -p "$DIR/$1" -e "$DIR/$1/error.log" || die "nginx $1 did not start"
}
# the upstream: answers everything at once, no log (its cost is not what we measure)
nginx_conf up "$UP_PORT" 'default_type application/json; return 200 "{\"ok\":true}";' 1 off
nginx_conf proxy "$NGINX_PORT" 'proxy_pass http://up; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_set_header Host $http_host; proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for; proxy_set_header X-Forwarded-Proto $scheme; proxy_set_header X-Request-Id $request_id; proxy_buffering off;'

jfr=()
if [[ "$PROFILE" == 1 ]]; then jfr=(-XX:StartFlightRecording=name=bench,filename="$DIR/gateway.jfr",settings=profile,delay="$(( WARMUP * 3 + 10 ))s"); fi
start_gateway() { # jar port log -> pid
  "$JAVA" "${@:4}" -Dquarkus.http.port="$2" -Dgateway.routes.capture.upstream="http://127.0.0.1:$UP_PORT" \
    -Dgateway.rate-limit.enabled=false -jar "$1" >"$3" 2>&1 &
  echo $!
}
wait_ready() { # port log
  for _ in $(seq 1 120); do curl -fsS -m 2 -o /dev/null "http://127.0.0.1:$1/q/health/ready" 2>/dev/null && return 0; sleep 1; done
  die "gateway on $1 did not start: $(tail -5 "$2")"
}
GATEWAY_PID="$(start_gateway "$GATEWAY_JAR" "$GATEWAY_PORT" "$DIR/gateway.log" "${jfr[@]}" "${GATEWAY_OPTS_A[@]}")"
wait_ready "$GATEWAY_PORT" "$DIR/gateway.log"
TARGETS=(direct nginx gateway)
if [[ -n "$BEFORE_JAR" ]]; then
  [[ -f "$BEFORE_JAR" ]] || die "BEFORE_JAR $BEFORE_JAR missing"
  BEFORE_PID="$(start_gateway "$BEFORE_JAR" "$BEFORE_PORT" "$DIR/gateway-before.log" "${BEFORE_OPTS_A[@]}")"
  wait_ready "$BEFORE_PORT" "$DIR/gateway-before.log"
  TARGETS=(direct nginx gateway-before gateway)
fi

HZ="$(getconf CLK_TCK)"
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
group_ticks() { local m s=0 p; m="$(cat "$DIR/$1/nginx.pid")"; for p in $m $(pgrep -P "$m"); do s=$(( s + $(ticks "$p") )); done; echo "$s"; }
TOKEN="$(dev/token.sh marketing)" || die "no token from Keycloak (dev/token.sh marketing)"
cat >"$DIR/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"email":"bench@example.com","firstName":"B","company":"Bench Co"}'
wrk.headers["Content-Type"] = "application/json"
LUA
write_get_lua() { # a fresh token for each phase (access tokens live a few minutes)
  TOKEN="$(dev/token.sh marketing)" || die "no token from Keycloak (dev/token.sh marketing)"
  printf 'wrk.headers["Authorization"] = "Bearer %s"\nwrk.headers["Accept"] = "application/json"\n' "$TOKEN" >"$DIR/get.lua"
}

phase() { # kind base-url seconds [gateway pid] -> "rate p50 p99 non2xx proxyCpuMs(nginx) proxyCpuMs(gateway)"
  local kind="$1" base="$2" dur="$3" gpid="${4:-$GATEWAY_PID}" path out n n0 g0
  if [[ $kind == post ]]; then path=/api/capture/forms/bench/submissions; else path=/api/capture/leads/0b6f4b0c-bench; write_get_lua; fi
  n0="$(group_ticks proxy)"; g0="$(ticks "$gpid")"
  out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${dur}s" --latency -s "$DIR/$kind.lua" "$base$path")" || die "wrk failed: $out"
  local dn=$(( $(group_ticks proxy) - n0 )) dg=$(( $(ticks "$gpid") - g0 ))
  n="$(awk '/requests in/{print $1}' <<<"$out")"
  awk -v n="$n" -v hz="$HZ" -v dn="$dn" -v dg="$dg" -v rate="$(awk '/^Requests\/sec/{printf "%.0f", $2}' <<<"$out")" \
    -v p50="$(awk '$1=="50%"{print $2}' <<<"$out")" -v p99="$(awk '$1=="99%"{print $2}' <<<"$out")" \
    -v bad="$(awk '/Non-2xx/{print $NF}' <<<"$out")" \
    'BEGIN{ if (n < 1) n = 1; printf "%s %s %s %d %.4f %.4f\n", rate, p50, p99, bad, dn*1000/hz/n, dg*1000/hz/n }'
}

echo "gateway proxy-cost benchmark: $(date -u "+%Y-%m-%d %H:%M:%S UTC"), load average $(cut -d" " -f1-3 /proc/loadavg)" >&2
for kind in post get; do
  for t in "http://127.0.0.1:$NGINX_PORT" "http://127.0.0.1:$GATEWAY_PORT" ${BEFORE_JAR:+"http://127.0.0.1:$BEFORE_PORT"}; do
    echo "  warm-up $kind $t (${WARMUP}s, not counted)" >&2; phase "$kind" "$t" "$WARMUP" >/dev/null
  done
done
rows=""
declare -A SUM
for kind in post get; do
  for round in $(seq 1 "$ROUNDS"); do
    order=("${TARGETS[@]}")
    # with a before/after pair, A B in odd rounds and B A in even ones (A B B A ...): neither build always runs
    # right after the other, so a drift of the machine's load does not favour one
    if [[ -n "$BEFORE_JAR" && $(( round % 2 )) == 0 ]]; then order=(direct nginx gateway gateway-before); fi
    for target in "${order[@]}"; do
      pid="$GATEWAY_PID"
      case $target in direct) u="http://127.0.0.1:$UP_PORT";; nginx) u="http://127.0.0.1:$NGINX_PORT";;
        gateway) u="http://127.0.0.1:$GATEWAY_PORT";; gateway-before) u="http://127.0.0.1:$BEFORE_PORT"; pid="$BEFORE_PID";; esac
      read -r rate p50 p99 bad ncpu gcpu <<<"$(phase "$kind" "$u" "$DURATION" "$pid")"
      cpu=$([[ $target == nginx ]] && echo "$ncpu" || { [[ $target == gateway* ]] && echo "$gcpu" || echo "-"; })
      load="$(cut -d' ' -f1 /proc/loadavg)"
      echo "    $kind round $round $target: $rate/s, p50 $p50, p99 $p99, non-2xx $bad, proxy CPU ms/request $cpu, load $load" >&2
      rows+="| $kind | $round | $target | $rate | $p50 / $p99 | $bad | $cpu | $load |"$'\n'
      SUM[$kind.$target]=$(( ${SUM[$kind.$target]:-0} + rate ))
      [[ $target == direct ]] || SUM[$kind.$target.cpu]="$(awk -v a="${SUM[$kind.$target.cpu]:-0}" -v b="$cpu" 'BEGIN{print a+b}')"
    done
  done
done
summary=""
for kind in post get; do
  summary+="$(awk -v k="$kind" -v dr="${SUM[$kind.direct]}" -v nr="${SUM[$kind.nginx]}" -v gr="${SUM[$kind.gateway]}" \
    -v nc="${SUM[$kind.nginx.cpu]}" -v gc="${SUM[$kind.gateway.cpu]}" -v br="${SUM[$kind.gateway-before]:-0}" \
    -v bc="${SUM[$kind.gateway-before.cpu]:-0}" -v before="${BEFORE_JAR:+1}" -v r="$ROUNDS" 'BEGIN{
      q = (nc > 0) ? gc / nc : 0; loss = (dr > 0) ? 100 * (1 - gr / dr) : 0; nloss = (dr > 0) ? 100 * (1 - nr / dr) : 0
      printf "| %s | %.0f/s | %.0f/s (%.1f %%) | %.0f/s (%.1f %%) | %.4f | %.4f | %.2f × |", (k == "post") ? "anonymous form post (lean entry)" : "authenticated GET (marketing JWT)",
        dr / r, nr / r, nloss, gr / r, loss, nc / r, gc / r, q
      if (before == 1) printf " %.0f/s (%.1f %%) | %.4f | %.2f × |", br / r, (dr > 0) ? 100 * (1 - br / dr) : 0, bc / r, (nc > 0) ? bc / nc : 0 }')"$'\n'
done
profile_note=""
if [[ "$PROFILE" == 1 ]]; then
  # dump while the gateway runs (the dump at exit may not be complete when the script cleans up)
  "$(dirname "$JAVA")/jcmd" "$GATEWAY_PID" JFR.dump name=bench filename=/tmp/bench-gateway.jfr >/dev/null 2>&1 \
    && profile_note="JFR recording of the measured phases: /tmp/bench-gateway.jfr"
fi
cat <<REPORT

### Gateway proxy cost (static upstream), $(date -u '+%Y-%m-%d %H:%M UTC')

Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GB RAM, shared with wrk and with other work running at the same
time. Command: \`${CMD_LINE}\`. nginx $(nginx -v 2>&1 | sed 's/.*nginx\///') (2 workers, keep-alive 256, buffered access log)
and the gateway in front of a static nginx; wrk -t$THREADS -c$CONNECTIONS, ${DURATION}s per phase, $ROUNDS rounds interleaved.
CPU = user + system time of all the proxy's processes/threads during the phase / requests; loss = throughput
below direct. Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg). ${profile_note}

| request | direct requests/s | nginx requests/s (loss) | gateway requests/s (loss) | nginx CPU ms/request | gateway CPU ms/request | gateway / nginx CPU |${BEFORE_JAR:+ gateway-before requests/s (loss) | gateway-before CPU ms/request | gateway-before / nginx CPU |}
|---|---|---|---|---|---|---|${BEFORE_JAR:+---|---|---|}
$summary
| kind | round | target | requests/s | p50 / p99 | non-2xx | proxy CPU ms/request | load average (1 min, phase end) |
|---|---|---|---|---|---|---|---|
$rows
REPORT
