"""Organisation pages: the public directory and profiles, the admin's edit page, and the review console."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from techbridge.core import audit
from techbridge.core.permissions import role_required
from techbridge.core.workflow import ReviewStatus, TransitionError

from . import permissions, queries, services
from .choices import OrgStatus
from .forms import DirectoryFilterForm, JoinRequestForm, OrganizationForm, ReviewForm
from .models import MembershipRequest, Organization

PER_PAGE = 20

# ---- public directory ------------------------------------------------------------------------


def organization_list(request: HttpRequest) -> HttpResponse:
    """Approved organisations, searchable by name and filterable by type and district."""
    form = DirectoryFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    page = Paginator(queries.public_organizations(**filters), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "organizations/portal/list.html", {"form": form, "page": page})


def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The public profile of an approved organisation; its own members and reviewers also see it earlier."""
    org = permissions.organization_for(request.user, pk)
    pending = queries.pending_request_of(request.user)
    context = {
        "pending_request": pending,
        "can_request": pending is None and permissions.can_request_membership(request.user, org),
        "join_form": JoinRequestForm(),
        "org": org,
        "published_achievements": org.achievements.filter(status=ReviewStatus.PUBLISHED).count(),  # type: ignore[attr-defined]
        "published_demands": org.demands.filter(status=ReviewStatus.PUBLISHED).count(),  # type: ignore[attr-defined]
        "can_manage": permissions.can_manage_organization(request.user, org),
        "can_review": permissions.can_review(request.user),
    }
    return render(request, "organizations/portal/detail.html", context)


@role_required()
def organization_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The organisation's admins edit its profile; a rejected registration is corrected and resubmitted."""
    org = permissions.managed_organization(request.user, pk)
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


# ---- membership: join requests and members ---------------------------------------------------


@require_POST
@role_required()
def organization_join(request: HttpRequest, pk: int) -> HttpResponse:
    """A signed-in user without an organisation asks to join this one."""
    org = permissions.organization_for(request.user, pk)
    permissions.check_request_membership(request.user, org)
    form = JoinRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The message is too long (at most 500 characters)."))
    else:
        try:
            services.request_membership(org, actor=request.user, message=form.cleaned_data["message"])
        except services.MembershipError as exc:
            messages.error(request, exc.message)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Your request was sent; the organisation's admins will answer it."))
    return redirect("organizations:detail", pk=org.pk)


@require_POST
@role_required()
def membership_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant withdraws their pending request."""
    join = permissions.own_join_request(request.user, pk)
    try:
        services.cancel_membership_request(join, actor=request.user)
    except services.MembershipError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your request was withdrawn."))
    return redirect("organizations:detail", pk=join.organization_id)


@role_required()
def organization_members(request: HttpRequest, pk: int) -> HttpResponse:
    """The admins' page: members with their roles, and join requests waiting for a decision."""
    org = permissions.managed_organization(
        request.user, pk, _("Only the admins of this organisation can manage its members.")
    )
    if request.method == "POST":
        _members_action(request, org)
        return redirect("organizations:members", pk=org.pk)
    context = {
        "org": org,
        "members": queries.members_of(org),
        "requests": queries.join_requests_of(org),
    }
    return render(request, "organizations/portal/members.html", context)


def _int(value: str | None) -> int:
    """A posted id, or 0 (no such record) when it is missing or not a number."""
    try:
        return int(value or 0)
    except ValueError:
        return 0


def _members_action(request: HttpRequest, org: Organization) -> None:
    from django.contrib.auth import get_user_model

    action = request.POST.get("action", "")
    try:
        if action in ("approve", "reject"):
            join = MembershipRequest.objects.filter(
                organization=org, pk=_int(request.POST.get("request"))
            ).first()
            if join is None:
                raise services.MembershipError(_("This request was already decided or withdrawn."))
            if action == "approve":
                services.approve_membership(join, actor=request.user)
                messages.success(request, _("%(name)s is now a member.") % {"name": join.user})
            else:
                services.reject_membership(join, actor=request.user, reason=request.POST.get("reason", ""))
                messages.success(request, _("The request was declined."))
        elif action in ("remove", "make_admin", "revoke_admin"):
            member = (
                get_user_model().objects.filter(organization=org, pk=_int(request.POST.get("user"))).first()
            )
            if member is None:
                raise services.MembershipError(_("This user is not a member of the organisation."))
            if action == "remove":
                services.remove_member(org, member, actor=request.user)
                messages.success(request, _("%(name)s was removed from the organisation.") % {"name": member})
            else:
                services.set_member_admin(org, member, actor=request.user, admin=action == "make_admin")
                messages.success(request, _("The member's role was changed."))
        else:
            messages.error(request, _("Unknown action."))
    except services.MembershipError as exc:
        messages.error(request, exc.message)


# ---- review console --------------------------------------------------------------------------


# Reviewers and operators only: anonymous users sign in first, everyone else gets 403.
staff_reviewer_required = role_required(permissions.can_review, message=permissions.REVIEW)


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
    context = {
        "org": org,
        "form": form,
        "members": org.members.order_by("-role", "date_joined"),  # type: ignore[attr-defined]
        "history": audit.history_rows(org),
        "can_decide": org.status == OrgStatus.PENDING,
    }
    return render(request, "organizations/console/review.html", context)
