#!/usr/bin/env bash
# Rotating the key that signs user tokens, by kid, with no moment in which a valid token is
# refused (deploy/runbooks/secrets.md). Works on a signing folder in the development identity's
# layout (DevIdentity.java): private.pem and kid sign, jwks.json is what verifiers fetch
# (JWKS_LOCATION). That is .local/keys for local runs and the identity provider of suite-tests'
# rotation test; a production identity provider does the same steps itself (runbook).
#   deploy/ops/rotate-jwt-key.sh publish  DIR          a new key pair (DIR/next-private.pem, DIR/next-kid) whose public key joins
#                                                      the JWKS; nothing signs with it yet; prints the new kid
#   deploy/ops/rotate-jwt-key.sh probe    DIR URL...   GETs each URL with a token signed by the published key: passes when no
#                                                      verifier answers 401, i.e. every one has fetched the new key (a probe
#                                                      makes a verifier refetch at once, at most once a minute)
#   deploy/ops/rotate-jwt-key.sh activate DIR          sign with the published key from now on (private.pem, kid); the old
#                                                      public key stays in the JWKS, so tokens already issued keep verifying;
#                                                      prints the old kid
#   deploy/ops/rotate-jwt-key.sh retire   DIR KID      drop KID from the JWKS (after the longest token lifetime); refuses the
#                                                      key that signs and the published one
#   deploy/ops/rotate-jwt-key.sh show     DIR          the JWKS' kids, which one signs, which one is published
# Files are replaced atomically (written aside, then renamed); the JWKS stays one compact line.
# Needs openssl, python3 and (probe) curl. JWT_ISSUER and JWT_AUDIENCE as the services have them.
# rotate-service-key.sh sources this file for its functions.
set -euo pipefail

die() { echo "$*" >&2; exit 2; }

b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }

new_kid() { # new_kid PREFIX
  printf '%s%s-%s' "$1" "$(date -u +%Y%m%d-%H%M%S)" "$(openssl rand -hex 4)"
}

new_key() { # new_key FILE: a PKCS#8 PEM RSA-2048 private key, owner-only
  local tmp
  tmp=$(mktemp "$(dirname "$1")/.key.XXXXXX")
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$tmp" 2>/dev/null
  chmod 600 "$tmp"
  mv -f "$tmp" "$1"
}

write_file() { # write_file FILE CONTENT: atomically
  local tmp
  tmp=$(mktemp "$(dirname "$1")/.write.XXXXXX")
  printf '%s\n' "$2" >"$tmp"
  mv -f "$tmp" "$1"
}

jwk() { # jwk KEYFILE KID: the public half as an RS256 JWK (one line)
  local modulus exponent
  modulus=$(openssl rsa -in "$1" -noout -modulus 2>/dev/null | sed 's/^Modulus=//')
  exponent=$(openssl rsa -in "$1" -noout -text 2>/dev/null | sed -n 's/^publicExponent: \([0-9]*\).*/\1/p')
  python3 -c '
import base64, json, sys
b64 = lambda i: base64.urlsafe_b64encode(i.to_bytes((i.bit_length() + 7) // 8, "big")).decode().rstrip("=")
print(json.dumps({"kty": "RSA", "use": "sig", "alg": "RS256", "kid": sys.argv[1], "n": b64(int(sys.argv[2], 16)),
                  "e": b64(int(sys.argv[3]))}, separators=(",", ":")))' "$2" "$modulus" "$exponent"
}

jwks_edit() { # jwks_edit JWKS add JWK | remove KID | kids: edits in place (atomically) or lists
  python3 - "$@" <<'PY'
import json, os, sys, tempfile
path, op = sys.argv[1], sys.argv[2]
with open(path) as f:
    doc = json.load(f)
keys = doc.get("keys", [])
if op == "kids":
    print("\n".join(k.get("kid", "") for k in keys))
    sys.exit(0)
if op == "add":
    new = json.loads(sys.argv[3])
    if any(k.get("kid") == new["kid"] for k in keys):
        sys.exit("kid " + new["kid"] + " is already in " + path)
    keys.insert(0, new)
elif op == "remove":
    if not any(k.get("kid") == sys.argv[3] for k in keys):
        sys.exit("kid " + sys.argv[3] + " is not in " + path)
    keys = [k for k in keys if k.get("kid") != sys.argv[3]]
doc["keys"] = keys
fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(path)), prefix=".jwks.")
with os.fdopen(fd, "w") as f:
    f.write(json.dumps(doc, separators=(",", ":")) + "\n")
os.chmod(tmp, 0o644)
os.replace(tmp, path)
PY
}

swap_pair() { # swap_pair NEW_KEY NEW_KID KEY KID: both renamed into place back to back (readers read kid, then key)
  python3 -c 'import os, sys; os.replace(sys.argv[1], sys.argv[3]); os.replace(sys.argv[2], sys.argv[4])' "$@"
}

sign_token() { # sign_token KEYFILE KID SUBJECT: a 5-minute RS256 token without roles
  local now header payload input
  now=$(date +%s)
  header=$(printf '{"alg":"RS256","typ":"JWT","kid":"%s"}' "$2" | b64url)
  payload=$(printf '{"iss":"%s","aud":"%s","sub":"%s","groups":[],"iat":%d,"exp":%d,"jti":"%s"}' \
    "${JWT_ISSUER:-https://identity.nova.local}" "${JWT_AUDIENCE:-nova-suite}" "$3" "$now" "$((now + 300))" "$(openssl rand -hex 8)" | b64url)
  input="$header.$payload"
  printf '%s.%s' "$input" "$(printf '%s' "$input" | openssl dgst -sha256 -sign "$1" -binary | b64url)"
}

main() {
  [ $# -ge 2 ] || die "usage: $0 publish DIR | probe DIR URL... | activate DIR | retire DIR KID | show DIR"
  local cmd=$1 dir=$2
  shift 2
  [ -f "$dir/jwks.json" ] && [ -f "$dir/kid" ] || die "$dir has no jwks.json and kid (a signing folder: DevIdentity keys DIR makes one)"
  case "$cmd" in
    publish)
      [ ! -f "$dir/next-kid" ] || die "key $(cat "$dir/next-kid") is published and not active yet: activate it first"
      local kid
      kid=$(new_kid "${KID_PREFIX:-jwt-}")
      new_key "$dir/next-private.pem"
      jwks_edit "$dir/jwks.json" add "$(jwk "$dir/next-private.pem" "$kid")"
      write_file "$dir/next-kid" "$kid"
      echo "$kid" ;;
    probe)
      [ $# -ge 1 ] || die "usage: $0 probe DIR URL..."
      [ -f "$dir/next-kid" ] || die "no published key in $dir: publish one first"
      local token url status failed=0
      token=$(sign_token "$dir/next-private.pem" "$(cat "$dir/next-kid")" rotation-probe)
      for url in "$@"; do
        status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$url" || true)
        if [ "$status" = 401 ] || [ "$status" = 000 ]; then echo "WAIT  $url: $status" >&2; failed=1; else echo "ok    $url: $status"; fi
      done
      return $failed ;;
    activate)
      [ -f "$dir/next-kid" ] || die "no published key in $dir: publish one first"
      local old
      old=$(cat "$dir/kid")
      openssl pkey -in "$dir/next-private.pem" -pubout -out "$dir/public.pem" 2>/dev/null
      swap_pair "$dir/next-private.pem" "$dir/next-kid" "$dir/private.pem" "$dir/kid"
      echo "$old" ;;
    retire)
      [ $# -eq 1 ] || die "usage: $0 retire DIR KID"
      [ "$1" != "$(cat "$dir/kid")" ] || die "$1 signs tokens now: it cannot be retired"
      [ ! -f "$dir/next-kid" ] || [ "$1" != "$(cat "$dir/next-kid")" ] || die "$1 is the published key"
      jwks_edit "$dir/jwks.json" remove "$1"
      echo "retired $1" ;;
    show)
      local signing next=""
      signing=$(cat "$dir/kid")
      [ -f "$dir/next-kid" ] && next=$(cat "$dir/next-kid")
      jwks_edit "$dir/jwks.json" kids | while read -r k; do
        if [ "$k" = "$signing" ]; then echo "$k signs"; elif [ "$k" = "$next" ]; then echo "$k published"; else echo "$k"; fi
      done ;;
    *) die "unknown command $cmd" ;;
  esac
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  main "$@"
fi
