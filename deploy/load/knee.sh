#!/usr/bin/env bash
# Finds a simulation's knee on this machine: runs it at each arrival rate in turn (constant rate,
# after a warm-up ramp) and prints, per rate, whether it met its assertions and its p95/p99/errors.
# The knee is the highest rate that passed.
#   deploy/load/knee.sh SIMULATION "50 100 150 200" [DURATION=30s] [-Dload.*=...]
# Against the local suite (deploy/local/up.sh first); the reports stay in load-tests/target/gatling.
set -euo pipefail
. "$(dirname "$0")/../local/lib.sh"
cd "$REPO_ROOT"
[ $# -ge 2 ] || die "usage: deploy/load/knee.sh SIMULATION \"RATE RATE ...\" [DURATION] [-Dload.*=...]"
simulation=$1; rates=$2; duration=${3:-30s}; shift 2; [ $# -ge 1 ] && [[ "$1" != -D* ]] && shift
printf '| %-8s | %-6s | %-8s | %-8s | %-9s | %-8s |\n' "req/s" "passed" "p95 ms" "p99 ms" "errors %" "requests"
printf '|----------|--------|----------|----------|-----------|----------|\n'
for rate in $rates; do
  passed=yes
  "$REPO_ROOT/deploy/load/run.sh" "$simulation" "-Dload.rate=$rate" "-Dload.duration=$duration" "$@" \
    >"$LOCAL_DIR/knee-$rate.log" 2>&1 || passed=no
  stats=$(ls -td load-tests/target/gatling/*/ | head -n 1)js/stats.json
  python3 - "$stats" "$rate" "$passed" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))["stats"]
total = s["numberOfRequests"]["total"]; ko = s["numberOfRequests"]["ko"]
print("| %-8s | %-6s | %-8s | %-8s | %-9.2f | %-8s |" % (sys.argv[2], sys.argv[3], s["percentiles3"]["total"],
      s["percentiles4"]["total"], 100.0 * ko / max(total, 1), total))
PY
done
