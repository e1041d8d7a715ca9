"""Reads of challenges that more than one view needs: the public list with its filters, and what a user
works on (published, applied to, reviews)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from techbridge.core.permissions import signed_in
from techbridge.core.registry import DigestItem, DigestQuery
from techbridge.core.roles import is_staff_reviewer

from .choices import PUBLIC_STATES, ApplicationStatus, ChallengeStatus
from .models import Application, Challenge, PanelSeat
from .permissions import visible_challenges

#: The list page's search box is this long; a longer saved keyword is cut to it.
WORDS_MAX = 100


def public_challenges() -> QuerySet[Challenge]:
    return Challenge.objects.filter(status__in=PUBLIC_STATES).select_related("organization", "field")


def words_q(words: str) -> Q:
    """How the list page matches typed words: in the title or the key technical problem."""
    return Q(title__icontains=words) | Q(problem__icontains=words)


def filter_challenges(qs: QuerySet[Challenge], filters: dict[str, Any]) -> QuerySet[Challenge]:
    if filters.get("q"):
        qs = qs.filter(words_q(filters["q"]))
    if filters.get("field"):
        qs = qs.filter(field=filters["field"])
    if filters.get("district"):
        qs = qs.filter(district=filters["district"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    return qs


def console_challenges(status: str = "") -> QuerySet[Challenge]:
    qs = Challenge.objects.select_related("organization", "field").order_by("-updated_at", "-pk")
    return qs.filter(status=status) if status else qs


def published_by(user: Any) -> QuerySet[Challenge]:
    if not signed_in(user) or not getattr(user, "organization_id", None):
        return Challenge.objects.none()
    return Challenge.objects.filter(organization_id=user.organization_id).order_by("-updated_at", "-pk")


def applications_of(user: Any) -> QuerySet[Application]:
    if not signed_in(user) or not getattr(user, "organization_id", None) or is_staff_reviewer(user):
        return Application.objects.none()
    return (
        Application.objects.filter(organization_id=user.organization_id)
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .select_related("challenge")
        .order_by("-pk")
    )


def seats_of(user: Any) -> QuerySet[PanelSeat]:
    if not signed_in(user):
        return PanelSeat.objects.none()
    return (
        PanelSeat.objects.filter(expert__user=user, challenge__status=ChallengeStatus.REVIEWING)
        .select_related("challenge")
        .order_by("-pk")
    )


# ---- saved-search digests ---------------------------------------------------------------------------


def _wan(value: str) -> Decimal | None:
    try:
        return Decimal(value) * 10000 if value else None
    except InvalidOperation:
        return None


def digest_q(filters: Mapping[str, str]) -> Q:
    """The challenges a saved demand search stands for: its words matched as the list page matches them
    (title or key technical problem), the same industry field and district, and, when the search
    names a budget range in 万元, a challenge whose budget or prize lies in it (one "to be agreed" has
    none and is left out, like a demand with no budget). A cooperation mode is not a property of a
    challenge (揭榜挂帅 is its own mode) and is not applied; "deadline not passed" always holds."""
    q = Q()
    if filters.get("q"):
        q &= words_q(filters["q"][:WORDS_MAX])
    if filters.get("field"):
        q &= Q(field__code=filters["field"])
    if filters.get("district"):
        q &= Q(district=filters["district"])
    low, high = _wan(filters.get("budget_min", "")), _wan(filters.get("budget_max", ""))
    if low is not None:
        q &= Q(budget__gte=low)
    if high is not None:
        q &= Q(budget__lte=high)
    return q


def digest_challenges(
    user: Any, searches: list[DigestQuery], exclude: Collection[int], cap: int
) -> tuple[list[DigestItem], int]:
    """Open challenges (published, deadline not passed) that ``user`` may see, published after a
    search's ``since`` and matching its filters, minus those already sent (``exclude``); newest first,
    at most ``cap``, and how many in all."""
    if not searches:
        return [], 0
    matches = Q()
    for search in searches:
        matches |= digest_q(search.filters) & Q(published_at__gt=search.since)
    qs = (
        visible_challenges(user)
        .filter(matches, status=ChallengeStatus.PUBLISHED, deadline__gt=timezone.now())
        .exclude(pk__in=list(exclude))
    )
    rows = list(qs.order_by("-published_at", "-pk").values_list("pk", "title")[:cap])
    total = len(rows) if len(rows) < cap else qs.count()
    items = [DigestItem(pk, title, reverse("challenges:detail", args=[pk])) for pk, title in rows]
    return items, total
