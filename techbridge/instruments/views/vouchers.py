"""Portal pages of innovation vouchers: open programmes and their rules, applying, my vouchers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from techbridge.core import audit
from techbridge.core.errors import act

from .. import permissions
from ..choices import ProgrammeStatus
from ..forms import VoucherApplyForm
from ..models import Voucher, VoucherProgramme, VoucherRedemption
from ..services import vouchers as services
from .common import form_error


def voucher_home(request: HttpRequest) -> HttpResponse:
    """Programmes open for applications with their rules, and the signed-in organisation's vouchers."""
    user = request.user
    programmes = list(VoucherProgramme.objects.filter(status=ProgrammeStatus.OPEN).order_by("-year", "name"))
    for p in programmes:
        p.refusal = permissions.voucher_refusal(user, p) if user.is_authenticated else None  # type: ignore[attr-defined]
    mine = []
    if permissions.has_organization(user):
        mine = list(
            Voucher.objects.filter(enterprise_id=user.organization_id)  # type: ignore[union-attr]
            .select_related("programme")
            .order_by("-created_at")[:50]
        )
    return render(request, "instruments/portal/vouchers.html", {"programmes": programmes, "mine": mine})


@login_required
def voucher_apply(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(VoucherProgramme, pk=pk, status=ProgrammeStatus.OPEN)
    refusal = permissions.voucher_refusal(request.user, programme)
    if refusal:
        raise PermissionDenied(refusal)
    form = VoucherApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            voucher = services.apply_for_voucher(
                actor=request.user,
                programme=programme,
                purpose=form.cleaned_data["purpose"],
                requested_amount=form.cleaned_data["requested_amount"],
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Your application was sent to the platform for approval."))
            return redirect("instruments:voucher", voucher.pk)
    return render(
        request,
        "instruments/portal/voucher_apply.html",
        {"programme": programme, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def voucher_detail(request: HttpRequest, pk: int) -> HttpResponse:
    voucher = permissions.voucher_for(request.user, pk)
    redemptions = list(
        VoucherRedemption.objects.filter(voucher=voucher)
        .select_related("invoice", "provider")
        .order_by("-created_at")
    )
    context = {
        "voucher": voucher,
        "redemptions": redemptions,
        "history": list(audit.history(voucher)[:30]),
        "is_holder": permissions.has_organization(request.user)
        and request.user.organization_id == voucher.enterprise_id,  # type: ignore[union-attr]
    }
    return render(request, "instruments/portal/voucher.html", context)


@login_required
@require_POST
def voucher_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    voucher = permissions.voucher_for(request.user, pk)
    user: Any = request.user
    if not (permissions.has_organization(user) and user.organization_id == voucher.enterprise_id):
        raise PermissionDenied(_("Only the applying organisation can withdraw this application."))
    return act(
        request,
        lambda: services.withdraw_voucher(voucher, actor=request.user),
        _("Application withdrawn."),
        "instruments:voucher",
        voucher.pk,
    )
