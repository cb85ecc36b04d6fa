#!/usr/bin/env bash
# Stops the services started by up.sh. PostgreSQL and Redis are left running.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/services.sh"
quiet=${1:-}
for entry in "${SERVICES[@]}"; do
  name=${entry%%:*}
  pidfile="$LOCAL_DIR/run/$name.pid"
  [ -f "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  # Only a process that is really this service (a pid can be reused).
  if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "$name/target/quarkus-app"; then
    [ -n "$quiet" ] || say "Stopping $name ($pid)"
    kill "$pid"
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  fi
  rm -f "$pidfile"
done
signin="$LOCAL_DIR/run/dev-signin.pid"
if [ -f "$signin" ]; then
  pid=$(cat "$signin")
  if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "DevIdentity.java idp"; then
    [ -n "$quiet" ] || say "Stopping the development sign-in ($pid)"
    kill "$pid"
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  fi
  rm -f "$signin"
fi
standins="$LOCAL_DIR/run/stand-ins.pid"
if [ -f "$standins" ]; then
  pid=$(cat "$standins")
  if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "LocalStandIns.java"; then
    [ -n "$quiet" ] || say "Stopping the local stand-ins ($pid)"
    kill "$pid"
    # Wait until it is gone: up.sh right after this starts new stand-ins on the same port.
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  fi
  rm -f "$standins"
fi
[ -n "$quiet" ] || say "Stopped."
