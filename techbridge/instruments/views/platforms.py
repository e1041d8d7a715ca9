"""Portal pages of public technology service platforms, their offers and orders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Avg, Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from techbridge.core import audit
from techbridge.core.errors import act

from .. import permissions
from ..choices import InstrumentStatus, OrderStatus, PlatformStatus
from ..forms import (
    DeliverForm,
    OfferForm,
    PlatformProfileForm,
    QuoteForm,
    RateForm,
    ReasonForm,
    ServiceRequestForm,
    VoucherPickForm,
)
from ..models import Instrument, ServiceOffer, ServiceOrder, ServicePlatform
from ..services import platforms as services
from .common import form_error


def platform_list(request: HttpRequest) -> HttpResponse:
    """Platforms operating now, by industry, with their services."""
    platforms = (
        ServicePlatform.objects.exclude(status=PlatformStatus.CLOSED)
        .select_related("industry", "host", "host__zone")
        .prefetch_related(
            Prefetch("offers", queryset=ServiceOffer.objects.filter(is_active=True).order_by("kind"))
        )
        .order_by("industry__order", "name")
    )
    return render(request, "instruments/portal/platforms.html", {"platforms": list(platforms)})


def platform_detail(request: HttpRequest, pk: int) -> HttpResponse:
    platform = get_object_or_404(
        ServicePlatform.objects.select_related("industry", "host", "host__zone", "manager"), pk=pk
    )
    manage = permissions.can_manage_platform(request.user, platform)
    offers = platform.offers.select_related("resource").order_by("kind", "title")
    if not manage:
        offers = offers.filter(is_active=True)
    rating = ServiceOrder.objects.filter(platform=platform, rating__isnull=False).aggregate(
        avg=Avg("rating"), n=Count("id")
    )
    context = {
        "platform": platform,
        "offers": list(offers),
        "resources": list(
            Instrument.objects.filter(platform=platform)
            .exclude(status=InstrumentStatus.RETIRED)
            .order_by("kind", "name")
        ),
        "can_manage": manage,
        "rating": rating,
        "completed": ServiceOrder.objects.filter(platform=platform, status=OrderStatus.ACCEPTED).count(),
    }
    return render(request, "instruments/portal/platform.html", context)


@login_required
def platform_edit(request: HttpRequest, pk: int) -> HttpResponse:
    platform = permissions.platform_to_manage(request.user, pk)
    form = PlatformProfileForm(request.POST or None, instance=platform)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_platform(platform, actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("instruments:platform", platform.pk)
    return render(
        request,
        "instruments/portal/platform_form.html",
        {"platform": platform, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def offer_edit(request: HttpRequest, pk: int, offer_pk: int | None = None) -> HttpResponse:
    """Add (or change) a service the platform offers."""
    platform = permissions.platform_to_manage(request.user, pk)
    offer = get_object_or_404(ServiceOffer, pk=offer_pk, platform=platform) if offer_pk else None
    form = OfferForm(request.POST or None, instance=offer, platform=platform)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_offer(platform, actor=request.user, data=form.cleaned_data, offer=offer)
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("instruments:platform", platform.pk)
    return render(
        request,
        "instruments/portal/offer_form.html",
        {"platform": platform, "offer": offer, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def offer_request(request: HttpRequest, pk: int) -> HttpResponse:
    """An enterprise asks a platform for a service."""
    offer = get_object_or_404(
        ServiceOffer.objects.select_related("platform", "platform__host", "resource"), pk=pk
    )
    if not offer.is_active and not permissions.can_manage_platform(request.user, offer.platform):
        raise Http404
    if not permissions.can_request_service(request.user, offer):
        raise PermissionDenied(
            _(
                "Services are requested by approved organisations other than the host, "
                "while the service is on offer."
            )
        )
    form = ServiceRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            order = services.request_service(
                actor=request.user,
                offer=offer,
                need=form.cleaned_data["need"],
                wanted_by=form.cleaned_data.get("wanted_by"),
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(
                request, _("Your request was sent to the platform; it will answer with a quote.")
            )
            return redirect("instruments:order", order.pk)
    return render(
        request,
        "instruments/portal/offer_request.html",
        {"offer": offer, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = permissions.order_for(request.user, pk)
    user = request.user
    provide = permissions.can_provide(user, order)
    buy = permissions.can_buy(user, order)
    invoice = getattr(order, "invoice", None) if _has_invoice(order) else None
    context = {
        "order": order,
        "can_provide": provide,
        "can_buy": buy,
        "invoice": invoice,
        "history": list(audit.history(order)[:30]),
        "quote_form": QuoteForm(
            initial={
                "amount": order.quote_amount or order.offer.price_from,
                "days": order.quote_days or order.offer.lead_time_days,
                "note": order.quote_note,
            }
        )
        if provide
        else None,
        "deliver_form": DeliverForm() if provide else None,
        "order_form": VoucherPickForm(user=user, use="services") if buy else None,
        "rate_form": RateForm() if buy else None,
        "reason_form": ReasonForm(),
    }
    return render(request, "instruments/portal/order.html", context)


def _has_invoice(order: ServiceOrder) -> bool:
    from ..models import Invoice

    return Invoice.objects.filter(order=order).exists()


@login_required
@require_POST
def order_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """quote, decline, deliver (host); withdraw, order, accept, send_back, rate (requester)."""
    order = permissions.order_for(request.user, pk)
    user = request.user
    post = request.POST
    to = ("instruments:order", order.pk)
    reason = (post.get("reason") or "")[:500]
    if action in ("quote", "decline", "deliver") and not permissions.can_provide(user, order):
        raise PermissionDenied(_("Only the host's staff in charge of this platform can do this."))
    if action in ("withdraw", "order", "accept", "send_back", "rate") and not permissions.can_buy(
        user, order
    ):
        raise PermissionDenied(_("Only the requesting organisation can do this."))
    if action == "quote":
        quote_form = QuoteForm(post)
        if not quote_form.is_valid():
            messages.error(request, _("Enter the price and the delivery time."))
            return redirect(*to)
        cd = quote_form.cleaned_data
        return act(
            request,
            lambda: services.quote(
                order,
                actor=user,
                amount=cd["amount"],
                days=cd["days"],
                note=cd.get("note", ""),
                slot_start=cd.get("slot_start"),
                slot_end=cd.get("slot_end"),
            ),
            _("Quote sent."),
            *to,
        )
    if action == "decline":
        return act(
            request, lambda: services.decline(order, actor=user, reason=reason), _("Request declined."), *to
        )
    if action == "deliver":
        deliver_form = DeliverForm(post)
        if not deliver_form.is_valid():
            messages.error(request, _("Describe what was delivered."))
            return redirect(*to)
        cd = deliver_form.cleaned_data
        return act(
            request,
            lambda: services.deliver(order, actor=user, report=cd["report"], hours_used=cd.get("hours_used")),
            _("Marked as delivered; the enterprise is asked to accept."),
            *to,
        )
    if action == "withdraw":
        return act(request, lambda: services.withdraw(order, actor=user), _("Request withdrawn."), *to)
    if action == "order":
        pick = VoucherPickForm(post, user=user, use="services")
        voucher = pick.cleaned_data.get("voucher") if pick.is_valid() else None
        return act(
            request, lambda: services.place_order(order, actor=user, voucher=voucher), _("Ordered."), *to
        )
    if action == "accept":
        return act(
            request,
            lambda: services.accept_delivery(order, actor=user),
            _("Delivery accepted; the fee statement is issued."),
            *to,
        )
    if action == "send_back":
        return act(
            request,
            lambda: services.send_back(order, actor=user, reason=reason),
            _("Sent back to the provider."),
            *to,
        )
    if action == "rate":
        rate_form = RateForm(post)
        if not rate_form.is_valid():
            messages.error(request, _("Give 1 to 5 stars."))
            return redirect(*to)
        return act(
            request,
            lambda: services.rate(
                order,
                actor=user,
                rating=rate_form.cleaned_data["rating"],
                comment=rate_form.cleaned_data.get("comment", ""),
            ),
            _("Thank you for rating."),
            *to,
        )
    raise Http404
