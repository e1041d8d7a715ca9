"""What changed in an event's programme or its time and place, and telling the people it matters to.

``set_sessions`` replaces the programme in one go (the console's pasted programme, the API's list, the
demo loader), so the sessions are compared by title: a title that is new is an added session; a title
kept with another time or room is a moved session; a title that is gone is a cancelled session (titles
that appear twice pair up in order of time). The difference is written into the audit entry
(``events.event.programme_changed``) and, for a published event, ``tell_programme_change`` sends each
follower of the event — and, when a session moved or was cancelled, each person registered — ONE
notification for the whole batch, through ``core.notifications.notify`` (channels, preferences and
quiet hours apply). When a published event's own time or place changes (``update_event``),
``tell_event_moved`` tells the people registered and the followers, once each.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from techbridge.core.models import AuditEntry
from techbridge.core.notifications import notify

from .choices import EventStatus, RegistrationStatus
from .models import Event
from .signals import event_followers

MAX_TOLD = 5000  # people told of one change (followers and registered together)
MAX_NAMED = 20  # sessions named in one notification
WHEN_AND_WHERE = ("starts_at", "ends_at", "venue", "address", "live_url")


def _when(start: datetime | None, end: datetime | None) -> str:
    if start is None:
        return ""
    local = timezone.localtime(start)
    text = f"{local:%m-%d %H:%M}"
    if end is not None:
        until = timezone.localtime(end)
        text += f"-{until:%H:%M}" if until.date() == local.date() else f" - {until:%m-%d %H:%M}"
    return text


def _minute(value: Any) -> Any:
    """Times compared to the minute: the console's form shows and posts minutes, so a time given with
    seconds through the API and saved back from the console has not moved."""
    return value.replace(second=0, microsecond=0) if isinstance(value, datetime) else value


def _place_and_time(row: Any) -> tuple[Any, Any, str]:
    return _minute(row.starts_at), _minute(row.ends_at), (row.room or "").strip()


def time_or_place_changed(before: dict[str, Any], event: Event) -> bool:
    """Whether the event's time or place differs from ``before`` (its ``WHEN_AND_WHERE`` values)."""
    return any(_minute(before[name]) != _minute(getattr(event, name)) for name in WHEN_AND_WHERE)


def _shown(row: Any) -> dict[str, str]:
    return {"title": row.title, "when": _when(row.starts_at, row.ends_at), "room": row.room or ""}


def diff(old: Iterable[Any], new: Iterable[Any]) -> dict[str, list[dict[str, str]]]:
    """The sessions added, moved (time or room), cancelled and edited (speaker or description only: audited,
    nobody is told) between two programmes."""
    waiting: dict[str, list[Any]] = {}
    for row in sorted(old, key=lambda r: r.starts_at):
        waiting.setdefault(row.title, []).append(row)
    added: list[dict[str, str]] = []
    moved: list[dict[str, str]] = []
    edited: list[dict[str, str]] = []
    for row in sorted(new, key=lambda r: r.starts_at):
        same = waiting.get(row.title)
        if not same:
            added.append(_shown(row))
            continue
        before = same.pop(0)
        if _place_and_time(before) != _place_and_time(row):
            was = _shown(before)
            moved.append({**_shown(row), "was_when": was["when"], "was_room": was["room"]})
        elif (before.speaker or "", before.description or "") != (row.speaker or "", row.description or ""):
            edited.append(_shown(row))
    cancelled = [_shown(row) for rows in waiting.values() for row in rows]
    cancelled.sort(key=lambda s: s["when"])
    return {"added": added, "moved": moved, "cancelled": cancelled, "edited": edited}


def _place(room: str) -> str:
    return f"（{room}）" if room else ""


def _lines(change: dict[str, list[dict[str, str]]], *, registered: bool, following: bool) -> list[str]:
    lines: list[str] = []
    named = 0

    def add(text: str) -> None:
        nonlocal named
        named += 1
        if named <= MAX_NAMED:
            lines.append(text)

    if following:
        for s in change.get("added", []):
            add(_("New: %(when)s %(title)s%(room)s") % {**s, "room": _place(s["room"])})
    if following or registered:
        for s in change.get("moved", []):
            add(
                _("Moved: %(title)s, now %(when)s%(room)s (was %(was_when)s%(was_room)s)")
                % {**s, "room": _place(s["room"]), "was_room": _place(s["was_room"])}
            )
        for s in change.get("cancelled", []):
            add(_("Cancelled: %(when)s %(title)s") % s)
    if named > MAX_NAMED:
        lines.append(_("… and %(n)s more changes on the event's page.") % {"n": named - MAX_NAMED})
    return lines


def _title(event: Event, change: dict[str, list[dict[str, str]]]) -> str:
    if change.get("moved") or change.get("cancelled"):
        return _("%(event)s: the programme changed") % {"event": event.title}
    return _("%(event)s: %(n)s new sessions") % {"event": event.title, "n": len(change.get("added", []))}


def followers(event: Event) -> set[int]:
    """The ids of the users who follow the event (answered by the apps that keep follows)."""
    ids: set[int] = set()
    for _receiver, answer in event_followers.send(sender=Event, pk=event.pk):
        ids.update(int(pk) for pk in (answer or []))
    return ids


@shared_task(name="techbridge.events.programme.tell_programme_change")
def tell_programme_change(entry_pk: int) -> int:
    """Tell the followers of a published event (and, when sessions moved or were cancelled, the people
    registered) what the programme change of the audit entry ``entry_pk`` means for them: one
    notification each. Returns how many were told; idempotent (dedupe key by audit entry)."""
    entry = AuditEntry.objects.filter(pk=entry_pk, action="events.event.programme_changed").first()
    if entry is None:
        return 0
    event = Event.objects.filter(pk=int(entry.object_id)).first()
    if event is None or event.status != EventStatus.PUBLISHED:
        return 0
    change = {k: list((entry.data or {}).get(k) or []) for k in ("added", "moved", "cancelled")}
    if not any(change.values()):
        return 0
    following = followers(event)
    registered: set[int] = set()
    if change["moved"] or change["cancelled"]:
        registered = set(
            event.registrations.exclude(status=RegistrationStatus.CANCELLED).values_list("user_id", flat=True)
        )
    people = (following | registered) - {entry.actor_id}
    users = get_user_model().objects.filter(pk__in=people, is_active=True).order_by("pk")[:MAX_TOLD]
    link = reverse("events:detail", args=[event.pk])
    told = 0
    with override(settings.LANGUAGE_CODE):
        for user in users:
            lines = _lines(change, registered=user.pk in registered, following=user.pk in following)
            if not lines:
                continue
            told += notify(
                user,
                kind="event_programme",
                title=_title(event, change),
                body="\n".join(lines),
                link=link,
                dedupe_key=f"event-programme:{event.pk}:{entry.pk}",
            )
    return told


def _people(event: Event, actor_id: int | None) -> Any:
    registered = set(
        event.registrations.exclude(status=RegistrationStatus.CANCELLED).values_list("user_id", flat=True)
    )
    people = (followers(event) | registered) - {actor_id}
    return get_user_model().objects.filter(pk__in=people, is_active=True).order_by("pk")[:MAX_TOLD]


@shared_task(name="techbridge.events.programme.tell_event_moved")
def tell_event_moved(entry_pk: int) -> int:
    """Tell the people registered for a published event and its followers that its time or place changed
    (the audit entry ``entry_pk`` of ``events.event.updated``): one notification each, idempotent."""
    entry = AuditEntry.objects.filter(pk=entry_pk, action="events.event.updated").first()
    if entry is None:
        return 0
    event = Event.objects.filter(pk=int(entry.object_id)).first()
    if event is None or event.status != EventStatus.PUBLISHED:
        return 0
    link = reverse("events:detail", args=[event.pk])
    told = 0
    with override(settings.LANGUAGE_CODE):
        place = "，".join(p for p in (event.venue, event.address) if p)
        lines = [_("Time: %(when)s") % {"when": _when(event.starts_at, event.ends_at)}]
        if place:
            lines.append(_("Place: %(place)s") % {"place": place})
        if event.live_url:
            lines.append(_("Online: %(url)s") % {"url": event.live_url})
        for user in _people(event, entry.actor_id):
            told += notify(
                user,
                kind="event_moved",
                title=_("%(event)s: the time or place changed") % {"event": event.title},
                body="\n".join(lines),
                link=link,
                dedupe_key=f"event-moved:{event.pk}:{entry.pk}",
            )
    return told
