"""Reads of negotiation rooms with the caller's visibility applied."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from .choices import DisputeStatus
from .models import Room
from .permissions import can_resolve


def rooms_for(user: Any) -> QuerySet[Room]:
    """Rooms ``user`` takes part in (either organisation, or invited broker); staff also see disputed ones."""
    if not getattr(user, "is_authenticated", False):
        return Room.objects.none()
    q = Q(broker_invitations__broker=user)
    if user.organization_id:
        q |= Q(seller_id=user.organization_id) | Q(buyer_id=user.organization_id)
    if can_resolve(user):  # reviewers read a room while a dispute is open (permissions.can_read)
        q |= Q(disputes__status=DisputeStatus.OPEN)
    ids = Room.objects.filter(q).values("pk")
    return Room.objects.filter(pk__in=ids).select_related(
        "seller", "buyer", "achievement", "demand", "package"
    )


def disputed_rooms() -> QuerySet[Room]:
    """Rooms with an open dispute (the reviewers' queue)."""
    ids = Room.objects.filter(disputes__status=DisputeStatus.OPEN).values("pk")
    return Room.objects.filter(pk__in=ids).select_related("seller", "buyer").prefetch_related("disputes")
