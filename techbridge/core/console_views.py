"""The console landing page: what waits for review, for staff and department officials."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from techbridge.achievements.models import Achievement
from techbridge.demands.models import Demand
from techbridge.organizations.choices import OrgStatus
from techbridge.organizations.models import Organization

from .models import AuditEntry
from .roles import is_console_user, is_staff_reviewer
from .workflow import ReviewStatus


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Queues and counts; reviewers see their work, officials see figures only."""
    if not is_console_user(request.user):
        raise PermissionDenied
    context = {
        "is_reviewer": is_staff_reviewer(request.user),
        "pending_achievements": Achievement.objects.filter(status=ReviewStatus.SUBMITTED).count(),
        "pending_demands": Demand.objects.filter(status=ReviewStatus.SUBMITTED).count(),
        "pending_organizations": Organization.objects.filter(status=OrgStatus.PENDING).count(),
        "published_achievements": Achievement.objects.filter(status=ReviewStatus.PUBLISHED).count(),
        "published_demands": Demand.objects.filter(status=ReviewStatus.PUBLISHED).count(),
        "stale_achievements": Achievement.objects.filter(
            status=ReviewStatus.PUBLISHED, stale_since__isnull=False
        ).count(),
        "stale_demands": Demand.objects.filter(
            status=ReviewStatus.PUBLISHED, stale_since__isnull=False
        ).count(),
        "recent": AuditEntry.objects.select_related("actor", "content_type")[:20]
        if is_staff_reviewer(request.user)
        else [],
    }
    return render(request, "core/console/home.html", context)
