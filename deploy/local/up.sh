#!/usr/bin/env bash
# Brings the whole suite up locally: PostgreSQL and Redis (found, started or installed), the
# databases, the development signing key, then builds and starts the four packaged services under
# the `local` profile and waits until each is ready. Your environment passes through to the
# services, so any setting can be overridden (e.g. STRIPE_WEBHOOK_SECRET=... deploy/local/up.sh).
# Set SKIP_BUILD=1 to reuse the last build. Stop with deploy/local/down.sh.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/services.sh"
cd "$REPO_ROOT"

require_java
ensure_postgres
ensure_redis
ensure_databases "${SERVICE_DATABASES[@]}"
ensure_dev_keys
ensure_dev_webhook_secrets

"$REPO_ROOT/deploy/local/down.sh" --quiet

for entry in "${SERVICES[@]}"; do
  port=${entry#*:}
  listening 127.0.0.1 "$port" && die "port $port is taken by another program: stop it first"
done

if [ "${SKIP_BUILD:-}" != "1" ]; then
  say "Building the services (./mvnw package -DskipTests)"
  ./mvnw -B -q package -DskipTests
fi

mkdir -p "$LOCAL_DIR/logs" "$LOCAL_DIR/run"

# Lead compliance: without real provider URLs, clearly named local stand-ins answer for
# TrustedForm and Radar (and play a demo buyer endpoint), so the lead flow works out of the box.
STANDINS_PORT="${STANDINS_PORT:-8090}"
if [ -z "${TRUSTEDFORM_API_URL:-}" ] || [ -z "${RADAR_API_URL:-}" ]; then
  say "No TRUSTEDFORM_API_URL/RADAR_API_URL: starting the LOCAL STAND-INS on :$STANDINS_PORT (not the real providers)"
  start_stand_ins "$STANDINS_PORT" "$LOCAL_DIR/logs/stand-ins.log"
  echo "$STAND_INS_PID" >"$LOCAL_DIR/run/stand-ins.pid"
  export TRUSTEDFORM_API_URL="${TRUSTEDFORM_API_URL:-http://127.0.0.1:$STANDINS_PORT/trustedform}"
  export TRUSTEDFORM_API_KEY="${TRUSTEDFORM_API_KEY:-local-stand-in}"
  export RADAR_API_URL="${RADAR_API_URL:-http://127.0.0.1:$STANDINS_PORT/radar}"
  export RADAR_API_KEY="${RADAR_API_KEY:-local-stand-in}"
fi

# The driver app's sign-in: without a real identity provider, the DEVELOPMENT SIGN-IN (DevIdentity
# idp: OAuth code + PKCE, it signs a driver token for whatever driver id is typed) answers.
DEV_SIGNIN_PORT="${DEV_SIGNIN_PORT:-8092}"
if [ -z "${WALLET_FRONTEND_IDENTITY_AUTHORIZATION_ENDPOINT:-}" ] && [ -z "${WALLET_FRONTEND_IDENTITY_TOKEN_ENDPOINT:-}" ]; then
  say "No WALLET_FRONTEND_IDENTITY_*: starting the DEVELOPMENT SIGN-IN on :$DEV_SIGNIN_PORT (not a real identity provider)"
  start_dev_signin "$DEV_SIGNIN_PORT" "$LOCAL_DIR/logs/dev-signin.log"
  echo "$DEV_SIGNIN_PID" >"$LOCAL_DIR/run/dev-signin.pid"
  export WALLET_FRONTEND_IDENTITY_AUTHORIZATION_ENDPOINT="http://localhost:$DEV_SIGNIN_PORT/authorize"
  export WALLET_FRONTEND_IDENTITY_TOKEN_ENDPOINT="http://localhost:$DEV_SIGNIN_PORT/token"
elif [ -z "${WALLET_FRONTEND_IDENTITY_AUTHORIZATION_ENDPOINT:-}" ] || [ -z "${WALLET_FRONTEND_IDENTITY_TOKEN_ENDPOINT:-}" ]; then
  die "set both WALLET_FRONTEND_IDENTITY_AUTHORIZATION_ENDPOINT and WALLET_FRONTEND_IDENTITY_TOKEN_ENDPOINT (your identity provider), or neither (the development sign-in)"
fi

# The local environment (lib.sh: local_service_env), each service with its own development key
# (verifiers honour the service role only under a service's own key, for that service).
for entry in "${SERVICES[@]}"; do
  name=${entry%%:*}
  start_service --java-opts "${JAVA_OPTS:-}" "$name" "$LOCAL_DIR/logs/$name.log"
  echo "$SERVICE_PID" >"$LOCAL_DIR/run/$name.pid"
done
for entry in "${SERVICES[@]}"; do
  name=${entry%%:*}; port=${entry#*:}
  wait_ready "$name" "$port" "$(cat "$LOCAL_DIR/run/$name.pid")" "$LOCAL_DIR/logs/$name.log"
done

cat <<MSG

The suite is up (profile: $QUARKUS_PROFILE).
  Driver app:      http://localhost:8081/app/   (sign in with any driver id, e.g. driver-42)
  wallet-service   http://localhost:8081   /v1/wallets, /v1/config, /v1/session, /app
  webhook-gateway  http://localhost:8082   /webhooks
  auction-service  http://localhost:8083   /v1/leads, /v1/reports, /admin
  buyer-registry   http://localhost:8084   /v1/buyers
  Each: /q/health/ready, /q/metrics, /q/openapi
  Logs: .local/logs/<service>.log    Stop: deploy/local/down.sh
  A token:  deploy/local/token.sh driver-42 driver
  Webhooks: deploy/local/send-webhook.sh stripe --driver driver-42 --amount 2599
  Leads:    deploy/local/demo-lead.sh   (a demo buyer, a lead sold and delivered; stand-ins log: .local/logs/stand-ins.log)
  Try:      curl -H "Authorization: Bearer \$(deploy/local/token.sh driver-42 driver)" localhost:8081/v1/wallets/me
MSG
