#!/usr/bin/env bash
# Signs a realistic sample webhook with the local secrets and sends it to the running gateway.
#   deploy/local/send-webhook.sh stripe --driver driver-42 --amount 2599            a Stripe payment
#   deploy/local/send-webhook.sh stripe --payment pi_1 --times 3                    the same event three times: one forward
#   deploy/local/send-webhook.sh square --driver driver-42                          a Square payment.updated (COMPLETED)
#   deploy/local/send-webhook.sh purchase --driver driver-42 --amount 1000          the legacy partner hook
#   deploy/local/send-webhook.sh buyer --buyer BUYER_ID --secret whsec_... --type lead.returned --lead LEAD_ID
# All options: deploy/local/SendWebhook.java. See what was forwarded: redis-cli xrange wallet.events - +
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_java
ensure_dev_webhook_secrets
exec java "$REPO_ROOT/deploy/local/SendWebhook.java" "$@"
