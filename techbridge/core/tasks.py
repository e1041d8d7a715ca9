"""Background work: on a Celery worker pool when a broker is set, else on the server's own task thread.

Tasks take primary keys, are enqueued after the transaction commits, and are idempotent, so a retry
or a crash half-way loses nothing.

Embedded default (``EMBEDDED_TASKS``): ``thread`` runs tasks one after another on one daemon thread of
the server process, so a request that starts slow work (checking a 15,000-row import, issuing a valuation
report) answers at once and the page shows progress; ``inline`` runs them in the request after it
commits (the tests, and management commands that need the result before they exit).
"""

from __future__ import annotations

import logging
import queue
import threading
from typing import Any

from celery import shared_task
from django.conf import settings
from django.db import close_old_connections, transaction

log = logging.getLogger(__name__)


_queue: queue.Queue[tuple[Any, tuple[Any, ...]]] = queue.Queue()
_thread: threading.Thread | None = None
_thread_lock = threading.Lock()


def _run_now(task: Any, args: tuple[Any, ...]) -> None:
    try:
        task(*args)
    except Exception:  # background work must never break the request (or the thread) that runs it
        log.exception("embedded task %s%r failed", getattr(task, "name", task), args)


def _work() -> None:
    while True:
        task, args = _queue.get()
        try:
            _run_now(task, args)
        finally:
            close_old_connections()
            _queue.task_done()


def _submit(task: Any, args: tuple[Any, ...]) -> None:
    global _thread
    with _thread_lock:
        if _thread is None or not _thread.is_alive():
            _thread = threading.Thread(target=_work, name="techbridge-tasks", daemon=True)
            _thread.start()
    _queue.put((task, args))


def wait_for_embedded_tasks() -> None:
    """Block until the embedded task thread has run everything queued so far (commands, tests)."""
    if _thread is not None:
        _queue.join()


_serving = False


def serve_in_background() -> None:
    """Mark this process as a web server: its tasks may run on the task thread (``EMBEDDED_TASKS``).

    Called by the WSGI/ASGI entry points and by ``runserver``. Other processes (management commands,
    workers) run their tasks inline, because a daemon thread dies with a command before it has finished.
    """
    global _serving
    _serving = True


def embedded_mode() -> str:
    """``thread`` or ``inline``: how tasks run in this process when no broker is configured."""
    if getattr(settings, "EMBEDDED_TASKS", "thread") == "inline" or not _serving:
        return "inline"
    return "thread"


def enqueue(task: Any, *args: Any) -> None:
    """Run ``task`` after the current transaction commits: on a worker if configured, else embedded."""

    def _run() -> None:
        if settings.CELERY_BROKER_URL:
            task.delay(*args)
        elif embedded_mode() == "thread":
            _submit(task, args)
        else:
            _run_now(task, args)

    transaction.on_commit(_run)


@shared_task(name="techbridge.core.tasks.run_daily_sweeps")
def run_daily_sweeps() -> dict[str, Any]:
    """Run every registered daily sweep; each is idempotent."""
    from .registry import sweeps

    return {f"{f.__module__}.{f.__name__}": f() for f in sweeps}


@shared_task(name="techbridge.core.tasks.send_due_deliveries")
def send_due_deliveries() -> dict[str, int]:
    """Send notification deliveries that are due: held by quiet hours, or retried after a failure."""
    from .notifications import send_due

    return send_due()
