"""Writes to events: create and change (with their sessions and linked records), publish, cancel, conclude."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.notifications import notify
from techbridge.core.tasks import enqueue
from techbridge.core.workflow import (
    ReviewStatus,
    TransitionError,
    record_created,
    transition,
    transition_many,
)

from .. import permissions, programme
from ..choices import EventStatus, RegistrationStatus
from ..models import MAX_LINKS, Event, EventSession

EVENT_FIELDS = (
    "title",
    "kind",
    "summary",
    "organizer",
    "venue",
    "address",
    "live_url",
    "district",
    "zone",
    "starts_at",
    "ends_at",
    "registration_closes_at",
    "capacity",
    "waitlist",
    "auction_session",
)
MAX_SESSIONS = 50


def _check_fields(data: dict[str, Any]) -> None:
    unknown = set(data) - set(EVENT_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))})


def _check_links(achievements: list[Any] | None, demands: list[Any] | None, lots: list[Any] | None) -> None:
    """An event presents only public listings and lots (what visitors can open)."""
    from techbridge.auctions.queries import PUBLIC_LOT

    for name, rows in (("achievements", achievements), ("demands", demands), ("lots", lots)):
        if rows is None:
            continue
        if len(rows) > MAX_LINKS:
            raise ValidationError({name: _("At most %(n)s linked records.") % {"n": MAX_LINKS}})
        for row in rows:
            public = row.status in PUBLIC_LOT if name == "lots" else row.status == ReviewStatus.PUBLISHED
            if not public:
                raise ValidationError({name: _("“%(title)s” is not public.") % {"title": row.title}})


def _set_links(event: Event, links: dict[str, list[Any] | None]) -> list[str]:
    changed = []
    for name, rows in links.items():
        if rows is None:
            continue
        manager = getattr(event, name)
        if set(manager.values_list("pk", flat=True)) != {r.pk for r in rows}:
            manager.set(rows)
            changed.append(name)
    return changed


def create_event(
    *,
    actor: Any,
    data: dict[str, Any],
    achievements: Iterable[Any] = (),
    demands: Iterable[Any] = (),
    lots: Iterable[Any] = (),
    is_demo: bool = False,
) -> Event:
    """A draft event; operators only."""
    permissions.check_manage_events(actor)
    _check_fields(data)
    links = {"achievements": list(achievements), "demands": list(demands), "lots": list(lots)}
    _check_links(links["achievements"], links["demands"], links["lots"])
    event = Event(**data, created_by=actor, is_demo=is_demo)
    event.full_clean(validate_constraints=False)
    with transaction.atomic():
        event.save()
        _set_links(event, links)  # type: ignore[arg-type]
        record_created(event, actor=actor, action="events.event.created")
    return event


def update_event(
    event: Event,
    *,
    actor: Any,
    data: dict[str, Any],
    achievements: Iterable[Any] | None = None,
    demands: Iterable[Any] | None = None,
    lots: Iterable[Any] | None = None,
) -> list[str]:
    """Change an event. Capacity never drops below the confirmed seats; added seats go to the waitlist.
    When a published event's time or place changes, the people registered and its followers are told."""
    permissions.check_manage_events(actor)
    if event.status in (EventStatus.CANCELLED, EventStatus.CLOSED):
        raise TransitionError(_("A cancelled or concluded event is not changed any more."))
    _check_fields(data)
    links = {
        "achievements": list(achievements) if achievements is not None else None,
        "demands": list(demands) if demands is not None else None,
        "lots": list(lots) if lots is not None else None,
    }
    _check_links(links["achievements"], links["demands"], links["lots"])
    changed = [k for k, v in data.items() if getattr(event, k) != v]
    before = {name: getattr(event, name) for name in programme.WHEN_AND_WHERE}
    for key, value in data.items():
        setattr(event, key, value)
    event.refresh_from_db(fields=["registered_count"])
    event.full_clean(validate_constraints=False)
    with transaction.atomic():
        event.updated_at = timezone.now()
        fields = [k for k in data if k != "capacity"]
        event.save(update_fields=[*fields, "updated_at"])
        if "capacity" in data:
            # Seats are contested: the new capacity holds only if it still covers the confirmed seats.
            rows = Event.objects.filter(pk=event.pk, registered_count__lte=data["capacity"]).update(
                capacity=data["capacity"]
            )
            if rows != 1:
                raise ValidationError({"capacity": _("Fewer seats than people already confirmed.")})
        changed += _set_links(event, links)
        if changed:
            entry = audit.record(event, "events.event.updated", actor=actor, data={"fields": sorted(changed)})
            if event.status == EventStatus.PUBLISHED and programme.time_or_place_changed(before, event):
                enqueue(programme.tell_event_moved, entry.pk)
    if "capacity" in changed and event.status == EventStatus.PUBLISHED:
        from .registrations import promote_waitlist

        promote_waitlist(event)
    return changed


def set_sessions(event: Event, *, actor: Any, sessions: list[dict[str, Any]]) -> None:
    """Replace the programme (dicts of title, starts_at, ends_at, room, speaker, description). What was
    added, moved or cancelled is audited; for a published event, followers and the people registered are
    told once for the whole batch (``events.programme``). A programme saved unchanged records nothing."""
    permissions.check_manage_events(actor)
    if len(sessions) > MAX_SESSIONS:
        raise ValidationError(_("At most %(n)s sessions.") % {"n": MAX_SESSIONS})
    rows = []
    for item in sessions:
        row = EventSession(event=event, **item)
        row.full_clean(exclude=["event"])
        if row.starts_at < event.starts_at or row.starts_at > event.ends_at:
            raise ValidationError(_("“%(title)s” starts outside the event's time.") % {"title": row.title})
        rows.append(row)
    with transaction.atomic():
        before = list(event.sessions.all())
        change = programme.diff(before, rows)
        event.sessions.all().delete()
        EventSession.objects.bulk_create(rows)
        if not any(change.values()):
            return
        entry = audit.record(
            event, "events.event.programme_changed", actor=actor, data={"sessions": len(rows), **change}
        )
        if event.status == EventStatus.PUBLISHED:
            enqueue(programme.tell_programme_change, entry.pk)


def publish_event(event: Event, *, actor: Any) -> None:
    permissions.check_manage_events(actor)
    if event.ends_at <= timezone.now():
        raise TransitionError(_("An event that has already ended cannot be published."))
    transition(
        event,
        EventStatus.PUBLISHED,
        actor=actor,
        action="events.event.published",
        changes={"published_at": event.published_at or timezone.now()},
    )


def cancel_event(event: Event, *, actor: Any, reason: str) -> int:
    """Cancel the event and tell everyone registered and everyone who follows it; returns how many were
    told."""
    permissions.check_manage_events(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Tell the people registered why the event is cancelled.")})
    with transaction.atomic():
        transition(
            event,
            EventStatus.CANCELLED,
            actor=actor,
            action="events.event.cancelled",
            message=reason,
            changes={"cancel_reason": reason[:2000]},
        )
        people = [
            reg.user
            for reg in event.registrations.exclude(status=RegistrationStatus.CANCELLED).select_related("user")
        ]
        registered = {user.pk for user in people}
        from django.contrib.auth import get_user_model

        followers = programme.followers(event) - registered - {getattr(actor, "pk", None)}
        people += list(get_user_model().objects.filter(pk__in=followers, is_active=True).order_by("pk"))
    from django.urls import reverse

    for user in people:
        notify(
            user,
            kind="event_cancelled",
            title=_("Cancelled: %(title)s") % {"title": event.title},
            body=reason,
            link=reverse("events:detail", args=[event.pk]),
            dedupe_key=f"event-cancelled:{event.pk}:{user.pk}",
        )
    return len(people)


def conclude_event(event: Event, *, actor: Any, outcome: str = "") -> None:
    """After the event: record what happened; the figures page keeps counting what it started."""
    permissions.check_manage_events(actor)
    if not event.has_ended:
        raise TransitionError(_("An event is concluded after it has ended."))
    now = timezone.now()
    with transaction.atomic():
        transition(
            event,
            EventStatus.CLOSED,
            actor=actor,
            action="events.event.concluded",
            changes={"closed_at": now, "outcome": (outcome or "").strip()[:5000]},
        )
        # Whoever still waits for a seat will not get one now.
        transition_many(
            event.registrations.filter(status=RegistrationStatus.WAITLISTED),
            RegistrationStatus.CANCELLED,
            actor=None,
            action="events.registration.expired",
            changes={"cancelled_at": now},
        )


def seats_sanity(event: Event) -> int:
    """The confirmed registrations the database holds (the seat counter must equal it)."""
    return event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
