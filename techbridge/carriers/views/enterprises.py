"""Portal pages of the enterprise side: designations, R&D input, 产学研 projects and alliances."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from techbridge.core import audit
from techbridge.core.errors import act
from techbridge.organizations.queries import zone_ids

from .. import permissions, queries, services
from ..choices import PROJECT_TRANSITIONS, ProjectStatus
from ..forms import (
    AllianceForm,
    DesignationFilterForm,
    MemberForm,
    MilestoneForm,
    ProjectFilterForm,
    ProjectForm,
    RdInputForm,
)
from ..models import AllianceMember, ProjectMilestone, ProjectParty
from .common import form_page, paginate, save_form

# ---- designations ------------------------------------------------------------------------------------


def designation_list(request: HttpRequest) -> HttpResponse:
    """Valid designations of enterprises (the public lists the departments publish)."""
    form = DesignationFilterForm(request.GET or None)
    f = form.filters() if request.GET else {}
    qs = queries.public_designations()
    if f.get("kind"):
        qs = qs.filter(kind=f["kind"])
    if f.get("year"):
        qs = qs.filter(year=f["year"])
    if f.get("district"):
        qs = qs.filter(organization__district=f["district"])
    if f.get("zone"):
        qs = qs.filter(organization__zone_id__in=zone_ids(f["zone"]))
    if f.get("q"):
        qs = qs.filter(organization__name__icontains=f["q"])
    page = paginate(request, qs.order_by("-year", "organization__name", "pk"))
    return render(request, "carriers/portal/designations.html", {"form": form, "page": page})


# ---- R&D input ----------------------------------------------------------------------------------------


@login_required
def rd_input(request: HttpRequest) -> HttpResponse:
    """The enterprise's yearly R&D input: what it reported, and the form to report a year."""
    permissions.check_report_rd_input(request.user)
    form = RdInputForm(request.POST or None)
    if request.method == "POST":
        saved = save_form(
            request,
            form,
            lambda: services.report_rd_input(
                actor=request.user, year=form.cleaned_data["year"], data=form.service_data()
            ),
        )
        if saved is not None:
            row, created = saved
            messages.success(
                request,
                (_("R&D input of %(year)s reported.") if created else _("R&D input of %(year)s corrected."))
                % {"year": row.year},
            )
            return redirect("carriers:rd_input")
    rows = list(
        permissions.rd_inputs_visible(request.user).filter(
            organization=getattr(request.user, "organization", None)
        )
    )
    return render(request, "carriers/portal/rd_input.html", {"form": form, "rows": rows})


# ---- projects -----------------------------------------------------------------------------------------


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    form = ProjectFilterForm(request.GET or None)
    qs = permissions.visible_projects(request.user).select_related("lead")
    if form.is_valid() and form.cleaned_data.get("kind"):
        qs = qs.filter(kind=form.cleaned_data["kind"])
    page = paginate(request, qs.order_by("-starts_on", "-pk"))
    return render(
        request,
        "carriers/portal/projects.html",
        {"form": form, "page": page, "may_create": permissions.can_create_project(request.user)},
    )


@login_required
def project_create(request: HttpRequest) -> HttpResponse:
    permissions.check_create_project(request.user)
    form = ProjectForm(request.POST or None, user=request.user)
    if request.method == "POST":
        project = save_form(
            request, form, lambda: services.create_project(actor=request.user, **form.service_kwargs())
        )
        if project is not None:
            messages.success(request, _("The project was registered."))
            return redirect("carriers:project", project.pk)
    return form_page(request, form, _("Register a project"), "/carriers/projects/")


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = permissions.project_for(request.user, pk)
    can_edit = permissions.can_edit_project(request.user, project)
    moves = [s for s in PROJECT_TRANSITIONS.get(project.status, set())] if can_edit else []
    context = {
        "project": project,
        "parties": list(
            ProjectParty.objects.filter(project=project).select_related("organization").order_by("role")
        ),
        "milestones": list(project.milestones.all()),
        "achievements": list(project.achievements.select_related("owner")),
        "contracts": list(project.contracts.select_related("seller", "buyer")),
        "can_edit": can_edit,
        "moves": [(s, ProjectStatus(s).label) for s in sorted(moves)],
        "milestone_form": MilestoneForm(),
        "today": timezone.localdate(),
        "history": audit.history_rows(project, limit=20),
    }
    return render(request, "carriers/portal/project.html", context)


@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = permissions.edited_project_for(request.user, pk)
    form = ProjectForm(request.POST or None, instance=project, user=request.user)
    if request.method == "POST":
        if (
            save_form(
                request,
                form,
                lambda: services.update_project(project, actor=request.user, **form.service_kwargs()),
            )
            is not None
        ):
            messages.success(request, _("Your changes were saved."))
            return redirect("carriers:project", project.pk)
    return form_page(
        request,
        form,
        _("Edit %(name)s") % {"name": project.title},
        f"/carriers/projects/{project.pk}/",
        {"obj": project},
    )


@login_required
@require_POST
def project_move(request: HttpRequest, pk: int) -> HttpResponse:
    project = permissions.edited_project_for(request.user, pk)
    to = request.POST.get("to", "")
    return act(
        request,
        lambda: services.move_project(project, actor=request.user, to=to, note=request.POST.get("note", "")),
        _("The project's status was updated."),
        "carriers:project",
        project.pk,
    )


@login_required
@require_POST
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = permissions.edited_project_for(request.user, pk)
    form = MilestoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the milestone a title and a valid due date."))
        return redirect("carriers:project", project.pk)
    return act(
        request,
        lambda: services.add_milestone(project, actor=request.user, **form.cleaned_data),
        _("Milestone added."),
        "carriers:project",
        project.pk,
    )


@login_required
@require_POST
def milestone_done(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = get_object_or_404(ProjectMilestone.objects.select_related("project"), pk=pk)
    project = permissions.edited_project_for(request.user, milestone.project_id)
    return act(
        request,
        lambda: services.complete_milestone(milestone, actor=request.user),
        _("Milestone reached."),
        "carriers:project",
        project.pk,
    )


# ---- alliances ----------------------------------------------------------------------------------------


def alliance_list(request: HttpRequest) -> HttpResponse:
    qs = queries.public_alliances().order_by("status", "name")
    return render(
        request,
        "carriers/portal/alliances.html",
        {"page": paginate(request, qs), "may_register": permissions.can_register_alliances(request.user)},
    )


def alliance_detail(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = permissions.alliance_for(request.user, pk)
    manage = permissions.can_manage_alliance(request.user, alliance)
    members = alliance.members.select_related("organization").order_by(
        "left_on", "role", "organization__name"
    )
    if not manage:
        members = members.filter(left_on__isnull=True)
    context = {
        "alliance": alliance,
        "fields": list(alliance.fields.all()),
        "members": list(members),
        "can_manage": manage,
        "member_form": MemberForm(initial={"joined_on": timezone.localdate()}),
    }
    return render(request, "carriers/portal/alliance.html", context)


@login_required
def alliance_edit(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = permissions.managed_alliance_for(request.user, pk)
    form = AllianceForm(request.POST or None, instance=alliance)
    if request.method == "POST":
        done = save_form(
            request,
            form,
            lambda: services.update_alliance(
                alliance, actor=request.user, data=form.service_data(), fields=form.cleaned_data.get("fields")
            ),
        )
        if done is not None:
            messages.success(request, _("Your changes were saved."))
            return redirect("carriers:alliance", alliance.pk)
    return form_page(
        request, form, _("Edit %(name)s") % {"name": alliance.name}, f"/carriers/alliances/{alliance.pk}/"
    )


@login_required
@require_POST
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = permissions.managed_alliance_for(request.user, pk)
    form = MemberForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("carriers:alliance", alliance.pk)
    cd = form.cleaned_data
    return act(
        request,
        lambda: services.add_member(
            alliance,
            actor=request.user,
            organization=cd["organization"],
            role=cd["role"],
            joined_on=cd["joined_on"],
        ),
        _("%(name)s joined the alliance.") % {"name": cd["organization"].name},
        "carriers:alliance",
        alliance.pk,
    )


@login_required
@require_POST
def member_leave(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(AllianceMember.objects.select_related("alliance", "organization"), pk=pk)
    alliance = permissions.managed_alliance_for(request.user, member.alliance_id)
    return act(
        request,
        lambda: services.remove_member(member, actor=request.user),
        _("%(name)s left the alliance.") % {"name": member.organization.name},
        "carriers:alliance",
        alliance.pk,
    )


# ---- the organisation page panel --------------------------------------------------------------------


def organization_panel(request: HttpRequest, org: object) -> dict | None:
    """Designations, carriers run and alliances of an organisation, for its profile page."""
    org_id = getattr(org, "pk", None)
    if org_id is None:
        return None
    designations = list(queries.public_designations().filter(organization_id=org_id).order_by("-year"))
    carriers = list(
        queries.visible_carriers(request.user)
        .filter(Q(operator_id=org_id) | Q(hosts=org_id))
        .filter(status="approved")
        .distinct()
        .order_by("name")[:20]
    )
    alliances = list(
        AllianceMember.objects.filter(organization_id=org_id, left_on__isnull=True)
        .select_related("alliance")
        .order_by("alliance__name")[:20]
    )
    if not (designations or carriers or alliances):
        return None
    return {"designations": designations, "org_carriers": carriers, "org_alliances": alliances}
