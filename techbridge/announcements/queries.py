"""Reads several pages need: the tabs of the public list, the announced contracts, the objections queue."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from techbridge.contracts.choices import REGISTERED_STATES

from .choices import AnnouncementStatus, ObjectionStatus
from .models import Announcement, Objection, Publication

TABS = ("open", "ended", "deals")


def announcements(tab: str) -> QuerySet[Announcement]:
    """``open``: under notice now; ``ended``: the notice is over (ended or suspended); else all."""
    qs = Announcement.objects.annotate(
        pending=Count("objections", filter=Q(objections__status=ObjectionStatus.PENDING))
    )
    if tab == "open":
        return qs.filter(status=AnnouncementStatus.OPEN).order_by("period_ends_at", "-pk")
    if tab == "ended":
        return qs.exclude(status=AnnouncementStatus.OPEN).order_by("-period_ends_at", "-pk")
    return qs.order_by("-created_at", "-pk")


def published_deals() -> QuerySet[Publication]:
    """Registered contracts both parties agreed to announce, newest first."""
    return (
        Publication.objects.filter(
            seller_consent_at__isnull=False,
            buyer_consent_at__isnull=False,
            contract__status__in=REGISTERED_STATES,
        )
        .select_related("contract")
        .order_by("-published_at", "-pk")
    )


def objection_queue(status: str = "") -> QuerySet[Objection]:
    qs = Objection.objects.select_related("announcement", "filed_by")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-pk")
