"""Portal pages of carriers: the directory, a carrier's page, registration, firms and annual reports."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from techbridge.core import audit
from techbridge.core.errors import act
from techbridge.core.roles import is_console_user, is_operator

from .. import indicators, permissions, queries, services
from ..choices import CarrierStatus, FirmStatus
from ..forms import (
    CarrierFilterForm,
    CarrierForm,
    CloseFirmForm,
    FirmForm,
    NewReportForm,
    ReportForm,
    StatsFilterForm,
)
from ..models import AnnualReport, IncubatedFirm
from .common import form_page, paginate, save_form


def carrier_list(request: HttpRequest) -> HttpResponse:
    """Approved carriers, filterable by kind, level, district, zone and field."""
    form = CarrierFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    qs = queries.filter_carriers(queries.visible_carriers(request.user), filters)
    if not is_console_user(request.user):
        qs = qs.filter(status=CarrierStatus.APPROVED)
    page = paginate(request, qs.order_by("name", "pk"))
    return render(request, "carriers/portal/list.html", {"form": form, "page": page})


def carrier_detail(request: HttpRequest, pk: int) -> HttpResponse:
    carrier = permissions.carrier_for(
        request.user, pk, queries.visible_carriers(request.user).select_related("operator", "zone")
    )
    manage = permissions.can_manage_carrier(request.user, carrier)
    see_reports = permissions.can_see_reports(request.user, carrier)
    firms = carrier.firms.aggregate(
        incubating=Count("pk", filter=Q(status=FirmStatus.INCUBATING)),
        graduated=Count("pk", filter=Q(status=FirmStatus.GRADUATED)),
    )
    context = {
        "carrier": carrier,
        "hosts": list(carrier.hosts.all()),
        "firms": firms,
        "can_manage": manage,
        "see_reports": see_reports,
        "reports": list(carrier.reports.order_by("-year")) if see_reports else [],
        "evaluations": list(
            carrier.evaluations.select_related("formula").order_by("-year", "-issued_at")[:10]
        )
        if see_reports
        else [],
        "cases": list(carrier.cases.filter(status="published")[:5]),
        "next_year": timezone.localdate().year - 1,
        "history": audit.history_rows(carrier, limit=20) if manage or is_console_user(request.user) else [],
    }
    return render(request, "carriers/portal/detail.html", context)


@login_required
def carrier_create(request: HttpRequest) -> HttpResponse:
    permissions.check_register_carrier(request.user)
    form = CarrierForm(request.POST or None, on_behalf=is_operator(request.user))
    if request.method == "POST":
        carrier = save_form(
            request, form, lambda: services.register_carrier(actor=request.user, **form.service_kwargs())
        )
        if carrier is not None:
            if request.POST.get("and_submit"):
                return act(
                    request,
                    lambda: services.submit_carrier(carrier, actor=request.user),
                    _("The carrier was sent to the reviewers."),
                    "carriers:detail",
                    carrier.pk,
                )
            messages.success(request, _("Saved as a draft."))
            return redirect("carriers:detail", carrier.pk)
    return form_page(
        request,
        form,
        _("Register a carrier"),
        "/carriers/",
        {"submit_label": _("Save and submit for review")},
    )


@login_required
def carrier_edit(request: HttpRequest, pk: int) -> HttpResponse:
    carrier = permissions.managed_carrier_for(request.user, pk)
    form = CarrierForm(request.POST or None, instance=carrier)
    if request.method == "POST":
        approved = carrier.status == CarrierStatus.APPROVED
        changed = save_form(
            request,
            form,
            lambda: services.update_carrier(carrier, actor=request.user, **form.service_kwargs()) or [],
        )
        if changed is not None:
            carrier.refresh_from_db()
            if approved and carrier.status == CarrierStatus.SUBMITTED:
                messages.warning(request, _("The recognition changed, so the carrier went back to review."))
            else:
                messages.success(request, _("Your changes were saved."))
            return redirect("carriers:detail", carrier.pk)
    warn = carrier.status == CarrierStatus.APPROVED
    return form_page(
        request,
        form,
        _("Edit %(name)s") % {"name": carrier.name},
        f"/carriers/{carrier.pk}/",
        {"obj": carrier, "warn_recognition": warn},
    )


@login_required
@require_POST
def carrier_submit(request: HttpRequest, pk: int) -> HttpResponse:
    carrier = permissions.managed_carrier_for(request.user, pk)
    return act(
        request,
        lambda: services.submit_carrier(carrier, actor=request.user),
        _("The carrier was sent to the reviewers."),
        "carriers:detail",
        carrier.pk,
    )


# ---- firms ------------------------------------------------------------------------------------------


@login_required
def carrier_firms(request: HttpRequest, pk: int) -> HttpResponse:
    """The carrier's firms; its managers admit new ones here."""
    carrier = permissions.carrier_for(request.user, pk)
    permissions.check_see_firms(request.user, carrier)
    manage = permissions.can_manage_carrier(request.user, carrier)
    form = FirmForm(request.POST or None)
    if request.method == "POST":
        permissions.check_record_firms(request.user, carrier)
        firm = save_form(
            request, form, lambda: services.admit_firm(carrier, actor=request.user, data=form.service_data())
        )
        if firm is not None:
            messages.success(request, _("%(name)s was recorded.") % {"name": firm.name})
            return redirect("carriers:firms", carrier.pk)
    firms = carrier.firms.select_related("field", "organization")
    context = {
        "carrier": carrier,
        "page": paginate(request, firms),
        "form": form,
        "close_form": CloseFirmForm(initial={"on": timezone.localdate()}),
        "can_manage": manage,
    }
    return render(request, "carriers/portal/firms.html", context)


@login_required
@require_POST
def firm_close(request: HttpRequest, pk: int) -> HttpResponse:
    firm = get_object_or_404(IncubatedFirm.objects.select_related("carrier"), pk=pk)
    carrier = permissions.carrier_for(request.user, firm.carrier_id)
    permissions.check_record_firms(request.user, carrier)
    form = CloseFirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the outcome and a valid date."))
        return redirect("carriers:firms", carrier.pk)
    graduated = form.cleaned_data["outcome"] == "graduated"
    return act(
        request,
        lambda: services.close_firm(
            firm, actor=request.user, graduated=graduated, on=form.cleaned_data["on"]
        ),
        _("%(name)s graduated.") % {"name": firm.name}
        if graduated
        else _("%(name)s left.") % {"name": firm.name},
        "carriers:firms",
        carrier.pk,
    )


# ---- annual reports -----------------------------------------------------------------------------------


@login_required
def report_create(request: HttpRequest, pk: int) -> HttpResponse:
    carrier = permissions.managed_carrier_for(request.user, pk)
    initial = {"year": request.GET.get("year") or timezone.localdate().year - 1}
    form = NewReportForm(request.POST or None, carrier=carrier, initial=initial)
    if request.method == "POST":
        report = save_form(
            request,
            form,
            lambda: services.start_report(
                carrier,
                actor=request.user,
                year=form.cleaned_data["year"],
                data=_without_year(form.service_data()),
            ),
        )
        if report is not None:
            messages.success(request, _("Saved as a draft. Submit it when every figure is in."))
            return redirect("carriers:report", report.pk)
    return form_page(
        request,
        form,
        _("Annual report of %(name)s") % {"name": carrier.name},
        f"/carriers/{carrier.pk}/",
        {
            "obj": carrier,
            "intro": _(
                "Declare the year's figures; 0 where there is nothing. "
                "Reviewers compare them with the records."
            ),
        },
    )


def _without_year(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "year"}


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A report: its figures beside what the platform's records say; an edit form while it is editable."""
    report = permissions.report_for(request.user, pk)
    carrier = report.carrier
    editable = permissions.can_edit_report(request.user, report)
    form = ReportForm(request.POST or None, instance=report, carrier=carrier) if editable else None
    if request.method == "POST":
        permissions.check_file_reports(request.user, carrier)
        if form is None:  # submitted or accepted: the state refuses, not the person
            messages.error(request, _("This report can no longer be changed."))
            return redirect("carriers:report", report.pk)
        if (
            save_form(
                request,
                form,
                lambda: services.update_report(report, actor=request.user, data=form.service_data()),
            )
            is not None
        ):
            if request.POST.get("and_submit"):
                return act(
                    request,
                    lambda: services.submit_report(report, actor=request.user),
                    _("The report was sent to the reviewers."),
                    "carriers:report",
                    report.pk,
                )
            messages.success(request, _("Your changes were saved."))
            return redirect("carriers:report", report.pk)
    return render(request, "carriers/portal/report.html", _report_context(request, report, form))


def _report_context(request: HttpRequest, report: AnnualReport, form: ReportForm | None) -> dict:
    carrier = report.carrier
    on_record = services.firms_on_record(carrier, report.year)
    rows = []
    for indicator in indicators.indicators_for(carrier.family):
        rows.append(
            {
                "label": indicator.label,
                "money": indicator.money,
                "value": getattr(report, indicator.code),
                "record": on_record.get(indicator.code),
            }
        )
    return {
        "report": report,
        "carrier": carrier,
        "rows": rows,
        "form": form,
        "evaluations": list(report.evaluations.select_related("formula").order_by("-issued_at")),
        "history": audit.history_rows(report, limit=20),
        "can_manage": permissions.can_manage_carrier(request.user, carrier),
        "can_submit": report.editable and permissions.can_manage_carrier(request.user, carrier),
    }


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = permissions.report_for(request.user, pk)
    permissions.check_file_reports(request.user, report.carrier)
    return act(
        request,
        lambda: services.submit_report(report, actor=request.user),
        _("The report was sent to the reviewers."),
        "carriers:report",
        report.pk,
    )


# ---- statistics ---------------------------------------------------------------------------------------


def stats(request: HttpRequest) -> HttpResponse:
    """Recognised carriers and designated enterprises, by kind, district and zone, against the targets."""
    form = StatsFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    day = _stats_day(filters.get("year"))
    place = {"district": filters.get("district"), "zone": filters.get("zone")}
    context = {
        "form": form,
        "carriers": queries.carrier_stats(day, **place),
        "designations": queries.designation_stats(day, **place),
        "day": day,
    }
    return render(request, "carriers/portal/stats.html", context)


def _stats_day(year: int | None) -> dt.date:
    today = timezone.localdate()
    if not year or year >= today.year:
        return today
    return dt.date(year, 12, 31)
