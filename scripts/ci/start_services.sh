#!/usr/bin/env bash
# Start PostgreSQL 15 (with pgvector) and Redis for the tests; idempotent, also for developers.
#
# PostgreSQL: starts the Debian cluster 15/main (pg_ctlcluster), or, when the machine has none, a
# private cluster initialised in $TECHBRIDGE_PGDATA. Creates the role and database named below (the
# role may CREATEDB, so Django's test runner can create its own test database), installs the `vector`
# extension into template1 and the database (pgvector is not a trusted extension: only a superuser may
# create it, so every database created later, test databases included, inherits it), and checks that
# `CREATE EXTENSION vector` works. Redis: answers a PING or is started with --daemonize yes.
#
# Logs go to stderr; stdout carries only shell exports, so either of these works:
#   eval "$(scripts/ci/start_services.sh)"          # then: make test  (uses $DATABASE_URL)
#   scripts/ci/start_services.sh                    # just read the printed DATABASE_URL
#
# Environment (defaults): TECHBRIDGE_DB_USER=techbridge TECHBRIDGE_DB_PASSWORD=techbridge
#   TECHBRIDGE_DB_NAME=techbridge TECHBRIDGE_PGDATA=/var/tmp/techbridge-pg15 (private cluster only)
#   TECHBRIDGE_PGPORT=5433 (private cluster only) TECHBRIDGE_PG_PRIVATE=1 to use the private cluster
#   even where a Debian cluster exists; REDIS_PORT=6379; SKIP_REDIS=1 to leave Redis alone.
set -Eeuo pipefail

PG_VERSION=15
PG_BIN=/usr/lib/postgresql/$PG_VERSION/bin
DB_USER=${TECHBRIDGE_DB_USER:-techbridge}
DB_PASSWORD=${TECHBRIDGE_DB_PASSWORD:-techbridge}
DB_NAME=${TECHBRIDGE_DB_NAME:-techbridge}
PRIVATE_PGDATA=${TECHBRIDGE_PGDATA:-/var/tmp/techbridge-pg15}
PRIVATE_PORT=${TECHBRIDGE_PGPORT:-5433}
REDIS_PORT=${REDIS_PORT:-6379}

log() { printf '[services] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

as_postgres() {
  if [ "$(id -un)" = postgres ]; then
    "$@"
  elif [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    sudo -u postgres -- "$@"
  fi
}

[ -x "$PG_BIN/postgres" ] || die "PostgreSQL $PG_VERSION is not installed (run scripts/ci/install_system_deps.sh)"
id postgres >/dev/null 2>&1 || die "no 'postgres' system user (install postgresql-$PG_VERSION)"

# ---- PostgreSQL ---------------------------------------------------------------------------------
PSQL_ARGS=()
if [ "${TECHBRIDGE_PG_PRIVATE:-0}" != 1 ] && command -v pg_lsclusters >/dev/null 2>&1 && pg_lsclusters -h 2>/dev/null | awk -v v="$PG_VERSION" '$1 == v && $2 == "main" { found = 1 } END { exit !found }'; then
  read -r _ _ PG_PORT PG_STATUS _ < <(pg_lsclusters -h | awk -v v="$PG_VERSION" '$1 == v && $2 == "main"')
  if [ "${PG_STATUS%%,*}" = online ]; then
    log "PostgreSQL $PG_VERSION/main already running on port $PG_PORT"
  else
    log "starting PostgreSQL $PG_VERSION/main (port $PG_PORT)"
    pg_ctlcluster "$PG_VERSION" main start || {
      tail -n 30 "/var/log/postgresql/postgresql-$PG_VERSION-main.log" >&2 || true
      die "pg_ctlcluster $PG_VERSION main start failed"
    }
  fi
  PSQL_ARGS=(-p "$PG_PORT")
else
  PG_PORT=$PRIVATE_PORT
  if [ ! -s "$PRIVATE_PGDATA/PG_VERSION" ]; then
    log "no Debian cluster: initialising a private cluster in $PRIVATE_PGDATA"
    mkdir -p "$PRIVATE_PGDATA"
    chown postgres:postgres "$PRIVATE_PGDATA"
    chmod 700 "$PRIVATE_PGDATA"
    as_postgres "$PG_BIN/initdb" -D "$PRIVATE_PGDATA" -U postgres --encoding=UTF8 --locale=C.UTF-8 \
      --auth-local=peer --auth-host=scram-sha-256 >&2
  fi
  if as_postgres "$PG_BIN/pg_ctl" -D "$PRIVATE_PGDATA" status >/dev/null 2>&1; then
    log "private PostgreSQL already running on port $PG_PORT"
  else
    log "starting the private PostgreSQL on port $PG_PORT"
    as_postgres "$PG_BIN/pg_ctl" -D "$PRIVATE_PGDATA" -l "$PRIVATE_PGDATA/server.log" -w -t 60 \
      -o "-p $PG_PORT -k $PRIVATE_PGDATA -c listen_addresses=127.0.0.1" start >&2 \
      || { tail -n 30 "$PRIVATE_PGDATA/server.log" >&2 || true; die "pg_ctl start failed"; }
  fi
  PSQL_ARGS=(-p "$PG_PORT" -h "$PRIVATE_PGDATA")
fi

psql_admin() { as_postgres "$PG_BIN/psql" "${PSQL_ARGS[@]}" -X -q -v ON_ERROR_STOP=1 "$@"; }

for _ in $(seq 1 30); do
  psql_admin -d postgres -tAc "SELECT 1" >/dev/null 2>&1 && break
  sleep 1
done
psql_admin -d postgres -tAc "SELECT 1" >/dev/null || die "PostgreSQL does not accept connections on port $PG_PORT"

# Role and database: created when missing, password and CREATEDB (re)applied every time.
psql_admin -d postgres -v user="$DB_USER" -v pw="$DB_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'user') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'user')
\gexec
SELECT format('ALTER ROLE %I WITH LOGIN CREATEDB PASSWORD %L', :'user', :'pw')
\gexec
SQL
if [ "$(psql_admin -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" != 1 ]; then
  log "creating database $DB_NAME owned by $DB_USER"
  as_postgres "$PG_BIN/createdb" "${PSQL_ARGS[@]}" -O "$DB_USER" -E UTF8 -T template0 "$DB_NAME"
fi

# pgvector: into template1 (inherited by test databases) and the application database.
for db in template1 "$DB_NAME"; do
  psql_admin -d "$db" -c "CREATE EXTENSION IF NOT EXISTS vector" 2>&1 | grep -v 'already exists, skipping' >&2 || true
  [ "$(psql_admin -d "$db" -tAc "SELECT 1 FROM pg_extension WHERE extname = 'vector'")" = 1 ] \
    || die "CREATE EXTENSION vector failed in $db: run scripts/ci/build_pgvector.sh"
done

DATABASE_URL="postgres://$DB_USER:$DB_PASSWORD@127.0.0.1:$PG_PORT/$DB_NAME"
# Check the URL itself: password login over TCP as the application role, and a vector expression.
check=$(PGPASSWORD=$DB_PASSWORD "$PG_BIN/psql" -X -h 127.0.0.1 -p "$PG_PORT" -U "$DB_USER" -d "$DB_NAME" -tA \
  -c "SELECT extversion FROM pg_extension WHERE extname = 'vector'" \
  -c "SELECT '[1,2,3]'::vector <-> '[1,2,4]'::vector") \
  || die "cannot connect as $DB_USER to $DB_NAME on 127.0.0.1:$PG_PORT"
log "PostgreSQL ready: $("$PG_BIN/postgres" --version | awk '{print $3}'), pgvector $(echo "$check" | head -n 1)"

# ---- Redis --------------------------------------------------------------------------------------
REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
if [ "${SKIP_REDIS:-0}" != 1 ]; then
  command -v redis-server >/dev/null 2>&1 || die "redis-server is not installed (run scripts/ci/install_system_deps.sh)"
  redis_ping() {
    if command -v redis-cli >/dev/null 2>&1; then
      [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]
    else
      exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT" 2>/dev/null || return 1
      printf 'PING\r\n' >&3
      local reply
      read -r -t 2 reply <&3 || true
      exec 3>&-
      [ "${reply%$'\r'}" = "+PONG" ]
    fi
  }
  if redis_ping; then
    log "Redis already running on port $REDIS_PORT"
  else
    log "starting Redis on port $REDIS_PORT"
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
      --dir /var/tmp --logfile /var/tmp/techbridge-redis.log --pidfile /var/tmp/techbridge-redis.pid >&2
    for _ in $(seq 1 50); do redis_ping && break; sleep 0.2; done
    redis_ping || { tail -n 20 /var/tmp/techbridge-redis.log >&2 || true; die "Redis did not answer PING"; }
  fi
  log "Redis ready: $REDIS_URL"
fi

log "DATABASE_URL=$DATABASE_URL"
printf 'export DATABASE_URL=%q\n' "$DATABASE_URL"
[ "${SKIP_REDIS:-0}" = 1 ] || printf 'export REDIS_URL=%q\n' "$REDIS_URL"
