#!/usr/bin/env bash
# Renders the kustomize base offline and validates every object (no cluster needed).
# Works from anywhere: bash k8s/check.sh   (needs kubectl for `kubectl kustomize`, Node >= 20, npm)
# Never calls kubectl other than `kubectl kustomize`: with no kubeconfig, kubectl would talk to
# localhost:8080, which is the gateway's port on a developer machine.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

for tool in kubectl node npm; do
  command -v "$tool" >/dev/null || { echo "k8s check: $tool is not installed" >&2; exit 1; }
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
rendered="$work/rendered.yaml"

# 1. render
if ! kubectl kustomize base > "$rendered" 2> "$work/kustomize.err"; then
  echo "k8s check: kubectl kustomize base failed:" >&2
  cat "$work/kustomize.err" >&2
  exit 1
fi

# 2. validator's dependencies, exactly as locked (node_modules is git-ignored)
if ! npm ci --prefix validate --no-audit --no-fund --prefer-offline --loglevel=error > "$work/npm.log" 2>&1; then
  echo "k8s check: npm ci in k8s/validate failed:" >&2
  cat "$work/npm.log" >&2
  exit 1
fi

# 3. the gateway reads gateway.routes.<name>.upstream; MicroProfile Config maps the env name
#    GATEWAY_ROUTES_<NAME>_UPSTREAM to it. Every such env name must match a key the gateway has.
props="$here/../gateway/src/main/resources/application.properties"
if [ -f "$props" ]; then
  while IFS='=' read -r key _; do
    case "$key" in GATEWAY_ROUTES_*_UPSTREAM) ;; *) continue ;; esac
    prop="$(echo "$key" | tr 'A-Z_' 'a-z.')"
    if ! grep -q "^${prop}=" "$props"; then
      echo "k8s check: base/gateway/config.env sets $key but the gateway has no key $prop" >&2
      exit 1
    fi
  done < base/gateway/config.env
fi

# 4. validate
node validate/validate.mjs < "$rendered"
