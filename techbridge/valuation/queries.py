"""Reads of valuation with the caller's visibility applied (who may do what: ``permissions``)."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet

from techbridge.achievements.models import Achievement
from techbridge.core.roles import is_staff_reviewer
from techbridge.core.workflow import ReviewStatus
from techbridge.talent.models import Expert
from techbridge.taxonomy.models import IndustryField

from .choices import RequestStatus
from .models import PanelMember, Valuation, ValuationRequest


def _authed(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def expert_of(user: Any) -> Expert | None:
    if not _authed(user):
        return None
    return Expert.objects.filter(user=user).first()


def visible_requests(user: Any) -> QuerySet[ValuationRequest]:
    """Requests the user may open: staff all; others their own, their organisation's (as requester or
    owner of the achievement) and those whose panel they sit on."""
    qs = ValuationRequest.objects.select_related(
        "achievement__owner", "requested_by", "requester_org", "counterparty_org"
    )
    if not _authed(user):
        return qs.none()
    if is_staff_reviewer(user):
        return qs
    q = Q(requested_by=user) | Q(panel__expert__user=user)
    if user.organization_id:
        q |= Q(requester_org_id=user.organization_id) | Q(achievement__owner_id=user.organization_id)
    return qs.filter(pk__in=ValuationRequest.objects.filter(q).values("pk"))


def latest_valuation(achievement: Achievement) -> Valuation | None:
    return Valuation.objects.filter(achievement=achievement).order_by("-version").first()


def assignments_for(user: Any) -> QuerySet[PanelMember]:
    """The panel seats of the expert ``user``, open ones first."""
    return (
        PanelMember.objects.filter(expert__user=user)
        .select_related("request__achievement__owner", "expert")
        .order_by(F("scored_at").asc(nulls_first=True), "-assigned_at")
    )


SORTS = {
    "grade": (F("valuation_scorecard__score").desc(nulls_last=True), "-published_at", "-id"),
    "-grade": (F("valuation_scorecard__score").asc(nulls_last=True), "-published_at", "-id"),
    "recent": ("-published_at", "-id"),
}


def screening(
    *, grades: list[str] | None = None, field: str = "", min_trl: int | None = None, sort: str = "grade"
) -> QuerySet[Achievement]:
    """Published achievements for 成果筛选 with their scorecard, filtered by grade ("-" = ungraded),
    field and minimum TRL, best grade first by default."""
    qs = (
        Achievement.objects.filter(status=ReviewStatus.PUBLISHED)
        .select_related("owner", "valuation_scorecard")
        .prefetch_related(Prefetch("fields", queryset=IndustryField.objects.order_by("order")))
    )
    if grades:
        q = Q(valuation_scorecard__grade__in=[g for g in grades if g != "-"])
        if "-" in grades:
            q |= Q(valuation_scorecard__isnull=True) | Q(valuation_scorecard__grade="")
        qs = qs.filter(q)
    if field:
        qs = qs.filter(fields__code=field)
    if min_trl:
        qs = qs.filter(trl__gte=min_trl)
    return qs.order_by(*SORTS.get(sort, SORTS["grade"]))


def open_requests_count() -> int:
    return ValuationRequest.objects.filter(status__in=[RequestStatus.SUBMITTED, RequestStatus.PANEL]).count()
