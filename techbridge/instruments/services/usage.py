"""Usage: machine hours started and stopped on the platform or entered by the operator, the fee from
the schedule, the monthly figures, and the fee statement when a booking completes."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.workflow import record_created, set_initial_state, transition

from .. import fees, permissions
from ..choices import Audience, BookingStatus, UsageMethod, UsageStatus
from ..models import Booking, Instrument, UsageMonth, UsageRecord
from ..models.common import MAX_HOURS, MAX_SAMPLES
from .billing import issue_invoice

# Usage can be started this long before the booked start (setting up).
EARLY_START = dt.timedelta(hours=1)


def _hours(value: Any) -> Decimal:
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except Exception:
        raise ValidationError({"hours": _("Enter the machine hours as a number, e.g. 2.5.")}) from None
    if not hours.is_finite() or hours <= 0 or hours > MAX_HOURS:
        raise ValidationError(
            {"hours": _("Enter more than 0 and at most %(max)s machine hours.") % {"max": MAX_HOURS}}
        )
    return hours


def _samples(value: Any) -> int:
    try:
        samples = int(value or 0)
    except (TypeError, ValueError):
        raise ValidationError({"samples": _("Enter a whole number of samples.")}) from None
    if not 0 <= samples <= MAX_SAMPLES:
        raise ValidationError(
            {"samples": _("Enter a number of samples from 0 to %(n)s.") % {"n": MAX_SAMPLES}}
        )
    return samples


def start_usage(booking: Booking, *, actor: Any, now: dt.datetime | None = None) -> UsageRecord:
    """The operator starts the clock on an approved booking (from an hour before its start)."""
    now = now or timezone.now()
    permissions.check_may_decide(actor, booking)
    if now < booking.starts_at - EARLY_START:
        raise ValidationError(_("Usage can start at the earliest an hour before the booked time."))
    if now >= booking.ends_at:
        raise ValidationError(_("The booked time is over; enter the hours used instead."))
    with transaction.atomic():
        transition(booking, BookingStatus.IN_USE, actor=actor, action="instruments.booking.started")
        usage = UsageRecord.objects.create(
            instrument=booking.instrument,
            booking=booking,
            organization=booking.organization,
            user=booking.requester,
            audience=booking.audience,
            started_at=now,
            method=UsageMethod.TIMER,
            status=UsageStatus.RUNNING,
            recorded_by=actor,
            is_demo=booking.is_demo,
        )
        audit.record(usage, "instruments.usage.started", actor=actor, to_state=usage.status)
    return usage


def stop_usage(
    usage: UsageRecord, *, actor: Any, samples: Any = 0, note: str = "", now: dt.datetime | None = None
) -> UsageRecord:
    """Stop the clock: the hours are the time between start and stop; the fee and statement follow."""
    now = now or timezone.now()
    booking = usage.booking
    if booking is None:
        raise ValidationError(_("This usage was not started on the platform."))
    permissions.check_may_decide(actor, booking)
    if usage.status != UsageStatus.RUNNING:
        raise ValidationError(_("This usage is already recorded."))
    seconds = max((now - usage.started_at).total_seconds(), 36.0)  # at least 0.01 h
    hours = _hours(Decimal(seconds) / Decimal(3600))
    return _finish(
        usage, booking, actor=actor, ended_at=now, hours=hours, samples=_samples(samples), note=note
    )


def record_usage(
    booking: Booking,
    *,
    actor: Any,
    hours: Any,
    samples: Any = 0,
    note: str = "",
    now: dt.datetime | None = None,
    checked: bool = False,
) -> UsageRecord:
    """The operator enters the hours used on an approved booking, after it started.

    At most the booked time can be entered (the calendar held no more than that for this user).
    ``checked``: the caller already established the actor's right (a service platform's host
    delivering an order on its own resource).
    """
    now = now or timezone.now()
    if not checked:
        permissions.check_may_decide(actor, booking)
    if booking.status not in (BookingStatus.APPROVED, BookingStatus.IN_USE):
        raise ValidationError(_("Usage can be recorded on an approved booking only."))
    if now < booking.starts_at:
        raise ValidationError(_("The booking has not started yet."))
    hours = _hours(hours)
    booked = Decimal(str(round(booking.hours_booked, 2)))
    if hours > booked:
        raise ValidationError(
            {"hours": _("At most the booked %(hours)s hours can be entered.") % {"hours": booked}}
        )
    usage = UsageRecord.objects.filter(booking=booking).first()
    with transaction.atomic():
        if usage is None:
            usage = UsageRecord.objects.create(
                instrument=booking.instrument,
                booking=booking,
                organization=booking.organization,
                user=booking.requester,
                audience=booking.audience,
                started_at=booking.starts_at,
                method=UsageMethod.ENTERED,
                status=UsageStatus.RUNNING,
                recorded_by=actor,
                is_demo=booking.is_demo,
            )
        ended = usage.started_at + dt.timedelta(hours=float(hours))
        return _finish(
            usage, booking, actor=actor, ended_at=ended, hours=hours, samples=_samples(samples), note=note
        )


def _finish(
    usage: UsageRecord,
    booking: Booking,
    *,
    actor: Any,
    ended_at: dt.datetime,
    hours: Decimal,
    samples: int,
    note: str,
) -> UsageRecord:
    instrument = booking.instrument
    order = _order_of(booking)
    with transaction.atomic():
        if order is not None:
            # A service order is billed at its quoted price on acceptance; the hours count for utilisation.
            fee, detail = Decimal("0"), {"audience": booking.audience, "lines": [], "order": order.pk}
        else:
            fee, detail = fees.compute_fee(
                list(instrument.rates.all()), audience=booking.audience, hours=hours, samples=samples
            )
        transition(
            usage,
            UsageStatus.RECORDED,
            actor=actor,
            action="instruments.usage.recorded",
            changes={
                "ended_at": ended_at,
                "hours": hours,
                "samples": samples,
                "fee": fee,
                "fee_detail": detail,
                "note": (note or "")[:500],
                "recorded_by": actor,
                "recorded_at": timezone.now(),
                "order": order,
            },
            data={"hours": str(hours), "samples": samples, "fee": str(fee)},
        )
        add_to_month(usage)
        transition(booking, BookingStatus.COMPLETED, actor=actor, action="instruments.booking.completed")
        if order is None:
            issue_invoice(
                actor=actor,
                amount=fee,
                detail={**detail, "hours": str(hours), "samples": samples},
                booking=booking,
                is_demo=booking.is_demo,
            )
    return usage


def _order_of(booking: Booking) -> Any:
    try:
        return booking.service_order
    except Booking.service_order.RelatedObjectDoesNotExist:  # type: ignore[attr-defined]
        return None


def record_internal_use(
    instrument: Instrument,
    *,
    actor: Any,
    started_at: dt.datetime,
    hours: Any,
    samples: Any = 0,
    note: str = "",
) -> UsageRecord:
    """Owner staff enter use by their own organisation that was not booked on the platform (walk-in).

    It counts for utilisation as internal use; no statement is issued.
    """
    if not permissions.can_manage_instrument(actor, instrument):
        raise PermissionDenied(_("Only the owner's staff in charge of this instrument can do this."))
    if started_at is None or started_at > timezone.now():
        raise ValidationError({"started_at": _("Usage can be entered once it has happened.")})
    hours = _hours(hours)
    samples = _samples(samples)
    fee, detail = fees.compute_fee(
        list(instrument.rates.all()), audience=Audience.INTERNAL, hours=hours, samples=samples
    )
    with transaction.atomic():
        usage = UsageRecord(
            instrument=instrument,
            organization_id=instrument.owner_id,
            audience=Audience.INTERNAL,
            started_at=started_at,
            ended_at=started_at + dt.timedelta(hours=float(hours)),
            hours=hours,
            samples=samples,
            fee=fee,
            fee_detail=detail,
            method=UsageMethod.ENTERED,
            recorded_by=actor,
            recorded_at=timezone.now(),
            note=(note or "")[:500],
        )
        set_initial_state(usage, UsageStatus.RECORDED)
        usage.save(force_insert=True)
        record_created(
            usage,
            actor=actor,
            action="instruments.usage.recorded",
            data={"hours": str(hours), "walk_in": True},
        )
        add_to_month(usage)
    return usage


def month_of(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date().replace(day=1)


def add_to_month(usage: UsageRecord) -> None:
    """Add a recorded usage to its instrument's monthly figures (inside the caller's transaction)."""
    key = {
        "instrument_id": usage.instrument_id,
        "month": month_of(usage.started_at),
        "audience": usage.audience,
    }
    delta = {
        "hours": F("hours") + usage.hours,
        "samples": F("samples") + usage.samples,
        "fee": F("fee") + usage.fee,
        "records": F("records") + 1,
    }
    if UsageMonth.objects.filter(**key).update(**delta):
        return
    try:
        with transaction.atomic():
            UsageMonth.objects.create(
                **key, hours=usage.hours or Decimal("0"), samples=usage.samples, fee=usage.fee, records=1
            )
    except IntegrityError:  # another usage of the same month was added a moment ago
        UsageMonth.objects.filter(**key).update(**delta)


def rebuild_months(instrument_ids: list[int] | None = None) -> int:
    """Recompute ``UsageMonth`` from the usage records (all instruments, or some). Returns rows written."""
    from django.db.models import Count, Sum
    from django.db.models.functions import TruncMonth

    qs = UsageRecord.objects.filter(status=UsageStatus.RECORDED)
    months = UsageMonth.objects.all()
    if instrument_ids is not None:
        qs = qs.filter(instrument_id__in=instrument_ids)
        months = months.filter(instrument_id__in=instrument_ids)
    rows = (
        qs.annotate(m=TruncMonth("started_at", tzinfo=timezone.get_current_timezone()))
        .values("instrument_id", "m", "audience")
        .annotate(h=Sum("hours"), s=Sum("samples"), f=Sum("fee"), n=Count("id"))
        .order_by()
    )
    with transaction.atomic():
        months.delete()
        objs = [
            UsageMonth(
                instrument_id=r["instrument_id"],
                month=(r["m"].date() if isinstance(r["m"], dt.datetime) else r["m"]).replace(day=1),
                audience=r["audience"],
                hours=r["h"] or 0,
                samples=r["s"] or 0,
                fee=r["f"] or 0,
                records=r["n"],
            )
            for r in rows.iterator(chunk_size=5000)
        ]
        UsageMonth.objects.bulk_create(objs, batch_size=2000)
    return len(objs)
