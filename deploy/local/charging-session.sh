#!/usr/bin/env bash
# A charging session paid with Nova points, end to end on the local suite (deploy/local/up.sh first),
# as a driver app and a charger backend play it:
#   1. the driver has points (an admin credits the demo driver once, if it has too few);
#   2. the driver app holds the session's most at start (POST /v1/wallets/me/holds);
#   3. the charger backend captures what the session cost at its end (POST .../holds/{id}/capture),
#      and retries the capture, as a backend whose answer was lost would: nothing is spent twice;
#   4. the wallet shows the spend, nothing held, and today's statement lists the hold and the capture.
#   deploy/local/charging-session.sh [MAX_POINTS=300] [COST_POINTS=137]
# WALLET_URL (default http://localhost:8081), and DRIVER_TOKEN, MERCHANT_TOKEN, ADMIN_TOKEN (default:
# development tokens for demo-driver, charger-demo and demo-admin) point it elsewhere.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
max=${1:-300}
cost=${2:-137}
wallet=${WALLET_URL:-http://localhost:8081}
driver=${CHARGING_DRIVER:-demo-driver}
merchant=${CHARGING_MERCHANT:-charger-demo}
token() { "$REPO_ROOT/deploy/local/token.sh" "$@"; }
driver_token=${DRIVER_TOKEN:-$(token "$driver" driver)}
merchant_token=${MERCHANT_TOKEN:-$(token "$merchant" merchant)}
admin_token=${ADMIN_TOKEN:-$(token demo-admin admin)}
body=$(mktemp)
trap 'rm -f "$body"' EXIT

# call EXPECTED_STATUS METHOD PATH TOKEN [JSON] [IDEMPOTENCY_KEY]: prints the answer, fails on another status.
call() {
  local want=$1 method=$2 path=$3 bearer=$4 json=${5:-} key=${6:-} args=()
  [ -n "$json" ] && args+=(-H 'Content-Type: application/json' -d "$json")
  [ -n "$key" ] && args+=(-H "Idempotency-Key: $key")
  local status
  status=$(curl -sS -o "$body" -w '%{http_code}' -X "$method" -H "Authorization: Bearer $bearer" "${args[@]}" "$wallet$path")
  cat "$body"; echo
  [ "$status" = "$want" ] || die "$method $path answered $status, expected $want"
}
field() { sed -nE "s/.*\"$1\":\"?([^\",}]*)\"?.*/\1/p" "$body"; }

say "The driver's wallet"
call 200 GET /v1/wallets/me "$driver_token"
available=$(field available)
if [ "${available:-0}" -lt "$max" ]; then
  say "Crediting $driver with $max points (an audited admin adjustment)"
  call 201 POST "/v1/wallets/$driver/adjustments" "$admin_token" \
    "{\"direction\":\"CREDIT\",\"amount\":$max,\"reason\":\"charging-session demo\"}" "charging-demo-credit-$(date +%s%N)"
fi

session=$(date +%s%N)
say "Session starts: the driver app holds $max points for $merchant (Idempotency-Key: session-$session)"
call 201 POST /v1/wallets/me/holds "$driver_token" "{\"merchantId\":\"$merchant\",\"amount\":$max,\"expiresIn\":\"PT2H\"}" "session-$session"
hold=$(field holdId)
call 200 GET /v1/wallets/me "$driver_token"

say "Session ends: the charger backend captures what it cost, $cost points"
call 200 POST "/v1/wallets/$driver/holds/$hold/capture" "$merchant_token" "{\"amount\":$cost}" "end-$session"
say "The backend retries the capture (its first answer was lost): the same answer, nothing spent twice"
call 200 POST "/v1/wallets/$driver/holds/$hold/capture" "$merchant_token" "{\"amount\":$cost}" "end-$session"

say "The wallet after the session: $cost spent, the rest released"
call 200 GET /v1/wallets/me "$driver_token"
[ "$(field held)" = 0 ] || die "points are still held after the capture"
say "Today's statement (CSV)"
curl -fsS -H "Authorization: Bearer $driver_token" -H 'Accept: text/csv' \
  "$wallet/v1/wallets/me/statement?from=$(date -u +%F)&to=$(date -u -d tomorrow +%F)" | tail -n 4
say "Charging session $hold: held $max, captured $cost, released $((max - cost))"
