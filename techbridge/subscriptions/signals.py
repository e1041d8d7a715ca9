"""Receivers: followers hear when an achievement or demand they follow changes state
(``core.signals.listing_changed``; the listing apps never import subscriptions)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from techbridge.core.signals import listing_changed
from techbridge.core.tasks import enqueue

from .choices import FollowKind


@receiver(listing_changed, dispatch_uid="subscriptions.listing_changed")
def listing_changed_received(sender: Any, pk: int, bulk: bool = False, **kwargs: Any) -> None:
    kind = getattr(getattr(sender, "_meta", None), "model_name", "")
    if bulk or kind not in (FollowKind.ACHIEVEMENT, FollowKind.DEMAND):
        return  # an import batch has no followers yet
    from . import tasks

    enqueue(tasks.tell_followers, kind, pk)
