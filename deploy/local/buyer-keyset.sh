#!/usr/bin/env bash
# The buyer-registry encryption keyset (Tink, AES-256-GCM), step by step:
#   deploy/local/buyer-keyset.sh show     [FILE]   key ids and which one is primary (no key material)
#   deploy/local/buyer-keyset.sh rotate   [FILE]   add a new key and make it primary; old keys still decrypt
#   deploy/local/buyer-keyset.sh retire   [FILE]   drop every non-primary key (only after re-encryption says remaining: 0)
#   deploy/local/buyer-keyset.sh generate  FILE    a new keyset (refuses to overwrite)
# FILE defaults to the local one, .local/keys/buyer-registry-keyset.json. The running service
# re-reads the file within buyers.crypto.reload-interval (30 s); re-encrypt with
#   curl -X POST -H "Authorization: Bearer $(deploy/local/token.sh ops-1 admin)" localhost:8084/v1/buyers/keys/reencrypt
set -euo pipefail
. "$(dirname "$0")/lib.sh"
[ $# -ge 1 ] || die "usage: $0 show|rotate|retire|generate [FILE]"
command=$1
file=${2:-$LOCAL_DIR/keys/buyer-registry-keyset.json}
app="$REPO_ROOT/buyer-registry/target/quarkus-app"
require_java
if [ ! -d "$app/lib/main" ]; then
  say "Building buyer-registry (./mvnw package -pl buyer-registry -am -DskipTests)"
  (cd "$REPO_ROOT" && ./mvnw -B -q package -pl buyer-registry -am -DskipTests)
fi
exec java -cp "$app/lib/main/*:$app/app/*" com.nova.buyers.crypto.Keysets "$command" "$file"
