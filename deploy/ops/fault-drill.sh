#!/usr/bin/env bash
# Fault drill: the packaged suite, two instances of each service (competing consumers), against a
# PostgreSQL cluster and a redis-server of the drill's own (fault-tests/target/fault, free ports;
# the shared PostgreSQL and Redis are never touched), under Stripe-like and client-like traffic that
# retries until acknowledged, while Redis is SIGKILLed and restarted from its AOF, PostgreSQL is
# crash-restarted (pg_ctl -m immediate), service instances are SIGKILLed while their twins serve,
# and instances are cut off from Redis or PostgreSQL. After each fault every instance must be ready
# again by itself; afterwards nothing acknowledged may be lost or applied twice (grants, redemptions,
# sales, deliveries, returns), the ledger must reconcile, revenue add up, no consumer group hold
# anything and no dead-letter stream fill. Prints a table per fault and exits non-zero on any loss,
# doubling or failed check.
#   deploy/ops/fault-drill.sh [short|full] [MAVEN_ARGS...]
#     short (default): what CI runs, a few faults, small load (about 2-4 minutes on 2 cores)
#     full:            every fault, more load, the services' production stream timings (about 15 minutes)
#   e.g. deploy/ops/fault-drill.sh full -Dfault.only=redis-kill,kill:auction-service:b
# FAULT_DRILL_SKIP_PACKAGE=1 uses the jars already packaged. Report: fault-tests/target/fault/report.txt,
# service logs: fault-tests/target/fault/logs/<service>-<a|b>.log.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../local/lib.sh
. "$here/../local/lib.sh"
cd "$REPO_ROOT"

profile=${1:-short}
case "$profile" in
  short|full) shift || true ;;
  -*) profile=short ;;
  *) die "usage: deploy/ops/fault-drill.sh [short|full] [MAVEN_ARGS...]" ;;
esac

require_java
command -v redis-server >/dev/null || apt_install redis-server
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || apt_install postgresql

if [ -z "${FAULT_DRILL_SKIP_PACKAGE:-}" ]; then
  say "Packaging the services (and installing the kit, whose test-jar the drill uses)"
  ./mvnw -q install -DskipTests -pl service-kit
  ./mvnw -q package -DskipTests -pl wallet-service,webhook-gateway,auction-service,buyer-registry -am
fi

say "Fault drill, profile $profile"
started=$SECONDS
status=0
# -f rather than -pl: the same build, and it works while the root pom does not list the module.
./mvnw -f fault-tests/pom.xml verify -Dfault.profile="$profile" "$@" || status=$?
say "Fault drill $profile: $( [ $status -eq 0 ] && echo passed || echo FAILED ) in $((SECONDS - started)) s;" \
  "report in fault-tests/target/fault/report.txt, logs in fault-tests/target/fault/logs"
exit $status
