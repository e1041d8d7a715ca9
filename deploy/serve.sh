#!/usr/bin/env bash
# The production app server: granian (HTTP/1.1 in Rust, the WSGI app `techbridge.wsgi` in worker
# processes × threads). `make serve`, deploy/techbridge-web.service and scripts/scaleout.sh all start it
# through this script, so one set of knobs serves a laptop and a production machine (all from the environment):
#   HOST / PORT (127.0.0.1 / 8000), or BIND=host:port or BIND=unix:/run/techbridge/app.sock;
#   WEB_CONCURRENCY   worker processes (default: the number of CPU cores);
#   WEB_THREADS       threads per worker running the app (default 1; measured with bench_auction, see
#                     docs/deployment.md "Why granian": with the bid lane, 1 thread costs the least CPU
#                     per bid and decides the most bids a second);
#   WEB_BACKLOG       pending connections (2048);
#   WEB_ACCESS_LOG    a file for the access log (none by default);
#   WEB_LOG_LEVEL     the server's own log level (info);
#   WEB_LIFETIME      recycle a worker after this many seconds (none by default);
#   WEB_MAX_RSS       recycle a worker above this many MiB (none by default);
#   WEB_PID_FILE      write the main process's pid here.
# Several servers may bind the same host:port on one machine: granian listens with SO_REUSEPORT and the
# kernel spreads connections over them (scripts/scaleout.sh stands in for a load balancer that way).
# Signals: TERM/INT stop gracefully; HUP replaces the workers (a reload without dropping the port).
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BIN=${BIN:-$ROOT/.venv/bin}

args=(
  --interface wsgi
  --workers "${WEB_CONCURRENCY:-$(nproc 2>/dev/null || echo 2)}"
  --blocking-threads "${WEB_THREADS:-1}"
  --runtime-threads 1
  --backlog "${WEB_BACKLOG:-2048}"
  --http 1
  --respawn-failed-workers
  --log-level "${WEB_LOG_LEVEL:-info}"
)
if [ -n "${BIND:-}" ]; then
  case "$BIND" in
    unix:*) args+=(--uds "${BIND#unix:}") ;;
    *) args+=(--host "${BIND%:*}" --port "${BIND##*:}") ;;
  esac
else
  args+=(--host "${HOST:-127.0.0.1}" --port "${PORT:-8000}")
fi
if [ -n "${WEB_ACCESS_LOG:-}" ]; then
  # granian writes its access lines to the "granian.access" logger: send them to the file, one per request
  config=$(mktemp "${TMPDIR:-/tmp}/techbridge-granian-log.XXXXXX.json")
  "$BIN/python" - "$WEB_ACCESS_LOG" "${WEB_LOG_LEVEL:-info}" >"$config" <<'PY'
import json, sys
access, level = sys.argv[1], sys.argv[2].upper()
stream = {"class": "logging.StreamHandler", "formatter": "plain"}
target = stream if access == "-" else {"class": "logging.FileHandler", "filename": access, "formatter": "plain"}
print(json.dumps({
    "version": 1, "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(message)s"}},
    "handlers": {"console": stream, "access": target},
    "loggers": {
        "granian.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        "_granian": {"handlers": ["console"], "level": level, "propagate": False},
    },
}))
PY
  args+=(--access-log --log-config "$config")
fi
[ -n "${WEB_LIFETIME:-}" ] && args+=(--workers-lifetime "$WEB_LIFETIME")
[ -n "${WEB_MAX_RSS:-}" ] && args+=(--workers-max-rss "$WEB_MAX_RSS")
[ -n "${WEB_PID_FILE:-}" ] && args+=(--pid-file "$WEB_PID_FILE")

exec "$BIN/granian" "${args[@]}" techbridge.wsgi:application
