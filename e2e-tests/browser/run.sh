#!/usr/bin/env bash
# The dashboard test in real headless Chromium against a running suite (dev/stack.sh up):
#   e2e-tests/browser/run.sh [GATEWAY_URL] [--screenshot FILE]      (default http://127.0.0.1:8080)
# Installs what it needs when missing: Debian's chromium (as root) and playwright-core (npm ci, pinned in
# package-lock.json). KEYCLOAK_URL (default http://127.0.0.1:8180) and CHROMIUM (default /usr/bin/chromium).
set -euo pipefail
# paths given (the screenshot) are relative to where the script was called from
args=()
for a in "$@"; do
  if [ "${prev:-}" = "--screenshot" ] && [ "${a#/}" = "$a" ]; then a="$PWD/$a"; fi
  args+=("$a"); prev="$a"
done
[ ${#args[@]} -gt 0 ] || args=(http://127.0.0.1:8080)
cd "$(dirname "$0")"
chromium_bin="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium_bin" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing chromium (Debian package) ..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "chromium is missing: apt-get install chromium (or set CHROMIUM)" >&2
    exit 1
  fi
fi
if [ ! -d node_modules/playwright-core ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
exec node dashboard.test.mjs "${args[@]}"
