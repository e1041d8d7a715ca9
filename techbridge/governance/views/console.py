"""Console pages of governance (reviewers, operators, department officials). Forms validate, services
decide; dashboards only read."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from techbridge.core.audit import history
from techbridge.core.errors import message_of
from techbridge.core.listing_views import add_service_errors
from techbridge.core.permissions import (
    console_required,
    deny,
    operator_required,
    role_required,
    staff_required,
)
from techbridge.core.registry import Period, find_metric
from techbridge.core.roles import is_operator, is_staff_reviewer
from techbridge.core.workflow import TransitionError
from techbridge.lib.numbers import digits
from techbridge.organizations.models import Organization

from .. import areas, evaluation, measures, permissions, queries, standing
from ..choices import FigureStatus, Granularity, MonthlyStatus, ReportStatus, Source, Standing
from ..forms import (
    AttachmentForm,
    CloseDecisionForm,
    DecisionForm,
    EvaluationFigureForm,
    FigureForm,
    FormulaForm,
    MeetingForm,
    MilestoneForm,
    MonthlyForm,
    PlanSettingsForm,
    PolicyForm,
    ReportForm,
    ReviewForm,
)
from ..models import (
    Decision,
    EvaluationFigure,
    EvaluationFormula,
    Meeting,
    MonthlyReport,
    Plan,
    Policy,
    Target,
)
from ..services import evaluation as evaluation_services
from ..services import meetings as meeting_services
from ..services import monthly as monthly_services
from ..services import plans as plan_services
from ..services import policies as policy_services
from ..services import reports as report_services

ERRORS = (ValidationError, PermissionDenied, TransitionError)
official_required = role_required(
    permissions.is_department_official, message=_("Only department officials have a department dashboard.")
)


class NoPlan(Exception):
    """No plan is loaded yet: dashboards say so instead of showing empty tables."""


def _plan(request: HttpRequest) -> Plan:
    value = request.GET.get("plan", "")
    if digits(value):
        return get_object_or_404(Plan, pk=int(value))
    plan = queries.plan_or_current()
    if plan is None:
        raise NoPlan
    return plan


def no_plan_page(view: Any) -> Any:
    """Render "no plan loaded yet" when ``view`` needs the current plan and there is none."""
    import functools

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NoPlan:
            return render(request, "governance/console/no_plan.html", status=200)

    return wrapped


def _year(request: HttpRequest) -> int:
    value = request.GET.get("year", "")
    this = timezone.localdate().year
    return int(value) if digits(value) and 2000 <= int(value) <= this else this


def _granularity(request: HttpRequest) -> str:
    value = request.GET.get("granularity", "")
    return value if value in Granularity.values else Granularity.YEAR


# ---- leadership overview -------------------------------------------------------------------------

PLATFORM_FIGURES = (
    "contracts.turnover",
    "contracts.registered",
    "achievements.published",
    "demands.published",
    "deals.rooms_opened",
)


def platform_figures(today: dt.date) -> list[dict[str, Any]]:
    """This year's and last year's figure of the platform's main metrics (to the same day)."""
    out = []
    this_year = Period(dt.date(today.year, 1, 1), today)
    last_day = (
        today.replace(year=today.year - 1)
        if not (today.month == 2 and today.day == 29)
        else today.replace(year=today.year - 1, day=28)
    )
    last_year = Period(dt.date(today.year - 1, 1, 1), last_day)
    for code in PLATFORM_FIGURES:
        metric = find_metric(code)
        if metric is None:
            continue
        out.append(
            {
                "metric": metric,
                "this": measures.figure_cell(metric, this_year),
                "last": measures.figure_cell(metric, last_year),
                "this_period": this_year,
                "last_period": last_year,
            }
        )
    return out


@console_required
@no_plan_page
def overview(request: HttpRequest) -> HttpResponse:
    plan = _plan(request)
    today = timezone.localdate()
    readings = measures.plan_readings(plan, today=today)
    states = standing.task_states(plan, today=today)
    charts = {f"t{r.target.pk}": r.chart() for r in readings}
    return render(
        request,
        "governance/console/overview.html",
        {
            "plan": plan,
            "plans": queries.plans(),
            "readings": readings,
            "states": states,
            "task_counts": standing.counts(states),
            "thresholds": measures.thresholds_text(plan),
            "platform": platform_figures(today),
            "charts": charts,
            "today": today,
            "can_manage": is_operator(request.user),
            "Standing": Standing,
        },
    )


@operator_required
def plan_settings(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=pk)
    form = PlanSettingsForm(request.POST or None, instance=Plan.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in PlanSettingsForm.Meta.fields}
        try:
            plan_services.update_plan_settings(
                plan, actor=request.user, data=data, make_current=form.cleaned_data["make_current"]
            )
        except ERRORS as exc:
            messages.error(request, message_of(exc))
        else:
            messages.success(request, _("Plan settings saved."))
            return redirect(f"{_url('governance_console:overview')}?plan={plan.pk}")
    return render(
        request,
        "governance/console/plan_settings.html",
        {"plan": plan, "form": form, "history": history(plan)[:20]},
    )


def _url(name: str, *args: Any) -> str:
    from django.urls import reverse

    return reverse(name, args=args)


@console_required
def target_detail(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(
        Target.objects.select_related("plan").prefetch_related("figures", "departments", "tasks"), pk=pk
    )
    granularity = _granularity(request)
    reading = measures.read(target, granularity=granularity)
    form = FigureForm() if is_operator(request.user) and target.source == Source.MANUAL else None
    return render(
        request,
        "governance/console/target.html",
        {
            "target": target,
            "reading": reading,
            "granularity": granularity,
            "granularities": Granularity.choices,
            "figure_form": form,
            "chart": reading.chart(),
            "thresholds": measures.thresholds_text(target.plan),
            "history": history(target)[:20],
        },
    )


@operator_required
@require_POST
def target_figure(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(Target, pk=pk)
    form = FigureForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            plan_services.record_figure(target, actor=request.user, **form.cleaned_data)
        except ERRORS as exc:
            messages.error(request, message_of(exc))
        else:
            messages.success(request, _("Figure recorded."))
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("governance_console:target", pk)


# ---- tasks, milestones, reports ------------------------------------------------------------------


@console_required
@no_plan_page
def task_list(request: HttpRequest) -> HttpResponse:
    plan = _plan(request)
    states = standing.task_states(plan)
    wanted = request.GET.get("standing", "")
    dept = request.GET.get("department", "")
    if wanted in Standing.values:
        states = [s for s in states if s.standing == wanted]
    if digits(dept):
        states = [s for s in states if any(a.organization_id == int(dept) for a in s.task.assignments.all())]
    return render(
        request,
        "governance/console/tasks.html",
        {
            "plan": plan,
            "states": states,
            "departments": _departments(plan),
            "wanted": wanted,
            "dept": dept,
            "Standing": Standing,
        },
    )


def _departments(plan: Plan) -> list[Organization]:
    from ..forms import plan_departments

    return list(plan_departments(plan))


@console_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = permissions.task_for(request.user, pk)
    plan = task.plan
    state = standing.task_states(plan, tasks=standing.tasks_with_records(plan).filter(pk=task.pk))[0]
    task = state.task
    readings = [measures.read(t) for t in task.targets.select_related("plan").prefetch_related("figures")]
    return render(
        request,
        "governance/console/task.html",
        {
            "task": task,
            "plan": plan,
            "state": state,
            "readings": readings,
            "reports": sorted(task.reports.all(), key=lambda r: (-r.year, -r.quarter, r.department.name)),
            "decisions": list(Decision.objects.filter(task=task).select_related("meeting", "responsible")),
            "milestone_form": MilestoneForm() if permissions.can_add_milestone(request.user, task) else None,
            "can_file": permissions.can_file_report(request.user, task),
            "rule": standing.__doc__,
            "Standing": Standing,
            "today": timezone.localdate(),
            "history": history(task)[:20],
        },
    )


@console_required
@require_POST
def add_milestone(request: HttpRequest, pk: int) -> HttpResponse:
    task = permissions.task_for(request.user, pk)
    if not permissions.can_add_milestone(request.user, task):
        deny(_("Only operators and the lead department add milestones."))
    form = MilestoneForm(request.POST)
    if form.is_valid():
        try:
            plan_services.add_milestone(task, actor=request.user, **form.cleaned_data)
        except ERRORS as exc:
            messages.error(request, message_of(exc))
        else:
            messages.success(request, _("Milestone added."))
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("governance_console:task", pk)


@console_required
def report_new(request: HttpRequest, pk: int) -> HttpResponse:
    task = permissions.task_for(request.user, pk)
    if not permissions.can_file_report(request.user, task):
        deny(_("Only officials of the task's departments file its progress reports."))
    year, quarter = _current_quarter(task.plan)
    form = ReportForm(request.POST or None, task=task, initial={"year": year, "quarter": quarter})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            report = report_services.create_report(
                task,
                actor=request.user,
                year=d["year"],
                quarter=d["quarter"],
                summary=d["summary"],
                next_steps=d["next_steps"],
                self_assessment=d["self_assessment"],
                figures=d["figures"],
                milestones=d["milestones"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except (PermissionDenied, TransitionError) as exc:
            messages.error(request, message_of(exc))
        else:
            messages.success(request, _("Report saved as a draft. Attach files if needed, then submit it."))
            return redirect("governance_console:report", report.pk)
    return render(
        request, "governance/console/report_form.html", {"task": task, "form": form, "report": None}
    )


def _current_quarter(plan: Plan) -> tuple[int, int]:
    """The quarter a report is most likely about: the last one closed, within the plan's period."""
    from ..periods import last_closed_quarter

    return last_closed_quarter(min(timezone.localdate(), plan.end + dt.timedelta(days=1)))


@console_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = permissions.report_for(request.user, pk)
    return render(
        request,
        "governance/console/report.html",
        {
            "report": report,
            "figures": report.figures.select_related("target"),
            "milestones_done": report.milestones_done.select_related("milestone"),
            "attachments": report.attachments.all()
            if permissions.can_read_attachments(request.user, report)
            else None,
            "can_edit": permissions.can_edit_report(request.user, report),
            "can_review": permissions.can_review_report(request.user, report),
            "attachment_form": AttachmentForm(),
            "review_form": ReviewForm(),
            "history": history(report)[:30],
        },
    )


@console_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = permissions.editable_report(request.user, pk)
    form = ReportForm(request.POST or None, task=report.task, report=report)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            report_services.update_report(
                report,
                actor=request.user,
                data={k: d[k] for k in ("summary", "next_steps", "self_assessment")},
                figures=d["figures"],
                milestones=d["milestones"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except (PermissionDenied, TransitionError) as exc:
            messages.error(request, message_of(exc))
        else:
            messages.success(request, _("Report saved."))
            return redirect("governance_console:report", report.pk)
    return render(
        request, "governance/console/report_form.html", {"task": report.task, "form": form, "report": report}
    )


@console_required
@require_POST
def report_attach(request: HttpRequest, pk: int) -> HttpResponse:
    report = permissions.editable_report(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            report_services.add_attachment(report, actor=request.user, upload=form.cleaned_data["file"])
        except ERRORS as exc:
            messages.error(request, message_of(exc))
        else:
            messages.success(request, _("File attached."))
    else:
        messages.error(request, _("Choose a file to attach."))
    return redirect("governance_console:report", pk)


@console_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = permissions.attachment_for(request.user, pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=attachment.name)


@console_required
@require_POST
def attachment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = permissions.attachment_for(request.user, pk)
    report_id = attachment.report_id
    permissions.editable_report(request.user, report_id)
    try:
        report_services.remove_attachment(attachment, actor=request.user)
    except ERRORS as exc:
        messages.error(request, message_of(exc))
    return redirect("governance_console:report", report_id)


@console_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = permissions.editable_report(request.user, pk)
    try:
        report_services.submit_report(report, actor=request.user)
    except ERRORS as exc:
        messages.error(request, message_of(exc))
    else:
        messages.success(request, _("Report submitted for review."))
    return redirect("governance_console:report", pk)


@staff_required
@require_POST
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    report = permissions.report_for(request.user, pk)
    form = ReviewForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        if request.POST.get("action") == "accept":
            report_services.accept_report(report, actor=request.user, note=note)
            messages.success(request, _("Report accepted."))
        else:
            report_services.return_report(report, actor=request.user, note=note)
            messages.success(request, _("Report returned to the department."))
    except ERRORS as exc:
        messages.error(request, message_of(exc))
    return redirect("governance_console:report", pk)


@console_required
def review_queue(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", ReportStatus.SUBMITTED)
    status = status if status in ReportStatus.values or status == "all" else ReportStatus.SUBMITTED
    rows = queries.reports(status="" if status == "all" else status)[:200]
    return render(
        request,
        "governance/console/reports.html",
        {"reports": rows, "status": status, "statuses": ReportStatus.choices},
    )


@console_required
@no_plan_page
def department(request: HttpRequest) -> HttpResponse:
    """The department's own tasks, reports due and decisions (staff choose a department with ?org=)."""
    org_value = request.GET.get("org", "")
    user: Any = request.user
    org: Any
    if permissions.is_department_official(user):
        org = user.organization
    elif digits(org_value):
        org = get_object_or_404(Organization, pk=int(org_value), kind="government")
    else:
        plan = _plan(request)
        return render(
            request,
            "governance/console/department_pick.html",
            {"plan": plan, "departments": _departments(plan)},
        )
    today = timezone.localdate()
    tasks = queries.department_tasks(org.pk)
    plans: dict[int, Plan] = {t.plan_id: t.plan for t in tasks}
    states = []
    for plan in plans.values():
        states += standing.task_states(
            plan,
            today=today,
            tasks=standing.tasks_with_records(plan).filter(assignments__organization=org).distinct(),
        )
    decisions = (
        Decision.objects.filter(responsible=org)
        .select_related("meeting", "task")
        .order_by("status", "due")[:100]
    )
    return render(
        request,
        "governance/console/department.html",
        {
            "org": org,
            "states": states,
            "decisions": decisions,
            "today": today,
            "Standing": Standing,
            "can_file": permissions.is_department_official(user) and user.organization_id == org.pk,
        },
    )


# ---- districts and zones -------------------------------------------------------------------------


@console_required
def area_view(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    today = timezone.localdate()
    period = Period(dt.date(year, 1, 1), min(dt.date(year, 12, 31), today))
    chosen = areas.areas()
    rows = areas.table(period, chosen)
    metric_code = request.GET.get("metric", "contracts.turnover")
    focus = next((r for r in rows if r.metric.code == metric_code), rows[0] if rows else None)
    chart = None
    if focus is not None:
        chart = {
            "labels": [a.label for a in chosen],
            "values": [None if c.shown is None else float(c.shown) for c in focus.cells],
            "name": f"{focus.metric.label}（{focus.metric.unit}）",
        }
    focus_area = areas.area_by_key(request.GET.get("area", ""))
    history = None
    if focus_area is not None:
        history = _area_history(focus_area, today)
    return render(
        request,
        "governance/console/areas.html",
        {
            "year": year,
            "period": period,
            "areas": chosen,
            "rows": rows,
            "focus": focus,
            "chart": chart,
            "years": list(range(today.year, 2014, -1)),
            "note": areas.note(),
            "focus_area": focus_area,
            "history": history,
        },
    )


def _area_history(area: areas.Area, today: dt.date, years: int = 5) -> dict[str, Any]:
    """One district's or zone's figures over the last ``years`` calendar years (this one to date)."""
    spans = [
        Period(dt.date(y, 1, 1), min(dt.date(y, 12, 31), today))
        for y in range(today.year - years + 1, today.year + 1)
    ]
    by_year = [areas.table(p, [area]) for p in spans]
    rows = [
        {"metric": by_year[0][i].metric, "cells": [table[i].cells[0] for table in by_year]}
        for i in range(len(by_year[0]))
    ]
    return {"years": [p.start.year for p in spans], "rows": rows, "area": area}


# ---- evaluation ----------------------------------------------------------------------------------


@console_required
def evaluation_view(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    ranking = evaluation.evaluate(year)
    pending = EvaluationFigure.objects.filter(status=FigureStatus.SUBMITTED).select_related(
        "organization", "submitted_by"
    )
    return render(
        request,
        "governance/console/evaluation.html",
        {
            "year": year,
            "ranking": ranking,
            "rows": evaluation.display_rows(ranking) if ranking else [],
            "formula_text": evaluation.formula_text(),
            "years": list(range(timezone.localdate().year, 2014, -1)),
            "pending": pending[:100],
            "can_review": is_staff_reviewer(request.user),
            "own": None,
        },
    )


@console_required
def evaluation_org(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(Organization, pk=pk, kind__in=permissions.EVALUATED_KINDS)
    return render(
        request, "governance/console/evaluation_org.html", evaluation_context(request, org, console=True)
    )


def evaluation_context(request: HttpRequest, org: Organization, *, console: bool) -> dict[str, Any]:
    year = _year(request)
    ranking = evaluation.evaluate(year)
    row = ranking.row_of(org.pk) if ranking else None
    years = list(range(timezone.localdate().year, 2014, -1))
    history_rows = []
    if ranking:
        for y in years[:4][::-1]:
            r = evaluation.evaluate(y)
            own = r.row_of(org.pk) if r else None
            history_rows.append(
                {
                    "year": y,
                    "score": own.score if own else None,
                    "rank": own.rank if own else None,
                    "of": len(r.rows) if r else 0,
                }
            )
    can_submit = permissions.can_submit_evaluation_figure(request.user, org)
    return {
        "org": org,
        "year": year,
        "years": years,
        "ranking": ranking,
        "row": row,
        "formula_text": evaluation.formula_text(),
        "history_rows": history_rows,
        "chart": {
            "labels": [h["year"] for h in history_rows],
            "values": [float(h["score"]) if h["score"] is not None else None for h in history_rows],
        },
        "figures": EvaluationFigure.objects.filter(organization=org).order_by("-year", "input")[:50],
        "figure_form": EvaluationFigureForm() if can_submit else None,
        "own_view": request.user.is_authenticated and request.user.organization_id == org.pk,
        "console": console,
    }


@console_required
@require_POST
def evaluation_figure(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(Organization, pk=pk, kind__in=permissions.EVALUATED_KINDS)
    if not permissions.can_submit_evaluation_figure(request.user, org):
        deny(_("Only the organisation's admins and platform operators enter evaluation figures."))
    submit_figure_from(request, org)
    return redirect("governance_console:evaluation_org", pk)


def submit_figure_from(request: HttpRequest, org: Organization) -> None:
    form = EvaluationFigureForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return
    try:
        evaluation_services.submit_figure(org, actor=request.user, **form.cleaned_data)
    except ERRORS as exc:
        messages.error(request, message_of(exc))
    else:
        messages.success(request, _("Figure submitted; platform staff will check the evidence."))


@staff_required
@require_POST
def evaluation_figure_review(request: HttpRequest, pk: int) -> HttpResponse:
    figure = permissions.evaluation_figure_for(request.user, pk)
    try:
        evaluation_services.review_figure(
            figure,
            actor=request.user,
            accept=request.POST.get("action") == "accept",
            note=request.POST.get("note", "")[:1000],
        )
    except ERRORS as exc:
        messages.error(request, message_of(exc))
    else:
        messages.success(request, _("Figure reviewed."))
    return redirect("governance_console:evaluation")


@console_required
def formula_view(request: HttpRequest) -> HttpResponse:
    current = evaluation.current_formula()
    form = None
    if is_operator(request.user):
        form = FormulaForm(request.POST or None, current=current.weights if current else None)
        if request.method == "POST" and form.is_valid():
            try:
                f = evaluation_services.create_formula(
                    actor=request.user, weights=form.weights(), note=form.cleaned_data["note"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Formula version %(v)s is now in use.") % {"v": f.version})
                return redirect("governance_console:formula")
    elif request.method == "POST":
        deny(_("Only platform operators change the evaluation formula."))
    return render(
        request,
        "governance/console/formula.html",
        {
            "versions": EvaluationFormula.objects.select_related("created_by")[:20],
            "form": form,
            "inputs": evaluation.INPUTS,
            "formula_text": evaluation.formula_text(),
        },
    )


# ---- monthly report ------------------------------------------------------------------------------


@console_required
@no_plan_page
def monthly_list(request: HttpRequest) -> HttpResponse:
    plan = _plan(request)
    form = None
    if is_operator(request.user):
        last = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
        form = MonthlyForm(request.POST or None, initial={"year": last.year, "month": last.month})
        if request.method == "POST" and form.is_valid():
            try:
                monthly_services.request_monthly_report(plan, actor=request.user, **form.cleaned_data)
            except ERRORS as exc:
                messages.error(request, message_of(exc))
            else:
                messages.success(request, _("The report is being generated; it appears below when ready."))
                return redirect(f"{_url('governance_console:monthly')}?plan={plan.pk}")
    elif request.method == "POST":
        deny(_("Only platform operators generate monthly reports."))
    rows = MonthlyReport.objects.filter(plan=plan).select_related("requested_by")[:120]
    return render(
        request,
        "governance/console/monthly.html",
        {"plan": plan, "reports": rows, "form": form, "Ready": MonthlyStatus.READY},
    )


@console_required
def monthly_download(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    report = get_object_or_404(MonthlyReport.objects.select_related("plan"), pk=pk)
    if fmt not in ("pdf", "xlsx") or report.status != MonthlyStatus.READY:
        raise Http404
    stored = getattr(report, fmt)
    try:
        handle = stored.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=f"{report.plan.name}-{report.label}.{fmt}")


# ---- joint conference ----------------------------------------------------------------------------


@console_required
@no_plan_page
def meeting_list(request: HttpRequest) -> HttpResponse:
    plan = _plan(request)
    rows = queries.meetings(plan)[:100]
    open_decisions = (
        Decision.objects.filter(meeting__plan=plan, status="open")
        .select_related("task", "responsible", "meeting")
        .order_by("due", "pk")[:200]
    )
    return render(
        request,
        "governance/console/meetings.html",
        {
            "plan": plan,
            "meetings": rows,
            "open_decisions": open_decisions,
            "today": timezone.localdate(),
            "can_manage": is_operator(request.user),
        },
    )


@operator_required
@no_plan_page
def meeting_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk) if pk else None
    plan = meeting.plan if meeting else _plan(request)
    form = MeetingForm(request.POST or None, instance=meeting, plan=plan)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in MeetingForm.Meta.fields}
        try:
            if meeting is None:
                meeting = meeting_services.create_meeting(
                    plan, actor=request.user, attendees=form.cleaned_data["attendees"], **data
                )
            else:
                meeting_services.update_meeting(
                    meeting, actor=request.user, attendees=form.cleaned_data["attendees"], **data
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Meeting saved."))
            return redirect("governance_console:meeting", meeting.pk)
    return render(
        request, "governance/console/meeting_form.html", {"form": form, "meeting": meeting, "plan": plan}
    )


@console_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("plan"), pk=pk)
    decisions = list(meeting.decisions.select_related("task", "responsible", "closed_by"))
    for d in decisions:
        d.can_close = d.status == "open" and permissions.can_close_decision(request.user, d)  # type: ignore[attr-defined]
    return render(
        request,
        "governance/console/meeting.html",
        {
            "meeting": meeting,
            "decisions": decisions,
            "attendees": meeting.attendees.order_by("name"),
            "decision_form": DecisionForm(plan=meeting.plan) if is_operator(request.user) else None,
            "close_form": CloseDecisionForm(),
            "today": timezone.localdate(),
            "can_manage": is_operator(request.user),
        },
    )


@operator_required
@require_POST
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    form = DecisionForm(request.POST, plan=meeting.plan)
    if form.is_valid():
        try:
            meeting_services.add_decision(meeting, actor=request.user, **form.cleaned_data)
        except ERRORS as exc:
            messages.error(request, message_of(exc))
        else:
            messages.success(request, _("Decision recorded."))
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("governance_console:meeting", pk)


@console_required
@require_POST
def decision_close(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(Decision, pk=pk)
    if not permissions.can_close_decision(request.user, decision):
        deny(_("Only operators and the responsible organisation close a decision."))
    form = CloseDecisionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Say what came of the decision."))
        meeting_services.close_decision(
            decision,
            actor=request.user,
            done=request.POST.get("action") != "drop",
            outcome=form.cleaned_data["outcome"],
        )
    except ERRORS as exc:
        messages.error(request, message_of(exc))
    else:
        messages.success(request, _("Decision closed."))
    return redirect("governance_console:meeting", decision.meeting_id)


@operator_required
@require_POST
def decision_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(Decision, pk=pk)
    try:
        meeting_services.reopen_decision(decision, actor=request.user)
    except ERRORS as exc:
        messages.error(request, message_of(exc))
    return redirect("governance_console:meeting", decision.meeting_id)


# ---- policy library (operators) ------------------------------------------------------------------


@operator_required
def policy_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:100]
    rows = queries.visible_policies(request.user, q=q)[:300]
    return render(request, "governance/console/policies.html", {"policies": rows, "q": q})


@operator_required
def policy_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    policy = get_object_or_404(Policy, pk=pk) if pk else None
    form = PolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        try:
            if policy is None:
                policy = policy_services.create_policy(
                    actor=request.user,
                    conditions=form.conditions(),
                    publish=request.POST.get("publish") == "1",
                    **form.data_for_service(),
                )
            else:
                policy_services.update_policy(
                    policy, actor=request.user, conditions=form.conditions(), **form.data_for_service()
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except (PermissionDenied, TransitionError) as exc:
            messages.error(request, message_of(exc))
        else:
            messages.success(request, _("Policy saved."))
            return redirect("governance_console:policies")
    return render(request, "governance/console/policy_form.html", {"form": form, "policy": policy})


@operator_required
@require_POST
def policy_publish(request: HttpRequest, pk: int) -> HttpResponse:
    policy = get_object_or_404(Policy, pk=pk)
    try:
        if request.POST.get("action") == "withdraw":
            policy_services.withdraw_policy(
                policy, actor=request.user, reason=request.POST.get("reason", "")[:500]
            )
        else:
            policy_services.publish_policy(policy, actor=request.user)
    except ERRORS as exc:
        messages.error(request, message_of(exc))
    return redirect("governance_console:policies")
