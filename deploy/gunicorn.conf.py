"""gunicorn settings for TechBridge (``make serve``, the systemd unit, scripts/scaleout.sh).

Everything comes from the environment, so one file serves a laptop and a production machine:

- ``HOST`` / ``PORT`` (127.0.0.1 / 8000) or ``BIND`` (e.g. ``unix:/run/techbridge/app.sock``);
- ``WEB_CONCURRENCY``: worker processes (default: the number of CPU cores);
- ``WEB_THREADS``: threads per worker (default 4: measured with ``bench_auction`` on PostgreSQL, 200
  keep-alive bidders, 2 masters × 1 worker: 4 threads decided the most bids per second at the least CPU
  per bid — 2.9 ms against 3.5 with 8 and 3.9 with 16 threads, whose extra GIL hand-offs cost CPU; 2
  threads cost the same CPU but queued more);
- ``WEB_REUSE_PORT=1``: SO_REUSEPORT, so several gunicorn masters can share one port on one machine
  and the kernel spreads connections over them, as a load balancer would (scripts/scaleout.sh);
- ``WEB_ACCESS_LOG``: a file for the access log ("-" for stderr; none by default).

gthread workers keep HTTP/1.1 connections alive (``keepalive`` seconds between requests), which is what a
proxy in front (nginx, see deploy/nginx-techbridge.conf) and the API's own clients reuse.
"""

import os

bind = [os.environ.get("BIND") or f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"]
workers = int(os.environ.get("WEB_CONCURRENCY") or os.cpu_count() or 2)
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS") or 4)
keepalive = int(os.environ.get("WEB_KEEPALIVE") or 75)
timeout = int(os.environ.get("WEB_TIMEOUT") or 60)
graceful_timeout = 30
backlog = 2048
reuse_port = os.environ.get("WEB_REUSE_PORT", "0") == "1"
max_requests = int(os.environ.get("WEB_MAX_REQUESTS") or 0)
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("WEB_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("WEB_LOG_LEVEL", "info")
proc_name = os.environ.get("WEB_NAME", "techbridge")
# Import the app in each worker, not in the master: a worker starts with its own database connections
# and its own embedded task thread (core.tasks), neither of which survives a fork.
preload_app = False
