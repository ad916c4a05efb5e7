#!/usr/bin/env bash
# Prints an access token from the local Keycloak (realm leads) for a demo identity.
#   dev/token.sh marketing|sales|admin|partner-user    password grant on the public client leads-web
#   dev/token.sh partner-acme|partner-globex           client_credentials of the partner client
# Example: curl -H "Authorization: Bearer $(dev/token.sh marketing)" http://127.0.0.1:8080/...
# KEYCLOAK_URL overrides http://127.0.0.1:8180. --decode prints the JWT payload (JSON) instead.
set -euo pipefail

KC_URL="${KEYCLOAK_URL:-http://127.0.0.1:8180}"
TOKEN_URL="$KC_URL/realms/leads/protocol/openid-connect/token"

decode=0
if [[ "${1:-}" == "--decode" ]]; then decode=1; shift; fi
user="${1:-}"

case "$user" in
  marketing | sales | admin | partner-user)
    form=(-d grant_type=password -d client_id=leads-web -d "username=$user" -d "password=$user") ;;
  partner-acme)
    form=(-d grant_type=client_credentials -d client_id=partner-acme -d client_secret=acme-secret) ;;
  partner-globex)
    form=(-d grant_type=client_credentials -d client_id=partner-globex -d client_secret=globex-secret) ;;
  *)
    echo "usage: $0 [--decode] marketing|sales|admin|partner-user|partner-acme|partner-globex" >&2
    exit 2 ;;
esac

resp="$(curl -sS -m 15 -X POST "$TOKEN_URL" "${form[@]}")" || { echo "Keycloak not reachable at $KC_URL (dev/stack.sh up --infra)" >&2; exit 1; }
token="$(printf '%s' "$resp" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')"
if [[ -z "$token" ]]; then
  echo "no token: $resp" >&2
  exit 1
fi
if [[ "$decode" == 1 ]]; then
  payload="$(printf '%s' "$token" | cut -d. -f2 | tr '_-' '/+')"
  while (( ${#payload} % 4 )); do payload="$payload="; done
  printf '%s' "$payload" | base64 -d
  echo
else
  printf '%s\n' "$token"
fi
