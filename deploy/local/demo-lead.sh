#!/usr/bin/env bash
# The lead marketplace end to end on the local suite (deploy/local/up.sh first): registers a demo
# buyer once (solar, California, 25.00 per lead, delivering to the stand-ins' demo endpoint),
# submits one lead as a publisher, and follows it until it is sold and delivered.
#   deploy/local/demo-lead.sh [--ping] [--return] [ZIP STATE]
#     --ping          ping/post: ping first with the anonymous part (vertical, ZIP, state), see the price
#                     offered, then post the full lead with the ping's id
#     --return        then the buyer returns it through a signed webhook (webhook-gateway -> auction.events):
#                     the lead becomes RETURNED and its revenue is reversed to the cent
#     ZIP STATE       e.g. 10001 NY: no buyer there, the lead stays UNSOLD
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"
return_it=
ping_it=
while [ $# -gt 0 ]; do
  case "$1" in
    --ping) ping_it=1; shift ;;
    --return) return_it=1; shift ;;
    *) break ;;
  esac
done
zip=${1:-94105}
state=${2:-CA}
STANDINS_PORT="${STANDINS_PORT:-8090}"
token() { "$REPO_ROOT/deploy/local/token.sh" "$@"; }
admin=$(token demo-admin admin)
publisher=$(token demo-publisher publisher)

buyer_file="$LOCAL_DIR/run/demo-buyer-id"
buyer=$(cat "$buyer_file" 2>/dev/null || true)
if [ -z "$buyer" ] || ! curl -fsS -o /dev/null -H "Authorization: Bearer $admin" "localhost:8084/v1/buyers/$buyer"; then
  say "Registering the demo buyer in buyer-registry"
  buyer=$(curl -fsS -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' localhost:8084/v1/buyers -d @- <<JSON | sed -E 's/.*"id":"([^"]+)".*/\1/'
{"name": "Demo Solar Buyer", "verticals": ["solar"], "states": ["CA"], "bidAmount": "25.00", "priority": 1,
 "caps": {"daily": 1000}, "dailyBudget": "25000.00",
 "deliveryUrl": "http://127.0.0.1:$STANDINS_PORT/buyer/demo/leads",
 "authConfig": {"type": "bearer", "token": "demo-buyer-token-$(date +%s)"}}
JSON
)
  echo "$buyer" >"$buyer_file"
  sleep 1 # auction-service drops its buyer cache on the buyers.events entry this created
fi
say "Demo buyer: $buyer"

n=$(date +%s%N)
phone=$(printf '4152%06d' $((10#${n: -6})))
ping_field=
if [ -n "$ping_it" ]; then
  say "Pinging with the anonymous part only (POST /v1/leads/ping)"
  pinged=$(curl -sS -H "Authorization: Bearer $publisher" -H 'Content-Type: application/json' \
    -H "Idempotency-Key: demo-ping-$n" localhost:8083/v1/leads/ping \
    -d "{\"vertical\": \"solar\", \"zip\": \"$zip\", \"state\": \"$state\"}")
  echo "$pinged"
  ping_id=$(echo "$pinged" | sed -nE 's/.*"pingId":"([^"]+)".*/\1/p')
  [ -n "$ping_id" ] || die "the ping was not accepted"
  case "$pinged" in *'"price":null'*) say "Nobody bids on this ping: a publisher would not post it"; exit 0 ;; esac
  say "Offered $(echo "$pinged" | sed -nE 's/.*"price":"([^"]+)".*/\1/p') for it: posting the full lead with the ping"
  ping_field=", \"pingId\": \"$ping_id\""
fi
body=$(cat <<JSON
{"vertical": "solar", "firstName": "Ada", "lastName": "Lovelace", "email": "ada.$n@example.com",
 "phone": "$phone", "zip": "$zip", "state": "$state",
 "trustedFormCertUrl": "https://cert.trustedform.com/$(printf '%040x' "$n")",
 "consent": true, "comments": "Prefers <b>mornings</b>"$ping_field}
JSON
)
say "Submitting a lead (POST /v1/leads)"
answer=$(curl -sS -H "Authorization: Bearer $publisher" -H 'Content-Type: application/json' \
  -H "Idempotency-Key: demo-$n" localhost:8083/v1/leads -d "$body")
echo "$answer"
id=$(echo "$answer" | sed -nE 's/.*"id":"([^"]+)".*/\1/p')
[ -n "$id" ] || die "the lead was not accepted"
case "$answer" in *'"SOLD"'*) ;; *) say "Not sold; GET /v1/leads/$id shows why"; exit 0 ;; esac
for _ in $(seq 1 30); do
  view=$(curl -fsS -H "Authorization: Bearer $publisher" "localhost:8083/v1/leads/$id")
  case "$view" in *'"delivery":"DELIVERED"'*) echo "$view"; say "Sold and delivered: see the demo buyer's line in .local/logs/stand-ins.log"; break ;; esac
  sleep 1
done
case "$view" in *'"delivery":"DELIVERED"'*) ;; *) echo "$view"; die "lead $id was not delivered within 30 s (log: .local/logs/auction-service.log)" ;; esac
[ -n "$return_it" ] || exit 0

say "The buyer returns the lead: a fresh webhook secret from buyer-registry, a signed lead.returned to the gateway"
secret=$(curl -fsS -X POST -H "Authorization: Bearer $admin" "localhost:8084/v1/buyers/$buyer/webhook-secret/rotate" \
  | sed -nE 's/.*"webhookSecret":"([^"]+)".*/\1/p')
"$REPO_ROOT/deploy/local/send-webhook.sh" buyer --buyer "$buyer" --secret "$secret" --type lead.returned --lead "$id"
for _ in $(seq 1 20); do
  view=$(curl -fsS -H "Authorization: Bearer $publisher" "localhost:8083/v1/leads/$id")
  case "$view" in *'"status":"RETURNED"'*) echo "$view"; say "Returned; the revenue report nets it out: curl -H \"Authorization: Bearer \$(deploy/local/token.sh me admin)\" 'localhost:8083/v1/reports/revenue?from=$(date -u +%F)&to=$(date -u -d tomorrow +%F)&groupBy=buyer'"; exit 0 ;; esac
  sleep 1
done
die "lead $id was not marked returned within 20 s (logs: .local/logs/webhook-gateway.log, auction-service.log)"
