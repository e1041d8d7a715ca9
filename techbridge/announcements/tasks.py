"""Background work of deal announcements (Celery beat in production; the daily sweep otherwise)."""

from __future__ import annotations

from typing import Any

from celery import shared_task


@shared_task(name="techbridge.announcements.tasks.end_due_announcements")
def end_due_announcements() -> dict[str, Any]:
    """End the notices whose period is over and issue their certificates; idempotent."""
    from .services import end_due_announcements as run

    return run()
