"""Receivers: valuation follows the catalogue through ``core.signals.listing_changed``."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from techbridge.core.signals import listing_changed


@receiver(listing_changed, dispatch_uid="valuation.listing_changed")
def regrade_on_change(sender: Any, pk: int, published: bool = True, **kwargs: Any) -> None:
    """A published achievement is (re)graded from its current TRL, IPC codes and team."""
    from techbridge.achievements.models import Achievement

    if sender is not Achievement or not published:
        return
    from . import tasks

    tasks.regrade_achievement(pk)
