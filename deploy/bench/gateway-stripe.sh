#!/usr/bin/env bash
# Benchmark (not a test): signed Stripe deliveries against the packaged webhook-gateway on this
# machine, next to its health endpoint in the same run. Each delivery is a distinct payment, so
# each is verified, deduplicated and XADDed for real. Uses Redis db 8 and flushes it afterwards.
#   deploy/bench/gateway-stripe.sh [DURATION_S=20] [CONNECTIONS=64]
# Needs wrk (installed from Debian packages when missing). The gateway starts as up.sh starts it
# (lib.sh: start_service, wait_ready).
set -euo pipefail
. "$(dirname "$0")/../local/lib.sh"
cd "$REPO_ROOT"
duration=${1:-20}; connections=${2:-64}; threads=2; port=18082
command -v wrk >/dev/null || apt_install wrk
require_java; ensure_postgres; ensure_redis; ensure_databases gateway; ensure_dev_keys
ensure_packaged webhook-gateway
work=$(mktemp -d); secret="whsec_bench_$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
redis-cli -n 8 flushdb >/dev/null
start_service --java-opts "${JAVA_OPTS:--Xmx1g}" webhook-gateway "$work/gateway.log" QUARKUS_HTTP_PORT=$port \
  STRIPE_WEBHOOK_SECRET=$secret REDIS_URL=redis://127.0.0.1:6379/8 WEBHOOK_RATE_LIMIT=1000000000 QUARKUS_LOG_LEVEL=WARN
pid=$SERVICE_PID
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true; rm -rf "$work"; redis-cli -n 8 flushdb >/dev/null' EXIT
wait_ready webhook-gateway $port $pid "$work/gateway.log"

count=$((duration * 9000))
say "Signing $count distinct deliveries"
java deploy/bench/StripeDeliveries.java "$count" "$secret" "$work/deliveries.tsv"
say "Warm-up (10 s)"
wrk -t$threads -c$connections -d10s -s deploy/bench/stripe.lua "http://127.0.0.1:$port" -- "$work/deliveries.tsv" $threads >/dev/null
redis-cli -n 8 del wallet.events >/dev/null
java deploy/bench/StripeDeliveries.java "$count" "$secret" "$work/deliveries.tsv"
say "Health endpoint, ${duration} s, $connections connections"
wrk -t$threads -c$connections -d${duration}s -s deploy/bench/report.lua "http://127.0.0.1:$port/q/health/live" | grep RESULT | sed 's/^/health   /'
say "Signed Stripe deliveries, ${duration} s, $connections connections"
wrk -t$threads -c$connections -d${duration}s -s deploy/bench/stripe.lua "http://127.0.0.1:$port" -- "$work/deliveries.tsv" $threads \
  | grep RESULT | sed 's/^/stripe   /'
echo "forwarded entries on wallet.events: $(redis-cli -n 8 xlen wallet.events)"
