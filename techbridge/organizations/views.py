"""Organisation pages: the public directory and profiles, the admin's edit page, and the review console."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from techbridge.core import audit
from techbridge.core.roles import is_staff_reviewer
from techbridge.core.workflow import ReviewStatus, TransitionError

from . import queries, services
from .choices import OrgStatus
from .forms import DirectoryFilterForm, OrganizationForm, ReviewForm
from .models import Organization

PER_PAGE = 20

# How the audit log's action codes read on the review page.
ACTION_LABELS = {
    "register": gettext_lazy("Registered"),
    "first_admin": gettext_lazy("First administrator signed up"),
    "approve": gettext_lazy("Approved"),
    "reject": gettext_lazy("Rejected"),
    "edit": gettext_lazy("Profile edited"),
    "resubmit": gettext_lazy("Corrected and resubmitted"),
}


# ---- public directory ------------------------------------------------------------------------


def organization_list(request: HttpRequest) -> HttpResponse:
    """Approved organisations, searchable by name and filterable by type and district."""
    form = DirectoryFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    page = Paginator(queries.public_organizations(**filters), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "organizations/portal/list.html", {"form": form, "page": page})


def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The public profile of an approved organisation; its own members and reviewers also see it earlier."""
    org = get_object_or_404(queries.visible_organizations(request.user), pk=pk)
    context = {
        "org": org,
        "published_achievements": org.achievements.filter(status=ReviewStatus.PUBLISHED).count(),  # type: ignore[attr-defined]
        "published_demands": org.demands.filter(status=ReviewStatus.PUBLISHED).count(),  # type: ignore[attr-defined]
        "can_manage": services.can_manage_organization(request.user, org),
        "can_review": is_staff_reviewer(request.user),
    }
    return render(request, "organizations/portal/detail.html", context)


@login_required
def organization_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The organisation's admins edit its profile; a rejected registration is corrected and resubmitted."""
    org = get_object_or_404(Organization, pk=pk)
    if not services.can_manage_organization(request.user, org):
        raise PermissionDenied
    form = OrganizationForm(request.POST or None, organization=org)
    if request.method == "POST" and form.is_valid():
        resubmit = org.status == OrgStatus.REJECTED
        try:
            if resubmit:
                services.resubmit_organization(org, actor=request.user, **form.changes())
            else:
                services.update_organization(org, actor=request.user, **form.changes())
        except ValidationError as exc:
            org.refresh_from_db()
            form.add_service_error(exc)
        except (TransitionError, IntegrityError) as exc:
            org.refresh_from_db()
            form.add_error(
                None, getattr(exc, "message", None) or _("The change could not be saved; try again.")
            )
        else:
            if resubmit:
                messages.success(request, _("The registration was corrected and sent back for review."))
            else:
                messages.success(request, _("The organisation profile was saved."))
            return redirect("organizations:edit", pk=org.pk)
    return render(request, "organizations/portal/edit.html", {"org": org, "form": form})


# ---- review console --------------------------------------------------------------------------


def staff_reviewer_required(view: Any) -> Any:
    """Reviewers and operators only: anonymous users sign in first, everyone else gets 403."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_staff_reviewer(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@staff_reviewer_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """Registrations awaiting review (default), or every organisation in one status or all."""
    status = request.GET.get("status", OrgStatus.PENDING)
    if status == "all":
        status = ""
    elif status not in OrgStatus.values:
        messages.warning(request, _("Unknown status; showing organisations awaiting review."))
        status = OrgStatus.PENDING
    page = Paginator(queries.review_queue(status), PER_PAGE).get_page(request.GET.get("page"))
    counts = queries.status_counts()
    tabs: list[tuple[str, Any, int]] = [
        (value, label, counts.get(value, 0)) for value, label in OrgStatus.choices
    ]
    tabs.append(("all", _("All"), sum(counts.values())))
    context = {"page": page, "tabs": tabs, "current": status or "all"}
    return render(request, "organizations/console/queue.html", context)


@staff_reviewer_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """Details, members and history of one organisation; POST approves or rejects it."""
    org = get_object_or_404(Organization, pk=pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            decision, reason = form.cleaned_data["decision"], form.cleaned_data["reason"]
            try:
                if decision == "approve":
                    services.approve_organization(org, actor=request.user)
                else:
                    services.reject_organization(org, actor=request.user, reason=reason)
            except TransitionError as exc:
                org.refresh_from_db()
                messages.error(request, str(exc.message))
            else:
                if decision == "approve":
                    messages.success(request, _("%(name)s was approved.") % {"name": org.name})
                else:
                    messages.success(request, _("%(name)s was rejected.") % {"name": org.name})
                return redirect("organizations_console:review", pk=org.pk)
        else:
            messages.error(request, _("The decision was not saved; see below."))
    statuses = dict(OrgStatus.choices)
    history = list(audit.history(org))
    for entry in history:
        entry.action_label = ACTION_LABELS.get(entry.action, entry.action)  # type: ignore[attr-defined]
        entry.from_label = statuses.get(entry.from_state, entry.from_state)  # type: ignore[attr-defined]
        entry.to_label = statuses.get(entry.to_state, entry.to_state)  # type: ignore[attr-defined]
    context = {
        "org": org,
        "form": form,
        "members": org.members.order_by("-role", "date_joined"),  # type: ignore[attr-defined]
        "history": history,
        "can_decide": org.status == OrgStatus.PENDING,
    }
    return render(request, "organizations/console/review.html", context)
