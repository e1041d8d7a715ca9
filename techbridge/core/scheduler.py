"""The embedded scheduler: periodic housekeeping inside the development/demo server process.

With no broker configured, the server process runs the daily sweeps itself — once shortly after start
(catching up on whatever was missed while it was down) and then every ``SWEEP_INTERVAL_HOURS``. In
production Celery beat runs the same task (``CELERY_BEAT_SCHEDULE``) and this thread is not started.
A second thread sends due notification deliveries every minute (quiet hours, retries).
"""

from __future__ import annotations

import logging
import os
import sys
import threading

from django.conf import settings
from django.db import close_old_connections

log = logging.getLogger(__name__)
_started = False


def should_start() -> bool:
    if settings.CELERY_BROKER_URL or not getattr(settings, "EMBEDDED_SCHEDULER", True):
        return False
    if "runserver" not in sys.argv:
        return False
    # With the autoreloader only the child process (RUN_MAIN=true) serves requests.
    return os.environ.get("RUN_MAIN") == "true" or "--noreload" in sys.argv


def _loop(stop: threading.Event, first_delay: float, interval: float) -> None:
    from .tasks import run_daily_sweeps

    if stop.wait(first_delay):
        return
    while True:
        try:
            result = run_daily_sweeps()
            log.info("daily sweeps: %s", result)
        except Exception:  # the thread must survive a failed sweep and try again next time
            log.exception("daily sweeps failed")
        finally:
            close_old_connections()
        if stop.wait(interval):
            return


def _deliveries_loop(stop: threading.Event, interval: float) -> None:
    """Every minute: notification deliveries held by quiet hours or waiting to be retried."""
    from .notifications import send_due

    while not stop.wait(interval):
        try:
            send_due()
        except Exception:  # the thread must survive a failed run and try again next time
            log.exception("sending due deliveries failed")
        finally:
            close_old_connections()


def start(first_delay: float = 5.0) -> threading.Event | None:
    """Start the scheduler thread once per process; returns its stop event."""
    global _started
    if _started:
        return None
    _started = True
    stop = threading.Event()
    interval = float(getattr(settings, "SWEEP_INTERVAL_HOURS", 24)) * 3600
    threading.Thread(
        target=_loop, args=(stop, first_delay, interval), name="techbridge-scheduler", daemon=True
    ).start()
    threading.Thread(
        target=_deliveries_loop, args=(stop, 60.0), name="techbridge-deliveries", daemon=True
    ).start()
    return stop
