#!/usr/bin/env bash
# Finds a simulation's knee on this machine: runs it at each arrival rate in turn (constant rate,
# after a warm-up ramp) and prints, per rate, whether it met its assertions, its p95/p99/errors,
# and the consumer lag it left behind. The knee is the highest rate that passed and whose consumers kept up.
#   deploy/load/knee.sh SIMULATION "50 100 150 200" [DURATION=30s] [-Dload.*=...]
# Against the local suite (deploy/local/up.sh first, with KIT_RATE_LIMIT_ENABLED=false and
# WEBHOOK_ACCOUNT_RATE_LIMIT raised, or the limits are what is measured); the reports stay in
# load-tests/target/gatling.
#
# Between rates it waits (at most KNEE_SETTLE_MAX seconds, default 180) until every consumer group
# of the suite's streams in the local Redis (REDIS_URL, default redis://127.0.0.1:6379) has nothing
# pending and no lag: a step must not pay for the previous step's backlog. "lag after" is what the
# consumers still had to read when the run ended (a rate the HTTP side meets but the consumers do
# not keep up with is past the knee); "settled s" is how long they took to catch up.
set -euo pipefail
. "$(dirname "$0")/../local/lib.sh"
cd "$REPO_ROOT"
[ $# -ge 2 ] || die "usage: deploy/load/knee.sh SIMULATION \"RATE RATE ...\" [DURATION] [-Dload.*=...]"
simulation=$1; rates=$2; duration=30s; shift 2
if [ $# -ge 1 ] && [[ "$1" != -D* ]]; then duration=$1; shift; fi
# A freshly started JVM answers its first half minute slowly while the JIT compiles: a warm-up run
# at the first rate (KNEE_WARMUP, default 30s; 0 to skip) comes first and is not counted.
warmup=${KNEE_WARMUP:-30s}
if [ "$warmup" != 0 ]; then
  "$REPO_ROOT/deploy/load/run.sh" "$simulation" "-Dload.rate=${rates%% *}" "-Dload.duration=$warmup" "$@" \
    >"$LOCAL_DIR/knee-$simulation-warmup.log" 2>&1 || true
fi
redis_url=${REDIS_URL:-redis://127.0.0.1:6379}
# Entries not yet read plus entries read but not acknowledged, over every consumer group.
backlog() {
  command -v redis-cli >/dev/null && redis-cli -u "$redis_url" ping >/dev/null 2>&1 || { echo "?"; return; }
  local total=0 stream line key=""
  # The streams of com.nova.kit.events.EventContract (a SCAN of the keyspace would cost Redis more).
  for stream in wallet.events auction.events buyers.events auction.deliveries; do
    while IFS= read -r line; do
      # (A group whose lag Redis cannot tell, nil, counts as caught up; its pending entries still count.)
      case "$key" in lag|pending) [[ "$line" =~ ^[0-9]+$ ]] && total=$((total + line)) ;; esac
      key=$line
    done < <(redis-cli -u "$redis_url" xinfo groups "$stream" 2>/dev/null)
  done
  echo "$total"
}
settle() {
  local started=$SECONDS left
  while left=$(backlog); [ "$left" != "?" ] && [ "$left" -gt 0 ]; do
    # Gave up waiting: say so, the next rate starts with this backlog.
    [ $((SECONDS - started)) -lt "${KNEE_SETTLE_MAX:-180}" ] || { echo ">$((SECONDS - started)) ($left left)"; return; }
    sleep 2
  done
  echo "$((SECONDS - started))"
}
settle >/dev/null
printf '| %-8s | %-6s | %-8s | %-8s | %-9s | %-8s | %-9s | %-9s | %s\n' "req/s" "passed" "p95 ms" "p99 ms" "errors %" "requests" "lag after" "settled s" "errors"
printf '|----------|--------|----------|----------|-----------|----------|-----------|-----------|--------\n'
for rate in $rates; do
  passed=yes
  "$REPO_ROOT/deploy/load/run.sh" "$simulation" "-Dload.rate=$rate" "-Dload.duration=$duration" "$@" \
    >"$LOCAL_DIR/knee-$simulation-$rate.log" 2>&1 || passed=no
  lag=$(backlog); settled=$(settle)
  # Gatling's closing console summary (its HTML report keeps the same figures).
  python3 - "$LOCAL_DIR/knee-$simulation-$rate.log" "$rate" "$passed" "$lag" "$settled" <<'PY'
import re, sys
text = open(sys.argv[1], errors="replace").read()
summary = text[text.rfind("---- Global Information"):] if "---- Global Information" in text else ""
def cells(label):
    m = re.search(r"> " + re.escape(label) + r"\s*\|\s*([\d,.-]+)\s*\|\s*([\d,.-]+)\s*\|\s*([\d,.-]+)", summary)
    return [c.replace(",", "") for c in m.groups()] if m else ["?", "?", "?"]
total, ok, ko = cells("request count")
errors = ", ".join("%s x%s" % (m.group(1).strip(), m.group(2).replace(",", ""))
                   for m in re.finditer(r"^> (.+?)\s{2,}([\d,]+)\s+\(\s*[\d.]+%\)$", summary.split("---- Errors")[-1], re.M)
                   if "---- Errors" in summary)
ko_n = 0 if ko in ("-", "?") else int(ko)
pct = 100.0 * ko_n / max(int(total), 1) if total != "?" else float("nan")
print("| %-8s | %-6s | %-8s | %-8s | %-9.2f | %-8s | %-9s | %-9s | %s" % (sys.argv[2], sys.argv[3],
      cells("response time 95th percentile (ms)")[0], cells("response time 99th percentile (ms)")[0], pct, total,
      sys.argv[4], sys.argv[5], errors or "none"))
PY
done
