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
  listening 127.0.0.1 "$STANDINS_PORT" && die "port $STANDINS_PORT (local stand-ins) is taken: set STANDINS_PORT"
  say "No TRUSTEDFORM_API_URL/RADAR_API_URL: starting the LOCAL STAND-INS on :$STANDINS_PORT (not the real providers)"
  nohup java "$REPO_ROOT/deploy/local/LocalStandIns.java" "$STANDINS_PORT" >"$LOCAL_DIR/logs/stand-ins.log" 2>&1 &
  echo $! >"$LOCAL_DIR/run/stand-ins.pid"
  export TRUSTEDFORM_API_URL="${TRUSTEDFORM_API_URL:-http://127.0.0.1:$STANDINS_PORT/trustedform}"
  export TRUSTEDFORM_API_KEY="${TRUSTEDFORM_API_KEY:-local-stand-in}"
  export RADAR_API_URL="${RADAR_API_URL:-http://127.0.0.1:$STANDINS_PORT/radar}"
  export RADAR_API_KEY="${RADAR_API_KEY:-local-stand-in}"
  until listening 127.0.0.1 "$STANDINS_PORT"; do
    kill -0 "$(cat "$LOCAL_DIR/run/stand-ins.pid")" 2>/dev/null || { cat "$LOCAL_DIR/logs/stand-ins.log" >&2; die "the local stand-ins did not start"; }
    sleep 0.5
  done
fi
export QUARKUS_PROFILE="${QUARKUS_PROFILE:-local}"
export JWKS_LOCATION="${JWKS_LOCATION:-file:$LOCAL_DIR/keys/jwks.json}"
# Each service signs its service tokens with its own development key (below); verifiers honour the
# service role only under a service's own key, for that service.
export KIT_SERVICE_TOKEN_TRUSTED_KEYS="${KIT_SERVICE_TOKEN_TRUSTED_KEYS:-$(dev_trusted_service_keys)}"
for entry in "${SERVICES[@]}"; do
  name=${entry%%:*}
  jar="$REPO_ROOT/$name/target/quarkus-app/quarkus-run.jar"
  [ -f "$jar" ] || die "$jar is missing: run without SKIP_BUILD=1"
  say "Starting $name"
  KIT_SERVICE_TOKEN_SIGNING_KEY_LOCATION="$LOCAL_DIR/keys/service-$name-private.pem" \
    KIT_SERVICE_TOKEN_KEY_ID_LOCATION="$LOCAL_DIR/keys/service-$name-kid" \
    nohup java ${JAVA_OPTS:-} -jar "$jar" >"$LOCAL_DIR/logs/$name.log" 2>&1 &
  echo $! >"$LOCAL_DIR/run/$name.pid"
done

deadline=$((SECONDS + ${READY_TIMEOUT:-180}))
for entry in "${SERVICES[@]}"; do
  name=${entry%%:*}; port=${entry#*:}
  until curl -fsS "http://127.0.0.1:$port/q/health/ready" 2>/dev/null | grep -q '"status": *"UP"'; do
    if ! kill -0 "$(cat "$LOCAL_DIR/run/$name.pid")" 2>/dev/null; then
      tail -n 40 "$LOCAL_DIR/logs/$name.log" >&2
      die "$name exited during start-up (log: .local/logs/$name.log)"
    fi
    if [ $SECONDS -ge $deadline ]; then
      tail -n 40 "$LOCAL_DIR/logs/$name.log" >&2
      die "$name is not ready after ${READY_TIMEOUT:-180}s (log: .local/logs/$name.log)"
    fi
    sleep 1
  done
  say "$name is ready on http://localhost:$port"
done

cat <<MSG

The suite is up (profile: $QUARKUS_PROFILE).
  wallet-service   http://localhost:8081   /v1/wallets, /v1/config, /v1/session
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
