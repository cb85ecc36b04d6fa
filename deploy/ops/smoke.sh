#!/usr/bin/env bash
# Smoke test of a deployment: walks the critical paths of every service through the ingress
# prefixes, read-only (one deliberately unsigned webhook is refused and recorded as a rejection,
# nothing else is written), in well under a minute. The canary runbook runs it before each
# traffic step; a failing check stops the rollout.
#   deploy/ops/smoke.sh BASE_URL
# Tokens: SMOKE_DRIVER_TOKEN, SMOKE_PUBLISHER_TOKEN, SMOKE_ADMIN_TOKEN (from your identity
# provider: a dedicated smoke-test principal per role), or SMOKE_KEYS=DIR to sign them with a
# development identity (deploy/local: SMOKE_KEYS=.local/keys). Per-service URLs override the base
# (WALLET_URL, GATEWAY_URL, AUCTION_URL, BUYERS_URL), e.g. for services without an ingress.
# SMOKE_HEADER adds one header to every request: "X-Nova-Canary: always" sends them all to the
# canary track (prod-canary's Ingress routes by it).
# Exit status: 0 when every check passed, 1 otherwise; one line per check either way.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 1 ] || { echo "usage: deploy/ops/smoke.sh BASE_URL" >&2; exit 2; }
base=${1%/}
wallet=${WALLET_URL:-$base}; gateway=${GATEWAY_URL:-$base}; auction=${AUCTION_URL:-$base}; buyers=${BUYERS_URL:-$base}
timeout=${SMOKE_TIMEOUT:-10}

token() { # ROLE -> a bearer token for the smoke principal of that role
  local var="SMOKE_$(echo "$1" | tr a-z A-Z)_TOKEN"
  if [ -n "${!var:-}" ]; then echo "${!var}"; return; fi
  [ -n "${SMOKE_KEYS:-}" ] || { echo "set $var or SMOKE_KEYS" >&2; return 1; }
  java "$here/../../service-kit/src/test/java/com/nova/kit/testing/DevIdentity.java" token "$SMOKE_KEYS" "smoke-$1" "$1" 600
}
driver=$(token driver) && publisher=$(token publisher) && admin=$(token admin) || exit 2

passed=0; failed=0
# check NAME EXPECTED_STATUS EXPECTED_BODY_REGEX curl-args...
check() {
  local name=$1 want=$2 body_re=$3; shift 3
  local out status started=$SECONDS
  local extra=(); [ -n "${SMOKE_HEADER:-}" ] && extra=(-H "$SMOKE_HEADER")
  out=$(curl -sS --max-time "$timeout" "${extra[@]}" -o /dev/stdout -w '\n%{http_code} %{content_type}' "$@" 2>&1)
  status=$(tail -n 1 <<<"$out" | cut -d' ' -f1)
  local ctype; ctype=$(tail -n 1 <<<"$out" | cut -d' ' -f2-)
  local body; body=$(sed '$d' <<<"$out")
  if [ "$status" = "$want" ] && grep -Eq "$body_re" <<<"$body"; then
    printf 'PASS  %-52s %s %4ss\n' "$name" "$status" "$((SECONDS - started))"; passed=$((passed + 1))
  else
    printf 'FAIL  %-52s got %s (%s), wanted %s matching /%s/: %.200s\n' "$name" "$status" "$ctype" "$want" "$body_re" "$body"
    failed=$((failed + 1))
  fi
}
auth() { echo "Authorization: Bearer $1"; }

check "wallet: public config"                        200 '"apiBaseUrl"' "$wallet/v1/config"
check "wallet: the driver app's page"               200 'id="sign-in"' "$wallet/app/"
check "wallet: a driver reads the own wallet"        200 '"balance"' -H "$(auth "$driver")" "$wallet/v1/wallets/me"
check "wallet: a driver lists the own transactions"  200 '"items"' -H "$(auth "$driver")" "$wallet/v1/wallets/me/transactions?limit=1"
check "wallet: no token is refused as problem+json"  401 '"status":401' "$wallet/v1/wallets/me"
check "wallet: a driver cannot read the ledger check" 403 '"status":403' -H "$(auth "$driver")" "$wallet/v1/wallets/reconciliation"
check "wallet: the ledger reconciles"                200 '"consistent":true' -H "$(auth "$admin")" "$wallet/v1/wallets/reconciliation"
check "gateway: an unsigned Stripe delivery is refused" 401 'webhook-signature-invalid' -X POST \
  -H 'Content-Type: application/json' -H "Stripe-Signature: t=$(date +%s),v1=0000000000000000000000000000000000000000000000000000000000000000" --data '{"id":"evt_smoke","type":"smoke.test"}' \
  "$gateway/webhooks/stripe"
check "auction: an unknown lead is 404 problem+json" 404 '"status":404' -H "$(auth "$publisher")" \
  "$auction/v1/leads/00000000-0000-4000-8000-000000000000"
check "auction: revenue report answers"              200 '"totals"' -H "$(auth "$admin")" \
  "$auction/v1/reports/revenue?from=$(date -u +%Y-%m-01)&to=$(date -u -d tomorrow +%Y-%m-%d)"
check "buyers: an admin lists buyers"                200 '"items"' -H "$(auth "$admin")" "$buyers/v1/buyers?limit=1"
check "buyers: a publisher cannot list buyers"       403 '"status":403' -H "$(auth "$publisher")" "$buyers/v1/buyers?limit=1"
check "buyers: the audit chain verifies"             200 '"intact":true' -H "$(auth "$admin")" \
  "$buyers/v1/buyers/audit/verify"

echo "smoke: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
