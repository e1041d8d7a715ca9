"""Writes to the catalogue: instruments, their fee schedules, trained users and maintenance windows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.workflow import transition

from .. import permissions, slots
from ..choices import HOLDING_STATUSES, Audience, FeeUnit, InstrumentStatus
from ..models import Booking, FeeRate, Instrument, MaintenanceWindow, Qualification, Slot
from .common import tell

# Fields an owner edits (the form and the API use the same list).
EDITABLE_FIELDS = (
    "kind",
    "name",
    "model_number",
    "maker",
    "category",
    "lab",
    "location",
    "manager",
    "platform",
    "purchase_value",
    "purchase_year",
    "publicly_funded",
    "description",
    "specs",
    "sample_requirements",
    "capacity",
    "access",
    "open_days",
    "opens_at",
    "closes_at",
    "slot_minutes",
    "cancel_notice_hours",
    "horizon_days",
    "calibration_due",
    "contact_phone",
)
MAX_RATES = len(Audience.values) * len(FeeUnit.values)
MAX_MAINTENANCE_DAYS = 92


def _check_manager(instrument: Instrument) -> None:
    manager = instrument.manager
    if manager is not None and manager.organization_id != instrument.owner_id:
        raise ValidationError(
            {"manager": _("The person in charge must be a member of the owner organisation.")}
        )
    if instrument.platform is not None and instrument.platform.host_id != instrument.owner_id:
        raise ValidationError({"platform": _("An instrument can only serve a platform its owner hosts.")})


def create_instrument(
    *,
    actor: Any,
    data: Mapping[str, Any],
    fields: Iterable[Any] = (),
    rates: Iterable[Mapping[str, Any]] = (),
) -> Instrument:
    """List an instrument of the actor's organisation (open for booking at once).

    The actor becomes the person in charge unless ``data`` names another member.
    """
    if not permissions.can_add_instrument(actor):
        raise PermissionDenied(_("Only members of an approved organisation can list instruments."))
    values = {k: v for k, v in data.items() if k in EDITABLE_FIELDS}
    with transaction.atomic():
        instrument = Instrument(owner=actor.organization, created_by=actor, **values)
        if instrument.manager_id is None:
            instrument.manager = actor
        _check_manager(instrument)
        instrument.full_clean()
        instrument.save()
        instrument.fields.set(list(fields))
        _write_rates(instrument, rates)
        audit.record(instrument, "instruments.instrument.created", actor=actor, to_state=instrument.status)
    _queue_index(instrument.pk)
    return instrument


def update_instrument(
    instrument: Instrument, *, actor: Any, data: Mapping[str, Any], fields: Iterable[Any] | None = None
) -> Instrument:
    """Change an instrument's description, hours or rules (owner staff).

    The booking unit cannot change while future bookings or maintenance hold slots on the old units.
    """
    if not permissions.can_manage_instrument(actor, instrument):
        raise PermissionDenied(_("Only the owner's staff in charge of this instrument can do this."))
    values = {k: v for k, v in data.items() if k in EDITABLE_FIELDS}
    with transaction.atomic():
        old_unit = instrument.slot_minutes
        changed = [k for k, v in values.items() if getattr(instrument, k) != v]
        for key in changed:
            setattr(instrument, key, values[key])
        if (
            instrument.slot_minutes != old_unit
            and Slot.objects.filter(instrument=instrument, starts_at__gte=timezone.now()).exists()
        ):
            raise ValidationError(
                {
                    "slot_minutes": _(
                        "The booking unit cannot change while future bookings or maintenance "
                        "hold the calendar."
                    )
                }
            )
        _check_manager(instrument)
        instrument.updated_at = timezone.now()
        instrument.full_clean()
        instrument.save()
        if fields is not None:
            instrument.fields.set(list(fields))
        audit.record(
            instrument, "instruments.instrument.updated", actor=actor, data={"fields": sorted(changed)}
        )
    _queue_index(instrument.pk)
    return instrument


def set_fee_rates(instrument: Instrument, *, actor: Any, rates: Iterable[Mapping[str, Any]]) -> list[FeeRate]:
    """Replace the instrument's fee schedule (at most one price per audience and unit).

    Bookings already recorded keep the fees they were charged; new usage is charged at the new rates.
    """
    if not permissions.can_manage_instrument(actor, instrument):
        raise PermissionDenied(_("Only the owner's staff in charge of this instrument can do this."))
    rates = list(rates)
    with transaction.atomic():
        before = {f"{r.audience}/{r.unit}": str(r.price) for r in instrument.rates.all()}
        instrument.rates.all().delete()
        written = _write_rates(instrument, rates)
        after = {f"{r.audience}/{r.unit}": str(r.price) for r in written}
        Instrument.objects.filter(pk=instrument.pk).update(updated_at=timezone.now())
        audit.record(
            instrument,
            "instruments.instrument.rates_changed",
            actor=actor,
            data={"before": before, "after": after},
        )
    return written


def _write_rates(instrument: Instrument, rates: Iterable[Mapping[str, Any]]) -> list[FeeRate]:
    rows = []
    seen = set()
    for rate in rates:
        if rate.get("price") in (None, ""):
            continue
        key = (rate["audience"], rate["unit"])
        if key in seen:
            raise ValidationError(_("Each user type and unit may have one price only."))
        seen.add(key)
        row = FeeRate(
            instrument=instrument,
            audience=rate["audience"],
            unit=rate["unit"],
            price=Decimal(str(rate["price"])),
            note=rate.get("note", "") or "",
        )
        row.full_clean(exclude=["instrument"])
        rows.append(row)
    if len(rows) > MAX_RATES:
        raise ValidationError(_("Too many fee rates."))
    return FeeRate.objects.bulk_create(rows)


def suspend_instrument(instrument: Instrument, *, actor: Any, reason: str) -> Instrument:
    """Take an instrument out of booking for a while (owner staff, or a platform operator).

    Bookings already approved stay; the owner cancels them if it cannot serve them.
    """
    if not (permissions.can_manage_instrument(actor, instrument) or permissions.can_suspend_any(actor)):
        raise PermissionDenied(_("Only the owner's staff or a platform operator can suspend an instrument."))
    if not reason.strip():
        raise ValidationError(_("Give a reason."))
    transition(
        instrument,
        InstrumentStatus.SUSPENDED,
        actor=actor,
        action="instruments.instrument.suspended",
        message=reason,
    )
    _queue_index(instrument.pk)
    return instrument


def reactivate_instrument(instrument: Instrument, *, actor: Any) -> Instrument:
    if not (permissions.can_manage_instrument(actor, instrument) or permissions.can_suspend_any(actor)):
        raise PermissionDenied(_("Only the owner's staff or a platform operator can reopen an instrument."))
    transition(instrument, InstrumentStatus.ACTIVE, actor=actor, action="instruments.instrument.reactivated")
    _queue_index(instrument.pk)
    return instrument


def retire_instrument(instrument: Instrument, *, actor: Any) -> Instrument:
    """Retire an instrument for good; refused while bookings are still open."""
    if not permissions.can_manage_instrument(actor, instrument):
        raise PermissionDenied(_("Only the owner's staff in charge of this instrument can do this."))
    with transaction.atomic():
        if Booking.objects.filter(instrument=instrument, status__in=HOLDING_STATUSES).exists():
            raise ValidationError(_("Reject or cancel the open bookings of this instrument first."))
        transition(instrument, InstrumentStatus.RETIRED, actor=actor, action="instruments.instrument.retired")
    _queue_index(instrument.pk)
    return instrument


def _queue_index(pk: int) -> None:
    """Encode the instrument's search text ahead of the next search, on a worker.

    Without a worker the next search encodes what changed (a corpus index reuses cached vectors).
    """
    from django.conf import settings

    from techbridge.core.tasks import enqueue

    from ..tasks import encode_instruments

    if settings.CELERY_BROKER_URL:
        enqueue(encode_instruments, [pk])


# ---- qualifications --------------------------------------------------------------------------------


def grant_qualification(
    instrument: Instrument, *, actor: Any, user: Any, valid_until: dt.date | None = None, note: str = ""
) -> Qualification:
    """Record that ``user`` was trained and may book the instrument for self-use (owner staff)."""
    if not permissions.can_manage_instrument(actor, instrument):
        raise PermissionDenied(_("Only the owner's staff in charge of this instrument can do this."))
    if user is None or not user.is_active:
        raise ValidationError(_("No such user."))
    if valid_until is not None and valid_until < timezone.localdate():
        raise ValidationError({"valid_until": _("The date must not be in the past.")})
    with transaction.atomic():
        qualification, created = Qualification.objects.update_or_create(
            instrument=instrument,
            user=user,
            defaults={
                "granted_by": actor,
                "granted_at": timezone.now(),
                "valid_until": valid_until,
                "note": note,
            },
        )
        qualification.full_clean()
        audit.record(
            instrument,
            "instruments.qualification.granted",
            actor=actor,
            data={"user": user.pk, "valid_until": str(valid_until or ""), "renewed": not created},
        )
    tell(
        [user],
        kind="instrument_qualified",
        title=_("You may now book %(name)s for self-use") % {"name": instrument.name},
        url_name="instruments:detail",
        pk=instrument.pk,
    )
    return qualification


def revoke_qualification(qualification: Qualification, *, actor: Any) -> None:
    instrument = qualification.instrument
    if not permissions.can_manage_instrument(actor, instrument):
        raise PermissionDenied(_("Only the owner's staff in charge of this instrument can do this."))
    with transaction.atomic():
        user_id = qualification.user_id
        qualification.delete()
        audit.record(instrument, "instruments.qualification.revoked", actor=actor, data={"user": user_id})


def is_qualified(user: Any, instrument: Instrument, day: dt.date) -> bool:
    q = Qualification.objects.filter(instrument=instrument, user=user).first()
    return q is not None and q.is_valid_on(day)


# ---- maintenance -----------------------------------------------------------------------------------


def schedule_maintenance(
    instrument: Instrument, *, actor: Any, starts_at: dt.datetime, ends_at: dt.datetime, reason: str
) -> MaintenanceWindow:
    """Block the calendar for maintenance; refused when bookings hold any of its units.

    The window is widened to whole booking units. It claims the slots exactly as a booking does, so a
    booking racing for the same units either gets them first (and the window is refused) or fails.
    """
    if not permissions.can_manage_instrument(actor, instrument):
        raise PermissionDenied(_("Only the owner's staff in charge of this instrument can do this."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason.")})
    unit = instrument.slot_minutes
    start = slots.floor(starts_at, unit)
    end = slots.floor(ends_at, unit)
    if end < ends_at:
        end += dt.timedelta(minutes=unit)
    if end <= start:
        raise ValidationError(_("The end must be after the start."))
    if end <= timezone.now():
        raise ValidationError(_("Maintenance cannot be scheduled in the past."))
    if end - start > dt.timedelta(days=MAX_MAINTENANCE_DAYS):
        raise ValidationError(
            _("A maintenance window lasts at most %(days)s days.") % {"days": MAX_MAINTENANCE_DAYS}
        )
    with transaction.atomic():
        window = MaintenanceWindow(
            instrument=instrument, starts_at=start, ends_at=end, reason=reason.strip(), created_by=actor
        )
        window.full_clean()
        window.save()
        claim_slots(instrument, start, end, maintenance=window)
        audit.record(
            instrument,
            "instruments.maintenance.scheduled",
            actor=actor,
            message=window.reason,
            data={"window": window.pk, "from": start.isoformat(), "until": end.isoformat()},
        )
    return window


def remove_maintenance(window: MaintenanceWindow, *, actor: Any) -> None:
    instrument = window.instrument
    if not permissions.can_manage_instrument(actor, instrument):
        raise PermissionDenied(_("Only the owner's staff in charge of this instrument can do this."))
    with transaction.atomic():
        data = {
            "window": window.pk,
            "from": window.starts_at.isoformat(),
            "until": window.ends_at.isoformat(),
        }
        window.delete()
        audit.record(instrument, "instruments.maintenance.removed", actor=actor, data=data)


def claim_slots(
    instrument: Instrument,
    start: dt.datetime,
    end: dt.datetime,
    *,
    booking: Booking | None = None,
    maintenance: MaintenanceWindow | None = None,
) -> int:
    """Hold every unit of ``[start, end)`` for ``booking`` or ``maintenance``, or refuse all of them.

    The insert runs in a savepoint: a unit already held (now, or by a transaction that commits first)
    makes the database refuse the whole insert, and the caller's transaction rolls back.
    """
    rows = [
        Slot(instrument=instrument, starts_at=t, booking=booking, maintenance=maintenance)
        for t in slots.units(start, end, instrument.slot_minutes)
    ]
    try:
        with transaction.atomic():
            Slot.objects.bulk_create(rows, batch_size=500)
    except IntegrityError:
        raise ValidationError(_conflict_message(instrument, start, end)) from None
    return len(rows)


def _conflict_message(instrument: Instrument, start: dt.datetime, end: dt.datetime) -> str:
    taken = (
        Slot.objects.filter(instrument=instrument, starts_at__gte=start, starts_at__lt=end)
        .order_by("starts_at")
        .first()
    )
    if taken is None:
        return _("Someone booked this time a moment ago. Choose another time.")
    when = timezone.localtime(taken.starts_at).strftime("%Y-%m-%d %H:%M")
    if taken.maintenance_id:
        return _("The instrument is under maintenance from %(when)s. Choose another time.") % {"when": when}
    return _("The instrument is already booked from %(when)s. Choose another time.") % {"when": when}


def release_slots(booking: Booking) -> int:
    deleted, _detail = Slot.objects.filter(booking=booking).delete()
    return deleted
