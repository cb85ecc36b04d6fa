#!/usr/bin/env bash
# Dead-letter streams (<stream>.dlq): look at them, and put entries back on their stream once the
# cause is fixed (deploy/runbooks/incidents.md#poison-event). Consumers apply each event once
# (inboxes keyed by event id), so replaying an entry that did get applied changes nothing.
#   deploy/ops/dlq.sh list   STREAM            entries of STREAM.dlq: id, reason, failed at, event type
#   deploy/ops/dlq.sh show   STREAM ID         one entry in full
#   deploy/ops/dlq.sh replay STREAM ID|all     XADD the envelope back to STREAM, then XDEL it from STREAM.dlq
# Redis: REDIS_CLI (default "redis-cli"), e.g. REDIS_CLI="redis-cli -u $REDIS_URL" or
# REDIS_CLI="kubectl -n nova-data exec -i redis-0 -- redis-cli".
set -euo pipefail
cli=${REDIS_CLI:-redis-cli}
usage() { echo "usage: $0 list STREAM | show STREAM ID | replay STREAM ID|all" >&2; exit 2; }
[ $# -ge 2 ] || usage
cmd=$1; stream=$2; dlq="$stream.dlq"
field() { # field NAME: reads the flat "key value key value" list of one entry on stdin
  awk -v want="$1" 'NR % 2 == 1 { k = $0; next } k == want { print; exit }'
}
# One line per dead-lettered entry: id, reason, failed at, event type. XRANGE --raw is a flat
# list; every entry the kit writes ends with its dlq.failedAt field, which delimits entries.
entries() {
  $cli --raw XRANGE "$dlq" - + | awk '
    state == 0 { id = $0; reason = failed = type = ""; state = 1; next }
    state == 1 { key = $0; state = 2; next }
    state == 2 {
      if (key == "dlq.reason") reason = $0
      if (key == "envelope" && match($0, /"type":"[^"]*"/)) type = substr($0, RSTART + 8, RLENGTH - 9)
      if (key == "dlq.failedAt") { failed = $0; print id "\t" reason "\t" failed "\t" type; state = 0 } else state = 1
    }'
}
case "$cmd" in
  list)
    entries | awk -F'\t' '{ print $1 "\t" $2 "\t" $3 "\t" $4 }' ;;
  show)
    [ $# -eq 3 ] || usage
    $cli --raw XRANGE "$dlq" "$3" "$3" ;;
  replay)
    [ $# -eq 3 ] || usage
    if [ "$3" = all ]; then ids=$(entries | cut -f1); else ids=$3; fi
    n=0
    for id in $ids; do
      entry=$($cli --raw XRANGE "$dlq" "$id" "$id" | tail -n +2)
      envelope=$(printf '%s\n' "$entry" | field envelope)
      [ -n "$envelope" ] || { echo "entry $id has no envelope (malformed at the source): inspect it with show, then XDEL it by hand" >&2; continue; }
      new=$(printf '%s' "$envelope" | $cli -x XADD "$stream" '*' envelope)
      $cli XDEL "$dlq" "$id" >/dev/null
      echo "replayed $id as $stream $new"
      n=$((n + 1))
    done
    echo "$n entries replayed" ;;
  *) usage ;;
esac
