#!/usr/bin/env bash
# Renders both overlays (dev, prod) offline and validates every object (no cluster needed).
# Works from anywhere: bash k8s/check.sh   (needs kubectl for `kubectl kustomize`, Node >= 20, npm, a JDK
# (JAVA_HOME or java on the PATH) and the Maven wrapper of the repository)
# Never calls kubectl other than `kubectl kustomize`: with no kubeconfig, kubectl would talk to
# localhost:8080, which is the gateway's port on a developer machine.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
started=$(date +%s)
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

for tool in kubectl node npm "$JAVA"; do
  command -v "$tool" >/dev/null || { echo "k8s check: $tool is not installed" >&2; exit 1; }
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
OVERLAYS=(dev prod)

# 1. render
for o in "${OVERLAYS[@]}"; do
  if ! kubectl kustomize "overlays/$o" > "$work/$o.yaml" 2> "$work/kustomize.err"; then
    echo "k8s check: kubectl kustomize overlays/$o failed:" >&2
    cat "$work/kustomize.err" >&2
    exit 1
  fi
done

# 2. the validator's dependencies, exactly as locked (node_modules is git-ignored). The 5.x models
#    declare Node >= 22 but run on 20: npm's engine warning is expected.
if ! npm ci --prefix validate --no-audit --no-fund --prefer-offline --loglevel=error > "$work/npm.log" 2>&1; then
  echo "k8s check: npm ci in k8s/validate failed:" >&2
  cat "$work/npm.log" >&2
  exit 1
fi

# 3. the realm import is generated from dev/realm/leads-realm.json, never edited by hand
node validate/realm-import.mjs > "$work/realm-import.yaml"
if ! diff -u base/keycloak/realm-import.yaml "$work/realm-import.yaml" > "$work/realm.diff"; then
  echo "k8s check: base/keycloak/realm-import.yaml is not what dev/realm/leads-realm.json gives:" >&2
  head -n 40 "$work/realm.diff" >&2
  echo "regenerate it: node k8s/validate/realm-import.mjs > k8s/base/keycloak/realm-import.yaml" >&2
  exit 1
fi

# 4. the gateway reads gateway.routes.<name>.upstream; MicroProfile Config maps the env name
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

# 5. schemas and project rules of each overlay
for o in "${OVERLAYS[@]}"; do
  node validate/validate.mjs "$o" < "$work/$o.yaml"
done

# 6. Strimzi's kinds and the realm against their Java models (classpath resolved by Maven into ~/.m2)
if ! ../mvnw -B -q -f validate/java/pom.xml dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" > "$work/mvn.log" 2>&1; then
  echo "k8s check: resolving the classpath of validate/java failed:" >&2
  tail -n 30 "$work/mvn.log" >&2
  exit 1
fi
files=()
for o in "${OVERLAYS[@]}"; do files+=("$work/$o.yaml"); done
"$JAVA" -cp "$(cat "$work/cp.txt")" validate/java/CrdCheck.java "${files[@]}" 2> "$work/java.err" \
  || { grep -v '^SLF4J' "$work/java.err" >&2; exit 1; }
echo "k8s check passed in $(( $(date +%s) - started )) s"
