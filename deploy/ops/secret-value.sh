#!/usr/bin/env bash
# The mechanical part of rotating a secret that accepts a comma-separated list during the switch
# (Stripe, Square, purchase webhook secrets: deploy/runbooks/secrets.md). Prints the updated
# Secret as YAML for `kubectl apply -f -`; the current Secret is read with kubectl, or from the
# file in SECRET_JSON (kubectl get secret NAME -o json output).
#   deploy/ops/secret-value.sh add    NAMESPACE SECRET KEY NEW_VALUE   value becomes NEW,<current values>
#   deploy/ops/secret-value.sh finish NAMESPACE SECRET KEY             keep only the first (newest) value
#   deploy/ops/secret-value.sh show   NAMESPACE SECRET KEY             how many values, and a fingerprint of each
# The new value is read from NEW_VALUE, or from standard input when it is "-" (keeps it out of
# the shell history). Nothing is applied: pipe to kubectl apply -f - yourself.
set -euo pipefail
usage() { echo "usage: $0 add NS SECRET KEY NEW_VALUE|- | finish NS SECRET KEY | show NS SECRET KEY" >&2; exit 2; }
[ $# -ge 4 ] || usage
cmd=$1; ns=$2; secret=$3; key=$4
if [ -n "${SECRET_JSON:-}" ]; then json=$(cat "$SECRET_JSON"); else json=$(kubectl -n "$ns" get secret "$secret" -o json); fi
current_b64=$(printf '%s' "$json" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("data", {}).get(sys.argv[1], ""))' "$key")
current=$(printf '%s' "$current_b64" | base64 -d)
emit() { # emit VALUE: the Secret with KEY set to VALUE, other keys unchanged
  printf '%s' "$json" | python3 -c '
import base64, json, sys
s = json.load(sys.stdin)
key, value = sys.argv[1], sys.argv[2]
data = s.get("data", {})
data[key] = base64.b64encode(value.encode()).decode()
# No resourceVersion, uid or managedFields: the result applies over whatever is current.
out = {"apiVersion": "v1", "kind": "Secret", "type": s.get("type", "Opaque"),
       "metadata": {"name": s["metadata"]["name"], "namespace": s["metadata"].get("namespace", "")}, "data": data}
print(json.dumps(out, indent=2))' "$key" "$1"
}
case "$cmd" in
  add)
    [ $# -eq 5 ] || usage
    new=$5; [ "$new" = - ] && IFS= read -r new
    case "$new" in *,*|"") echo "the new value must be non-empty and contain no comma" >&2; exit 2 ;; esac
    case ",$current," in *",$new,"*) echo "the new value is already accepted" >&2; exit 2 ;; esac
    emit "$new${current:+,$current}" ;;
  finish)
    [ -n "$current" ] || { echo "$secret/$key is empty" >&2; exit 2; }
    emit "${current%%,*}" ;;
  show)
    IFS=, read -r -a values <<<"$current"
    echo "$secret/$key: ${#values[@]} value(s)"
    for v in "${values[@]}"; do printf '  sha256:%s\n' "$(printf '%s' "$v" | sha256sum | cut -c1-12)"; done ;;
  *) usage ;;
esac
