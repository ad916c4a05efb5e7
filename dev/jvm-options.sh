#!/usr/bin/env bash
# Prints the JVM options of one service, read from the one place they are kept:
#   k8s/base/<module>/jvm.env   (JDK_JAVA_OPTIONS=..., MALLOC_ARENA_MAX=...)
# kustomize turns the same file into the environment of the service's pod (configMapGenerator),
# so dev/stack.sh and the Kubernetes manifests run the JVM with the same settings.
#
#   dev/jvm-options.sh MODULE            the JDK_JAVA_OPTIONS value
#   dev/jvm-options.sh MODULE --env      every VAR=value line of the file (to export)
#   dev/jvm-options.sh MODULE --cache JAR  JDK_JAVA_OPTIONS plus -XX:AOTCache=<jar dir>/app.aot when an AOT cache
#                                          (JDK 25, JEP 483/514) newer than the jar exists (dev/stack.sh up)
#   dev/jvm-options.sh MODULE --train JAR  JDK_JAVA_OPTIONS plus -XX:AOTCacheOutput=<jar dir>/app.aot: this run
#                                          records, the cache is written when the JVM exits (dev/stack.sh aot)
#   dev/jvm-options.sh MODULE --aot JAR    --cache if the cache is there and fresh, else --train (bench/footprint)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
module="${1:?usage: dev/jvm-options.sh MODULE [--env | --aot JAR]}"
file="$root/k8s/base/$module/jvm.env"
[[ -f "$file" ]] || { echo "dev/jvm-options.sh: no $file" >&2; exit 1; }
value() { sed -n "s/^$1=//p" "$file" | tail -n 1; }
case "${2:-}" in
  --env) grep -E '^[A-Z_][A-Z0-9_]*=' "$file" ;;
  --cache | --train | --aot)
    jar="${3:?$2 needs the jar}"
    aot="$(dirname "$jar")/app.aot"
    fresh=0
    [[ -f "$aot" && "$aot" -nt "$jar" ]] && fresh=1
    if [[ "$2" == --train || ("$2" == --aot && "$fresh" == 0) ]]; then
      echo "$(value JDK_JAVA_OPTIONS) -XX:AOTCacheOutput=$aot"
    elif [[ "$fresh" == 1 ]]; then
      # ArchiveRelocationMode=0: map the cache at its own base address instead of a random one, so its
      # pages stay clean file pages instead of being copied and patched (measured in capture-service:
      # 37 instead of 118 MB of private memory for the mapping); a diagnostic flag of the JDK
      echo "$(value JDK_JAVA_OPTIONS) -XX:AOTCache=$aot -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0"
    else
      value JDK_JAVA_OPTIONS
    fi
    ;;
  "") value JDK_JAVA_OPTIONS ;;
  *) echo "dev/jvm-options.sh: unknown option $2" >&2; exit 2 ;;
esac
