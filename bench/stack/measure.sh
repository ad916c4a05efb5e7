#!/usr/bin/env bash
# Measures the local stack: warm (or, with --cold, cold) start of everything, each service's
# startup time (Quarkus' own "started in"), and the idle RSS of every process, as a markdown table.
#   bench/stack/measure.sh [--cold]
# --cold wipes ~/.cache/leads-platform (unpacked Kafka/Keycloak/GreenMail, Keycloak's first build
# and realm import) and .dev (Kafka data, logs); downloads in ~/.m2 stay. It stops the stack first
# (dev/stack.sh down) and leaves it running at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
mode=warm
if [[ "${1:-}" == "--cold" ]]; then
  mode=cold
fi
dev/stack.sh down >/dev/null 2>&1 || true
if [[ "$mode" == cold ]]; then
  rm -rf "${LEADS_CACHE_DIR:-$HOME/.cache/leads-platform}" .dev
fi
start=$(date +%s.%N)
dev/stack.sh up >/tmp/leads-measure-up.log 2>&1
end=$(date +%s.%N)
sleep 20 # let the JVMs settle before reading idle RSS
echo "| what | figure |"
echo "|---|---|"
printf '| %s start of the whole stack (`dev/stack.sh up`) | %.1f s |\n' "$mode" "$(echo "$end - $start" | bc)"
for svc in gateway capture-service scoring-service nurturing-service kpi-service; do
  t=$(grep -ho 'started in [0-9.]*s' ".dev/logs/$svc.log" | tail -1 | grep -o '[0-9.]*')
  echo "| $svc JVM startup (Quarkus \"started in\") | ${t:-?} s |"
done
dev/stack.sh status | awk 'NR>1 && $2=="running" {printf "| idle RSS %s | %s MB |\n", $1, $5}'
echo
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GB RAM, $(uname -r), load average $(cut -d' ' -f1-3 /proc/loadavg)"
