"""Receivers: matching follows the listings through ``core.signals.listing_changed``.

The listing apps send the signal after its own search entry is up to date; the work runs after the
transaction commits (``core.tasks.enqueue``). Inline, at most ``MATCH_INLINE_ENCODE_PER_MINUTE``
listings per minute are encoded on the spot, so that a bulk import is not slowed down by the encoder:
the rest are queued for ``rebuild_index`` and matched by keywords until then. On Celery every change
is encoded by the workers.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from django.conf import settings
from django.dispatch import receiver

from techbridge.core.signals import listing_changed
from techbridge.core.tasks import enqueue

KINDS = {"achievement", "demand"}


class _Budget:
    """A token bucket: ``per_minute`` tokens, refilled continuously."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tokens: float | None = None
        self._at = time.monotonic()

    def take(self, per_minute: float) -> bool:
        with self._lock:
            now = time.monotonic()
            tokens = per_minute if self._tokens is None else self._tokens
            tokens = min(per_minute, tokens + (now - self._at) * per_minute / 60.0)
            self._at = now
            ok = tokens >= 1.0
            self._tokens = tokens - 1.0 if ok else tokens
            return ok

    def reset(self) -> None:
        with self._lock:
            self._tokens = None


inline_budget = _Budget()


@receiver(listing_changed, dispatch_uid="matching.listing_changed")
def listing_changed_received(sender: Any, pk: int, published: bool = True, **kwargs: Any) -> None:
    """Queue the update of the matching indexes for this listing."""
    from . import tasks
    from .indexes import option

    kind = getattr(getattr(sender, "_meta", None), "model_name", "")
    if kind not in KINDS:
        return
    encode = bool(settings.CELERY_BROKER_URL) or (
        published and inline_budget.take(option("MATCH_INLINE_ENCODE_PER_MINUTE"))
    )
    enqueue(tasks.sync_listing_match, kind, pk, encode)
