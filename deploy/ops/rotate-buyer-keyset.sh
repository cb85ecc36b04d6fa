#!/usr/bin/env bash
# Rotating buyer-registry's credential encryption keyset (Tink) while deliveries keep decrypting
# buyers' credentials (deploy/runbooks/secrets.md): a new primary, every row re-encrypted under
# it, then the old keys dropped, each step checked against what the running service reports.
# Wraps deploy/local/buyer-keyset.sh (the keyset file) and POST /v1/buyers/keys/reencrypt.
#   deploy/ops/rotate-buyer-keyset.sh show      FILE       key ids, which one is primary
#   deploy/ops/rotate-buyer-keyset.sh rotate    FILE       add a new primary key; old keys still decrypt. Then put FILE where the
#                                                          service reads it (the Secret buyer-registry-keyset; locally it is the file)
#   deploy/ops/rotate-buyer-keyset.sh reencrypt FILE URL   wait until buyer-registry at URL encrypts under FILE's primary, then
#                                                          re-encrypt until nothing remains under an old key; fails on unreadable rows
#   deploy/ops/rotate-buyer-keyset.sh retire    FILE URL   re-encrypt once more and, only when it reports nothing remaining and nothing
#                                                          unreadable under FILE's primary, drop every other key from FILE. Then put FILE
#                                                          in place again and check with reencrypt FILE URL that the service reads it
# URL is buyer-registry's base URL; ADMIN_TOKEN an admin's bearer token. WAIT (seconds, default 180)
# bounds how long reencrypt waits for the service to load FILE (a Secret reaches pods within about
# a minute, and the service re-reads it every BUYERS_CRYPTO_RELOAD_INTERVAL, 30 s). With several
# replicas, wait that long after putting a rotated file in place before retiring: a replica that has
# not reloaded still encrypts under the old primary. Needs curl and python3.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
die() { echo "$*" >&2; exit 2; }
usage() { die "usage: $0 show|rotate FILE | reencrypt|retire FILE URL"; }
keyset() { "$here/../local/buyer-keyset.sh" "$@"; }
primary() { keyset show "$1" | awk '$3 == "primary" { print $2 }'; }

# One POST /v1/buyers/keys/reencrypt; prints "primaryKeyId remaining unreadable" and the report on stderr.
reencrypt_once() {
  local body
  body=$(curl -sS -f -X POST -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' "$1/v1/buyers/keys/reencrypt") \
    || { echo "re-encryption request to $1 failed" >&2; return 1; }
  echo "$body" >&2
  python3 -c 'import json, sys; r = json.loads(sys.argv[1]); print(r["primaryKeyId"], r["remaining"], r["unreadable"])' "$body"
}

# Re-encrypts until nothing remains under an old key, once the service uses FILE's primary.
reencrypt() {
  local file=$1 url=$2 want deadline primary_seen remaining unreadable
  [ -n "${ADMIN_TOKEN:-}" ] || die "set ADMIN_TOKEN to an admin's token"
  want=$(primary "$file")
  [ -n "$want" ] || die "$file has no primary key"
  deadline=$(($(date +%s) + ${WAIT:-180}))
  while :; do
    primary_seen=""; remaining=""; unreadable=""
    read -r primary_seen remaining unreadable < <(reencrypt_once "$url" || true) || true
    if [ "$primary_seen" = "$want" ]; then
      [ "$unreadable" = 0 ] || die "$unreadable row(s) cannot be read with this keyset: do not retire any key (see the service's log)"
      [ "$remaining" = 0 ] && break
    elif [ "$(date +%s)" -ge "$deadline" ]; then
      die "buyer-registry at $url still encrypts under key $primary_seen, not $want from $file: is the file in place?"
    fi
    sleep 2
  done
  echo "re-encrypted: every row is under key $want"
}

[ $# -ge 2 ] || usage
cmd=$1; file=$2
case "$cmd" in
  show) [ $# -eq 2 ] || usage; keyset show "$file" ;;
  rotate)
    [ $# -eq 2 ] || usage
    keyset rotate "$file" >/dev/null
    echo "new primary key $(primary "$file"); old keys still decrypt"
    keyset show "$file" ;;
  reencrypt) [ $# -eq 3 ] || usage; reencrypt "$file" "$3" ;;
  retire)
    [ $# -eq 3 ] || usage
    [ "$(keyset show "$file" | wc -l)" -gt 1 ] || die "$file holds one key only: nothing to retire"
    reencrypt "$file" "$3"
    keyset retire "$file" >/dev/null
    echo "retired every key but $(primary "$file")"
    keyset show "$file" ;;
  *) usage ;;
esac
