"""Receivers: mining classifies every listing after it changed (``core.signals.listing_changed``).

The work runs after the transaction commits (``core.tasks.enqueue``); unchanged text under the same
model version is skipped, so a re-sent signal costs one query.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from techbridge.core.signals import listing_changed, listings_changed_in_bulk
from techbridge.core.tasks import enqueue

KINDS = {"achievement", "demand"}


@receiver(listing_changed, dispatch_uid="mining.listing_changed")
def classify_changed_listing(sender: Any, pk: int, published: bool = True, **kwargs: Any) -> None:
    """Queue the classification of the listing that changed (imports: see ``classify_imported``)."""
    from . import tasks

    kind = getattr(getattr(sender, "_meta", None), "model_name", "")
    if kind in KINDS and not kwargs.get("bulk"):
        enqueue(tasks.classify_listing, kind, pk)


@receiver(listings_changed_in_bulk, dispatch_uid="mining.listings_changed_in_bulk")
def classify_imported(sender: Any, pks: list[int], **kwargs: Any) -> None:
    """Queue one classification of a whole import batch: the model predicts hundreds of listings in
    one pass, where one listing at a time cost about as much per listing as the rest of the import."""
    from . import tasks

    kind = getattr(getattr(sender, "_meta", None), "model_name", "")
    if kind in KINDS and pks:
        enqueue(tasks.classify_listings, kind, list(pks))


def classify_all_listings() -> dict[str, int]:
    """Daily: classify what changed since (e.g. a listing whose vector ``rebuild_index`` made later,
    or everything after a new model version). Unchanged listings cost one hash each."""
    from .services import classify_all_listings as run

    return run()
