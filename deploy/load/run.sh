#!/usr/bin/env bash
# Runs one Gatling simulation full-size and keeps its HTML report.
#   deploy/load/run.sh SIMULATION [BASE_URL] [-Dload.rate=200 -Dload.duration=120s ...]
# SIMULATION: PaymentWebhooks, Wallet, LeadSubmission, BuyerOutcomes or DayInProduction.
# Without BASE_URL it drives the local suite (deploy/local/up.sh first, with its keys and webhook
# secrets in .local/); with one (an ingress, e.g. https://staging.example.com) every service is
# reached through it, tokens are signed with load.keys (its public key must be in the target's
# JWKS) and the webhook secrets come from the environment (STRIPE_WEBHOOK_SECRET, ...).
# Passes or fails on the simulation's assertions (p95, p99, error rate); the report lands in
# load-tests/target/gatling/<simulation>-<timestamp>/index.html.
set -euo pipefail
. "$(dirname "$0")/../local/lib.sh"
cd "$REPO_ROOT"
[ $# -ge 1 ] || die "usage: deploy/load/run.sh SIMULATION [BASE_URL] [-Dload.*=...]"
simulation=$1; shift
case "$simulation" in *Simulation) ;; *) simulation="${simulation}Simulation" ;; esac
[ -f "load-tests/src/test/java/com/nova/load/$simulation.java" ] || die "no simulation $simulation (see load-tests/src/test/java/com/nova/load)"
args=()
if [ $# -ge 1 ] && [[ "$1" != -D* ]]; then
  args+=("-Dload.url=$1"); shift
fi
require_java
[ -d "$HOME/.m2/repository/com/nova/service-kit" ] || ./mvnw -B -q install -pl service-kit -am -DskipTests
./mvnw -B -q -f load-tests/pom.xml gatling:test -Dgatling.simulationClass="com.nova.load.$simulation" "${args[@]}" "$@"
report=$(ls -td load-tests/target/gatling/*/ 2>/dev/null | head -n 1)
say "Report: ${report}index.html"
