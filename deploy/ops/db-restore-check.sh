#!/usr/bin/env bash
# Restores a dump into a scratch database (recreated) and checks the copy: the row count of every
# table, compared with SOURCE_DB when given (exact match required), the Flyway history, and for
# wallet-service databases the ledger reconciliation (every wallet equals its entries, every
# transaction balances). Exit 0 only when all checks pass.
#   deploy/ops/db-restore-check.sh DUMP SCRATCH_DB [SOURCE_DB]
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 DUMP SCRATCH_DB [SOURCE_DB]" >&2; exit 2; }
dump=$1; scratch=$2; source=${3:-}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
q() { psql -X -q -v ON_ERROR_STOP=1 -At "$@"; }
case "$scratch" in *[!a-z0-9_]*) echo "scratch database name: lower-case letters, digits, _" >&2; exit 2 ;; esac
q -d postgres -c "drop database if exists $scratch with (force)" -c "create database $scratch"
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$scratch" "$dump"

counts() { # table<TAB>rows for every table of the public schema
  q -d "$1" -c "select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1" |
    while read -r t; do printf '%s\t%s\n' "$t" "$(q -d "$1" -c "select count(*) from \"$t\"")"; done
}
failed=0
counts "$scratch" >"$scratch.counts"
echo "rows per table in $scratch:"; sed 's/^/  /' "$scratch.counts"
if [ -n "$source" ]; then
  counts "$source" >"$scratch.source-counts"
  if diff -u "$scratch.source-counts" "$scratch.counts"; then echo "row counts: identical to $source"; else echo "row counts: DIFFER from $source"; failed=1; fi
  rm -f "$scratch.source-counts"
fi
rm -f "$scratch.counts"
echo "schema: $(q -d "$scratch" -c "select coalesce(max(version), 'none') || ' (' || count(*) || ' migrations, all successful: ' || bool_and(success) || ')' from flyway_schema_history where version is not null")"
if [ "$(q -d "$scratch" -c "select to_regclass('public.driver_wallets') is not null")" = t ]; then
  read -r differences unbalanced < <(q -F ' ' -d "$scratch" -c "
    with ledger as (select substr(account, 8) as driver_id, sum(case direction when 'C' then amount else -amount end) as balance
                    from ledger_entry where account like 'driver:%' group by account)
    select (select count(*) from driver_wallets w full join ledger l on l.driver_id = w.driver_id
            where coalesce(w.nova_balance, 0) <> coalesce(l.balance, 0)),
           (select count(*) from (select transaction_id from ledger_entry group by transaction_id
            having sum(case direction when 'D' then amount else -amount end) <> 0) u)")
  if [ "$differences" = 0 ] && [ "$unbalanced" = 0 ]; then
    echo "reconciliation: consistent"
  else
    echo "reconciliation: $differences wallet differences, $unbalanced unbalanced transactions"; failed=1
  fi
fi
exit $failed
