"""The auction closer: a small periodic thread in the embedded server that closes due lots.

Auctions need a tick of seconds, not the daily sweep of ``core.scheduler``. The first run happens at
start, so lots whose end passed while the server was down are closed (catch-up). Several processes
may run it at once: closing is a conditional UPDATE, so each lot closes exactly once. In production
Celery beat runs ``techbridge.auctions.tasks.close_due_auctions`` instead (see docs/auctions.md).
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import close_old_connections

log = logging.getLogger(__name__)
_started = False


def _loop(stop: threading.Event, interval: float) -> None:
    from .services import close_due_lots

    while True:
        try:
            result = close_due_lots()
            if result["closed"] or result["handed_off"]:
                log.info("auction closer: %s", result)
        except Exception:  # the thread must survive a failed run and try again next tick
            log.exception("auction closer failed")
        finally:
            close_old_connections()
        if stop.wait(interval):
            return


def start() -> threading.Event | None:
    """Start the closer thread once per process; returns its stop event."""
    global _started
    if _started:
        return None
    _started = True
    stop = threading.Event()
    interval = float(getattr(settings, "AUCTION_CLOSE_INTERVAL_SECONDS", 5))
    threading.Thread(
        target=_loop, args=(stop, interval), name="techbridge-auction-closer", daemon=True
    ).start()
    return stop
