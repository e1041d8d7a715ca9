"""Bookings: request (claiming the calendar's slots), approve, reject, cancel, no-show, vouchers.

The calendar cannot be double-booked: a booking inserts one ``Slot`` row per unit of its period in
the same transaction that creates it, and the unique constraint on (instrument, unit start) refuses a
unit that another booking or a maintenance window holds (``catalogue.claim_slots``). Rejecting or
cancelling gives the slots back.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.workflow import TransitionError, transition

from .. import permissions, slots
from ..choices import AccessMode, Audience, BookingMode, BookingStatus, VoucherStatus
from ..models import Booking, Instrument, Voucher
from ..models.common import MAX_SAMPLES
from .catalogue import claim_slots, is_qualified, release_slots
from .common import instrument_staff, tell


def check_period(
    instrument: Instrument, starts_at: dt.datetime, ends_at: dt.datetime, *, now: dt.datetime
) -> int:
    """The number of units of a period a user may book, or ``ValidationError`` saying what is wrong."""
    unit = instrument.slot_minutes
    if starts_at is None or ends_at is None:
        raise ValidationError(_("Choose when the booking starts and ends."))
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValidationError(_("Give the times with their time zone."))
    if ends_at <= starts_at:
        raise ValidationError(_("The end must be after the start."))
    if not (slots.is_aligned(starts_at, unit) and slots.is_aligned(ends_at, unit)):
        if unit >= slots.DAY:
            raise ValidationError(_("This resource is booked in whole days: start and end at midnight."))
        raise ValidationError(
            _("Bookings start and end on the calendar's %(minutes)s-minute units (e.g. 09:00, 09:%(m)s).")
            % {"minutes": unit, "m": f"{unit % 60:02d}" if unit < 60 else "00"}
        )
    if starts_at < now:
        raise ValidationError(_("The start has passed. Choose a time in the future."))
    if starts_at > now + dt.timedelta(days=instrument.horizon_days):
        raise ValidationError(
            _("This instrument takes bookings up to %(days)s days ahead.") % {"days": instrument.horizon_days}
        )
    count = slots.count_units(starts_at, ends_at, unit)
    if count > slots.MAX_UNITS:
        raise ValidationError(
            _("A booking holds at most %(n)s units of the calendar; split it into several.")
            % {"n": slots.MAX_UNITS}
        )
    hours = instrument.hours
    for t in slots.units(starts_at, ends_at, unit):
        if not slots.is_open(t, unit, hours):
            if unit >= slots.DAY:
                raise ValidationError(
                    _("The resource is closed on %(day)s (open %(days)s).")
                    % {"day": timezone.localtime(t).date(), "days": "、".join(instrument.open_weekday_names)}
                )
            when = timezone.localtime(t).strftime("%Y-%m-%d %H:%M")
            raise ValidationError(
                _("The instrument is closed at %(when)s (open %(days)s, %(opens)s–%(closes)s).")
                % {
                    "when": when,
                    "days": "、".join(instrument.open_weekday_names),
                    "opens": instrument.opens_at.strftime("%H:%M"),
                    "closes": instrument.closes_at.strftime("%H:%M"),
                }
            )
    return count


def check_voucher(voucher: Voucher | None, *, actor: Any, use: str, audience: str) -> None:
    """A voucher named on a booking or order must be the user's organisation's, approved and valid for it."""
    if voucher is None:
        return
    if not permissions.has_organization(actor) or voucher.enterprise_id != actor.organization_id:
        raise PermissionDenied(_("This voucher belongs to another organisation."))
    if voucher.status != VoucherStatus.APPROVED:
        raise ValidationError({"voucher": _("Only an approved voucher can pay.")})
    if not voucher.programme.covers(use):
        raise ValidationError(
            {"voucher": _("This voucher's programme does not pay for this kind of service.")}
        )
    if audience == Audience.INTERNAL:
        raise ValidationError(
            {"voucher": _("A voucher pays for services of other organisations, not your own.")}
        )
    if voucher.programme.valid_until < timezone.localdate():
        raise ValidationError({"voucher": _("This voucher is no longer valid.")})


def request_booking(
    *,
    actor: Any,
    instrument: Instrument,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    purpose: str,
    mode: str = BookingMode.OPERATED,
    sample_description: str = "",
    sample_count: int = 0,
    voucher: Voucher | None = None,
    now: dt.datetime | None = None,
    approved: bool = False,
) -> Booking:
    """Book ``[starts_at, ends_at)``; the slots are held at once, the owner approves later.

    ``approved`` (service orders only) books a period the provider itself proposed.
    Raises ``PermissionDenied`` (no approved organisation, instrument closed) or ``ValidationError``
    (bad period, unit held by someone else, self-use without training, unusable voucher).
    """
    now = now or timezone.now()
    permissions.check_may_book(actor, instrument)
    units = check_period(instrument, starts_at, ends_at, now=now)
    purpose = (purpose or "").strip()
    if not purpose:
        raise ValidationError({"purpose": _("Say what the instrument will be used for.")})
    if mode not in BookingMode.values:
        raise ValidationError({"mode": _("Choose how the instrument will be operated.")})
    if mode == BookingMode.SELF_USE:
        if instrument.access != AccessMode.SELF_USE:
            raise ValidationError({"mode": _("This instrument is operated by the owner's staff only.")})
        if not is_qualified(actor, instrument, timezone.localtime(starts_at).date()):
            raise ValidationError(
                {
                    "mode": _(
                        "Self-use needs a valid training qualification for this instrument. "
                        "Book staff operation, or ask the owner for training."
                    )
                }
            )
    if not (0 <= int(sample_count) <= MAX_SAMPLES):
        raise ValidationError(
            {"sample_count": _("Enter a number of samples from 0 to %(n)s.") % {"n": MAX_SAMPLES}}
        )
    audience = Audience.INTERNAL if actor.organization_id == instrument.owner_id else Audience.EXTERNAL
    check_voucher(voucher, actor=actor, use="instruments", audience=audience)
    with transaction.atomic():
        booking = Booking(
            instrument=instrument,
            requester=actor,
            organization=actor.organization,
            audience=audience,
            mode=mode,
            starts_at=starts_at,
            ends_at=ends_at,
            units=units,
            purpose=purpose,
            sample_description=(sample_description or "").strip(),
            sample_count=int(sample_count),
            voucher=voucher,
        )
        if approved:
            booking.status = BookingStatus.APPROVED
            booking.decided_at = now
        booking.full_clean()
        booking.save()
        claim_slots(instrument, starts_at, ends_at, booking=booking)
        audit.record(
            booking,
            "instruments.booking.booked_for_order" if approved else "instruments.booking.requested",
            actor=actor,
            to_state=booking.status,
            data={"instrument": instrument.pk, "from": starts_at.isoformat(), "until": ends_at.isoformat()},
        )
        if not approved:
            when = timezone.localtime(starts_at).strftime("%Y-%m-%d %H:%M")
            tell(
                instrument_staff(instrument),
                kind="instrument_booking_requested",
                title=_("Booking request for %(name)s at %(when)s") % {"name": instrument.name, "when": when},
                body=purpose[:300],
                url_name="instruments:booking",
                pk=booking.pk,
            )
    return booking


def approve_booking(booking: Booking, *, actor: Any, now: dt.datetime | None = None) -> Booking:
    """The owner's staff approve a requested booking (it must not have ended yet)."""
    now = now or timezone.now()
    permissions.check_may_decide(actor, booking)
    if booking.ends_at <= now:
        raise ValidationError(_("This booking's time has passed; reject it instead."))
    if booking.mode == BookingMode.SELF_USE and not is_qualified(
        booking.requester, booking.instrument, timezone.localtime(booking.starts_at).date()
    ):
        raise ValidationError(_("The requester's training qualification is no longer valid."))
    transition(
        booking,
        BookingStatus.APPROVED,
        actor=actor,
        action="instruments.booking.approved",
        changes={"decided_by": actor, "decided_at": now},
    )
    when = timezone.localtime(booking.starts_at).strftime("%Y-%m-%d %H:%M")
    tell(
        [booking.requester],
        kind="instrument_booking_approved",
        title=_("Booking approved: %(name)s at %(when)s") % {"name": booking.instrument.name, "when": when},
        url_name="instruments:booking",
        pk=booking.pk,
    )
    return booking


def reject_booking(booking: Booking, *, actor: Any, reason: str) -> Booking:
    """The owner's staff refuse a requested booking, with a reason; its slots are free again."""
    permissions.check_may_decide(actor, booking)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason.")})
    with transaction.atomic():
        transition(
            booking,
            BookingStatus.REJECTED,
            actor=actor,
            action="instruments.booking.rejected",
            message=reason,
            changes={"decided_by": actor, "decided_at": timezone.now(), "reason": reason[:500]},
        )
        release_slots(booking)
    tell(
        [booking.requester],
        kind="instrument_booking_rejected",
        title=_("Booking not approved: %(name)s") % {"name": booking.instrument.name},
        body=reason,
        url_name="instruments:booking",
        pk=booking.pk,
    )
    return booking


def cancel_booking(
    booking: Booking, *, actor: Any, reason: str = "", now: dt.datetime | None = None
) -> Booking:
    """Cancel a booking that has not started, and free its slots.

    Rules: the requester may cancel a request at any time, and an approved booking until the
    instrument's notice period before the start; the owner's staff may cancel any booking before it
    starts, with a reason (the requester is told).
    """
    now = now or timezone.now()
    is_owner = permissions.can_manage_instrument(actor, booking.instrument)
    if not (is_owner or permissions.is_requester(actor, booking)):
        raise PermissionDenied(_("Only the requester or the owner's staff can cancel this booking."))
    if booking.status not in (BookingStatus.REQUESTED, BookingStatus.APPROVED):
        raise TransitionError(_("Only a requested or approved booking can be cancelled."))
    if booking.starts_at <= now:
        raise ValidationError(_("The booking has started; it can no longer be cancelled."))
    reason = (reason or "").strip()
    if is_owner and not permissions.is_requester(actor, booking):
        if not reason:
            raise ValidationError({"reason": _("Tell the requester why the booking is cancelled.")})
    elif booking.status == BookingStatus.APPROVED:
        deadline = booking.starts_at - dt.timedelta(hours=booking.instrument.cancel_notice_hours)
        if now > deadline:
            raise ValidationError(
                _(
                    "Approved bookings of this instrument can be cancelled until %(hours)s hours before they "
                    "start. Contact the owner."
                )
                % {"hours": booking.instrument.cancel_notice_hours}
            )
    if hasattr(booking, "service_order") and _has_order(booking):
        raise ValidationError(_("This booking belongs to a service order; it changes with the order."))
    with transaction.atomic():
        transition(
            booking,
            BookingStatus.CANCELLED,
            actor=actor,
            action="instruments.booking.cancelled",
            message=reason,
            changes={"cancelled_by": actor, "reason": reason[:500]},
        )
        release_slots(booking)
    others = (
        [booking.requester]
        if is_owner and actor.pk != booking.requester_id
        else instrument_staff(booking.instrument)
    )
    tell(
        others,
        kind="instrument_booking_cancelled",
        title=_("Booking cancelled: %(name)s") % {"name": booking.instrument.name},
        body=reason,
        url_name="instruments:booking",
        pk=booking.pk,
    )
    return booking


def _has_order(booking: Booking) -> bool:
    try:
        return booking.service_order is not None
    except Booking.service_order.RelatedObjectDoesNotExist:  # type: ignore[attr-defined]
        return False


def mark_no_show(booking: Booking, *, actor: Any, now: dt.datetime | None = None) -> Booking:
    """The owner's staff record that an approved booking was not used (after its start)."""
    now = now or timezone.now()
    permissions.check_may_decide(actor, booking)
    if booking.starts_at > now:
        raise ValidationError(_("The booking has not started yet; cancel it instead."))
    transition(booking, BookingStatus.NO_SHOW, actor=actor, action="instruments.booking.no_show")
    return booking


def attach_voucher(booking: Booking, *, actor: Any, voucher: Voucher | None) -> Booking:
    """Name (or remove) the innovation voucher that will pay its share when usage is recorded."""
    if not permissions.is_requester(actor, booking):
        raise PermissionDenied(_("Only the requester can choose how to pay."))
    if booking.status not in (BookingStatus.REQUESTED, BookingStatus.APPROVED, BookingStatus.IN_USE):
        raise ValidationError(_("The bill of this booking is settled; a voucher can no longer be added."))
    check_voucher(voucher, actor=actor, use="instruments", audience=booking.audience)
    with transaction.atomic():
        rows = Booking.objects.filter(pk=booking.pk, status=booking.status).update(
            voucher=voucher, updated_at=timezone.now()
        )
        if rows != 1:
            raise TransitionError(_("Someone else changed this record a moment ago. Reload and try again."))
        booking.voucher = voucher
        audit.record(
            booking,
            "instruments.booking.voucher_changed",
            actor=actor,
            data={"voucher": voucher.pk if voucher else None},
        )
    return booking
