"""Reads of achievements that several views need, with the caller's visibility applied."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from techbridge.core import listings
from techbridge.core.roles import is_staff_reviewer
from techbridge.taxonomy.models import DealMode, IndustryField

from .models import Achievement, NdaAcceptance


def visible_achievements(user: Any) -> QuerySet[Achievement]:
    """Achievements ``user`` may see, with what list pages show already joined."""
    return (
        Achievement.objects.filter(listings.visible_q(Achievement, user))
        .select_related("owner", "discipline", "zone")
        .prefetch_related(
            Prefetch("fields", queryset=IndustryField.objects.order_by("order")),
            Prefetch("deal_modes", queryset=DealMode.objects.order_by("order")),
        )
    )


def can_see_detail(user: Any, achievement: Achievement) -> bool:
    """The confidential detail: owner organisation, reviewers, and users who accepted the NDA."""
    if not getattr(user, "is_authenticated", False):
        return False
    if listings.is_owner_member(user, achievement) or is_staff_reviewer(user):
        return True
    if not achievement.is_public:
        return False
    return NdaAcceptance.objects.filter(achievement=achievement, user=user).exists()
