#!/usr/bin/env bash
# Runs every test of every module against real PostgreSQL and Redis on localhost (found, started
# or installed first). Extra arguments go to Maven (e.g. -pl wallet-service -am).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"
require_java
ensure_postgres
ensure_redis
# The stream tests start a private, persistent redis-server to restart it under a consumer.
ensure_redis_binary
ensure_chromium
ensure_kubectl
ensure_promtool
exec ./mvnw -B verify "$@"
