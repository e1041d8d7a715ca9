"""Portal pages that span the catalogue: the home page and "my listings"."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from techbridge.achievements.models import Achievement
from techbridge.achievements.queries import visible_achievements
from techbridge.demands.models import Demand
from techbridge.demands.queries import visible_demands
from techbridge.organizations.choices import OrgStatus
from techbridge.organizations.models import Organization
from techbridge.taxonomy.models import IndustryField

from . import listings
from .listing_views import next_actions
from .workflow import ReviewStatus

NEWEST = 6


def home(request: HttpRequest) -> HttpResponse:
    """Figures, a search box, field shortcuts and the newest published listings."""
    published = Q(status=ReviewStatus.PUBLISHED)
    fields = IndustryField.objects.annotate(
        n_achievements=Count(
            "achievement", filter=Q(achievement__status=ReviewStatus.PUBLISHED), distinct=True
        )
    ).order_by("order", "id")
    context = {
        "n_achievements": Achievement.objects.filter(published).count(),
        "n_demands": Demand.objects.filter(published).count(),
        "n_organizations": Organization.objects.filter(status=OrgStatus.APPROVED).count(),
        "achievements": visible_achievements(request.user)
        .filter(published)
        .order_by("-published_at", "-id")[:NEWEST],
        "demands": visible_demands(request.user).filter(published).order_by("-published_at", "-id")[:NEWEST],
        "fields": fields,
        "terms": [],  # the listing cards highlight search terms; the home page has none
    }
    return render(request, "core/portal/home.html", context)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """My organisation's achievements and demands in every state, with what to do next."""
    user: Any = request.user

    def rows(model: type, app: str) -> list[tuple[object, list]]:
        qs = listings.owner_queryset(model, user).select_related("created_by").order_by("-updated_at", "-id")
        return [(obj, next_actions(user, obj, app)) for obj in qs]

    context = {
        "achievement_rows": rows(Achievement, "achievements"),
        "demand_rows": rows(Demand, "demands"),
        "organization": user.organization,
    }
    return render(request, "core/portal/mine.html", context)
