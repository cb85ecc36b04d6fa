#!/usr/bin/env bash
# Benchmark (not a test): new leads/s end to end over HTTP against the packaged auction-service,
# with buyer-registry holding 200 active buyers and the TrustedForm/Radar stand-ins answering in
# 20 ms; then pgbench writing the same rows with the same statements on the same machine.
#   deploy/bench/auction.sh [SECONDS=30] [CONNECTIONS=64]
# Uses its own databases (bench_auction, bench_buyers; recreated) and Redis db 9 (flushed); the
# services' logs are kept in .local/logs/bench-auction-*.log.
# Then pings (ping/post's first step, deploy/bench/ping.lua) at the same concurrency and at 16.
# ONLY=pings measures the pings alone (no leads, no pgbench); ONLY=leads the leads and pgbench without the pings. ONLY=live adds 20 live-bidding buyers
# (solar, CA; the stand-ins answer each ping in 20-200 ms) and runs ping-then-post pairs
# (deploy/bench/PingPostBench.java) at CONNECTIONS: the pings' latency against the 300 ms deadline.
# Environment: DELAY_MS (stand-in latency, 20), BUYERS (200), WARMUP (seconds of load before each
# measured phase, 60: on 2 cores the JIT compilers are still busy long after start, and the same
# build measured 98 leads/s after 15 s of warm-up against 165/s after 60 s), JAVA_OPTS, ONLY. The services and the
# stand-ins start as up.sh starts them (lib.sh: start_service, start_stand_ins, wait_ready).
set -euo pipefail
. "$(dirname "$0")/../local/lib.sh"
cd "$REPO_ROOT"
duration=${1:-30}; connections=${2:-64}; delay=${DELAY_MS:-20}; buyers=${BUYERS:-200}; warmup=${WARMUP:-60}
aport=18083; bport=18084; sport=18090
command -v wrk >/dev/null || apt_install wrk
command -v pgbench >/dev/null || apt_install postgresql-contrib
require_java; ensure_postgres; ensure_redis; ensure_dev_keys
ensure_packaged auction-service buyer-registry
work=$(mktemp -d)
for db in bench_auction bench_buyers; do
  psql_do -d postgres -c "drop database if exists $db with (force)" -c "create database $db" >/dev/null
done
redis-cli -n 9 flushdb >/dev/null
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true
  mkdir -p "$LOCAL_DIR/logs"; for f in "$work"/*.log; do cp "$f" "$LOCAL_DIR/logs/bench-auction-$(basename "$f")"; done
  rm -rf "$work"; redis-cli -n 9 flushdb >/dev/null
}
trap cleanup EXIT

start_stand_ins $sport "$work/stand-ins.log" "$delay" quiet
pids+=("$STAND_INS_PID")
bench=(REDIS_URL=redis://127.0.0.1:6379/9 QUARKUS_LOG_LEVEL=WARN)
start_service --java-opts -Xmx512m buyer-registry "$work/buyers.log" "${bench[@]}" QUARKUS_HTTP_PORT=$bport NOVA_DB_NAME=bench_buyers
bpid=$SERVICE_PID; pids+=($bpid)
start_service --java-opts "${JAVA_OPTS:--Xmx1g}" auction-service "$work/auction.log" "${bench[@]}" QUARKUS_HTTP_PORT=$aport \
  NOVA_DB_NAME=bench_auction BUYER_REGISTRY_URL=http://127.0.0.1:$bport \
  TRUSTEDFORM_API_URL=http://127.0.0.1:$sport/trustedform TRUSTEDFORM_API_KEY=bench RADAR_API_URL=http://127.0.0.1:$sport/radar RADAR_API_KEY=bench \
  LEADS_RATE_LIMIT=1000000000 DB_POOL_SIZE=${DB_POOL_SIZE:-32}
apid=$SERVICE_PID; pids+=($apid)
wait_ready buyer-registry $bport $bpid "$work/buyers.log"
wait_ready auction-service $aport $apid "$work/auction.log"

say "Registering $buyers buyers (7 verticals, 5 of 10 states each, bids 5.00-54.99)"
admin=$(java "$DEV_IDENTITY" token "$LOCAL_DIR/keys" bench-admin admin 7200)
verticals=(auto_insurance home_insurance health_insurance life_insurance solar roofing mortgage)
states=(CA TX FL NY AZ WA IL GA NC OH)
for i in $(seq 0 $((buyers - 1))); do
  st=""; for k in 0 1 2 3 4; do st="$st\"${states[$(((i + k * 2) % 10))]}\","; done
  printf '{"name":"Bench buyer %d","verticals":["%s"],"states":[%s],"bidAmount":"%d.%02d","priority":%d,"caps":{"daily":10000000},"deliveryUrl":"http://127.0.0.1:%d/buyer/b%d/leads","authConfig":{"type":"bearer","token":"bench-token-0123456789-%d"}}\n' \
    "$i" "${verticals[$((i % 7))]}" "${st%,}" $((5 + i % 50)) $(((i * 37) % 100)) $((i % 5)) $sport "$i" "$i"
done | while read -r body; do
  curl -fsS -o /dev/null -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' "localhost:$bport/v1/buyers" -d "$body"
done
publisher=$(java "$DEV_IDENTITY" token "$LOCAL_DIR/keys" bench-publisher publisher 7200)

pings() {
  say "Pings: warm-up (${warmup} s), then ${duration}s at $connections connections (throughput) and at 16 (latency)"
  wrk -t2 -c$connections -d${warmup}s -s deploy/bench/ping.lua "http://127.0.0.1:$aport" -- "$publisher" >/dev/null
  wrk -t2 -c$connections -d${duration}s -s deploy/bench/ping.lua "http://127.0.0.1:$aport" -- "$publisher" | grep RESULT | sed "s/^/http pings c=$connections /"
  wrk -t2 -c16 -d${duration}s -s deploy/bench/ping.lua "http://127.0.0.1:$aport" -- "$publisher" | grep RESULT | sed "s/^/http pings c=16 /"
  psql_do -d bench_auction -tAc "select 'pings priced: ' || count(*) filter (where price is not null) || ' of ' || count(*) from lead_ping"
}
live() {
  say "Registering 20 live bidders (solar, CA; the stand-ins bid in 20-200 ms)"
  for i in $(seq 0 19); do
    printf '{"name":"Live bidder %d","verticals":["solar"],"states":["CA"],"bidAmount":"1.00","caps":{"daily":10000000},"deliveryUrl":"http://127.0.0.1:%d/buyer/live%d/leads","authConfig":{"type":"bearer","token":"bench-token-0123456789-live%d"},"pingUrl":"http://127.0.0.1:%d/bidder/live%d","pingAuthConfig":{"type":"bearer","token":"bench-bid-token-0123456789-%d"}}\n' \
      "$i" $sport "$i" "$i" $sport "$i" "$i"
  done | while read -r body; do
    curl -fsS -o /dev/null -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' "localhost:$bport/v1/buyers" -d "$body"
  done
  say "Ping then post, $connections connections: warm-up (${warmup} s), then ${duration}s"
  java deploy/bench/PingPostBench.java "http://127.0.0.1:$aport" "$publisher" "$warmup" "$connections" >/dev/null
  java deploy/bench/PingPostBench.java "http://127.0.0.1:$aport" "$publisher" "$duration" "$connections" | sed "s/^/live c=$connections /"
  psql_do -d bench_auction -tAc "select 'live bids by reason: ' || string_agg(r || '=' || n, ' ') from (select a->>'reason' r, count(*) n from lead_ping, jsonb_array_elements(live_bids) a group by 1 order by 1) s"
}
if [ "${ONLY:-}" = "pings" ]; then
  pings
  exit 0
fi
if [ "${ONLY:-}" = "live" ]; then
  live
  exit 0
fi

# Waits (at most 180 s) until every sold lead is delivered.
drain() {
  for _ in $(seq 1 360); do
    open=$(psql_do -d bench_auction -tAc "select count(*) from delivery where status in ('PENDING', 'IN_FLIGHT')")
    [ "$open" -eq 0 ] && break
    sleep 0.5
  done
}
say "Warm-up (${warmup} s at $connections connections, then the deliveries drain)"
wrk -t2 -c$connections -d${warmup}s -s deploy/bench/lead.lua "http://127.0.0.1:$aport" -- "$publisher" >/dev/null
drain
say "New leads over HTTP: ${duration}s, $connections connections (throughput), stand-ins answering in ${delay} ms"
wrk -t2 -c$connections -d${duration}s -s deploy/bench/lead.lua "http://127.0.0.1:$aport" -- "$publisher" | grep RESULT | sed "s/^/http leads c=$connections /"
open_at_end=$(psql_do -d bench_auction -tAc "select count(*) from delivery where status in ('PENDING', 'IN_FLIGHT')")
say "Deliveries still to post when the load stopped: $open_at_end; timing the drain (at most 180 s)"
start=$(date +%s.%N)
drain
end=$(date +%s.%N)
psql_do -d bench_auction -tAc "select 'deliveries: ' || string_agg(status || '=' || n, ' ') from (select status, count(*) n from delivery group by 1 order by 1) s"
awk -v n="$open_at_end" -v s=$start -v e=$end 'BEGIN { printf "delivery drain RESULT deliveries=%d seconds=%.1f deliveries_per_s=%.0f\n", n, e - s, n / (e - s) }'
say "New leads over HTTP: ${duration}s, 16 connections (latency at a moderate load)"
wrk -t2 -c16 -d${duration}s -s deploy/bench/lead.lua "http://127.0.0.1:$aport" -- "$publisher" | grep RESULT | sed "s/^/http leads c=16 /"
psql_do -d bench_auction -tAc "select 'outcome of every lead: ' || string_agg(status || '=' || n, ' ') from (select status, count(*) n from lead group by 1 order by 1) s"
psql_do -d bench_auction -tAc "select 'bid rows per sold lead: ' || round(avg(considered), 1) from auction where winner_id is not null"
considered=$(psql_do -d bench_auction -tAc "select round(avg(considered)) from auction where winner_id is not null")
[ "${ONLY:-}" = "leads" ] || pings

# The services stop first: pgbench gets the machine (and the connections) the services had.
for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true
clients=${DB_POOL_SIZE:-32}
say "pgbench: the same rows with the same statements (${considered} bid rows per lead), $clients clients (the service's pool)"
# -M simple: each statement parsed and planned every time, as the service's one-shot prepared queries are
# (QUARKUS_DATASOURCE_REACTIVE_CACHE_PREPARED_STATEMENTS is off). -M prepared: what the database does with
# plans kept, for comparison.
for mode in simple prepared; do
  label="pgbench leads"; [ $mode = simple ] || label="pgbench leads (plans kept)"
  pgbench -n -M $mode -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -c $clients -j 2 -T "$duration" -D buyers=$buyers -D considered="$considered" \
    -f deploy/bench/lead.pgbench bench_auction 2>&1 \
    | awk -v l="$label" '/^tps/ {printf "%s RESULT tps=%.0f\n", l, $3} /latency average/ {printf "%s RESULT latency_avg_ms=%s\n", l, $4} /failed|error|abort/ {print l " " $0}'
done
