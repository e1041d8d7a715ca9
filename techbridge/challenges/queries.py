"""Reads of challenges that more than one view needs: the public list with its filters, and what a user
works on (published, applied to, reviews)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from techbridge.core.permissions import signed_in
from techbridge.core.roles import is_staff_reviewer

from .choices import PUBLIC_STATES, ApplicationStatus, ChallengeStatus
from .models import Application, Challenge, PanelSeat


def public_challenges() -> QuerySet[Challenge]:
    return Challenge.objects.filter(status__in=PUBLIC_STATES).select_related("organization", "field")


def filter_challenges(qs: QuerySet[Challenge], filters: dict[str, Any]) -> QuerySet[Challenge]:
    if filters.get("q"):
        words = filters["q"]
        qs = qs.filter(Q(title__icontains=words) | Q(problem__icontains=words))
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
