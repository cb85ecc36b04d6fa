#!/usr/bin/env bash
# Prints a development JWT that all four local services accept.
#   deploy/local/token.sh SUBJECT ROLE[,ROLE...] [TTL_SECONDS]
#   curl -H "Authorization: Bearer $(deploy/local/token.sh driver-42 driver)" localhost:8081/v1/wallets/me
# Roles: driver, merchant, publisher, buyer, admin, service.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
[ $# -ge 2 ] || die "usage: $0 SUBJECT ROLE[,ROLE...] [TTL_SECONDS]"
require_java
ensure_dev_keys
exec java "$DEV_IDENTITY" token "$LOCAL_DIR/keys" "$@"
