"""Who sees what in matching: the match page and its API are public (results are published listings
only); the matches of one listing are shown to whoever may see that listing (else 404), with the same
rules as its own page (``achievements.permissions``, ``demands.permissions``)."""

from __future__ import annotations

from typing import Any

from techbridge.achievements.permissions import achievement_for
from techbridge.core.permissions import hide
from techbridge.demands.permissions import demand_for

from .models import ListingKind


def listing_for(user: Any, kind: str, pk: Any) -> Any:
    """The achievement or demand ``pk`` if ``user`` may see it, else ``Http404`` (also for another kind)."""
    if kind == ListingKind.ACHIEVEMENT:
        return achievement_for(user, pk)
    if kind == ListingKind.DEMAND:
        return demand_for(user, pk)
    hide()
