"""Reads of demands that several views need, with the caller's visibility applied."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from techbridge.core.listing_files import cover_prefetch
from techbridge.core.listing_permissions import visible_q
from techbridge.taxonomy.models import DealMode, IndustryField

from .models import Demand, DemandAttachment


def visible_demands(user: Any) -> QuerySet[Demand]:
    """Demands ``user`` may see (published to everyone, the rest to the owner and reviewers),
    with what list pages show already joined."""
    return (
        Demand.objects.filter(visible_q(Demand, user))
        .select_related("enterprise", "zone")
        .prefetch_related(
            Prefetch("fields", queryset=IndustryField.objects.order_by("order")),
            Prefetch("cooperation_modes", queryset=DealMode.objects.order_by("order")),
        )
    )


def with_cover(queryset: QuerySet) -> QuerySet:
    """List cards: the public images with a thumbnail, in order (``obj.cover_images``), one query."""
    return queryset.prefetch_related(cover_prefetch(DemandAttachment))
