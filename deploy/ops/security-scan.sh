#!/usr/bin/env bash
# Security scan of the LIVE LOCAL suite: wapiti (web vulnerabilities, headers) and sqlmap (SQL
# injection), both Debian packages (installed when missing), against every operation of every
# service's OpenAPI document (/q/openapi), with a signed-in session for each role (driver,
# publisher, buyer, admin; Authorization headers from deploy/local/token.sh), the peers' service
# tokens on /internal/ endpoints, and no token where an operation is public or signature-checked.
# Fails on any finding of medium severity or higher that deploy/ops/security-scan-reviewed.txt
# does not list (with the reason it is a false positive).
#
#   deploy/ops/security-scan.sh            # (re)starts the suite with deploy/local/up.sh, scans, stops it
#   SKIP_BUILD=1 deploy/ops/security-scan.sh
#
# Traffic stays on loopback: every target is http://127.0.0.1:808x, proxies from the environment
# are ignored, and wapiti's modules that call out are not run (ssrf and xxe use an Internet
# endpoint, redirect follows its payload to an Internet host, nikto and wapp download databases);
# wapiti sends no bug reports (--no-bugreport), sqlmap never updates or checks the Internet.
# The suite is started with KIT_RATE_LIMIT_ENABLED=false (the scanners would otherwise mostly see
# 429s); it writes into the local databases (buyers, leads, wallet adjustments named scan-...).
#
# Settings (environment):
#   SCAN_USE_RUNNING=1     scan the suite already up on 8081-8084 (start it with KIT_RATE_LIMIT_ENABLED=false)
#   SCAN_KEEP_UP=1         leave the suite this script started running
#   SCAN_WAIT=600          seconds to wait while another run holds ports 8081-8084 (and the stand-ins' 8090)
#   SCAN_OUT=DIR           reports (default .local/security-scan/<UTC time>)
#   WAPITI_MAX_SCAN_TIME=300, WAPITI_MAX_ATTACK_TIME=45   seconds, per identity / per attack module
#   WAPITI_MODULES=...     default: every module that stays on loopback (see WAPITI_DEFAULT_MODULES)
#   SQLMAP_LEVEL=2, SQLMAP_RISK=1                          sqlmap's depth (risk 1: no OR/heavy payloads)
# Exit status: 0 no open finding >= medium, 1 open findings, 2 the scan could not run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../local/lib.sh"
. "$here/../local/services.sh"
cd "$REPO_ROOT"
trap 'exit 2' ERR

REVIEWED="$here/security-scan-reviewed.txt"
OUT="${SCAN_OUT:-$LOCAL_DIR/security-scan/$(date -u +%Y%m%dT%H%M%SZ)}"
WAPITI_DEFAULT_MODULES="backup,blindsql,cookieflags,crlf,csp,csrf,exec,file,htaccess,http_headers,methods,permanentxss,shellshock,sql,xss"
WAPITI_MODULES="${WAPITI_MODULES:-$WAPITI_DEFAULT_MODULES}"
WAPITI_MAX_SCAN_TIME="${WAPITI_MAX_SCAN_TIME:-300}"
WAPITI_MAX_ATTACK_TIME="${WAPITI_MAX_ATTACK_TIME:-45}"
SQLMAP_LEVEL="${SQLMAP_LEVEL:-2}"
SQLMAP_RISK="${SQLMAP_RISK:-1}"
RUN=$(date +%s)

# Loopback only: no proxy may carry scan traffic elsewhere.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY ftp_proxy FTP_PROXY
export no_proxy=127.0.0.1,localhost NO_PROXY=127.0.0.1,localhost
# ssrf and xxe need wapiti's Internet endpoint, redirect follows its payload to an Internet host
# (openbugbounty.org) when a redirect works, nikto and wapp download databases, buster brute-forces.
case ",$WAPITI_MODULES," in *,ssrf,*|*,xxe,*|*,redirect,*|*,nikto,*|*,wapp,*|*,buster,*|*,brute_login_form,*)
  die "WAPITI_MODULES: ssrf, xxe, redirect, nikto, wapp, buster and brute_login_form reach outside loopback or brute-force" ;;
esac

mkdir -p "$OUT"/{openapi,targets,wapiti,sqlmap}
rm -f "$OUT"/sqlmap/index.tsv "$OUT"/wapiti/durations.txt "$OUT"/wapiti/errors.txt "$OUT"/wapiti/*.json
say "Reports in $OUT"

# --- 1. The scanners (Debian packages)
missing=()
command -v wapiti >/dev/null || missing+=(wapiti)
command -v sqlmap >/dev/null || missing+=(sqlmap)
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
command -v python3 >/dev/null || apt_install python3

# --- 2. The live local suite
ports=(); for entry in "${SERVICES[@]}"; do ports+=("${entry#*:}"); done
ready() { curl -fsS -o /dev/null --max-time 3 "http://127.0.0.1:$1/q/health/ready"; }
# A suite that went away mid-scan would make an empty report look clean: check between steps.
require_up() {
  local p
  for p in "${ports[@]}"; do
    ready "$p" || { echo "the service on 127.0.0.1:$p stopped answering during the scan ($1): no verdict" >&2; exit 2; }
  done
}
started=""
stop_suite() { [ -n "$started" ] && [ "${SCAN_KEEP_UP:-}" != 1 ] && "$REPO_ROOT/deploy/local/down.sh" --quiet || true; }
trap 'stop_suite' EXIT
STANDINS_PORT="${STANDINS_PORT:-8090}"
if [ "${SCAN_USE_RUNNING:-}" = 1 ]; then
  for p in "${ports[@]}"; do ready "$p" || { echo "nothing ready on 127.0.0.1:$p (SCAN_USE_RUNNING=1)" >&2; exit 2; }; done
  say "Scanning the suite already running on 8081-8084"
else
  # Only one suite runs on these ports at a time: wait for whoever holds them (this script stops
  # nothing it did not start; use SCAN_USE_RUNNING=1 to scan a suite you started yourself).
  waited=0
  while :; do
    busy=""
    for p in "${ports[@]}" "$STANDINS_PORT"; do listening 127.0.0.1 "$p" && busy="$busy $p"; done
    [ -z "$busy" ] && break
    [ "$waited" -lt "${SCAN_WAIT:-600}" ] || { echo "ports$busy are still taken after ${SCAN_WAIT:-600} s" >&2; exit 2; }
    say "Ports$busy are taken by another run; waiting"
    sleep 15; waited=$((waited + 15))
  done
  say "Starting the suite (deploy/local/up.sh, rate limits off for the scanners; log: $OUT/up.log)"
  started=1
  KIT_RATE_LIMIT_ENABLED=false "$REPO_ROOT/deploy/local/up.sh" >"$OUT/up.log" 2>&1 \
    || { tail -20 "$OUT/up.log" >&2; echo "deploy/local/up.sh failed" >&2; exit 2; }
fi

# --- 3. Sessions for each role, and resources of their own to scan
token() { "$REPO_ROOT/deploy/local/token.sh" "$1" "$2" 14400; }
admin=$(token "scan-admin-$RUN" admin)
driver_id="scan-driver-$RUN"
publisher_id="scan-publisher-$RUN"
driver=$(token "$driver_id" driver)
publisher=$(token "$publisher_id" publisher)
merchant=$(token "scan-merchant-$RUN" merchant)
peer_auction=$(token auction-service service)
peer_gateway=$(token webhook-gateway service)
buyer_id=$(curl -fsS -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' http://127.0.0.1:8084/v1/buyers -d @- <<JSON | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'
{"name": "Scan Buyer $RUN", "verticals": ["solar"], "states": ["CA"], "bidAmount": "21.00", "priority": 1,
 "deliveryUrl": "http://127.0.0.1:$STANDINS_PORT/buyer/scan/leads",
 "authConfig": {"type": "bearer", "token": "scan-buyer-token-$RUN-0123456789"}}
JSON
)
buyer=$(token "$buyer_id" buyer)
curl -fsS -o /dev/null -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' -H "Idempotency-Key: scan-$RUN" \
  "http://127.0.0.1:8081/v1/wallets/$driver_id/adjustments" -d '{"direction":"CREDIT","amount":100000,"reason":"security scan"}'
lead_id=""
for i in $(seq 1 20); do # the buyer reaches auction-service's cache by event: submit until one sells
  n=$(date +%s%N)
  answer=$(curl -sS -H "Authorization: Bearer $publisher" -H 'Content-Type: application/json' -H "Idempotency-Key: scan-$n" \
    http://127.0.0.1:8083/v1/leads -d "{\"vertical\":\"solar\",\"firstName\":\"Scan\",\"lastName\":\"Lead\",\"email\":\"scan.$n@example.com\",
      \"phone\":\"$(printf '4155%06d' $((10#${n: -6})))\",\"zip\":\"94105\",\"state\":\"CA\",
      \"trustedFormCertUrl\":\"https://cert.trustedform.com/$(printf '%040x' "$n")\",\"consent\":true}")
  lead_id=$(sed -nE 's/.*"id":"([0-9a-f-]{36})".*/\1/p' <<<"$answer")
  case "$answer" in *'"SOLD"'*) break ;; esac
  sleep 1
done
[ -n "$lead_id" ] || { echo "could not submit a lead: $answer" >&2; exit 2; }
say "Resources: driver $driver_id, publisher $publisher_id, buyer $buyer_id, lead $lead_id"

# --- 4. Targets, from each service's OpenAPI document
for entry in "${SERVICES[@]}"; do
  curl -fsS "http://127.0.0.1:${entry#*:}/q/openapi?format=json" -o "$OUT/openapi/${entry%%:*}.json"
done
SCAN_OUT="$OUT" DRIVER_ID="$driver_id" BUYER_ID="$buyer_id" LEAD_ID="$lead_id" PORTS="${SERVICES[*]}" python3 - <<'PY'
import json, os
out = os.environ["SCAN_OUT"]
fixtures = {"driverId": os.environ["DRIVER_ID"], "buyer": os.environ["BUYER_ID"], "lead": os.environ["LEAD_ID"]}
services = [e.split(":") for e in os.environ["PORTS"].split()]
ROLES = ["driver", "publisher", "buyer", "admin", "merchant"]
PEERS = {"service:auction-service": "peer_auction", "service:webhook-gateway": "peer_gateway"}

def path_value(service, path, name):
    if name == "driverId": return fixtures["driverId"]
    if name == "merchantId": return "scan-merchant"
    if name == "currency": return "EUR"
    if name == "buyerId" or service == "buyer-registry": return fixtures["buyer"]
    if service == "auction-service" and path.startswith("/v1/leads/"): return fixtures["lead"]
    if "parked-purchases" in path: return "1"
    return "scan"

NAMES = {"cursor": "1", "limit": "10", "status": "ACTIVE", "vertical": "solar", "state": "CA", "zip": "94105",
         "groupBy": "day", "provider": "stripe", "reason": "signature", "open": "true", "action": "lead.sold",
         "actor": "scan-admin", "target": "scan"}
def query_value(name, schema):
    if "default" in schema: return str(schema["default"]).lower() if isinstance(schema["default"], bool) else str(schema["default"])
    if "enum" in schema: return str(schema["enum"][0])
    if schema.get("$ref", "").endswith("OffsetDateTime") or schema.get("format") == "date-time":
        return "2026-01-01T00:00:00Z" if name != "to" else "2027-01-01T00:00:00Z"
    if schema.get("pattern", "").startswith("[0-9]{4}-"):
        return "2026-01-01" if name != "to" else "2026-02-01"
    if name in ("from", "to"):
        return "2026-01-01T00:00:00Z" if name != "to" else "2027-01-01T00:00:00Z"
    if name in NAMES: return NAMES[name]
    if schema.get("type") == "integer": return str(schema.get("minimum", 1))
    if schema.get("type") == "boolean": return "true"
    return "scan"

HEADERS = {"Stripe-Signature": "t=1700000000,v1=00", "x-square-hmacsha256-signature": "c2Nhbg==",
           "x-square-signature": "c2Nhbg==", "X-Webhook-Secret": "scan-secret", "webhook-id": "msg_scan",
           "webhook-timestamp": "1700000000", "webhook-signature": "v1,c2Nhbg=="}
BODIES = {
    "POST /v1/wallets/me/redemptions": {"merchantId": "scan-merchant", "amount": 1},
    "POST /v1/wallets/{driverId}/adjustments": {"direction": "CREDIT", "amount": 1, "reason": "security scan"},
    "PUT /v1/wallets/merchants/{merchantId}/earn-rate": {"pointsPerUnit": 1},
    "PUT /v1/wallets/merchants/{merchantId}/earn-rates/{currency}": {"pointsPerUnit": 1},
    "PUT /v1/wallets/earn-rates/{currency}": {"pointsPerUnit": 1},
    "POST /v1/wallets/parked-purchases/{id}/attribute": {"driverId": fixtures["driverId"]},
    "POST /v1/leads": {"vertical": "solar", "firstName": "Scan", "lastName": "Lead", "email": "scan.body@example.com",
                       "phone": "4155550100", "zip": "94105", "state": "CA", "comments": "scan",
                       "trustedFormCertUrl": "https://cert.trustedform.com/0123456789abcdef0123456789abcdef01234567", "consent": True},
    # Wyoming: no lead the load simulations or the demo submit goes there, so the scanner's many
    # buyers never win (or block) anyone else's auctions in the local databases.
    "POST /v1/buyers": {"name": "Scan Extra Buyer", "verticals": ["mortgage"], "states": ["WY"], "bidAmount": "10.00",
                        "deliveryUrl": "http://127.0.0.1:8090/buyer/scan/leads",
                        "authConfig": {"type": "bearer", "token": "scan-extra-token-0123456789"}},
    "PATCH /v1/buyers/{id}": {"name": "Scan Buyer", "priority": 7},
    "PUT /v1/buyers/{id}/credentials": {"authConfig": {"type": "bearer", "token": "scan-rotated-token-0123456789"}},
    "POST /webhooks/stripe": {"id": "evt_scan", "type": "payment_intent.succeeded"},
    "POST /webhooks/square": {"event_id": "scan", "type": "payment.updated"},
    "POST /webhooks/purchases": {"eventId": "scan", "driverId": "scan"},
    "POST /webhooks/buyers/{buyerId}": {"type": "lead.accepted", "leadId": fixtures["lead"]},
}

def marked_json(value):
    """JSON with sqlmap's injection marker (*) after every string and number."""
    if isinstance(value, dict):
        return "{" + ",".join(json.dumps(k) + ":" + marked_json(v) for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(marked_json(v) for v in value) + "]"
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, (int, float)):
        return json.dumps(value) + "*"
    return json.dumps(value)[:-1] + '*"'

def identities(op, doc):
    schemes = doc.get("components", {}).get("securitySchemes", {})
    security = op.get("security", doc.get("security"))
    if not security:
        return ["anonymous"] + ROLES + list(PEERS.values()), "UNCLASSIFIED"
    ids, kinds = [], set()
    for req in security:
        if not req:
            kinds.add("public"); ids.append("anonymous")
        for name, scopes in req.items():
            s = schemes.get(name, {})
            if s.get("type") == "http" and s.get("scheme", "").lower() == "bearer":
                kinds.add("roles" if scopes else "authenticated")
                for r in (scopes or ["driver", "publisher", "buyer", "admin"]):
                    if r in ROLES: ids.append(r)
                    elif r in PEERS: ids.append(PEERS[r])
            else:
                kinds.add("signature"); ids.append("anonymous")
    if not ids:
        ids = ["merchant"]
    return list(dict.fromkeys(ids)), "+".join(sorted(kinds))

wapiti = {i: [] for i in ["anonymous"] + ROLES}
rows, count = [], 0
for service, port in services:
    doc = json.load(open(f"{out}/openapi/{service}.json"))
    for path, item in doc.get("paths", {}).items():
        for method, op in item.items():
            if method not in ("get", "put", "post", "delete", "patch"):
                continue
            count += 1
            params = item.get("parameters", []) + op.get("parameters", [])
            concrete, plain_query, marked_query, headers = path, [], [], []
            for p in params:
                name, where, schema = p["name"], p.get("in"), p.get("schema", {})
                if where == "path":
                    concrete = concrete.replace("{" + name + "}", path_value(service, path, name) + "\x00")
                elif where == "query":
                    v = query_value(name, schema)
                    plain_query.append(f"{name}={v}"); marked_query.append(f"{name}={v}*")
                elif where == "header" and name.lower() == "idempotency-key":
                    headers.append(f"{name}: scan-{count}-*")
                elif where == "header" and name in HEADERS:
                    headers.append(f"{name}: {HEADERS[name]}*")
            base = f"http://127.0.0.1:{port}"
            plain = base + concrete.replace("\x00", "") + ("?" + "&".join(plain_query) if plain_query else "")
            marked = base + concrete.replace("\x00", "*") + ("?" + "&".join(marked_query) if marked_query else "")
            body = ""
            if "requestBody" in op:
                body = marked_json(BODIES.get(f"{method.upper()} {path}", {}))
            who, access = identities(op, doc)
            if method == "get":
                wapiti["anonymous"].append(plain)
                for i in who:
                    if i in wapiti and i != "anonymous":
                        wapiti[i].append(plain)
            last = "1" if path.endswith("/deactivate") else "0"
            for i in who:
                rows.append([last, i, service, method.upper(), marked, body, "\x1f".join(headers), f"{method.upper()} {path}", access])
rows.sort(key=lambda r: r[0])  # deactivation last: the buyer's own scans come first
with open(f"{out}/targets/sqlmap.tsv", "w") as f:  # fields separated by \x1e: bash's read keeps empty ones
    for r in rows:
        f.write("\x1e".join(r[1:]) + "\n")
for i, urls in wapiti.items():
    with open(f"{out}/targets/wapiti-{i}.txt", "w") as f:
        f.write("\n".join(dict.fromkeys(urls)) + ("\n" if urls else ""))
unclassified = sorted({r[7] for r in rows if r[8] == "UNCLASSIFIED"})
print(f"{count} operations; {len(rows)} sqlmap targets (operation x identity); wapiti start URLs: "
      + ", ".join(f"{i} {len(set(u))}" for i, u in wapiti.items()))
for u in unclassified:
    print(f"WARNING: {u} states no security requirement: scanned as every identity")
PY

bearer() {
  case "$1" in
    anonymous) ;;
    admin) echo "$admin" ;; driver) echo "$driver" ;; publisher) echo "$publisher" ;; buyer) echo "$buyer" ;;
    merchant) echo "$merchant" ;; peer_auction) echo "$peer_auction" ;; peer_gateway) echo "$peer_gateway" ;;
  esac
}

# --- 5. wapiti: one crawl-and-attack per identity over the GET operations it may call (anonymous: all)
# wapiti loads every module, and its wapp module downloads its database when there is none (with the
# scan's headers, Authorization included): give it an empty one so nothing leaves loopback.
mkdir -p "$OUT/wapiti/config"
[ -s "$OUT/wapiti/config/apps.json" ] || echo '{}' >"$OUT/wapiti/config/apps.json"
for id in anonymous driver publisher buyer admin merchant; do
  list="$OUT/targets/wapiti-$id.txt"
  [ -s "$list" ] || continue
  require_up "before wapiti as $id"
  args=(-u "http://127.0.0.1:${ports[0]}/" --scope domain -m "$WAPITI_MODULES" --max-scan-time "$WAPITI_MAX_SCAN_TIME"
        --max-attack-time "$WAPITI_MAX_ATTACK_TIME" -t 10 -f json -o "$OUT/wapiti/$id.json" --no-bugreport
        --flush-session --store-session "$OUT/wapiti/session-$id" --store-config "$OUT/wapiti/config" -v 1 -d 3)
  # (No -x exclusions: wapiti 3.0.4's wildcard patterns fail on Python 3.11. Nothing links to /q/ anyway.)
  while IFS= read -r url; do args+=(-s "$url"); done <"$list"
  tok=$(bearer "$id"); [ -z "$tok" ] || args+=(-H "Authorization: Bearer $tok")
  say "wapiti as $id: $(wc -l <"$list") start URLs (at most ${WAPITI_MAX_SCAN_TIME}s)"
  started_at=$SECONDS
  wapiti "${args[@]}" </dev/null >"$OUT/wapiti/$id.log" 2>&1 || echo "wapiti as $id exited $? (see $OUT/wapiti/$id.log)" >>"$OUT/wapiti/errors.txt"
  echo "$id $((SECONDS - started_at))s" >>"$OUT/wapiti/durations.txt"
done
require_up "after wapiti"

# wapiti checks headers (csp, http_headers) on its base URL only: each service's, once, without a token.
for entry in "${SERVICES[@]}"; do
  name=${entry%%:*}; port=${entry#*:}
  wapiti -u "http://127.0.0.1:$port/" --scope page -m csp,http_headers --max-scan-time 60 -t 10 -f json \
    -o "$OUT/wapiti/headers-$name.json" --no-bugreport --flush-session --store-session "$OUT/wapiti/session-headers-$name" \
    --store-config "$OUT/wapiti/config" -v 1 </dev/null >"$OUT/wapiti/headers-$name.log" 2>&1 \
    || echo "wapiti headers of $name exited $? (see $OUT/wapiti/headers-$name.log)" >>"$OUT/wapiti/errors.txt"
done

# --- 6. sqlmap: every operation as each identity it allows (public and signature-checked ones: no token)
i=0
total=$(wc -l <"$OUT/targets/sqlmap.tsv")
say "sqlmap: $total targets (level $SQLMAP_LEVEL, risk $SQLMAP_RISK, PostgreSQL payloads)"
while IFS=$'\x1e' read -r id service method url body headers label access; do
  i=$((i + 1))
  require_up "before sqlmap target $i"
  args=(-u "$url" --method "$method" --batch --dbms=PostgreSQL --level "$SQLMAP_LEVEL" --risk "$SQLMAP_RISK" --ignore-proxy
        --disable-coloring --timeout 10 --retries 1 --output-dir "$OUT/sqlmap/out-$i" --ignore-code=401)
  tok=$(bearer "$id"); [ -z "$tok" ] || args+=(-H "Authorization: Bearer $tok")
  if [ -n "$body" ]; then args+=(--data "$body" -H "Content-Type: application/json"); fi
  if [ -n "$headers" ]; then
    IFS=$'\x1f' read -r -a extra <<<"$headers"
    for h in "${extra[@]}"; do args+=(-H "$h"); done
  fi
  { echo "# $label as $id ($access)"; } >"$OUT/sqlmap/$i.log"
  sqlmap "${args[@]}" </dev/null >>"$OUT/sqlmap/$i.log" 2>&1 || true
  printf '%s\t%s\t%s\t%s\n' "$i" "$id" "$label" "$service" >>"$OUT/sqlmap/index.tsv"
  [ $((i % 10)) -ne 0 ] || say "sqlmap: $i/$total"
done <"$OUT/targets/sqlmap.tsv"
require_up "after sqlmap"

# --- 7. Findings, the reviewed list, the verdict
rc=0
SCAN_OUT="$OUT" REVIEWED="$REVIEWED" python3 - <<'PY' || rc=$?
import glob, json, os, re, sys
out, reviewed_file = os.environ["SCAN_OUT"], os.environ["REVIEWED"]
LEVELS = {4: "critical", 3: "high", 2: "medium", 1: "low", 0: "info"}
findings = []  # tool, severity, category, identity, method, target, parameter, info

for report in sorted(glob.glob(f"{out}/wapiti/*.json")):
    identity = os.path.basename(report)[:-5]
    identity = "anonymous" if identity.startswith("headers-") else identity
    data = json.load(open(report))
    for section in ("vulnerabilities", "anomalies", "additionals"):
        for category, items in (data.get(section) or {}).items():
            for v in items:
                host = re.search(r"^Host: *(\S+)", v.get("http_request", ""), re.M)
                target = (host.group(1) if host else "?") + v.get("path", "")
                findings.append(["wapiti", LEVELS.get(int(v.get("level", 0)), "info"), category, identity,
                                 v.get("method", ""), target, v.get("parameter", ""), " ".join(v.get("info", "").split())[:200]])

index = {}
if os.path.exists(f"{out}/sqlmap/index.tsv"):
    for line in open(f"{out}/sqlmap/index.tsv"):
        n, identity, label, service = line.rstrip("\n").split("\t")
        index[n] = (identity, label, service)
for n, (identity, label, service) in sorted(index.items(), key=lambda kv: int(kv[0])):
    text = open(f"{out}/sqlmap/{n}.log", errors="replace").read()
    method, path = label.split(" ", 1)
    port = {"wallet-service": "8081", "webhook-gateway": "8082", "auction-service": "8083", "buyer-registry": "8084"}[service]
    target = f"127.0.0.1:{port}{path}"
    def add(sev, cat, param="", info=""):
        findings.append(["sqlmap", sev, cat, identity, method, target, param, info[:200]])
    if "identified the following injection point" in text:
        for m in re.finditer(r"Parameter: (.+?)\n((?:    .*\n)+)", text):
            add("high", "SQL injection", m.group(1), " ".join(m.group(2).split()))
        if not re.search(r"Parameter: ", text):
            add("high", "SQL injection", "", "sqlmap identified an injection point (see log)")
    for m in re.finditer(r"heuristic \((XSS|FI)\) test shows that (.+?) might be vulnerable to ([^\n]+)", text):
        add("low", "heuristic " + m.group(1), m.group(2), m.group(3))
    for m in re.finditer(r"^(5\d\d) \(([^)]*)\) - (\d+) times", text, re.M):
        if m.group(1) != "503":
            add("medium", "server error under injected input", "", f"{m.group(1)} {m.group(2)} {m.group(3)} times")
    for m in re.finditer(r"\[CRITICAL\] (.*(?:connection|timed out|unable to connect|not authorized|forbidden|page not found).*)", text, re.I):
        add("medium", "scan incomplete", "", m.group(1))

# The reviewed list: tool | category | identity | METHOD | target regex | info regex | reason
rules = []
for raw in open(reviewed_file):
    line = raw.strip()
    if not line or line.startswith("#"):
        continue
    parts = [p.strip() for p in line.split("|", 6)]
    if len(parts) != 7 or not parts[6]:
        sys.exit(f"{reviewed_file}: malformed line (tool | category | identity | METHOD | target regex | info regex | reason): {line}")
    rules.append(parts)
def reviewed(f):
    for tool, cat, ident, method, target, info, reason in rules:
        if (tool == f[0] and cat in ("*", f[2]) and ident in ("*", f[3]) and method in ("*", f[4])
                and re.fullmatch(target, f[5]) and re.search(info, f[7])):
            return reason
    return None

order = ["critical", "high", "medium", "low", "info"]
lines, open_serious = [], []
counts = {}
for f in findings:
    reason = reviewed(f)
    key = (f[0], f[1])
    c = counts.setdefault(key, [0, 0])
    c[0] += 1
    if reason:
        c[1] += 1
    elif order.index(f[1]) <= 2:
        open_serious.append(f)
    lines.append("\t".join(f + [reason or ""]))
with open(f"{out}/findings.tsv", "w") as fh:
    fh.write("tool\tseverity\tcategory\tidentity\tmethod\ttarget\tparameter\tinfo\treviewed as\n" + "\n".join(lines) + "\n")

summary = [f"Security scan {out}", "findings by severity (total / reviewed false positives / open):"]
for tool in ("wapiti", "sqlmap"):
    summary.append(f"  {tool:7s} " + "  ".join(f"{s}: {counts.get((tool, s), [0, 0])[0]}/{counts.get((tool, s), [0, 0])[1]}/"
                                             f"{counts.get((tool, s), [0, 0])[0] - counts.get((tool, s), [0, 0])[1]}" for s in order))
durations = open(f"{out}/wapiti/durations.txt").read().split() if os.path.exists(f"{out}/wapiti/durations.txt") else []
summary.append(f"  wapiti runs: {' '.join(durations)}; sqlmap targets: {len(index)}")
if os.path.exists(f"{out}/wapiti/errors.txt"):
    summary.append("  " + open(f"{out}/wapiti/errors.txt").read().strip().replace("\n", "\n  "))
grouped = {}
for f in findings:
    grouped.setdefault((f[0], f[1], f[2], reviewed(f) is not None), set()).add(f"{f[4]} {f[5]}")
summary.append("by category:")
for (tool, sev, cat, rev), targets in sorted(grouped.items(), key=lambda kv: (order.index(kv[0][1]), kv[0][0], kv[0][2])):
    summary.append(f"  {tool} {sev:8s} {cat}{' (reviewed)' if rev else ''}: {len(targets)} target(s), e.g. {sorted(targets)[0]}")
if open_serious:
    summary.append(f"OPEN findings of medium or higher: {len(open_serious)} (details: {out}/findings.tsv)")
    for f in open_serious[:40]:
        summary.append("  " + " | ".join(f))
else:
    summary.append("No open finding of medium or higher.")
open(f"{out}/summary.txt", "w").write("\n".join(summary) + "\n")
print("\n".join(summary))
sys.exit(1 if open_serious else 0)
PY
[ "$rc" -le 1 ] || rc=2
exit "$rc"
