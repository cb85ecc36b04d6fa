# Shared by the local scripts: find, start or install PostgreSQL 15+ and Redis 7+ on localhost;
# start the packaged services and wait until they are ready (up.sh and deploy/bench/*.sh).
# Sourced, not run. Settings: DB_HOST/DB_PORT/DB_USER (default 127.0.0.1:5432, postgres),
# REDIS_PORT (default 6379), READY_TIMEOUT (default 180 s).

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LOCAL_DIR="$REPO_ROOT/.local"
DB_HOST="${DB_HOST:-127.0.0.1}"
DB_PORT="${DB_PORT:-5432}"
DB_USER="${DB_USER:-postgres}"
REDIS_PORT="${REDIS_PORT:-6379}"
SERVICE_DATABASES=(wallet gateway auction buyer_registry)
DEV_IDENTITY="$REPO_ROOT/service-kit/src/test/java/com/nova/kit/testing/DevIdentity.java"

say() { printf '\033[1m==>\033[0m %s\n' "$*" >&2; }
die() { printf '\033[31mERROR:\033[0m %s\n' "$*" >&2; exit 1; }

listening() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# Runs a command as root: directly when we are root, through passwordless sudo otherwise.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo "$@"
  else return 1; fi
}
can_be_root() { [ "$(id -u)" -eq 0 ] || { command -v sudo >/dev/null && sudo -n true 2>/dev/null; }; }

APT_UPDATED=""
apt_install() {
  command -v apt-get >/dev/null || die "cannot install $*: this is not a Debian/Ubuntu machine; install them yourself"
  can_be_root || die "cannot install $*: need root or passwordless sudo; install them yourself (apt-get install $*)"
  if [ -z "$APT_UPDATED" ]; then say "apt-get update"; as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null; APT_UPDATED=1; fi
  say "Installing $* (Debian packages)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

require_java() {
  command -v java >/dev/null || die "no java on PATH: install a JDK 17+ (e.g. apt-get install openjdk-17-jdk-headless)"
  local v
  v=$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
  [ "${v%%.*}" -ge 17 ] 2>/dev/null || die "Java $v found; Java 17 or newer is needed"
}

psql_do() { PGCONNECT_TIMEOUT=5 psql -X -q -v ON_ERROR_STOP=1 -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" "$@"; }

pg_cluster_start() {
  command -v pg_lsclusters >/dev/null || return 1
  local line ver name
  line=$(pg_lsclusters -h 2>/dev/null | awk -v p="$DB_PORT" '$3 == p' | sort -V | tail -n 1)
  [ -n "$line" ] || return 1
  ver=$(awk '{print $1}' <<<"$line"); name=$(awk '{print $2}' <<<"$line")
  say "Starting PostgreSQL cluster $ver/$name"
  as_root pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start 2>/dev/null \
    || as_root pg_ctlcluster "$ver" "$name" start || return 1
}

# A cluster this script installed accepts local TCP connections without a password, like CI's.
pg_trust_loopback() {
  local hba
  hba=$(as_root su postgres -c "psql -tAc 'show hba_file'" 2>/dev/null | tr -d '[:space:]') || return 1
  [ -n "$hba" ] || return 1
  if ! as_root grep -q '^# nova-suite local trust' "$hba"; then
    say "Allowing password-less connections from 127.0.0.1/::1 in $hba (local development only)"
    as_root sed -i '1i # nova-suite local trust\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
    as_root su postgres -c "psql -tAc 'select pg_reload_conf()'" >/dev/null
  fi
}

ensure_postgres() {
  if ! listening "$DB_HOST" "$DB_PORT"; then
    [ "$DB_HOST" = "127.0.0.1" ] || [ "$DB_HOST" = "localhost" ] || die "PostgreSQL at $DB_HOST:$DB_PORT is not reachable"
    if ! pg_cluster_start; then
      apt_install postgresql
      pg_cluster_start || die "PostgreSQL was installed but could not be started"
    fi
    for _ in $(seq 1 30); do listening "$DB_HOST" "$DB_PORT" && break; sleep 1; done
    listening "$DB_HOST" "$DB_PORT" || die "PostgreSQL does not listen on $DB_HOST:$DB_PORT"
  fi
  command -v psql >/dev/null || apt_install postgresql-client
  if ! psql_do -d postgres -tAc 'select 1' >/dev/null 2>&1; then
    pg_trust_loopback || true
    psql_do -d postgres -tAc 'select 1' >/dev/null \
      || die "cannot log in to PostgreSQL at $DB_HOST:$DB_PORT as $DB_USER (set DB_USER/PGPASSWORD)"
  fi
  local num
  num=$(psql_do -d postgres -tAc 'show server_version_num')
  [ "$num" -ge 150000 ] || die "PostgreSQL $num found; 15 or newer is needed"
  say "PostgreSQL $(psql_do -d postgres -tAc 'show server_version' | awk '{print $1}') on $DB_HOST:$DB_PORT"
}

redis_version() {
  exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT" || return 1
  printf 'INFO server\r\n' >&3
  local line v=""
  while IFS= read -r -t 2 line <&3; do
    case "$line" in redis_version:*) v="${line#redis_version:}"; v="${v%$'\r'}"; break ;; esac
  done
  exec 3>&- 3<&-
  printf '%s' "$v"
}

start_redis() {
  mkdir -p "$LOCAL_DIR/redis" "$LOCAL_DIR/logs"
  say "Starting redis-server on 127.0.0.1:$REDIS_PORT (append-only file in .local/redis)"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --appendonly yes \
    --dir "$LOCAL_DIR/redis" --logfile "$LOCAL_DIR/logs/redis.log" >/dev/null
}

ensure_redis_binary() { command -v redis-server >/dev/null || apt_install redis-server; }

# deploy-tests render the Kubernetes overlays with kubectl and unit-test the alert rules with promtool.
ensure_kubectl() { command -v kubectl >/dev/null || apt_install kubectl; }
ensure_promtool() { command -v promtool >/dev/null || apt_install prometheus; }

# auction-service's audit viewer is tested in headless Chromium driven by WebDriver.
CHROMIUM_BINARY="${CHROMIUM_BINARY:-/usr/bin/chromium}"
CHROMEDRIVER_BINARY="${CHROMEDRIVER_BINARY:-/usr/bin/chromedriver}"
export CHROMIUM_BINARY CHROMEDRIVER_BINARY
ensure_chromium() {
  [ -x "$CHROMIUM_BINARY" ] && [ -x "$CHROMEDRIVER_BINARY" ] && return 0
  say "Installing Chromium and its WebDriver (the audit viewer's browser test needs them)"
  apt_install chromium chromium-driver
  [ -x "$CHROMIUM_BINARY" ] && [ -x "$CHROMEDRIVER_BINARY" ] \
    || die "chromium or chromedriver not found at $CHROMIUM_BINARY / $CHROMEDRIVER_BINARY (set CHROMIUM_BINARY and CHROMEDRIVER_BINARY)"
}

ensure_redis() {
  if ! listening 127.0.0.1 "$REDIS_PORT"; then
    ensure_redis_binary
    start_redis
    for _ in $(seq 1 20); do listening 127.0.0.1 "$REDIS_PORT" && break; sleep 0.5; done
    listening 127.0.0.1 "$REDIS_PORT" || die "Redis does not listen on 127.0.0.1:$REDIS_PORT (see .local/logs/redis.log)"
  fi
  local v
  v=$(redis_version)
  [ -n "$v" ] || die "something listens on 127.0.0.1:$REDIS_PORT but does not answer like Redis"
  [ "${v%%.*}" -ge 7 ] || die "Redis $v found; 7 or newer is needed"
  say "Redis $v on 127.0.0.1:$REDIS_PORT"
}

ensure_databases() {
  local db
  for db in "$@"; do
    if [ "$(psql_do -d postgres -tAc "select 1 from pg_database where datname = '$db'")" != "1" ]; then
      say "Creating database $db"
      psql_do -d postgres -c "create database \"$db\"" >/dev/null
    fi
  done
}

ensure_dev_keys() {
  mkdir -p "$LOCAL_DIR/keys"
  chmod 700 "$LOCAL_DIR/keys"
  java "$DEV_IDENTITY" keys "$LOCAL_DIR/keys"
}

# service=kid,... of the development service keys (KIT_SERVICE_TOKEN_TRUSTED_KEYS)
dev_trusted_service_keys() {
  local s out=""
  for s in wallet-service webhook-gateway auction-service buyer-registry; do
    out="${out:+$out,}$s=$(cat "$LOCAL_DIR/keys/service-$s-kid")"
  done
  echo "$out"
}

# Development webhook secrets, generated once into a git-ignored file. Both up.sh (for the
# gateway) and send-webhook.sh (to sign samples) read them; variables already set in the caller's
# environment win.
WEBHOOK_SECRETS_FILE="$LOCAL_DIR/secrets/webhooks.env"
ensure_dev_webhook_secrets() {
  if [ ! -f "$WEBHOOK_SECRETS_FILE" ]; then
    mkdir -p "$(dirname "$WEBHOOK_SECRETS_FILE")"
    chmod 700 "$(dirname "$WEBHOOK_SECRETS_FILE")"
    rand() { head -c "$1" /dev/urandom | base64 | tr -d '\n'; }
    (umask 077; cat >"$WEBHOOK_SECRETS_FILE" <<SECRETS
# Development webhook secrets (generated by deploy/local; never use them anywhere else)
STRIPE_WEBHOOK_SECRET=whsec_$(rand 32)
SQUARE_WEBHOOK_SIGNATURE_KEY=$(rand 24 | tr '+/' '-_')
SQUARE_WEBHOOK_NOTIFICATION_URL=http://localhost:8082/webhooks/square
PURCHASE_WEBHOOK_SECRET=$(rand 32)
SECRETS
    )
    say "Generated development webhook secrets in ${WEBHOOK_SECRETS_FILE#$REPO_ROOT/}"
  fi
  local line name
  while IFS= read -r line; do
    case "$line" in ''|'#'*) continue ;; esac
    name=${line%%=*}
    [ -n "${!name:-}" ] || export "$line"
  done <"$WEBHOOK_SECRETS_FILE"
}

# --- Packaged services, started the same way by up.sh and the benchmarks

# ensure_packaged MODULE...: packages each module whose quarkus-run.jar is missing (and what it needs).
ensure_packaged() {
  local m
  for m in "$@"; do
    [ -f "$REPO_ROOT/$m/target/quarkus-app/quarkus-run.jar" ] && continue
    say "Building $m (./mvnw package -pl $m -am -DskipTests)"
    (cd "$REPO_ROOT" && ./mvnw -B -q package -pl "$m" -am -DskipTests)
  done
}

# The environment every locally started service gets: the `local` profile, the development JWKS,
# and the development service keys verifiers trust (ensure_dev_keys first). A value already in the
# caller's environment wins; start_service adds the service's own signing key.
local_service_env() {
  export QUARKUS_PROFILE="${QUARKUS_PROFILE:-local}"
  export JWKS_LOCATION="${JWKS_LOCATION:-file:$LOCAL_DIR/keys/jwks.json}"
  export KIT_SERVICE_TOKEN_TRUSTED_KEYS="${KIT_SERVICE_TOKEN_TRUSTED_KEYS:-$(dev_trusted_service_keys)}"
}

# start_service [--java-opts OPTS] SERVICE LOG [NAME=VALUE...]: starts SERVICE's packaged jar in the
# background, in the current directory, with local_service_env, its own development signing key and
# the NAME=VALUE settings given (they win), output to LOG. Sets SERVICE_PID; the first call starts
# the READY_TIMEOUT clock of wait_ready.
start_service() {
  local java_opts=""
  if [ "${1:-}" = "--java-opts" ]; then java_opts=$2; shift 2; fi
  local name=$1 log=$2 setting
  shift 2
  for setting in "$@"; do
    case "$setting" in *=*) ;; *) die "start_service $name: '$setting' is not NAME=VALUE" ;; esac
  done
  local jar="$REPO_ROOT/$name/target/quarkus-app/quarkus-run.jar"
  [ -f "$jar" ] || die "$jar is missing: package it first (./mvnw package -pl $name -am -DskipTests)"
  local_service_env
  mkdir -p "$(dirname "$log")"
  say "Starting $name"
  # shellcheck disable=SC2086 # java_opts is a list of JVM options, split on spaces like JAVA_OPTS
  env KIT_SERVICE_TOKEN_SIGNING_KEY_LOCATION="$LOCAL_DIR/keys/service-$name-private.pem" \
    KIT_SERVICE_TOKEN_KEY_ID_LOCATION="$LOCAL_DIR/keys/service-$name-kid" \
    "$@" nohup java $java_opts -jar "$jar" >"$log" 2>&1 &
  SERVICE_PID=$!
  READY_DEADLINE=${READY_DEADLINE:-$((SECONDS + ${READY_TIMEOUT:-180}))}
}

# wait_ready SERVICE PORT PID LOG: returns once SERVICE answers UP on :PORT/q/health/ready. Stops the
# script with the end of LOG when the process exits first, or is not ready READY_TIMEOUT seconds
# after the first start_service.
wait_ready() {
  local name=$1 port=$2 pid=$3 log=$4
  local deadline=${READY_DEADLINE:-$((SECONDS + ${READY_TIMEOUT:-180}))}
  until curl -fsS "http://127.0.0.1:$port/q/health/ready" 2>/dev/null | grep -q '"status": *"UP"'; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 40 "$log" >&2
      die "$name exited during start-up (log: ${log#"$REPO_ROOT"/})"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 40 "$log" >&2
      die "$name is not ready after ${READY_TIMEOUT:-180}s (log: ${log#"$REPO_ROOT"/})"
    fi
    sleep 0.5
  done
  say "$name is ready on http://localhost:$port"
}

# start_stand_ins PORT LOG [ARGS...]: the TrustedForm/Radar/demo buyer stand-ins
# (deploy/local/LocalStandIns.java PORT ARGS...) in the background; returns once they listen.
# Sets STAND_INS_PID.
# The development sign-in for the driver app (DevIdentity idp), signing with the development keys.
start_dev_signin() {
  local port=$1 log=$2
  listening 127.0.0.1 "$port" && die "port $port (development sign-in) is taken by another program: stop it, or set DEV_SIGNIN_PORT (up.sh)"
  mkdir -p "$(dirname "$log")"
  nohup java "$DEV_IDENTITY" idp "$LOCAL_DIR/keys" "$port" >"$log" 2>&1 &
  DEV_SIGNIN_PID=$!
  until listening 127.0.0.1 "$port"; do
    kill -0 "$DEV_SIGNIN_PID" 2>/dev/null || { cat "$log" >&2; die "the development sign-in did not start (log: ${log#"$REPO_ROOT"/})"; }
    sleep 0.5
  done
}

start_stand_ins() {
  local port=$1 log=$2
  shift 2
  listening 127.0.0.1 "$port" && die "port $port (local stand-ins) is taken by another program: stop it, or set STANDINS_PORT (up.sh)"
  mkdir -p "$(dirname "$log")"
  nohup java "$REPO_ROOT/deploy/local/LocalStandIns.java" "$port" "$@" >"$log" 2>&1 &
  STAND_INS_PID=$!
  until listening 127.0.0.1 "$port"; do
    kill -0 "$STAND_INS_PID" 2>/dev/null || { cat "$log" >&2; die "the local stand-ins did not start (log: ${log#"$REPO_ROOT"/})"; }
    sleep 0.5
  done
}
