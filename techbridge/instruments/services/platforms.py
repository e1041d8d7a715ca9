"""Public technology service platforms: designation, offers, and an order's way from request to rating.

request → quote (the host; may be revised) → order (the enterprise; books the offer's resource for the
quoted period through the shared booking engine) → delivery (the host; hours used feed utilisation)
→ acceptance (the enterprise; the fee statement is issued, a voucher pays its share) → rating.
The host may decline a request; the enterprise may withdraw before ordering or send a delivery back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.workflow import TransitionError, transition

from .. import permissions
from ..choices import BookingMode, OrderStatus, PlatformStatus, UsageStatus
from ..models import ServiceOffer, ServiceOrder, ServicePlatform, Voucher
from ..models.common import MAX_AMOUNT
from . import booking as booking_services
from . import usage as usage_services
from .billing import issue_invoice
from .common import platform_staff, tell

PLATFORM_FIELDS = (
    "name",
    "industry",
    "host",
    "manager",
    "description",
    "designated_on",
    "designation_ref",
    "website",
    "contact_phone",
)
OFFER_FIELDS = (
    "kind",
    "title",
    "description",
    "deliverables",
    "lead_time_days",
    "price_from",
    "resource",
    "is_active",
)


def _check_platform_people(platform: ServicePlatform) -> None:
    if platform.manager is not None and platform.manager.organization_id != platform.host_id:
        raise ValidationError(
            {"manager": _("The person in charge must be a member of the host organisation.")}
        )
    if platform.host_id and platform.host.status != "approved":
        raise ValidationError({"host": _("The host must be an approved organisation.")})


def designate_platform(*, actor: Any, data: Mapping[str, Any]) -> ServicePlatform:
    """Operators record a platform designated by the city (industry, host, date and document)."""
    if not permissions.can_designate_platforms(actor):
        raise PermissionDenied(_("Only platform operators record designated service platforms."))
    values = {k: v for k, v in data.items() if k in PLATFORM_FIELDS}
    with transaction.atomic():
        platform = ServicePlatform(created_by=actor, **values)
        _check_platform_people(platform)
        platform.full_clean()
        platform.save()
        audit.record(platform, "instruments.platform.designated", actor=actor, to_state=platform.status)
    return platform


def update_platform(platform: ServicePlatform, *, actor: Any, data: Mapping[str, Any]) -> ServicePlatform:
    """Operators correct the record; the host's staff edit the introduction and contacts."""
    allowed: tuple[str, ...]
    if permissions.can_designate_platforms(actor):
        allowed = PLATFORM_FIELDS
    elif permissions.can_manage_platform(actor, platform):
        allowed = ("manager", "description", "website", "contact_phone")
    else:
        raise PermissionDenied(_("Only the host's staff in charge of this platform can do this."))
    values = {k: v for k, v in data.items() if k in allowed}
    with transaction.atomic():
        changed = [k for k, v in values.items() if getattr(platform, k) != v]
        for k in changed:
            setattr(platform, k, values[k])
        _check_platform_people(platform)
        platform.updated_at = timezone.now()
        platform.full_clean()
        platform.save()
        audit.record(platform, "instruments.platform.updated", actor=actor, data={"fields": changed})
    return platform


def set_platform_status(
    platform: ServicePlatform, status: str, *, actor: Any, reason: str = "", on: dt.date | None = None
) -> ServicePlatform:
    """Operators suspend, reopen or close a platform (closing records the date it stopped counting)."""
    if not permissions.can_designate_platforms(actor):
        raise PermissionDenied(_("Only platform operators change a platform's status."))
    changes: dict[str, Any] = {}
    if status == PlatformStatus.CLOSED:
        on = on or timezone.localdate()
        if on < platform.designated_on:
            raise ValidationError(_("A platform cannot close before it was designated."))
        changes["closed_on"] = on
    actions: dict[str, str] = {
        PlatformStatus.SUSPENDED: "instruments.platform.suspended",
        PlatformStatus.OPERATING: "instruments.platform.reopened",
        PlatformStatus.CLOSED: "instruments.platform.closed",
    }
    action = actions.get(status)
    if action is None:
        raise ValidationError(_("Unknown status."))
    transition(platform, status, actor=actor, action=action, message=reason, changes=changes)
    return platform


# ---- offers ----------------------------------------------------------------------------------------


def _check_offer(offer: ServiceOffer) -> None:
    if offer.resource is not None and offer.resource.owner_id != offer.platform.host_id:
        raise ValidationError({"resource": _("The resource must belong to the platform's host.")})


def save_offer(
    platform: ServicePlatform, *, actor: Any, data: Mapping[str, Any], offer: ServiceOffer | None = None
) -> ServiceOffer:
    """Create or change one of a platform's service offers (host staff)."""
    if not permissions.can_manage_platform(actor, platform):
        raise PermissionDenied(_("Only the host's staff in charge of this platform can do this."))
    values = {k: v for k, v in data.items() if k in OFFER_FIELDS}
    with transaction.atomic():
        created = offer is None
        offer = offer or ServiceOffer(platform=platform)
        for k, v in values.items():
            setattr(offer, k, v)
        offer.updated_at = timezone.now()
        _check_offer(offer)
        offer.full_clean()
        offer.save()
        audit.record(
            offer,
            "instruments.offer.created" if created else "instruments.offer.updated",
            actor=actor,
            data={"platform": platform.pk},
        )
    return offer


# ---- orders ----------------------------------------------------------------------------------------


def request_service(
    *, actor: Any, offer: ServiceOffer, need: str, wanted_by: dt.date | None = None
) -> ServiceOrder:
    """An enterprise describes what it needs; the host answers with a quote or declines."""
    if not permissions.in_approved_organization(actor):
        raise PermissionDenied(
            _("Services are ordered for an organisation: join an approved organisation first.")
        )
    if actor.organization_id == offer.platform.host_id:
        raise PermissionDenied(_("Your organisation hosts this platform."))
    if not offer.is_active or offer.platform.status != PlatformStatus.OPERATING:
        raise PermissionDenied(_("This service is not on offer at the moment."))
    need = (need or "").strip()
    if not need:
        raise ValidationError({"need": _("Describe what you need.")})
    if wanted_by is not None and wanted_by < timezone.localdate():
        raise ValidationError({"wanted_by": _("The date must not be in the past.")})
    with transaction.atomic():
        order = ServiceOrder(
            offer=offer,
            platform=offer.platform,
            requester=actor,
            organization=actor.organization,
            need=need,
            wanted_by=wanted_by,
        )
        order.full_clean()
        order.save()
        audit.record(order, "instruments.order.requested", actor=actor, to_state=order.status)
    tell(
        platform_staff(offer.platform),
        kind="instrument_order_requested",
        title=_("Service request: %(title)s from %(org)s")
        % {"title": offer.title, "org": actor.organization.name},
        body=need[:300],
        url_name="instruments:order",
        pk=order.pk,
    )
    return order


def quote(
    order: ServiceOrder,
    *,
    actor: Any,
    amount: Any,
    days: int,
    note: str = "",
    slot_start: dt.datetime | None = None,
    slot_end: dt.datetime | None = None,
) -> ServiceOrder:
    """The host quotes a price and lead time (and the period it will run the resource, if any)."""
    if not permissions.can_provide(actor, order):
        raise PermissionDenied(_("Only the host's staff in charge of this platform can do this."))
    try:
        amount = Decimal(str(amount)).quantize(Decimal("0.01"))
    except Exception:
        raise ValidationError({"amount": _("Enter an amount in yuan.")}) from None
    if not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT:
        raise ValidationError({"amount": _("Enter an amount above zero.")})
    resource = order.offer.resource
    if resource is not None:
        if slot_start is None or slot_end is None:
            raise ValidationError(
                _("This service runs on %(name)s: propose the period it will be booked.")
                % {"name": resource.name}
            )
        booking_services.check_period(resource, slot_start, slot_end, now=timezone.now())
    else:
        slot_start = slot_end = None
    transition(
        order,
        OrderStatus.QUOTED,
        actor=actor,
        action="instruments.order.quoted",
        changes={
            "quote_amount": amount,
            "quote_days": days,
            "quote_note": (note or "").strip()[:2000],
            "slot_start": slot_start,
            "slot_end": slot_end,
            "quoted_by": actor,
            "quoted_at": timezone.now(),
        },
        data={"amount": str(amount), "days": days},
    )
    tell(
        [order.requester],
        kind="instrument_order_quoted",
        title=_("Quote received: %(title)s, %(amount)s yuan")
        % {"title": order.offer.title, "amount": amount},
        url_name="instruments:order",
        pk=order.pk,
    )
    return order


def decline(order: ServiceOrder, *, actor: Any, reason: str) -> ServiceOrder:
    if not permissions.can_provide(actor, order):
        raise PermissionDenied(_("Only the host's staff in charge of this platform can do this."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason.")})
    transition(
        order,
        OrderStatus.DECLINED,
        actor=actor,
        action="instruments.order.declined",
        message=reason,
        changes={"reason": reason[:500]},
    )
    tell(
        [order.requester],
        kind="instrument_order_declined",
        title=_("Service request declined"),
        body=reason,
        url_name="instruments:order",
        pk=order.pk,
    )
    return order


def withdraw(order: ServiceOrder, *, actor: Any) -> ServiceOrder:
    if not permissions.can_buy(actor, order):
        raise PermissionDenied(_("Only the requesting organisation can do this."))
    transition(order, OrderStatus.WITHDRAWN, actor=actor, action="instruments.order.withdrawn")
    return order


def place_order(order: ServiceOrder, *, actor: Any, voucher: Voucher | None = None) -> ServiceOrder:
    """The enterprise accepts the quote. When the service runs on a resource, the quoted period is booked
    in the same transaction; if it is no longer free the order is refused and the host re-quotes."""
    if not permissions.can_buy(actor, order):
        raise PermissionDenied(_("Only the requesting organisation can do this."))
    if order.status != OrderStatus.QUOTED:
        raise TransitionError(_("Only a quoted request can be ordered."))
    booking_services.check_voucher(voucher, actor=actor, use="services", audience="external")
    with transaction.atomic():
        booking = None
        resource = order.offer.resource
        if resource is not None and order.slot_start and order.slot_end:
            booking = booking_services.request_booking(
                actor=actor,
                instrument=resource,
                starts_at=order.slot_start,
                ends_at=order.slot_end,
                purpose=_("Service order %(pk)s: %(title)s") % {"pk": order.pk, "title": order.offer.title},
                mode=BookingMode.OPERATED,
                sample_description=order.need[:1000],
                approved=True,
            )
        transition(
            order,
            OrderStatus.ORDERED,
            actor=actor,
            action="instruments.order.ordered",
            changes={"booking": booking, "voucher": voucher, "ordered_at": timezone.now()},
        )
    tell(
        platform_staff(order.platform),
        kind="instrument_order_ordered",
        title=_("Order placed: %(title)s") % {"title": order.offer.title},
        url_name="instruments:order",
        pk=order.pk,
    )
    return order


def deliver(
    order: ServiceOrder, *, actor: Any, report: str, hours_used: Any = None, now: dt.datetime | None = None
) -> ServiceOrder:
    """The host delivers, with a report; on a resource, the machine hours used are recorded."""
    if not permissions.can_provide(actor, order):
        raise PermissionDenied(_("Only the host's staff in charge of this platform can do this."))
    report = (report or "").strip()
    if not report:
        raise ValidationError({"report": _("Describe what was delivered.")})
    with transaction.atomic():
        hours = None
        booking = order.booking
        if booking is not None:
            usage = getattr(booking, "usage", None) if _has_usage(booking) else None
            if usage is None or usage.status != UsageStatus.RECORDED:
                if hours_used in (None, ""):
                    raise ValidationError({"hours_used": _("Enter the machine hours the resource was used.")})
                usage = usage_services.record_usage(
                    booking, actor=actor, hours=hours_used, now=now, checked=True
                )
            hours = usage.hours
        transition(
            order,
            OrderStatus.DELIVERED,
            actor=actor,
            action="instruments.order.delivered",
            changes={
                "delivered_at": timezone.now(),
                "delivered_by": actor,
                "delivery_note": report[:2000],
                "hours_used": hours,
                "reason": "",
            },
        )
    tell(
        [order.requester],
        kind="instrument_order_delivered",
        title=_("Delivered: %(title)s — please check and accept") % {"title": order.offer.title},
        url_name="instruments:order",
        pk=order.pk,
    )
    return order


def _has_usage(booking: Any) -> bool:
    from ..models import UsageRecord

    return UsageRecord.objects.filter(booking=booking).exists()


def accept_delivery(order: ServiceOrder, *, actor: Any) -> ServiceOrder:
    """The enterprise accepts the delivery: the fee statement for the quoted price is issued."""
    if not permissions.can_buy(actor, order):
        raise PermissionDenied(_("Only the requesting organisation can do this."))
    with transaction.atomic():
        transition(
            order,
            OrderStatus.ACCEPTED,
            actor=actor,
            action="instruments.order.accepted",
            changes={"accepted_at": timezone.now(), "accepted_by": actor},
        )
        issue_invoice(
            actor=actor,
            amount=order.quote_amount or Decimal("0"),
            detail={"lines": [], "quote": str(order.quote_amount), "hours": str(order.hours_used or "")},
            order=order,
            is_demo=order.is_demo,
        )
    tell(
        platform_staff(order.platform),
        kind="instrument_order_accepted",
        title=_("Delivery accepted: %(title)s") % {"title": order.offer.title},
        url_name="instruments:order",
        pk=order.pk,
    )
    return order


def send_back(order: ServiceOrder, *, actor: Any, reason: str) -> ServiceOrder:
    """The enterprise does not accept the delivery yet: it goes back to the host with a reason."""
    if not permissions.can_buy(actor, order):
        raise PermissionDenied(_("Only the requesting organisation can do this."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what is missing or wrong.")})
    transition(
        order,
        OrderStatus.ORDERED,
        actor=actor,
        action="instruments.order.sent_back",
        message=reason,
        changes={"reason": reason[:500]},
    )
    tell(
        platform_staff(order.platform),
        kind="instrument_order_sent_back",
        title=_("Delivery sent back: %(title)s") % {"title": order.offer.title},
        body=reason,
        url_name="instruments:order",
        pk=order.pk,
    )
    return order


def rate(order: ServiceOrder, *, actor: Any, rating: Any, comment: str = "") -> ServiceOrder:
    """The enterprise rates an accepted order once (1–5 stars, optional comment)."""
    if not permissions.can_buy(actor, order):
        raise PermissionDenied(_("Only the requesting organisation can do this."))
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Give 1 to 5 stars.")})
    with transaction.atomic():
        rows = ServiceOrder.objects.filter(
            pk=order.pk, status=OrderStatus.ACCEPTED, rating__isnull=True
        ).update(rating=rating, rating_comment=(comment or "").strip()[:1000], rated_at=timezone.now())
        if rows != 1:
            raise ValidationError(_("An order is rated once, after its delivery is accepted."))
        order.refresh_from_db()
        audit.record(order, "instruments.order.rated", actor=actor, data={"rating": rating})
    return order
