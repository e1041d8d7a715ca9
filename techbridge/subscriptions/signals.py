"""Receivers: followers hear when an achievement or demand they follow changes state
(``core.signals.listing_changed``; the listing apps never import subscriptions), and events asks who
follows an event when its programme changes (``events.signals.event_followers``)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from techbridge.core.signals import listing_changed
from techbridge.core.tasks import enqueue
from techbridge.events.signals import event_followers

from .choices import FollowKind


@receiver(listing_changed, dispatch_uid="subscriptions.listing_changed")
def listing_changed_received(sender: Any, pk: int, bulk: bool = False, **kwargs: Any) -> None:
    kind = getattr(getattr(sender, "_meta", None), "model_name", "")
    if bulk or kind not in (FollowKind.ACHIEVEMENT, FollowKind.DEMAND):
        return  # an import batch has no followers yet
    from . import tasks

    enqueue(tasks.tell_followers, kind, pk)


@receiver(event_followers, dispatch_uid="subscriptions.event_followers")
def followers_of_event(sender: Any, pk: int, **kwargs: Any) -> list[int]:
    """The ids of the users who follow the event (at most ``MAX_FOLLOWERS_TOLD``)."""
    from .models import Follow
    from .tasks import MAX_FOLLOWERS_TOLD

    rows = Follow.objects.filter(kind=FollowKind.EVENT, object_id=pk).order_by("pk")
    return list(rows.values_list("user_id", flat=True)[:MAX_FOLLOWERS_TOLD])
