"""Background work of auctions (Celery in production, the embedded closer thread otherwise)."""

from __future__ import annotations

from typing import Any

from celery import shared_task


@shared_task(name="techbridge.auctions.tasks.close_due_auctions")
def close_due_auctions() -> dict[str, Any]:
    """Close every due lot and retry failed hand-offs; idempotent."""
    from .services import close_due_lots

    return close_due_lots()


@shared_task(name="techbridge.auctions.tasks.flush_bid_attempts")
def flush_bid_attempts() -> int:
    """Write refused bid attempts buffered while SQLite's write lock was held."""
    from .services.attempts import flush_pending

    return flush_pending()
