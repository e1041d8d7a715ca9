"""Background work: inline on the embedded default, on a Celery worker pool when a broker is set.

Tasks take primary keys, are enqueued after the transaction commits, and are idempotent, so a retry
or a crash half-way loses nothing.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.conf import settings
from django.db import transaction

log = logging.getLogger(__name__)


def enqueue(task: Any, *args: Any) -> None:
    """Run ``task`` after the current transaction commits: on a worker if configured, else inline."""

    def _run() -> None:
        if settings.CELERY_BROKER_URL:
            task.delay(*args)
        else:
            try:
                task(*args)
            except Exception:  # inline work must never break the request that triggered it
                log.exception("inline task %s%r failed", getattr(task, "name", task), args)

    transaction.on_commit(_run)


@shared_task(name="techbridge.core.tasks.run_daily_sweeps")
def run_daily_sweeps() -> dict[str, Any]:
    """Run every registered daily sweep; each is idempotent."""
    from .registry import sweeps

    return {f"{f.__module__}.{f.__name__}": f() for f in sweeps}
