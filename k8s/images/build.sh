#!/usr/bin/env bash
# Builds the five images from the jars of ./mvnw package with docker or podman (whichever exists).
#   k8s/images/build.sh [TAG]        TAG defaults to 0.1.0; REGISTRY=registry.example.com/leads prefixes the names
# Not part of CI (no container runtime on the build machines): the Maven build stays Docker-free.
set -euo pipefail
cd "$(dirname "$0")/../.."
tag="${1:-0.1.0}"
engine="$(command -v docker || command -v podman || true)"
[[ -n "$engine" ]] || { echo "k8s/images/build.sh: neither docker nor podman is installed" >&2; exit 1; }
for m in gateway capture-service scoring-service nurturing-service kpi-service; do
  [[ -f "$m/target/quarkus-app/quarkus-run.jar" ]] || { echo "no $m/target/quarkus-app: ./mvnw -B -DskipTests package first" >&2; exit 1; }
  image="${REGISTRY:+$REGISTRY/}leadplatform/$m:$tag"
  "$engine" build -f k8s/images/Dockerfile --build-arg MODULE="$m" -t "$image" .
  echo "built $image"
done
