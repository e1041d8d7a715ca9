"""Background work of subscriptions: digests of saved searches, and telling followers of a listing that
its state changed. Both are idempotent (dedupe keys)."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.urls import reverse
from django.utils.translation import gettext as _

from techbridge.core.notifications import notify
from techbridge.core.workflow import ReviewStatus

from .choices import FollowKind
from .models import Follow

MAX_FOLLOWERS_TOLD = 5000


@shared_task(name="techbridge.subscriptions.tasks.send_digests")
def send_digests() -> int:
    from .digests import send_digests as run

    return run()


def _model(kind: str) -> Any:
    if kind == FollowKind.ACHIEVEMENT:
        from techbridge.achievements.models import Achievement

        return Achievement
    from techbridge.demands.models import Demand

    return Demand


@shared_task(name="techbridge.subscriptions.tasks.tell_followers")
def tell_followers(kind: str, pk: int) -> int:
    """Tell the followers of an achievement or demand that it was published (again), withdrawn or has
    expired: once per state and publication. Returns how many were told."""
    listing = _model(kind).objects.filter(pk=pk).first()
    if listing is None or listing.published_at is None:
        return 0
    if listing.status == ReviewStatus.PUBLISHED:
        title = _("Published: %(title)s")
    elif listing.status == ReviewStatus.WITHDRAWN:
        title = _("Withdrawn by its owner: %(title)s")
    elif listing.status == ReviewStatus.EXPIRED:
        title = _("No longer open: %(title)s")
    else:
        return 0
    link = reverse(f"{kind}s:detail", args=[pk])
    stamp = int(listing.published_at.timestamp())
    told = 0
    followers = Follow.objects.filter(kind=kind, object_id=pk).select_related("user")[:MAX_FOLLOWERS_TOLD]
    for follow in followers:
        if follow.user_id in (listing.created_by_id,) or not follow.user.is_active:
            continue
        told += notify(
            follow.user,
            kind="follow_update",
            title=title % {"title": listing.title},
            body=_("A record you follow changed: %(state)s.") % {"state": listing.get_status_display()},
            link=link,
            dedupe_key=f"follow:{kind}:{pk}:{listing.status}:{stamp}",
        )
    return told
