#!/usr/bin/env bash
# The scale-out layout of docs/deployment.md on ONE machine, as separate processes:
#   app1, app2  two granian app servers (deploy/serve.sh, production settings) sharing one port with SO_REUSEPORT, so the
#               kernel spreads connections over them as a load balancer spreads them over machines;
#   worker1, worker2  two Celery workers (one queue, Redis broker);
#   beat        the Celery beat scheduler (daily sweeps, closing due auction lots).
# PostgreSQL and Redis come from $DATABASE_URL / $REDIS_URL, or are started by scripts/ci/start_services.sh.
#
#   scripts/scaleout.sh start    # migrate, start the five processes, wait until the port answers
#   scripts/scaleout.sh status   # which processes run, requests served by each app server
#   scripts/scaleout.sh stop     # stop them (TERM, then KILL after 30 s)
#
# Environment (defaults): SCALEOUT_PORT=8300 SCALEOUT_WEB_CONCURRENCY=2 (worker processes per app server)
#   SCALEOUT_WEB_THREADS=1 SCALEOUT_DIR=var/scaleout (pid files, logs, access logs).
# The app servers run with TECHBRIDGE_ENV=production behind a (simulated) TLS proxy: clients send
# X-Forwarded-Proto: https (scripts/smoke.py --forwarded-proto https), as nginx does in deploy/.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
DIR=${SCALEOUT_DIR:-$ROOT/var/scaleout}
PORT=${SCALEOUT_PORT:-8300}
BIN=$ROOT/.venv/bin
APPS=(app1 app2)
WORKERS=(worker1 worker2)
ALL=("${APPS[@]}" "${WORKERS[@]}" beat)

log() { printf '[scaleout] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

alive() { [ -s "$DIR/$1.pid" ] && kill -0 "$(cat "$DIR/$1.pid")" 2>/dev/null; }

environment() {
  if [ -z "${DATABASE_URL:-}" ] || [ -z "${REDIS_URL:-}" ]; then
    log "DATABASE_URL/REDIS_URL not set: starting PostgreSQL + Redis with scripts/ci/start_services.sh"
    eval "$(bash scripts/ci/start_services.sh)"
  fi
  case "$DATABASE_URL" in postgres://* | postgresql://*) ;; *) die "the layout needs DATABASE_URL=postgres://…" ;; esac
  mkdir -p "$DIR"
  if [ -z "${SECRET_KEY:-}" ]; then
    [ -s "$DIR/secret_key" ] || (umask 077 && "$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(50))' >"$DIR/secret_key")
    SECRET_KEY=$(cat "$DIR/secret_key")
  fi
  local redis_base=${REDIS_URL%/*}
  export SECRET_KEY DATABASE_URL REDIS_URL
  export TECHBRIDGE_ENV=production DEBUG=0 TECHBRIDGE_SKIP_DOTENV=1
  export CELERY_BROKER_URL=${CELERY_BROKER_URL:-$redis_base/1}
  export ALLOWED_HOSTS=${ALLOWED_HOSTS:-127.0.0.1,localhost}
  export SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO TRUSTED_PROXY_COUNT=${TRUSTED_PROXY_COUNT:-1}
  export LOG_LEVEL=${LOG_LEVEL:-ERROR}
  export HOST=127.0.0.1 PORT
  export WEB_CONCURRENCY=${SCALEOUT_WEB_CONCURRENCY:-2} WEB_THREADS=${SCALEOUT_WEB_THREADS:-1}
}

start() {
  environment
  for name in "${ALL[@]}"; do
    alive "$name" && die "$name is already running (pid $(cat "$DIR/$name.pid")): scripts/scaleout.sh stop first"
  done
  log "migrating $(printf '%s' "$DATABASE_URL" | sed 's#//[^@]*@#//…@#')"
  "$BIN/python" manage.py migrate --noinput -v 0
  "$BIN/python" manage.py collectstatic --noinput -v 0
  for name in "${APPS[@]}"; do
    : >"$DIR/$name-access.log"
    # deploy/serve.sh execs granian, so the background process's pid is the server's main pid
    WEB_ACCESS_LOG="$DIR/$name-access.log" BIN="$BIN" setsid bash deploy/serve.sh \
      </dev/null >"$DIR/$name.log" 2>&1 &
    echo $! >"$DIR/$name.pid"
  done
  for name in "${WORKERS[@]}"; do
    "$BIN/celery" -A techbridge worker --detach -n "$name@%h" --concurrency 1 -l warning \
      --pidfile "$DIR/$name.pid" --logfile "$DIR/$name.log"
  done
  "$BIN/celery" -A techbridge beat --detach -l warning --pidfile "$DIR/beat.pid" \
    --logfile "$DIR/beat.log" --schedule "$DIR/celerybeat-schedule"
  local i
  for i in $(seq 1 120); do
    if "$BIN/python" - "$PORT" <<'PY' 2>/dev/null; then break; fi
import http.client, sys
conn = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=5)
conn.request("GET", "/", headers={"X-Forwarded-Proto": "https"})
sys.exit(0 if conn.getresponse().status == 200 else 1)
PY
    sleep 0.5
  done
  [ "$i" -lt 120 ] || { status || true; die "no app server answers on port $PORT (see $DIR/app*.log)"; }
  for i in $(seq 1 60); do
    local up=1
    for name in "${ALL[@]}"; do alive "$name" || up=0; done
    [ "$up" = 1 ] && break
    sleep 0.5
  done
  status
  for name in "${ALL[@]}"; do alive "$name" || die "$name did not start (see $DIR/$name.log)"; done
  log "layout up: http://127.0.0.1:$PORT (send X-Forwarded-Proto: https)"
}

status() {
  local name rc=0
  for name in "${ALL[@]}"; do
    if alive "$name"; then
      printf '%-8s running  pid %s\n' "$name" "$(cat "$DIR/$name.pid")"
    else
      printf '%-8s stopped\n' "$name"
      rc=3
    fi
  done
  for name in "${APPS[@]}"; do
    if [ -f "$DIR/$name-access.log" ]; then
      printf '%-8s served %s requests\n' "$name" "$(wc -l <"$DIR/$name-access.log")"
    fi
  done
  return "$rc"
}

stop() {
  local name pid i
  for name in "${ALL[@]}"; do
    if alive "$name"; then
      pid=$(cat "$DIR/$name.pid")
      kill -TERM "$pid"
      for i in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      if kill -0 "$pid" 2>/dev/null; then
        log "$name (pid $pid) ignored TERM for 30 s: KILL"
        kill -KILL "$pid" 2>/dev/null || true
      fi
      log "$name stopped"
    fi
    rm -f "$DIR/$name.pid"
  done
}

# The app servers' master pids (for bench_auction --server-pid).
pids() {
  local name
  for name in "${APPS[@]}"; do alive "$name" && cat "$DIR/$name.pid"; done
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  pids) pids ;;
  *) echo "usage: $0 start|stop|status|pids" >&2; exit 2 ;;
esac
