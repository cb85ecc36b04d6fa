#!/usr/bin/env bash
# Dumps one service database (custom format, compressed) and prints the file's path.
#   deploy/ops/db-backup.sh DATABASE [FILE]
# Connection from the usual libpq variables (PGHOST, PGPORT, PGUSER, PGPASSWORD); defaults
# 127.0.0.1:5432 as postgres. In Kubernetes: run it from a pod that can reach PostgreSQL, or
# through `kubectl port-forward`. See deploy/runbooks/backup.md.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 DATABASE [FILE]" >&2; exit 2; }
db=$1
file=${2:-${db}-$(date -u +%Y%m%dT%H%M%SZ).dump}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
pg_dump --format=custom --compress=6 --no-owner --no-privileges --serializable-deferrable --file="$file" "$db"
echo "$file"
