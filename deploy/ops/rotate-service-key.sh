#!/usr/bin/env bash
# Rotating one service's service-token key (the key that signs the tokens it presents to others'
# /internal/ endpoints) while it keeps calling them (deploy/runbooks/secrets.md). Works on a keys
# folder in the development identity's layout (DevIdentity.java: service-<service>-private.pem,
# service-<service>-kid, jwks.json): .local/keys for local runs, the identity provider of
# suite-tests' rotation test; for Kubernetes it prints the Secret and the JWK to publish.
#   deploy/ops/rotate-service-key.sh new      SERVICE DIR       a new key pair (DIR/service-SERVICE-next-private.pem, -next-kid) whose
#                                                               public key joins DIR/jwks.json; prints the new kid, then the
#                                                               KIT_SERVICE_TOKEN_TRUSTED_KEYS value with both of SERVICE's kids
#   deploy/ops/rotate-service-key.sh activate SERVICE DIR       SERVICE signs with the new key from its next token on (it re-reads its
#                                                               key files each time it mints one): its key and kid files replaced;
#                                                               prints the old kid
#   deploy/ops/rotate-service-key.sh retire   SERVICE DIR KID   drop SERVICE's old KID from DIR/jwks.json; prints the
#                                                               KIT_SERVICE_TOKEN_TRUSTED_KEYS value without SERVICE=KID
#   deploy/ops/rotate-service-key.sh secret   SERVICE DIR NS    the Secret nova-service-token-SERVICE with the new (not yet active) key,
#                                                               as YAML for kubectl apply -f -; nothing is applied
#   deploy/ops/rotate-service-key.sh jwk      SERVICE DIR       the new key's public JWK, for the identity provider's JWKS
# The trusted-keys values start from KIT_SERVICE_TOKEN_TRUSTED_KEYS when set (ConfigMap nova-common's
# value), from DIR's service-*-kid files otherwise. Verifiers read it at start: roll them out with
# each new value (new: before activate; retire: after the caller's last old token expired,
# KIT_SERVICE_TOKEN_TTL). Needs openssl and python3.
set -euo pipefail
. "$(dirname "$0")/rotate-jwt-key.sh"

usage() { die "usage: $0 new|activate|jwk SERVICE DIR | retire SERVICE DIR KID | secret SERVICE DIR NAMESPACE"; }

trusted_keys() { # the current service=kid pairs, one per line
  if [ -n "${KIT_SERVICE_TOKEN_TRUSTED_KEYS:-}" ]; then
    tr ',' '\n' <<<"$KIT_SERVICE_TOKEN_TRUSTED_KEYS" | sed 's/^ *//; s/ *$//' | grep -v '^$' || true
  else
    local f s
    for f in "$1"/service-*-kid; do
      case "$f" in *-next-kid) continue ;; esac
      [ -f "$f" ] || continue
      s=${f##*/service-}; s=${s%-kid}
      echo "$s=$(cat "$f")"
    done
  fi
}

joined() { paste -sd, -; }

[ $# -ge 3 ] || usage
cmd=$1; service=$2; dir=$3
shift 3
case "$service" in ""|*[!a-z0-9-]*) die "not a service name: $service" ;; esac
key="$dir/service-$service-private.pem"; kidfile="$dir/service-$service-kid"
next_key="$dir/service-$service-next-private.pem"; next_kidfile="$dir/service-$service-next-kid"
[ -f "$dir/jwks.json" ] && [ -f "$kidfile" ] || die "$dir has no jwks.json and service-$service-kid (DevIdentity keys DIR makes them)"
case "$cmd" in
  new)
    [ $# -eq 0 ] || usage
    [ ! -f "$next_kidfile" ] || die "key $(cat "$next_kidfile") of $service is new and not active yet: activate it first"
    kid=$(new_kid "${KID_PREFIX:-svc-$service-}")
    new_key "$next_key"
    jwks_edit "$dir/jwks.json" add "$(jwk "$next_key" "$kid")"
    write_file "$next_kidfile" "$kid"
    echo "$kid"
    { trusted_keys "$dir"; echo "$service=$kid"; } | awk '!seen[$0]++' | joined ;;
  activate)
    [ $# -eq 0 ] || usage
    [ -f "$next_kidfile" ] || die "no new key for $service in $dir: run new first"
    old=$(cat "$kidfile")
    swap_pair "$next_key" "$next_kidfile" "$key" "$kidfile"
    echo "$old" ;;
  retire)
    [ $# -eq 1 ] || usage
    old=$1
    [ "$old" != "$(cat "$kidfile")" ] || die "$old signs $service's tokens now: it cannot be retired"
    [ ! -f "$next_kidfile" ] || [ "$old" != "$(cat "$next_kidfile")" ] || die "$old is $service's new key"
    jwks_edit "$dir/jwks.json" remove "$old"
    trusted_keys "$dir" | grep -vxF "$service=$old" | joined ;;
  jwk)
    [ $# -eq 0 ] || usage
    [ -f "$next_kidfile" ] || die "no new key for $service in $dir: run new first"
    jwk "$next_key" "$(cat "$next_kidfile")" ;;
  secret)
    [ $# -eq 1 ] || usage
    [ -f "$next_kidfile" ] || die "no new key for $service in $dir: run new first"
    python3 - "$1" "nova-service-token-$service" "$next_key" "$(cat "$next_kidfile")" <<'PY'
import base64, json, sys
ns, name, key, kid = sys.argv[1:]
data = {"private.pem": base64.b64encode(open(key, "rb").read()).decode(), "kid": base64.b64encode(kid.encode()).decode()}
print(json.dumps({"apiVersion": "v1", "kind": "Secret", "type": "Opaque", "metadata": {"name": name, "namespace": ns}, "data": data}, indent=2))
PY
    ;;
  *) usage ;;
esac
