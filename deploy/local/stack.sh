#!/usr/bin/env bash
# Ensures PostgreSQL 15+ and Redis 7+ on localhost (found, started, or installed) and the four
# service databases. Safe to run any number of times.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ensure_postgres
ensure_redis
ensure_databases "${SERVICE_DATABASES[@]}"
