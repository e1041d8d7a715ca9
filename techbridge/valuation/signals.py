"""Receivers: valuation follows the listings through ``core.signals.listing_changed`` (one listing) and
``listings_changed_in_bulk`` (an import batch, graded in one pass with the weights read once)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from techbridge.core.signals import listing_changed, listings_changed_in_bulk


@receiver(listing_changed, dispatch_uid="valuation.listing_changed")
def regrade_on_change(sender: Any, pk: int, published: bool = True, **kwargs: Any) -> None:
    """A published achievement is (re)graded from its current TRL, IPC codes and team."""
    from techbridge.achievements.models import Achievement

    if sender is not Achievement or not published or kwargs.get("bulk"):
        return
    from . import tasks

    tasks.regrade_achievement(pk)


@receiver(listings_changed_in_bulk, dispatch_uid="valuation.listings_changed_in_bulk")
def regrade_imported(sender: Any, pks: list[int], **kwargs: Any) -> None:
    """An import batch of achievements is graded after the commit, in one task."""
    from techbridge.achievements.models import Achievement
    from techbridge.core.tasks import enqueue

    if sender is Achievement and pks:
        from . import tasks

        enqueue(tasks.regrade_achievements, list(pks))
