"""Reads of auctions shared by pages and the API, with visibility applied.

Who sees what: published and closed sessions, and their lots once listed (or closed), are public;
drafts, lots in screening and rejected lots show only to reviewers and operators. Bidders appear
by paddle number; names never leave the console. Sealed bids stay hidden until the lot closes.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from .choices import LotStatus, SessionStatus
from .models import AuctionSession, Bid, BidAttempt, Lot, Registration
from .permissions import can_use_console

PUBLIC_SESSION = [SessionStatus.PUBLISHED, SessionStatus.CLOSED]
PUBLIC_LOT = [LotStatus.LISTED, LotStatus.SOLD, LotStatus.UNSOLD]


def visible_sessions(user: Any) -> QuerySet[AuctionSession]:
    qs = AuctionSession.objects.all()
    if not can_use_console(user):
        qs = qs.filter(status__in=PUBLIC_SESSION)
    return qs


def visible_lots(user: Any, *, light: bool = False) -> QuerySet[Lot]:
    """Lots ``user`` may see; ``light`` joins only the leader and winner (the bidding hot path)."""
    qs = Lot.objects.all()
    qs = (
        qs.select_related("leader", "winner")
        if light
        else qs.select_related("session", "achievement", "seller")
    )
    if not can_use_console(user):
        qs = qs.filter(status__in=PUBLIC_LOT, session__status__in=PUBLIC_SESSION)
    return qs


def open_lots(user: Any) -> QuerySet[Lot]:
    return visible_lots(user).filter(status=LotStatus.LISTED, ends_at__gt=timezone.now()).order_by("ends_at")


def lots_for_achievement(user: Any, achievement: Any) -> list[Lot]:
    """Public lots that sell this achievement, directly or inside a package."""
    from django.db.models import Q

    return list(
        visible_lots(user)
        .filter(Q(achievement=achievement) | Q(package__achievements=achievement))
        .filter(status__in=PUBLIC_LOT)
        .distinct()
        .order_by("-ends_at")[:10]
    )


def registration_for(user: Any, session_id: int) -> Registration | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Registration.objects.filter(session_id=session_id, user=user).first()


def bid_history(lot: Lot, limit: int = 20) -> list[Bid]:
    """The latest bids, newest first; empty for a sealed lot still open."""
    if lot.is_sealed and not lot.is_closed:
        return []
    return list(lot.bids.select_related("registration").order_by("-seq")[:limit])


def own_bid_attempt(user: Any, lot: Lot, nonce: str) -> BidAttempt | None:
    """The user's own bid attempt with ``nonce`` on ``lot`` (nobody else's, whoever asks)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        BidAttempt.objects.filter(lot=lot, user=user, nonce=nonce).select_related("bid__registration").first()
    )
