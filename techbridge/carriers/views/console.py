"""Console pages: review carriers and annual reports, keep the formulas, record designations, register
alliances, write typical cases, and read the statistics (with the R&D input) by district and zone."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from techbridge.core import audit
from techbridge.core.downloads import xlsx_response
from techbridge.core.errors import act
from techbridge.core.permissions import console_required, operator_required, staff_required
from techbridge.core.roles import is_operator
from techbridge.imports.permissions import can_import
from techbridge.lib.numbers import digits, whole_number
from techbridge.lib.xlsx import Sheet

from .. import permissions, queries, services
from ..case_sources import case_source, case_sources
from ..choices import (
    CarrierStatus,
    CaseStatus,
    DesignationStatus,
    Family,
    FormulaStatus,
    ReportStatus,
)
from ..forms import (
    AllianceForm,
    CaseForm,
    CaseSourceForm,
    DesignationForm,
    FamilyForm,
    FormulaForm,
    ReasonForm,
    StatsFilterForm,
)
from ..models import AnnualReport, Carrier, Designation, EvaluationFormula, TypicalCase
from .carriers import _report_context, _stats_day
from .common import form_page, paginate, save_form


@console_required
def home(request: HttpRequest) -> HttpResponse:
    """Queues (carriers and reports awaiting review) and every carrier, filterable by status."""
    status = request.GET.get("status", "")
    carriers = Carrier.objects.select_related("operator", "zone").order_by("-updated_at", "-pk")
    if status in CarrierStatus.values:
        carriers = carriers.filter(status=status)
    counts = dict(Carrier.objects.values_list("status").annotate(n=Count("pk")).order_by())
    context = {
        "queue": list(queries.review_queue()[:50]),
        "reports": list(queries.report_queue()[:50]),
        "page": paginate(request, carriers),
        "status": status,
        "statuses": [(s, label, counts.get(s, 0)) for s, label in CarrierStatus.choices],
        "is_staff": permissions.can_review(request.user),
    }
    return render(request, "carriers/console/home.html", context)


@console_required
def carrier_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything about a carrier a reviewer checks, and the decision (approve, return, revoke)."""
    carrier = get_object_or_404(Carrier.objects.select_related("operator", "zone", "approved_by"), pk=pk)
    if request.method == "POST":
        permissions.check_review_carriers(request.user)
        decision = request.POST.get("decision", "")
        reason = (request.POST.get("reason") or "").strip()[:2000]
        moves = {
            "approve": (
                lambda: services.approve_carrier(carrier, actor=request.user),
                _("The carrier was approved."),
            ),
            "reject": (
                lambda: services.reject_carrier(carrier, actor=request.user, reason=reason),
                _("The carrier was returned for correction."),
            ),
            "revoke": (
                lambda: services.revoke_carrier(carrier, actor=request.user, reason=reason),
                _("The carrier was revoked."),
            ),
            "reinstate": (
                lambda: services.reinstate_carrier(carrier, actor=request.user),
                _("The carrier was reinstated."),
            ),
        }
        if decision not in moves:
            messages.error(request, _("Choose a decision."))
            return redirect("carriers_console:carrier", carrier.pk)
        func, success = moves[decision]
        return act(request, func, success, "carriers_console:carrier", carrier.pk)
    context = {
        "carrier": carrier,
        "hosts": list(carrier.hosts.all()),
        "fields": list(carrier.fields.all()),
        "history": audit.history_rows(carrier, limit=50),
        "same_name": list(Carrier.objects.filter(name=carrier.name).exclude(pk=carrier.pk)[:5]),
        "reason_form": ReasonForm(),
        "is_staff": permissions.can_review(request.user),
        "reports": list(carrier.reports.order_by("-year")),
    }
    return render(request, "carriers/console/carrier.html", context)


# ---- reports and formulas -----------------------------------------------------------------------------


@console_required
def report_list(request: HttpRequest) -> HttpResponse:
    year = request.GET.get("year", "")
    qs = AnnualReport.objects.select_related("carrier").order_by("-year", "carrier__name")
    if digits(year):
        qs = qs.filter(year=int(year))
    status = request.GET.get("status", "")
    if status in ReportStatus.values:
        qs = qs.filter(status=status)
    context = {
        "page": paginate(request, qs),
        "year": year,
        "status": status,
        "statuses": ReportStatus.choices,
    }
    return render(request, "carriers/console/reports.html", context)


@console_required
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(AnnualReport.objects.select_related("carrier", "carrier__operator"), pk=pk)
    if request.method == "POST":
        permissions.check_review_reports(request.user)
        decision = request.POST.get("decision", "")
        if decision == "accept":
            return act(
                request,
                lambda: services.accept_report(report, actor=request.user),
                _("The report was accepted and evaluated."),
                "carriers_console:report",
                report.pk,
            )
        if decision == "return":
            reason = (request.POST.get("reason") or "").strip()[:2000]
            return act(
                request,
                lambda: services.return_report(report, actor=request.user, reason=reason),
                _("The report was returned for correction."),
                "carriers_console:report",
                report.pk,
            )
        if decision == "evaluate":
            formula = get_object_or_404(
                EvaluationFormula.objects.exclude(status=FormulaStatus.DRAFT),
                pk=request.POST.get("formula") or 0,
            )
            return act(
                request,
                lambda: services.evaluate_report(report, actor=request.user, formula=formula),
                _("The report was evaluated with version %(v)s.") % {"v": formula.version},
                "carriers_console:report",
                report.pk,
            )
        messages.error(request, _("Choose a decision."))
        return redirect("carriers_console:report", report.pk)
    context = _report_context(request, report, None)
    context.update(
        {
            "is_staff": permissions.can_review(request.user),
            "formulas": list(
                EvaluationFormula.objects.filter(family=report.carrier.family).exclude(
                    status=FormulaStatus.DRAFT
                )
            ),
        }
    )
    return render(request, "carriers/console/report.html", context)


@console_required
def formula_list(request: HttpRequest) -> HttpResponse:
    formulas = EvaluationFormula.objects.order_by("family", "-version")
    return render(
        request,
        "carriers/console/formulas.html",
        {"formulas": list(formulas), "families": Family.choices, "family_form": FamilyForm()},
    )


@operator_required
def formula_create(request: HttpRequest) -> HttpResponse:
    """A new version of a family's formula, starting from the version in use."""
    family = request.GET.get("family") or request.POST.get("family") or ""
    if family not in Family.values:
        messages.error(request, _("Choose the family of carriers first."))
        return redirect("carriers_console:formulas")
    base = services.active_formula(family) or EvaluationFormula.objects.filter(family=family).first()
    form = FormulaForm(request.POST or None, family=family, base=base)
    if request.method == "POST":
        formula = save_form(
            request,
            form,
            lambda: services.draft_formula(
                actor=request.user,
                family=family,
                title=form.cleaned_data["title"],
                weights=form.cleaned_data["weights"],
                benchmarks=form.cleaned_data["benchmarks"],
                thresholds=(
                    form.cleaned_data["excellent_from"],
                    form.cleaned_data["good_from"],
                    form.cleaned_data["pass_from"],
                ),
                notes=form.cleaned_data["notes"],
            ),
        )
        if formula is not None:
            messages.success(
                request,
                _("Draft version %(v)s saved. Put it into use when it is right.") % {"v": formula.version},
            )
            return redirect("carriers_console:formula", formula.pk)
    context = {"form": form, "family": family, "family_label": Family(family).label, "base": base}
    return render(request, "carriers/console/formula_form.html", context)


@console_required
def formula_detail(request: HttpRequest, pk: int) -> HttpResponse:
    formula = get_object_or_404(EvaluationFormula, pk=pk)
    if request.method == "POST":
        permissions.check_change_formulas(request.user)
        return act(
            request,
            lambda: services.activate_formula(formula, actor=request.user),
            _("Version %(v)s is now in use.") % {"v": formula.version},
            "carriers_console:formula",
            formula.pk,
        )
    context = {
        "formula": formula,
        "terms": formula.terms(),
        "used": formula.evaluations.count(),
        "history": audit.history_rows(formula, limit=20),
        "can_activate": formula.status == FormulaStatus.DRAFT and is_operator(request.user),
    }
    return render(request, "carriers/console/formula.html", context)


# ---- designations and R&D input ------------------------------------------------------------------------


@console_required
def designation_list(request: HttpRequest) -> HttpResponse:
    qs = Designation.objects.select_related("organization").order_by("-year", "organization__name", "pk")
    kind = request.GET.get("kind", "")
    if kind:
        qs = qs.filter(kind=kind)
    return render(
        request,
        "carriers/console/designations.html",
        {
            "page": paginate(request, qs),
            "may_record": permissions.can_record_designations(request.user),
            "can_import": can_import(request.user, "designations"),
        },
    )


@staff_required
def designation_create(request: HttpRequest) -> HttpResponse:
    form = DesignationForm(request.POST or None)
    if request.method == "POST":
        designation = save_form(
            request,
            form,
            lambda: services.record_designation(
                form.cleaned_data["organization"],
                actor=request.user,
                data={k: form.cleaned_data[k] for k in DesignationForm.Meta.fields},
            ),
        )
        if designation is not None:
            messages.success(
                request, _("%(name)s: designation recorded.") % {"name": designation.organization.name}
            )
            if request.POST.get("and_another"):
                return redirect("carriers_console:designation_create")
            return redirect("carriers_console:designations")
    return form_page(
        request,
        form,
        _("Record a designation"),
        reverse("carriers_console:designations"),
        {"another_label": _("Save and record another")},
    )


@staff_required
@require_POST
def designation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    designation = get_object_or_404(Designation, pk=pk, status=DesignationStatus.ACTIVE)
    reason = (request.POST.get("reason") or "").strip()[:1000]
    return act(
        request,
        lambda: services.revoke_designation(designation, actor=request.user, reason=reason),
        _("The designation was revoked."),
        "carriers_console:designations",
    )


@console_required
def rd_input_list(request: HttpRequest) -> HttpResponse:
    year = whole_number(request.GET.get("year"), 1980, 2100) or timezone.localdate().year - 1
    rows = permissions.rd_inputs_visible(request.user).filter(year=year).order_by("organization__name")
    context = {"page": paginate(request, rows), "year": year, "stats": queries.rd_input_stats(year)}
    return render(request, "carriers/console/rd_input.html", context)


# ---- alliances ----------------------------------------------------------------------------------------


@operator_required
def alliance_create(request: HttpRequest) -> HttpResponse:
    form = AllianceForm(request.POST or None)
    if request.method == "POST":
        alliance = save_form(
            request,
            form,
            lambda: services.register_alliance(
                actor=request.user,
                lead=form.cleaned_data["lead"],
                data=form.service_data(),
                fields=form.cleaned_data.get("fields") or [],
            ),
        )
        if alliance is not None:
            messages.success(request, _("The alliance was registered."))
            return redirect("carriers:alliance", alliance.pk)
    return form_page(request, form, _("Register an alliance"), reverse("carriers:alliances"))


@operator_required
@require_POST
def alliance_status(request: HttpRequest, pk: int) -> HttpResponse:
    alliance = permissions.alliance_for(request.user, pk)
    active = request.POST.get("active") == "1"
    return act(
        request,
        lambda: services.set_alliance_status(alliance, actor=request.user, active=active),
        _("The alliance is active again.") if active else _("The alliance was marked dissolved."),
        "carriers:alliance",
        alliance.pk,
    )


# ---- typical cases ------------------------------------------------------------------------------------


@staff_required
def case_list(request: HttpRequest) -> HttpResponse:
    qs = TypicalCase.objects.order_by("-updated_at", "-pk")
    status = request.GET.get("status", "")
    if status in CaseStatus.values:
        qs = qs.filter(status=status)
    return render(
        request,
        "carriers/console/cases.html",
        {"page": paginate(request, qs), "status": status, "statuses": CaseStatus.choices},
    )


@staff_required
def case_create(request: HttpRequest) -> HttpResponse:
    """Write a case by hand or from a platform record (picked by kind and number; facts are copied)."""
    source_form = CaseSourceForm(request.POST or request.GET or None)
    facts: dict[str, Any] | None = None
    if source_form.is_bound and source_form.is_valid() and source_form.cleaned_data.get("source_kind"):
        source = case_source(source_form.cleaned_data["source_kind"])
        if source is not None:
            facts = source.facts(request.user, source_form.cleaned_data["source_id"])
            if facts is None:
                source_form.add_error("source_id", _("No such record, or it cannot be used for a case."))
    initial: dict[str, Any] = {}
    if facts:
        initial = {"title": facts.get("title", ""), "year": (facts.get("date") or "")[:4] or None}
    form = CaseForm(request.POST or None, initial=initial)
    if request.method == "POST":
        src = source_form.cleaned_data if source_form.is_valid() else {}
        if source_form.errors:
            form.is_valid()
            messages.error(request, _("Nothing was saved. Please correct the errors below."))
        else:
            case = save_form(
                request,
                form,
                lambda: services.create_case(
                    actor=request.user,
                    source_kind=src.get("source_kind") or "",
                    source_id=src.get("source_id"),
                    **form.service_kwargs(created=True),
                ),
            )
            if case is not None:
                messages.success(request, _("The case was saved as a draft."))
                return redirect("carriers_console:case", case.pk)
    context = {
        "form": form,
        "source_form": source_form,
        "facts": facts,
        "sources": case_sources(),
        "page_title": _("Write a typical case"),
    }
    return render(request, "carriers/console/case_form.html", context)


@staff_required
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(TypicalCase, pk=pk)
    if request.method == "POST" and request.POST.get("action") in ("publish", "withdraw"):
        if request.POST["action"] == "publish":
            return act(
                request,
                lambda: services.publish_case(case, actor=request.user),
                _("The case was published."),
                "carriers_console:case",
                case.pk,
            )
        return act(
            request,
            lambda: services.withdraw_case(case, actor=request.user, reason=request.POST.get("reason", "")),
            _("The case was withdrawn."),
            "carriers_console:case",
            case.pk,
        )
    form = CaseForm(request.POST or None, instance=case)
    if request.method == "POST":
        done = save_form(
            request,
            form,
            lambda: services.update_case(
                case,
                actor=request.user,
                refresh_facts=bool(request.POST.get("refresh_facts")),
                **form.service_kwargs(created=False),
            ),
        )
        if done is not None:
            messages.success(request, _("Your changes were saved."))
            return redirect("carriers_console:case", case.pk)
    context = {
        "form": form,
        "case": case,
        "facts": case.source_facts or None,
        "page_title": case.title,
        "history": audit.history_rows(case, limit=20),
    }
    return render(request, "carriers/console/case_form.html", context)


# ---- statistics -------------------------------------------------------------------------------------


def _stats_context(request: HttpRequest) -> dict[str, Any]:
    form = StatsFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    day = _stats_day(filters.get("year"))
    place = {"district": filters.get("district"), "zone": filters.get("zone")}
    rd_year = filters.get("year") or day.year - 1
    return {
        "form": form,
        "day": day,
        "carriers": queries.carrier_stats(day, **place),
        "designations": queries.designation_stats(day, **place),
        "rd": queries.rd_input_stats(rd_year, **place),
    }


@console_required
def stats(request: HttpRequest) -> HttpResponse:
    return render(request, "carriers/console/stats.html", _stats_context(request))


@console_required
def stats_xlsx(request: HttpRequest) -> HttpResponse:
    ctx = _stats_context(request)
    c, d, rd = ctx["carriers"], ctx["designations"], ctx["rd"]
    kind_labels = [str(label) for _k, label in c["kinds"]]
    sheets = [
        Sheet(
            _("Targets"),
            [_("Figure"), _("Value"), _("Target")],
            [[str(t["label"]), t["value"], t["target"]] for t in c["targets"]],
        ),
        Sheet(
            _("Carriers by kind"),
            [_("Kind of carrier"), *[str(label) for _lv, label in c["levels"]], _("Total")],
            [[r.label, *r.values.values(), r.total] for r in c["by_kind"]],
        ),
        Sheet(
            _("Carriers by district"),
            [_("District"), *kind_labels, _("Total")],
            [[r.label, *r.values.values(), r.total] for r in c["by_district"]],
        ),
        Sheet(
            _("Carriers by zone"),
            [_("Zone"), *kind_labels, _("Total")],
            [[r.label, *r.values.values(), r.total] for r in c["by_zone"]],
        ),
        Sheet(
            _("Designations by district"),
            [_("District"), *[str(label) for _k, label in d["kinds"]]],
            [[r.label, *r.values.values()] for r in d["by_district"]],
        ),
        Sheet(
            _("Designations by zone"),
            [_("Zone"), *[str(label) for _k, label in d["kinds"]]],
            [[r.label, *r.values.values()] for r in d["by_zone"]],
        ),
        Sheet(
            _("R&D input"),
            [_("Group"), _("Enterprises"), _("R&D expenditure (yuan)"), _("Revenue (yuan)"), _("R&D staff")],
            [
                *[[r["label"], r["n"], r["rd"], r["revenue"], r["staff"]] for r in rd["by_district"]],
                *[[r["label"], r["n"], r["rd"], r["revenue"], r["staff"]] for r in rd["by_zone"]],
            ],
        ),
    ]
    return xlsx_response(sheets, f"载体与企业统计-{ctx['day']:%Y%m%d}.xlsx")
