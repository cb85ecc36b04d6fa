#!/usr/bin/env bash
# Benchmark (not a test): redemptions/s over HTTP against the packaged wallet-service, with many
# drivers and with one hot driver, charging sessions/s (hold, then capture), and grants/s from
# wallet.events; each next to pgbench running the same SQL transactions on the same machine in the
# same run. ONLY=sessions runs the charging sessions alone; BENCH_ENV="NAME=VALUE ..." adds settings
# to the service's environment (e.g. KIT_RATE_LIMIT_ENABLED=false, to see the rate limiter's share).
#   deploy/bench/wallet.sh [SECONDS=20] [CONNECTIONS=32]
# Uses its own database (bench_wallet, recreated) and Redis db 8 (flushed). Needs wrk and pgbench.
# The service gets as many database connections as pgbench gets clients, so both run the SQL
# with the same concurrency. The service starts as up.sh starts it (lib.sh: start_service, wait_ready).
set -euo pipefail
. "$(dirname "$0")/../local/lib.sh"
cd "$REPO_ROOT"
duration=${1:-20}; connections=${2:-32}; port=18081; drivers=2000; grants=${GRANTS:-20000}
command -v wrk >/dev/null || apt_install wrk
command -v pgbench >/dev/null || apt_install postgresql-contrib
require_java; ensure_postgres; ensure_redis; ensure_dev_keys
ensure_packaged wallet-service
work=$(mktemp -d)
psql_do -d postgres -c "drop database if exists bench_wallet with (force)" -c "create database bench_wallet" >/dev/null
redis-cli -n 8 flushdb >/dev/null
start_service --java-opts "${JAVA_OPTS:--Xmx1g}" wallet-service "$work/wallet.log" QUARKUS_HTTP_PORT=$port NOVA_DB_NAME=bench_wallet \
  REDIS_URL=redis://127.0.0.1:6379/8 KIT_RATE_LIMIT_CLASSES_DEFAULT_LIMIT=1000000000 QUARKUS_LOG_LEVEL=WARN \
  DB_POOL_SIZE=$connections KIT_STREAMS_BATCH_SIZE=${KIT_STREAMS_BATCH_SIZE:-64} ${BENCH_ENV:-}
pid=$SERVICE_PID
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true; rm -rf "$work"; redis-cli -n 8 flushdb >/dev/null' EXIT
wait_ready wallet-service $port $pid "$work/wallet.log"

say "Seeding $drivers wallets (balanced ledger: an issuer grant each)"
psql_do -d bench_wallet >/dev/null <<SQL
with t as (
  insert into ledger_transaction (id, driver_id, kind, status, points, idempotency_scope, idempotency_key, request_hash)
  select gen_random_uuid(), 'bench-' || i, 'ADJUSTMENT', 'COMMITTED', 100000000, 'seed', 'seed-' || i, repeat('0', 64)
  from generate_series(1, $drivers) i returning id, driver_id)
insert into ledger_entry (transaction_id, account, direction, amount)
  select id, 'adjustments', 'D', 100000000 from t union all select id, 'driver:' || driver_id, 'C', 100000000 from t;
insert into driver_wallets (driver_id, nova_balance) select 'bench-' || i, 100000000 from generate_series(1, $drivers) i;
insert into point_lot (driver_id, points, remaining) select 'bench-' || i, 100000000, 100000000 from generate_series(1, $drivers) i;
SQL
javac -d "$work/cls" service-kit/src/test/java/com/nova/kit/testing/DevIdentity.java deploy/bench/WalletBench.java
java -cp "$work/cls" WalletBench tokens "$LOCAL_DIR/keys" $drivers "$work/tokens.txt"
head -n 1 "$work/tokens.txt" >"$work/hot.txt"

bench_http() { wrk -t2 -c$connections -d${duration}s -s deploy/bench/redeem.lua "http://127.0.0.1:$port" -- "$1" | grep RESULT; }
bench_sql() { pgbench -n -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -c $connections -j 2 -T "$duration" -D drivers=$1 -f "$2" bench_wallet 2>/dev/null \
  | awk '/^tps/ {printf "RESULT tps=%.0f\n", $3} /latency average/ {printf "RESULT latency_avg_ms=%s\n", $4}'; }

if [ "${ONLY:-}" != sessions ]; then
say "Warm-up (10 s)"
wrk -t2 -c$connections -d10s -s deploy/bench/redeem.lua "http://127.0.0.1:$port" -- "$work/tokens.txt" >/dev/null
say "Redemptions over HTTP, $drivers drivers, ${duration}s, $connections connections"
bench_http "$work/tokens.txt" | sed 's/^/http many   /'
say "pgbench, the same SQL, $drivers drivers"
bench_sql $drivers deploy/bench/redeem.pgbench | sed 's/^/pgbench many /'
say "Redemptions over HTTP, one hot driver"
bench_http "$work/hot.txt" | sed 's/^/http hot    /'
say "pgbench, the same SQL, one hot driver"
bench_sql 1 deploy/bench/redeem.pgbench | sed 's/^/pgbench hot  /'

fi
# Alone, the sessions get the JVM's whole warm-up (the redemptions' runs warm it otherwise).
warm=10; [ "${ONLY:-}" = sessions ] && warm=40
say "Warm-up of charging sessions ($warm s)"
wrk -t2 -c$connections -d${warm}s -s deploy/bench/holdcapture.lua "http://127.0.0.1:$port" -- "$work/tokens.txt" >/dev/null
say "Charging sessions over HTTP (hold 2, capture 1), $drivers drivers"
bench_http_sessions() { wrk -t2 -c$connections -d${duration}s -s deploy/bench/holdcapture.lua "http://127.0.0.1:$port" -- "$1" | grep RESULT \
  | awk '{ print; for (i = 1; i <= NF; i++) if ($i ~ /^rps=/) { split($i, a, "="); printf "RESULT sessions_per_s=%.0f\n", a[2] / 2 } }'; }
bench_http_sessions "$work/tokens.txt" | sed 's/^/http sessions /'
say "pgbench, the same SQL (a session = the hold's and the capture's transactions)"
bench_sql $drivers deploy/bench/holdcapture.pgbench | sed 's/^/pgbench sessions /'

if [ "${ONLY:-}" != sessions ]; then
say "Grants from wallet.events: $grants events"
java -cp "$work/cls" WalletBench grants $grants 500 "$work/grants.txt"
# The clock starts before the events are written, so writing them counts against the wallet.
start=$(date +%s.%N)
redis-cli -n 8 <"$work/grants.txt" >/dev/null
until [ "$(psql_do -d bench_wallet -tAc "select count(*) from processed_event where consumer = 'wallet-grants'")" -ge "$grants" ]; do
  sleep 0.2
  kill -0 $pid || exit 1
done
end=$(date +%s.%N)
awk -v n=$grants -v s=$start -v e=$end 'BEGIN { printf "stream grants RESULT events=%d seconds=%.1f grants_per_s=%.0f\n", n, e - s, n / (e - s) }'
say "pgbench, the grant's SQL"
bench_sql 500 deploy/bench/grant.pgbench | sed 's/^/pgbench grant /'
fi
echo "reconciliation: $(curl -s -H "Authorization: Bearer $(java "$DEV_IDENTITY" token "$LOCAL_DIR/keys" ops admin)" localhost:$port/v1/wallets/reconciliation | head -c 200)"
