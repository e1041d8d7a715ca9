"""Console pages of ipservices: industries, the patent register, assistance requests and statistics, IP
service providers, IP-intensive enterprises."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from techbridge.core.errors import message_of
from techbridge.core.permissions import console_required, operator_required, staff_required
from techbridge.core.roles import is_operator
from techbridge.core.workflow import TransitionError
from techbridge.lib.numbers import whole_number

from .. import queries
from ..choices import OPEN_ASSISTANCE, AssistanceKind, AssistanceOutcome, AssistanceStatus
from ..forms import (
    DesignationForm,
    IndicatorsForm,
    IndustryForm,
    LegalStatusForm,
    PatentForm,
    ProviderForm,
    ReasonForm,
    RegisterFilterForm,
    SubmitForm,
)
from ..models import AssistanceRequest, Designation, EnterpriseIndicators, Industry, Patent, ServiceProvider
from ..services import enterprises, navigation, register
from . import apply_errors, page_of

ERRORS = (ValidationError, PermissionDenied, TransitionError)


# ---- industries ---------------------------------------------------------------------------------------


@staff_required
def industries(request: HttpRequest) -> HttpResponse:
    return render(request, "ipservices/console/industries.html", {"industries": list(queries.industries())})


@staff_required
def industry_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    industry = get_object_or_404(Industry, pk=pk) if pk else None
    form = IndustryForm(request.POST or None, instance=industry)
    if request.method == "POST" and form.is_valid():
        try:
            saved = navigation.save_industry(actor=request.user, values=form.cleaned_data, industry=industry)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("Industry “%(name)s” saved; its patents are computed.") % {"name": saved.name}
            )
            return redirect("ipservices:industry", saved.pk)
    return render(request, "ipservices/console/industry_form.html", {"form": form, "industry": industry})


# ---- the register -------------------------------------------------------------------------------------


@staff_required
def patents(request: HttpRequest) -> HttpResponse:
    form = RegisterFilterForm(request.GET or None)
    qs = form.filter(queries.register_list())
    page = page_of(request, qs)
    return render(
        request, "ipservices/console/patents.html", {"form": form, "page": page, "patents": page.object_list}
    )


@staff_required
def patent_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    patent = get_object_or_404(Patent, pk=pk) if pk else None
    form = PatentForm(request.POST or None, instance=patent)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items()}
        values["application_number"] = values.get("application_number") or None
        try:
            if patent is None:
                saved = register.create_patent(actor=request.user, values=values)
            else:
                saved = register.update_patent(patent, actor=request.user, values=values)
        except ValidationError as exc:
            if patent is not None:
                patent.refresh_from_db()
            apply_errors(form, exc)
        else:
            messages.success(request, _("Patent saved."))
            return redirect("ipservices:patent", saved.pk)
    return render(
        request,
        "ipservices/console/patent_form.html",
        {
            "form": form,
            "patent": patent,
            "status_form": LegalStatusForm(initial={"legal_status": getattr(patent, "legal_status", "")}),
        },
    )


@staff_required
@require_POST
def patent_status(request: HttpRequest, pk: int) -> HttpResponse:
    patent = get_object_or_404(Patent, pk=pk)
    form = LegalStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a legal status."))
        return redirect("ipservices_console:patent_edit", patent.pk)
    try:
        register.change_legal_status(
            patent,
            form.cleaned_data["legal_status"],
            actor=request.user,
            status_date=form.cleaned_data["status_date"],
            text=form.cleaned_data["text"],
        )
    except ERRORS as exc:
        messages.error(request, message_of(exc))
        return redirect("ipservices_console:patent_edit", patent.pk)
    messages.success(request, _("Legal status changed."))
    return redirect("ipservices:patent", patent.pk)


# ---- assistance ---------------------------------------------------------------------------------------


@staff_required
def assistance(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    qs = AssistanceRequest.objects.exclude(status=AssistanceStatus.DRAFT).select_related(
        "applicant", "provider__organization", "industry"
    )
    if status == "open":
        qs = qs.filter(status__in=OPEN_ASSISTANCE)
    elif status == "overdue":
        qs = qs.filter(status__in=OPEN_ASSISTANCE, due_date__lt=timezone.localdate())
    elif status in AssistanceStatus.values:
        qs = qs.filter(status=status)
    page = page_of(request, qs.order_by("due_date", "-id"))
    return render(
        request,
        "ipservices/console/assistance.html",
        {
            "page": page,
            "requests": page.object_list,
            "status": status,
            "statuses": AssistanceStatus.choices,
            "submit_form": SubmitForm(),
        },
    )


def assistance_statistics(year: int | None = None) -> dict[str, Any]:
    """Counts of assistance requests (drafts left out) by industry, kind, status and outcome, with the
    median-free average handling time of closed ones. Aggregates only: no request is identified."""
    qs = AssistanceRequest.objects.exclude(status=AssistanceStatus.DRAFT)
    if year:
        qs = qs.filter(submitted_at__year=year)
    kinds = dict(AssistanceKind.choices)
    outcomes = dict(AssistanceOutcome.choices)
    statuses = dict(AssistanceStatus.choices)
    rows = list(
        qs.values("industry__name")
        .annotate(
            total=Count("id"),
            infringement=Count("id", filter=Q(kind=AssistanceKind.INFRINGEMENT)),
            accused=Count("id", filter=Q(kind=AssistanceKind.ACCUSED)),
            ownership=Count("id", filter=Q(kind=AssistanceKind.OWNERSHIP)),
            open=Count("id", filter=Q(status__in=OPEN_ASSISTANCE)),
            closed=Count("id", filter=Q(status=AssistanceStatus.CLOSED)),
            overdue=Count("id", filter=Q(status__in=OPEN_ASSISTANCE, due_date__lt=timezone.localdate())),
        )
        .order_by("-total", "industry__name")
    )
    by_industry: list[dict[str, Any]] = [
        {
            "industry": r["industry__name"] or _("Industry not given"),
            **{k: v for k, v in r.items() if k != "industry__name"},
        }
        for r in rows
    ]
    closed = qs.filter(status=AssistanceStatus.CLOSED, submitted_at__isnull=False, closed_at__isnull=False)
    avg = closed.aggregate(
        d=Avg(ExpressionWrapper(F("closed_at") - F("submitted_at"), output_field=DurationField()))
    )["d"]
    return {
        "total": qs.count(),
        "by_industry": by_industry,
        "by_kind": [
            {"code": r["kind"], "label": str(kinds.get(r["kind"], r["kind"])), "count": r["n"]}
            for r in qs.values("kind").annotate(n=Count("id")).order_by("-n")
        ],
        "by_status": [
            {"code": r["status"], "label": str(statuses.get(r["status"], r["status"])), "count": r["n"]}
            for r in qs.values("status").annotate(n=Count("id")).order_by("-n")
        ],
        "by_outcome": [
            {"code": r["outcome"], "label": str(outcomes.get(r["outcome"], r["outcome"])), "count": r["n"]}
            for r in closed.values("outcome").annotate(n=Count("id")).order_by("-n")
        ],
        "average_days": round(avg.total_seconds() / 86400, 1) if avg else None,
    }


@console_required
def assistance_stats(request: HttpRequest) -> HttpResponse:
    this_year = timezone.localdate().year
    year = whole_number(request.GET.get("year"), 2000, this_year)
    return render(
        request,
        "ipservices/console/assistance_stats.html",
        {
            "stats": assistance_statistics(year),
            "year": year,
            "years": list(range(this_year, this_year - 6, -1)),
        },
    )


# ---- providers ----------------------------------------------------------------------------------------


@operator_required
def providers(request: HttpRequest) -> HttpResponse:
    form = ProviderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            enterprises.save_provider(data["organization"], actor=request.user, values=data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Provider saved."))
            return redirect("ipservices_console:providers")
    rows = ServiceProvider.objects.select_related("organization").annotate(
        open_assistance=Count(
            "assistance_requests", filter=Q(assistance_requests__status__in=OPEN_ASSISTANCE)
        ),
    )
    return render(request, "ipservices/console/providers.html", {"form": form, "providers": rows})


# ---- IP-intensive enterprises -------------------------------------------------------------------------


@staff_required
def enterprises_page(request: HttpRequest) -> HttpResponse:
    form = IndicatorsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            enterprises.record_indicators(
                d["organization"],
                d["year"],
                actor=request.user,
                employees=d["employees"],
                rd_employees=d["rd_employees"],
            )
        except ERRORS as exc:
            if isinstance(exc, ValidationError):
                apply_errors(form, exc)
            else:
                raise
        else:
            messages.success(request, _("Indicators recorded."))
            return redirect("ipservices_console:enterprises")
    indicators = page_of(
        request,
        EnterpriseIndicators.objects.select_related("organization").order_by("-year", "-patents_in_force"),
    )
    return render(
        request,
        "ipservices/console/enterprises.html",
        {
            "form": form,
            "designation_form": DesignationForm(),
            "page": indicators,
            "indicators": indicators.object_list,
            "designations": Designation.objects.select_related("organization", "industry")[:100],
            "bases": queries.bases_with_counts(),
            "can_designate": is_operator(request.user),
            "reason_form": ReasonForm(),
        },
    )


@operator_required
@require_POST
def designate(request: HttpRequest) -> HttpResponse:
    form = DesignationForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("ipservices_console:enterprises")
    d = form.cleaned_data
    try:
        enterprises.designate(
            d["organization"], d["year"], actor=request.user, industry=d["industry"], note=d["note"]
        )
    except ValidationError as exc:
        messages.error(request, message_of(exc))
    else:
        messages.success(
            request,
            _("%(org)s designated for %(year)s.") % {"org": d["organization"].name, "year": d["year"]},
        )
    return redirect("ipservices_console:enterprises")


@operator_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    designation = get_object_or_404(Designation, pk=pk)
    form = ReasonForm(request.POST)
    try:
        enterprises.revoke(
            designation, actor=request.user, reason=form.cleaned_data["reason"] if form.is_valid() else ""
        )
    except ValidationError as exc:
        messages.error(request, message_of(exc))
    else:
        messages.success(request, _("Designation revoked."))
    return redirect("ipservices_console:enterprises")


@staff_required
def org_search(request: HttpRequest) -> HttpResponse:
    """Suggestions for an organisation field (search as you type): at most 20 approved organisations."""
    from techbridge.organizations.choices import OrgStatus
    from techbridge.organizations.models import Organization

    q = (request.GET.get("q") or request.GET.get("organization") or "").strip()[:100]
    rows = []
    if len(q) >= 2:
        rows = list(
            Organization.objects.filter(status=OrgStatus.APPROVED)
            .filter(Q(name__icontains=q) | Q(credit_code__istartswith=q))
            .order_by("name")
            .values("name", "credit_code", "kind")[:20]
        )
    return render(request, "ipservices/partials/org_options.html", {"rows": rows})
