"""Console pages: voucher programmes, applications and claims; service platforms; utilisation overview."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from techbridge.core import audit
from techbridge.core.errors import act
from techbridge.core.permissions import console_required
from techbridge.organizations.choices import District

from .. import permissions, queries
from ..choices import PlatformStatus, RedemptionStatus, VoucherStatus
from ..forms import PlatformForm, ProgrammeForm, QuotaForm, ReasonForm, SettleForm
from ..models import ServicePlatform, Voucher, VoucherProgramme, VoucherRedemption
from ..rules import LowExternalUseRule
from ..services import platforms as platform_services
from ..services import vouchers as services
from .common import form_error
from .utilisation import chart_data

VOUCHER_TABS = [
    ("applied", VoucherStatus.APPLIED.label),
    ("approved", VoucherStatus.APPROVED.label),
    ("rejected", VoucherStatus.REJECTED.label),
    ("expired", VoucherStatus.EXPIRED.label),
]


# ---- vouchers --------------------------------------------------------------------------------------


@console_required
def vouchers(request: HttpRequest) -> HttpResponse:
    """Programmes with their budgets, and applications by state (oldest first: who waited longest)."""
    tab = request.GET.get("tab") or "applied"
    if tab not in dict(VOUCHER_TABS):
        tab = "applied"
    programmes = list(VoucherProgramme.objects.order_by("-year", "name")[:50])
    qs = (
        Voucher.objects.filter(status=tab)
        .select_related("programme", "enterprise", "applied_by")
        .order_by("created_at", "id")
    )
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    context = {
        "programmes": programmes,
        "page": page,
        "tab": tab,
        "tabs": VOUCHER_TABS,
        "can_manage": permissions.can_manage_programmes(request.user),
    }
    return render(request, "instruments/console/vouchers.html", context)


@console_required
def programme_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Create a programme, or read one (and edit it while it is a draft): operators only may save."""
    programme = get_object_or_404(VoucherProgramme, pk=pk) if pk else None
    can_manage = permissions.can_manage_programmes(request.user)
    if programme is None and not can_manage:
        raise PermissionDenied(_("Only platform operators manage voucher programmes."))
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(_("Only platform operators manage voucher programmes."))
        if form.is_valid():
            try:
                if programme is None:
                    programme = services.create_programme(actor=request.user, data=form.cleaned_data)
                else:
                    services.update_programme(programme, actor=request.user, data=form.cleaned_data)
            except ValidationError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("instruments_console:programme", programme.pk)
    context = {
        "programme": programme,
        "form": form,
        "can_manage": can_manage,
        "history": list(audit.history(programme)[:20]) if programme else [],
    }
    return render(request, "instruments/console/programme.html", context, status=400 if form.errors else 200)


@console_required
@require_POST
def programme_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    programme = get_object_or_404(VoucherProgramme, pk=pk)
    if not permissions.can_manage_programmes(request.user):
        raise PermissionDenied(_("Only platform operators manage voucher programmes."))
    funcs = {
        "open": (
            lambda: services.open_programme(programme, actor=request.user),
            _("The programme takes applications."),
        ),
        "close": (
            lambda: services.close_programme(programme, actor=request.user),
            _("The programme is closed."),
        ),
    }
    if action not in funcs:
        raise Http404
    func, success = funcs[action]
    return act(request, func, success, "instruments_console:programme", programme.pk)


@console_required
def voucher_review(request: HttpRequest, pk: int) -> HttpResponse:
    voucher = get_object_or_404(
        Voucher.objects.select_related("programme", "enterprise", "applied_by"), pk=pk
    )
    others = (
        Voucher.objects.filter(enterprise=voucher.enterprise)
        .exclude(pk=voucher.pk)
        .select_related("programme")[:20]
    )
    context = {
        "voucher": voucher,
        "others": list(others),
        "redemptions": list(voucher.redemptions.select_related("invoice", "provider")),
        "can_decide": permissions.can_decide_voucher(request.user),
        "quota_form": QuotaForm(initial={"quota": voucher.requested_amount}),
        "reason_form": ReasonForm(),
        "history": list(audit.history(voucher)[:30]),
    }
    return render(request, "instruments/console/voucher.html", context)


@console_required
@require_POST
def voucher_decide(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    voucher = get_object_or_404(Voucher.objects.select_related("programme"), pk=pk)
    if not permissions.can_decide_voucher(request.user):
        raise PermissionDenied(_("Only platform staff decide voucher applications."))
    to = ("instruments_console:voucher", voucher.pk)
    if action == "approve":
        form = QuotaForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Enter the approved quota in yuan."))
            return redirect(*to)
        quota = form.cleaned_data["quota"]
        return act(
            request,
            lambda: services.approve_voucher(voucher, actor=request.user, quota=quota),
            _("Voucher approved."),
            *to,
        )
    if action == "reject":
        reason = (request.POST.get("reason") or "")[:500]
        return act(
            request,
            lambda: services.reject_voucher(voucher, actor=request.user, reason=reason),
            _("Application rejected."),
            *to,
        )
    raise Http404


@console_required
def claims(request: HttpRequest) -> HttpResponse:
    """Voucher payments claimed by providers, awaiting settlement (and those settled)."""
    tab = request.GET.get("tab") or RedemptionStatus.CLAIMED
    if tab not in RedemptionStatus.values:
        tab = RedemptionStatus.CLAIMED
    qs = (
        VoucherRedemption.objects.filter(status=tab)
        .select_related("voucher", "voucher__enterprise", "voucher__programme", "provider", "invoice")
        .order_by("claimed_at", "created_at", "id")
    )
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "tab": tab,
        "tabs": RedemptionStatus.choices,
        "can_settle": permissions.can_settle(request.user),
        "settle_form": SettleForm(),
        "reason_form": ReasonForm(),
    }
    return render(request, "instruments/console/claims.html", context)


@console_required
@require_POST
def claim_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    redemption = permissions.redemption_for(request.user, pk)
    if not permissions.can_settle(request.user):
        raise PermissionDenied(_("Only platform staff settle voucher claims."))
    if action == "settle":
        reference = (request.POST.get("reference") or "")[:100]
        func: Any = lambda: services.settle_redemption(redemption, actor=request.user, reference=reference)  # noqa: E731
        success = _("Claim settled.")
    elif action == "return":
        reason = (request.POST.get("reason") or "")[:500]
        func = lambda: services.return_claim(redemption, actor=request.user, reason=reason)  # noqa: E731
        success = _("Claim returned to the provider.")
    else:
        raise Http404
    response = act(request, func, success, "instruments_console:claims")
    response["Location"] += "?tab=claimed"
    return response


# ---- platforms -------------------------------------------------------------------------------------


@console_required
def platforms(request: HttpRequest) -> HttpResponse:
    """Every designated platform with its state; the count against the plan's target of 10."""
    rows = list(
        ServicePlatform.objects.select_related("industry", "host", "host__zone").order_by(
            "status", "industry__order", "name"
        )
    )
    context = {
        "platforms": rows,
        "operating": sum(1 for p in rows if p.status == PlatformStatus.OPERATING),
        "target": 10,
        "can_designate": permissions.can_designate_platforms(request.user),
    }
    return render(request, "instruments/console/platforms.html", context)


@console_required
def platform_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    platform = get_object_or_404(ServicePlatform, pk=pk) if pk else None
    can = permissions.can_designate_platforms(request.user)
    if platform is None and not can:
        raise PermissionDenied(_("Only platform operators record designated service platforms."))
    form = PlatformForm(request.POST or None, instance=platform)
    if request.method == "POST":
        if not can:
            raise PermissionDenied(_("Only platform operators record designated service platforms."))
        if form.is_valid():
            try:
                if platform is None:
                    platform = platform_services.designate_platform(
                        actor=request.user, data=form.service_data()
                    )
                else:
                    platform_services.update_platform(platform, actor=request.user, data=form.service_data())
            except ValidationError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("instruments_console:platform", platform.pk)
    context = {
        "platform": platform,
        "form": form,
        "can_designate": can,
        "reason_form": ReasonForm(),
        "history": list(audit.history(platform)[:20]) if platform else [],
    }
    return render(request, "instruments/console/platform.html", context, status=400 if form.errors else 200)


@console_required
@require_POST
def platform_status(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    platform = get_object_or_404(ServicePlatform, pk=pk)
    if not permissions.can_designate_platforms(request.user):
        raise PermissionDenied(_("Only platform operators change a platform's status."))
    status = {
        "suspend": PlatformStatus.SUSPENDED,
        "reopen": PlatformStatus.OPERATING,
        "close": PlatformStatus.CLOSED,
    }.get(action)
    if status is None:
        raise Http404
    reason = (request.POST.get("reason") or "")[:500]
    return act(
        request,
        lambda: platform_services.set_platform_status(platform, status, actor=request.user, reason=reason),
        _("Saved."),
        "instruments_console:platform",
        platform.pk,
    )


# ---- utilisation -----------------------------------------------------------------------------------


@console_required
def utilisation(request: HttpRequest) -> HttpResponse:
    """Across all owners: hours per month, owners by hours served, publicly funded instruments flagged."""
    rule = LowExternalUseRule.from_settings()
    months = queries.months_back(rule.window_months)
    district = request.GET.get("district") or ""
    if district not in District.values:
        district = ""
    flagged = queries.flagged(months, rule=rule)
    page = Paginator(flagged, 50).get_page(request.GET.get("page"))
    context = {
        "series_chart": chart_data(queries.monthly_series(None, months)),
        "owners": queries.owner_summary(months, district=district, limit=100),
        "page": page,
        "flagged_count": len(flagged),
        "rule": rule,
        "months": months,
        "district": district,
        "districts": District.choices,
    }
    return render(request, "instruments/console/utilisation.html", context)
