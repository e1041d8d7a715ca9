"""Registration, the waitlist and check-in at the door.

Seats are claimed with a conditional UPDATE of ``Event.registered_count`` (``< capacity``) and the
database refuses more (``event_seats_within_capacity``), so two people never get the last seat on SQLite
or PostgreSQL. When a confirmed seat is given back, the longest-waiting person gets it. Check-in is a
conditional UPDATE of ``checked_in_at`` (only while empty): the first scan wins, every later one is a
duplicate — scanning twice never checks anyone in twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.notifications import notify
from techbridge.core.workflow import TransitionError, record_created, set_initial_state, transition

from .. import permissions, tickets
from ..choices import CheckInOutcome, EventStatus, RegistrationStatus
from ..models import Event, Registration

# The door opens this long before the start and closes this long after the end.
DOOR_OPENS_BEFORE = dt.timedelta(hours=12)
DOOR_CLOSES_AFTER = dt.timedelta(hours=6)
MAX_CODE_ATTEMPTS = 5


def _claim_seat(event: Event) -> bool:
    return (
        Event.objects.filter(pk=event.pk, registered_count__lt=F("capacity")).update(
            registered_count=F("registered_count") + 1
        )
        == 1
    )


def _release_seat(event: Event) -> None:
    Event.objects.filter(pk=event.pk, registered_count__gt=0).update(
        registered_count=F("registered_count") - 1
    )


def register(event: Event, *, actor: Any, note: str = "") -> Registration:
    """Take a seat, or a place on the waitlist when the event is full (and has one).

    Raises ``TransitionError`` with the reason when registration is closed, the person is already
    registered, or the event is full without a waitlist.
    """
    permissions.check_register(actor)
    now = timezone.now()
    if event.status != EventStatus.PUBLISHED:
        raise TransitionError(_("This event is not open for registration."))
    if now >= event.closes_at:
        raise TransitionError(_("Registration for this event has closed."))
    with transaction.atomic():
        reg = Registration.objects.filter(event=event, user=actor).first()
        if reg is not None and reg.status != RegistrationStatus.CANCELLED:
            raise TransitionError(_("You are already registered for this event."))
        seated = _claim_seat(event)
        if not seated and not event.waitlist:
            raise TransitionError(_("The event is full."))
        status = RegistrationStatus.CONFIRMED if seated else RegistrationStatus.WAITLISTED
        changes = {
            "confirmed_at": now if seated else None,
            "cancelled_at": None,
            "note": (note or "")[:200],
            "organization_id": actor.organization_id,
        }
        if reg is None:
            reg = _create(event, actor, status, now, changes)
            record_created(reg, actor=actor, action="events.registration.created")
        else:
            transition(
                reg,
                status,
                actor=actor,
                action="events.registration.confirmed" if seated else "events.registration.waitlisted",
                changes={**changes, "created_at": now},  # back of the queue when registering again
            )
    event.refresh_from_db(fields=["registered_count"])
    return reg


def _create(event: Event, actor: Any, status: str, now: dt.datetime, changes: dict[str, Any]) -> Registration:
    for _attempt in range(MAX_CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                reg = Registration(event=event, user=actor, code=tickets.new_code(), created_at=now)
                set_initial_state(reg, status, **changes)  # a seat, or a place on the waitlist
                reg.save(force_insert=True)
                return reg
        except IntegrityError as exc:
            if Registration.objects.filter(event=event, user=actor).exists():
                raise TransitionError(_("You are already registered for this event.")) from exc
    raise TransitionError(_("Could not issue a ticket; please try again."))


def cancel(reg: Registration, *, actor: Any) -> None:
    """Give back a seat (or a waitlist place); the seat goes to the longest-waiting person."""
    event = reg.event
    permissions.check_cancel_registration(actor, reg)
    if reg.checked_in_at is not None:
        raise TransitionError(_("You were checked in already; the registration cannot be cancelled."))
    if event.has_ended:
        raise TransitionError(_("The event has ended."))
    was_confirmed = reg.status == RegistrationStatus.CONFIRMED
    with transaction.atomic():
        transition(
            reg,
            RegistrationStatus.CANCELLED,
            actor=actor,
            action="events.registration.cancelled",
            changes={"cancelled_at": timezone.now()},
        )
        if was_confirmed:
            _release_seat(event)
    if was_confirmed:
        promote_waitlist(event)
    event.refresh_from_db(fields=["registered_count"])


def promote_waitlist(event: Event) -> int:
    """Give free seats to the waitlist, longest-waiting first; returns how many got a seat."""
    promoted = 0
    if event.status != EventStatus.PUBLISHED or event.has_ended:
        return 0
    while True:
        with transaction.atomic():
            nxt = (
                Registration.objects.filter(event=event, status=RegistrationStatus.WAITLISTED)
                .select_related("user")
                .order_by("created_at", "id")
                .first()
            )
            if nxt is None or not _claim_seat(event):
                return promoted
            try:
                transition(
                    nxt,
                    RegistrationStatus.CONFIRMED,
                    actor=None,
                    action="events.registration.promoted",
                    changes={"confirmed_at": timezone.now()},
                )
            except TransitionError:
                # Someone cancelled that waitlist place a moment ago: give the seat back and look again.
                _release_seat(event)
                continue
        promoted += 1
        notify(
            nxt.user,
            kind="event_seat",
            title=_("You have a seat: %(title)s") % {"title": event.title},
            body=_("A seat became free and is now yours. Your ticket is ready."),
            link=reverse("events:ticket", args=[nxt.code]),
            dedupe_key=f"event-seat:{nxt.pk}:{nxt.confirmed_at:%Y%m%d%H%M%S}",
        )


# ---- the door ---------------------------------------------------------------------------------------


@dataclass
class CheckIn:
    """What the door shows after a code was scanned or typed."""

    outcome: str
    message: str
    registration: Registration | None = None

    @property
    def ok(self) -> bool:
        return self.outcome == CheckInOutcome.CHECKED_IN


def door_open(event: Event, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        event.status in (EventStatus.PUBLISHED, EventStatus.CLOSED)
        and event.starts_at - DOOR_OPENS_BEFORE <= now <= event.ends_at + DOOR_CLOSES_AFTER
    )


def check_in(event: Event, *, actor: Any, text: str) -> CheckIn:
    """Check in the ticket in ``text`` (a scan or typed code) at ``event``'s door. Idempotent."""
    permissions.check_run_door(actor, event)
    code = tickets.parse(text)
    if code is None:
        return CheckIn(CheckInOutcome.UNKNOWN, _("This is not a ticket code of the platform."))
    reg = Registration.objects.select_related("event", "user", "organization").filter(code=code).first()
    if reg is None:
        return CheckIn(CheckInOutcome.UNKNOWN, _("No ticket has this code."))
    if reg.event_id != event.pk:
        return CheckIn(
            CheckInOutcome.WRONG_EVENT,
            _("This ticket is for another event: %(title)s (%(when)s).")
            % {"title": reg.event.title, "when": f"{timezone.localtime(reg.event.starts_at):%Y-%m-%d %H:%M}"},
            reg,
        )
    if not door_open(event):
        return CheckIn(
            CheckInOutcome.CLOSED,
            _("Check-in opens %(hours)s hours before the start and closes %(after)s hours after the end.")
            % {"hours": 12, "after": 6},
            reg,
        )
    if reg.status != RegistrationStatus.CONFIRMED:
        if reg.status == RegistrationStatus.WAITLISTED:
            message = _("%(name)s is on the waitlist and has no seat.") % {"name": reg.user.display_name}
        else:
            message = _("%(name)s cancelled this registration.") % {"name": reg.user.display_name}
        return CheckIn(CheckInOutcome.NOT_CONFIRMED, message, reg)
    now = timezone.now()
    with transaction.atomic():
        rows = Registration.objects.filter(
            pk=reg.pk, checked_in_at__isnull=True, status=RegistrationStatus.CONFIRMED
        ).update(checked_in_at=now, checked_in_by=actor)
        if rows == 1:
            audit.record(reg, "events.registration.checked_in", actor=actor, data={"event": event.pk})
    if rows == 1:
        reg.checked_in_at, reg.checked_in_by = now, actor
        who = reg.user.display_name + (f" · {reg.organization.name}" if reg.organization else "")
        return CheckIn(CheckInOutcome.CHECKED_IN, _("Welcome, %(who)s.") % {"who": who}, reg)
    reg.refresh_from_db(fields=["checked_in_at", "status"])
    if reg.checked_in_at is None:
        return CheckIn(CheckInOutcome.NOT_CONFIRMED, _("This registration was cancelled a moment ago."), reg)
    return CheckIn(
        CheckInOutcome.DUPLICATE,
        _("%(name)s was already checked in at %(time)s.")
        % {"name": reg.user.display_name, "time": f"{timezone.localtime(reg.checked_in_at):%H:%M}"},
        reg,
    )


# ---- reminders ------------------------------------------------------------------------------------


def send_event_reminders(now: dt.datetime | None = None) -> int:
    """Remind people with a seat of an event that starts within the next day (once each)."""
    now = now or timezone.now()
    sent = 0
    regs = Registration.objects.filter(
        status=RegistrationStatus.CONFIRMED,
        event__status=EventStatus.PUBLISHED,
        event__starts_at__gt=now,
        event__starts_at__lte=now + dt.timedelta(days=1),
    ).select_related("event", "user")
    for reg in regs.iterator():
        sent += notify(
            reg.user,
            kind="event_reminder",
            title=_("Tomorrow: %(title)s") % {"title": reg.event.title},
            body=_("Starts %(when)s at %(where)s. Show your ticket's QR code at the door.")
            % {
                "when": f"{timezone.localtime(reg.event.starts_at):%Y-%m-%d %H:%M}",
                "where": reg.event.venue or reg.event.live_url,
            },
            link=reverse("events:ticket", args=[reg.code]),
            dedupe_key=f"event-reminder:{reg.pk}",
        )
    return sent
