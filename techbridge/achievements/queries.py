"""Reads of achievements that several views need, with the caller's visibility applied."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from techbridge.core.listing_files import cover_prefetch
from techbridge.core.listing_permissions import visible_q
from techbridge.taxonomy.models import DealMode, IndustryField

from .models import Achievement, AchievementAttachment


def visible_achievements(user: Any) -> QuerySet[Achievement]:
    """Achievements ``user`` may see, with what list pages show already joined."""
    return (
        Achievement.objects.filter(visible_q(Achievement, user))
        .select_related("owner", "discipline", "zone")
        .prefetch_related(
            Prefetch("fields", queryset=IndustryField.objects.order_by("order")),
            Prefetch("deal_modes", queryset=DealMode.objects.order_by("order")),
        )
    )


def with_cover(queryset: QuerySet) -> QuerySet:
    """List cards: the public images with a thumbnail, in order (``obj.cover_images``), one query."""
    return queryset.prefetch_related(cover_prefetch(AchievementAttachment))
