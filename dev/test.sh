#!/usr/bin/env bash
# Runs every test of the platform on this machine, bringing up what the tests need:
#   1. the real infrastructure (PostgreSQL, Kafka, Keycloak, GreenMail)   dev/stack.sh up --infra
#   2. unit tests and @QuarkusTest of every module against it           ./mvnw install
#   3. the offline check of the Kubernetes manifests                     k8s/check.sh
#   4. the five services from the jars just built, then the end-to-end tests through the gateway
#   5. the KPI dashboard in headless Chromium through the gateway         e2e-tests/browser/run.sh
#   6. the quick fault suite on its own PostgreSQL, Kafka, GreenMail (replicas,   bench/faults/run.sh --quick ...
#      kill -9, Kafka down, PostgreSQL restarted, replayed topic, rescoring with a scoring replica killed)
# Services it started are stopped at the end; the infrastructure stays up for the next run.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${LEADS_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
started=$(date +%s)
phase() { echo; echo "==== $* ($(( $(date +%s) - started )) s)"; }

phase "infrastructure"
dev/stack.sh up --infra

phase "unit and service tests (./mvnw install)"
./mvnw -B -ntp install

phase "Kubernetes manifests (k8s/check.sh)"
k8s/check.sh

phase "end-to-end: the suite from the fresh jars"
dev/stack.sh down --services
trap 'dev/stack.sh down --services >/dev/null 2>&1 || true' EXIT
dev/stack.sh up
./mvnw -B -ntp -o -De2e -pl e2e-tests verify

phase "dashboard in headless Chromium (e2e-tests/browser/run.sh)"
e2e-tests/browser/run.sh http://127.0.0.1:8080

phase "fault suite, quick (bench/faults/run.sh --quick: its own PostgreSQL, Kafka and GreenMail)"
dev/stack.sh down --services
bench/faults/run.sh --quick replicas kill kafka postgres replay rescore

phase "all tests passed"
echo "total: $(( $(date +%s) - started )) s"
