"""Public pages: the plan's summary, the policy library, "which policies apply to me", and a
university's or institute's own evaluation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core.errors import message_of
from techbridge.core.permissions import has_organization, role_required
from techbridge.lib.numbers import digits
from techbridge.organizations.models import Organization

from .. import measures, permissions, policy_match, queries, standing
from ..choices import Granularity, Standing
from ..forms import PolicySearchForm, ProfileForm
from ..models import PolicyProfile, Target
from ..services import policies as policy_services
from .console import evaluation_context, submit_figure_from

organization_required = role_required(
    has_organization, message=_("Join or register an organisation to see which policies apply to it.")
)
evaluated_required = role_required(
    permissions.is_evaluated_member,
    message=_("This page is for members of universities and research institutes."),
)


def summary(request: HttpRequest) -> HttpResponse:
    """The current plan for everyone: targets with actual, trend and status; tasks by status."""
    value = request.GET.get("plan", "")
    plan = queries.plan_or_current(int(value) if digits(value) else None)
    if plan is None:
        return render(request, "governance/portal/summary.html", {"plan": None})
    today = timezone.localdate()
    readings = measures.plan_readings(plan, today=today)
    states = standing.task_states(plan, today=today)
    return render(
        request,
        "governance/portal/summary.html",
        {
            "plan": plan,
            "plans": queries.plans(),
            "readings": readings,
            "task_counts": standing.counts(states),
            "states": states,
            "thresholds": measures.thresholds_text(plan),
            "charts": {f"t{r.target.pk}": r.chart() for r in readings},
            "today": today,
            "Standing": Standing,
        },
    )


def target(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(
        Target.objects.select_related("plan").prefetch_related("figures", "departments", "tasks"), pk=pk
    )
    value = request.GET.get("granularity", "")
    granularity = value if value in Granularity.values else Granularity.YEAR
    reading = measures.read(target, granularity=granularity)
    return render(
        request,
        "governance/portal/target.html",
        {
            "target": target,
            "reading": reading,
            "granularity": granularity,
            "granularities": Granularity.choices,
            "chart": reading.chart(),
            "thresholds": measures.thresholds_text(target.plan),
        },
    )


def policies(request: HttpRequest) -> HttpResponse:
    form = PolicySearchForm(request.GET or None)
    q = level = ""
    if form.is_valid():
        q, level = form.cleaned_data["q"], form.cleaned_data["level"]
    page = Paginator(queries.visible_policies(request.user, q=q, level=level), 20).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "governance/portal/policies.html",
        {"form": form, "page": page, "q": q, "today": timezone.localdate()},
    )


def policy(request: HttpRequest, pk: int) -> HttpResponse:
    p = permissions.visible_policy(request.user, pk)
    user: Any = request.user
    match = None
    if has_organization(request.user):
        match = policy_match.check(
            p,
            policy_match.org_with_zone(user.organization_id),
            PolicyProfile.objects.filter(organization_id=user.organization_id).first(),
        )
    labels = {c.kind: policy_match.value_labels(c.kind) for c in p.conditions.all()}
    conditions = [
        {"c": c, "values": "、".join(labels[c.kind].get(v, v) for v in c.values)} for c in p.conditions.all()
    ]
    return render(
        request,
        "governance/portal/policy.html",
        {"policy": p, "match": match, "conditions": conditions, "today": timezone.localdate()},
    )


@organization_required
def mine(request: HttpRequest) -> HttpResponse:
    """Which policies apply to the signed-in user's organisation, with the reason per condition."""
    user: Any = request.user
    org = policy_match.org_with_zone(user.organization_id)
    profile = PolicyProfile.objects.filter(organization=org).first()
    initial = {}
    if profile is not None:
        initial = {
            "size": profile.size,
            "designations": profile.designations,
            "industry_fields": list(profile.fields.all()),
        }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            policy_services.save_profile(
                org,
                actor=request.user,
                size=form.cleaned_data["size"],
                designations=form.cleaned_data["designations"],
                fields=form.cleaned_data["industry_fields"],
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, message_of(exc))
        else:
            messages.success(request, _("Profile saved; the policies below are checked against it."))
            return redirect("governance:mine")
    matches = policy_match.matches_for(org, queries.visible_policies(request.user).filter(status="published"))
    return render(
        request,
        "governance/portal/mine.html",
        {
            "org": org,
            "about": policy_match.describe(org),
            "form": form,
            "matches": matches,
            "profile": profile,
        },
    )


@evaluated_required
def university(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    org = get_object_or_404(Organization, pk=user.organization_id)
    if request.method == "POST":
        if not permissions.can_submit_evaluation_figure(request.user, org):
            raise PermissionDenied(
                _("Only the organisation's admins and platform operators enter evaluation figures.")
            )
        submit_figure_from(request, org)
        return redirect("governance:university")
    context = evaluation_context(request, org, console=False)
    if context["ranking"] is None:
        raise Http404(_("No evaluation formula has been set up yet."))
    return render(request, "governance/portal/university.html", context)
