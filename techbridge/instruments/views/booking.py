"""Portal pages of bookings, usage, fee statements and service orders the user is part of."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from techbridge.core import audit
from techbridge.core.errors import act

from .. import permissions
from ..choices import BookingStatus, UsageStatus
from ..forms import ReasonForm, StopForm, UsageForm, VoucherPickForm
from ..models import Booking, ServiceOrder, UsageRecord
from ..services import booking as services
from ..services import usage as usage_services
from ..services import vouchers as voucher_services

TABS = ("mine", "incoming", "orders")


@login_required
def booking_list(request: HttpRequest) -> HttpResponse:
    """My bookings, the requests waiting on my instruments, and service orders (as buyer or provider)."""
    user = request.user
    tab = request.GET.get("tab") or "mine"
    if tab not in TABS:
        tab = "mine"
    if tab == "orders":
        qs: Any = (
            ServiceOrder.objects.filter(permissions.visible_orders_q(user, as_staff=False))
            .select_related("offer", "platform", "organization")
            .order_by("-updated_at", "-id")
        )
    elif tab == "incoming":
        qs = (
            Booking.objects.filter(permissions.incoming_bookings_q(user))
            .select_related("instrument", "organization", "requester")
            .order_by("status", "starts_at", "id")
        )
        status = request.GET.get("status") or ""
        if status in BookingStatus.values:
            qs = qs.filter(status=status)
    else:
        qs = (
            Booking.objects.filter(permissions.requested_bookings_q(user))
            .select_related("instrument", "instrument__owner")
            .order_by("-starts_at", "-id")
        )
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    context = {
        "tab": tab,
        "page": page,
        "statuses": BookingStatus.choices,
        "status": request.GET.get("status") or "",
    }
    return render(request, "instruments/portal/bookings.html", context)


@login_required
def booking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    booking = permissions.booking_for(request.user, pk)
    user = request.user
    usage = UsageRecord.objects.filter(booking=booking).first()
    invoice = getattr(booking, "invoice", None) if _has_invoice(booking) else None
    decide = permissions.can_decide_booking(user, booking)
    context = {
        "booking": booking,
        "instrument": booking.instrument,
        "usage": usage,
        "invoice": invoice,
        "can_decide": decide,
        "is_requester": permissions.is_requester(user, booking),
        "can_cancel": permissions.can_cancel_booking(user, booking)
        and booking.status in (BookingStatus.REQUESTED, BookingStatus.APPROVED),
        "order": _order(booking),
        "history": list(audit.history(booking)[:30]),
        "reason_form": ReasonForm(),
        "usage_form": UsageForm(initial={"samples": booking.sample_count}),
        "stop_form": StopForm(initial={"samples": booking.sample_count}),
        "voucher_form": VoucherPickForm(user=user, use="instruments", initial={"voucher": booking.voucher_id})
        if permissions.is_requester(user, booking)
        else None,
        "running": usage is not None and usage.status == UsageStatus.RUNNING,
    }
    return render(request, "instruments/portal/booking.html", context)


def _has_invoice(booking: Booking) -> bool:
    from ..models import Invoice

    return Invoice.objects.filter(booking=booking).exists()


def _order(booking: Booking) -> Any:
    return ServiceOrder.objects.filter(booking=booking).first()


@login_required
@require_POST
def booking_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """approve, reject, cancel, no-show, start, stop, record (usage), voucher."""
    booking = permissions.booking_for(request.user, pk)
    user = request.user
    post = request.POST
    reason = (post.get("reason") or "")[:500]
    to = ("instruments:booking", booking.pk)
    if action in ("approve", "reject", "no_show", "start", "stop", "record"):
        permissions.check_may_decide(user, booking)
    if action == "approve":
        return act(
            request, lambda: services.approve_booking(booking, actor=user), _("Booking approved."), *to
        )
    if action == "reject":
        return act(
            request,
            lambda: services.reject_booking(booking, actor=user, reason=reason),
            _("Booking rejected."),
            *to,
        )
    if action == "cancel":
        if not permissions.can_cancel_booking(user, booking):
            raise PermissionDenied(_("Only the requester or the owner's staff can cancel this booking."))
        return act(
            request,
            lambda: services.cancel_booking(booking, actor=user, reason=reason),
            _("Booking cancelled."),
            *to,
        )
    if action == "no_show":
        return act(request, lambda: services.mark_no_show(booking, actor=user), _("Marked as not used."), *to)
    if action == "start":
        return act(request, lambda: usage_services.start_usage(booking, actor=user), _("Usage started."), *to)
    if action == "stop":
        stop = StopForm(post)
        usage = UsageRecord.objects.filter(booking=booking, status=UsageStatus.RUNNING).first()
        if usage is None or not stop.is_valid():
            messages.error(request, _("No usage is running on this booking."))
            return redirect(*to)
        cd = stop.cleaned_data
        return act(
            request,
            lambda: usage_services.stop_usage(
                usage, actor=user, samples=cd.get("samples") or 0, note=cd.get("note", "")
            ),
            _("Usage recorded."),
            *to,
        )
    if action == "record":
        entered = UsageForm(post)
        if not entered.is_valid():
            messages.error(request, _("Enter the machine hours used (more than 0)."))
            return redirect(*to)
        cd = entered.cleaned_data
        return act(
            request,
            lambda: usage_services.record_usage(
                booking,
                actor=user,
                hours=cd["hours"],
                samples=cd.get("samples") or 0,
                note=cd.get("note", ""),
            ),
            _("Usage recorded; the fee statement is issued."),
            *to,
        )
    if action == "voucher":
        if not permissions.is_requester(user, booking):
            raise PermissionDenied(_("Only the requester can choose how to pay."))
        pick = VoucherPickForm(post, user=user, use="instruments")
        if not pick.is_valid():
            messages.error(request, _("Choose one of your organisation's approved vouchers."))
            return redirect(*to)
        voucher = pick.cleaned_data.get("voucher")
        return act(
            request,
            lambda: services.attach_voucher(booking, actor=user, voucher=voucher),
            _("The voucher will pay its share when usage is recorded.")
            if voucher
            else _("No voucher will be used."),
            *to,
        )
    raise Http404


# ---- fee statements --------------------------------------------------------------------------------


@login_required
def invoice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = permissions.invoice_for(request.user, pk)
    redemption = getattr(invoice, "redemption", None) if _has_redemption(invoice) else None
    context = {
        "invoice": invoice,
        "s": invoice.snapshot,
        "redemption": redemption,
        "can_claim": redemption is not None and permissions.can_claim(request.user, redemption),
    }
    return render(request, "instruments/portal/invoice.html", context)


def _has_redemption(invoice: Any) -> bool:
    from ..models import VoucherRedemption

    return VoucherRedemption.objects.filter(invoice=invoice).exists()


@login_required
def invoice_pdf(request: HttpRequest, pk: int) -> Any:
    """The stored PDF, after the same check as the page; never re-rendered, never from MEDIA_URL."""
    invoice = permissions.invoice_for(request.user, pk)
    if not invoice.pdf:
        messages.info(request, _("The PDF is being prepared; try again in a moment."))
        return redirect("instruments:invoice", invoice.pk)
    try:
        handle = invoice.pdf.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("The statement file is missing.")) from exc
    response = FileResponse(
        handle, as_attachment=True, filename=f"结算单-{invoice.number}.pdf", content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def invoice_claim(request: HttpRequest, pk: int) -> HttpResponse:
    """The provider claims the voucher part of this statement from the programme."""
    invoice = permissions.invoice_for(request.user, pk)
    if not _has_redemption(invoice):
        raise Http404
    redemption = permissions.redemption_for(request.user, invoice.redemption.pk)
    if not permissions.can_claim(request.user, redemption):
        raise PermissionDenied(_("Only the provider's staff can claim this voucher payment."))
    return act(
        request,
        lambda: voucher_services.claim_redemption(redemption, actor=request.user),
        _("Claim sent to the platform for settlement."),
        "instruments:invoice",
        invoice.pk,
    )
