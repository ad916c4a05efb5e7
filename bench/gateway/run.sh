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
set -euo pipefail
cd "$(dirname "$0")/../.."
UP_PORT="${UP_PORT:-18591}" NGINX_PORT="${NGINX_PORT:-18590}" GATEWAY_PORT="${GATEWAY_PORT:-18589}"
DURATION="${DURATION:-15}" WARMUP="${WARMUP:-30}" ROUNDS="${ROUNDS:-2}" THREADS="${THREADS:-2}" CONNECTIONS="${CONNECTIONS:-64}"
PROFILE="${PROFILE:-0}"
JAVA="${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
GATEWAY_JAR="${GATEWAY_JAR:-gateway/target/quarkus-app/quarkus-run.jar}"
CMD_LINE=""
for v in UP_PORT NGINX_PORT GATEWAY_PORT DURATION WARMUP ROUNDS THREADS CONNECTIONS PROFILE; do
  if [[ -n "${!v:-}" ]]; then CMD_LINE+="$v=${!v} "; fi
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
GATEWAY_PID=""
cleanup() {
  for c in up proxy; do [[ -f "$DIR/$c/nginx.pid" ]] && kill "$(cat "$DIR/$c/nginx.pid")" 2>/dev/null || true; done
  [[ -n "$GATEWAY_PID" ]] && kill "$GATEWAY_PID" 2>/dev/null || true
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
if [[ "$PROFILE" == 1 ]]; then jfr=(-XX:StartFlightRecording=filename="$DIR/gateway.jfr",settings=profile,delay="$(( WARMUP * 3 + 10 ))s"); fi
"$JAVA" "${jfr[@]}" -Dquarkus.http.port="$GATEWAY_PORT" -Dgateway.routes.capture.upstream="http://127.0.0.1:$UP_PORT" \
  -Dgateway.routes.capture.rate-limit.ip=1000000000 -Dgateway.routes.capture.rate-limit.user=1000000000 \
  -jar "$GATEWAY_JAR" >"$DIR/gateway.log" 2>&1 &
GATEWAY_PID=$!
for _ in $(seq 1 120); do curl -fsS -m 2 -o /dev/null "http://127.0.0.1:$GATEWAY_PORT/q/health/ready" 2>/dev/null && break; sleep 1; done
curl -fsS -m 2 -o /dev/null "http://127.0.0.1:$GATEWAY_PORT/q/health/ready" || die "gateway did not start: $(tail -5 "$DIR/gateway.log")"

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

phase() { # kind base-url seconds -> "rate p50 p99 non2xx proxyCpuMs(nginx) proxyCpuMs(gateway)"
  local kind="$1" base="$2" dur="$3" path out n n0 g0
  if [[ $kind == post ]]; then path=/api/capture/forms/bench/submissions; else path=/api/capture/leads/0b6f4b0c-bench; write_get_lua; fi
  n0="$(group_ticks proxy)"; g0="$(ticks "$GATEWAY_PID")"
  out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${dur}s" --latency -s "$DIR/$kind.lua" "$base$path")" || die "wrk failed: $out"
  local dn=$(( $(group_ticks proxy) - n0 )) dg=$(( $(ticks "$GATEWAY_PID") - g0 ))
  n="$(awk '/requests in/{print $1}' <<<"$out")"
  awk -v n="$n" -v hz="$HZ" -v dn="$dn" -v dg="$dg" -v rate="$(awk '/^Requests\/sec/{printf "%.0f", $2}' <<<"$out")" \
    -v p50="$(awk '$1=="50%"{print $2}' <<<"$out")" -v p99="$(awk '$1=="99%"{print $2}' <<<"$out")" \
    -v bad="$(awk '/Non-2xx/{print $NF}' <<<"$out")" \
    'BEGIN{ if (n < 1) n = 1; printf "%s %s %s %d %.4f %.4f\n", rate, p50, p99, bad, dn*1000/hz/n, dg*1000/hz/n }'
}

echo "gateway proxy-cost benchmark: $(date -u '+%Y-%m-%d %H:%M:%S UTC')" >&2
for kind in post get; do
  for t in "http://127.0.0.1:$NGINX_PORT" "http://127.0.0.1:$GATEWAY_PORT"; do
    echo "  warm-up $kind $t (${WARMUP}s, not counted)" >&2; phase "$kind" "$t" "$WARMUP" >/dev/null
  done
done
rows=""
declare -A SUM
for kind in post get; do
  for round in $(seq 1 "$ROUNDS"); do
    for target in direct nginx gateway; do
      case $target in direct) u="http://127.0.0.1:$UP_PORT";; nginx) u="http://127.0.0.1:$NGINX_PORT";; gateway) u="http://127.0.0.1:$GATEWAY_PORT";; esac
      read -r rate p50 p99 bad ncpu gcpu <<<"$(phase "$kind" "$u" "$DURATION")"
      cpu=$([[ $target == nginx ]] && echo "$ncpu" || { [[ $target == gateway ]] && echo "$gcpu" || echo "-"; })
      echo "    $kind round $round $target: $rate/s, p50 $p50, p99 $p99, non-2xx $bad, proxy CPU ms/request $cpu" >&2
      rows+="| $kind | $round | $target | $rate | $p50 / $p99 | $bad | $cpu |"$'\n'
      SUM[$kind.$target]=$(( ${SUM[$kind.$target]:-0} + rate ))
      [[ $target == direct ]] || SUM[$kind.$target.cpu]="$(awk -v a="${SUM[$kind.$target.cpu]:-0}" -v b="$cpu" 'BEGIN{print a+b}')"
    done
  done
done
summary=""
for kind in post get; do
  summary+="$(awk -v k="$kind" -v nr="${SUM[$kind.nginx]}" -v gr="${SUM[$kind.gateway]}" -v nc="${SUM[$kind.nginx.cpu]}" \
    -v gc="${SUM[$kind.gateway.cpu]}" -v r="$ROUNDS" 'BEGIN{ q = (nc > 0) ? gc / nc : 0;
      printf "| %s | %.0f/s | %.0f/s | %.4f | %.4f | %.2f × |", (k == "post") ? "anonymous form post (lean entry)" : "authenticated GET (marketing JWT)",
        nr / r, gr / r, nc / r, gc / r, q }')"$'\n'
done
profile_note=""
if [[ "$PROFILE" == 1 ]]; then
  kill -INT "$GATEWAY_PID" 2>/dev/null || true; sleep 3
  cp "$DIR/gateway.jfr" /tmp/bench-gateway.jfr 2>/dev/null && profile_note="JFR recording of the measured phases: /tmp/bench-gateway.jfr"
fi
cat <<REPORT

### Gateway proxy cost (static upstream), $(date -u '+%Y-%m-%d %H:%M UTC')

Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GB RAM, shared with wrk and with other work running at the same
time. Command: \`${CMD_LINE}\`. nginx $(nginx -v 2>&1 | sed 's/.*nginx\///') (2 workers, keep-alive 256, buffered access log)
and the gateway in front of a static nginx; wrk -t$THREADS -c$CONNECTIONS, ${DURATION}s per phase, $ROUNDS rounds interleaved.
CPU = user + system time of all the proxy's processes/threads during the phase / requests. ${profile_note}

| request | nginx requests/s | gateway requests/s | nginx CPU ms/request | gateway CPU ms/request | gateway / nginx CPU |
|---|---|---|---|---|---|
$summary
| kind | round | target | requests/s | p50 / p99 | non-2xx | proxy CPU ms/request |
|---|---|---|---|---|---|---|
$rows
REPORT
