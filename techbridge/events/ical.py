"""iCalendar (RFC 5545) export of events, for any calendar application."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

from .models import Event

PRODID = "-//TechBridge//Nanjing Technology Transfer Platform//ZH"


def _description(event: Event, sessions: Iterable[Any]) -> str:
    lines = [event.summary.strip()] if event.summary else []
    items = [
        f"{timezone.localtime(s.starts_at):%H:%M} {s.title}" + (f"（{s.speaker}）" if s.speaker else "")
        for s in sessions
    ]
    if items:
        lines += ["", *items]
    if event.live_url:
        lines += ["", event.live_url]
    return "\n".join(lines)


def vevent(event: Event, url: str) -> VEvent:
    item = VEvent()
    item.add("uid", f"event-{event.pk}@techbridge")
    item.add("dtstamp", event.updated_at)
    item.add("dtstart", event.starts_at)
    item.add("dtend", event.ends_at)
    item.add("summary", event.title)
    item.add("description", _description(event, event.sessions.all()))
    location = "，".join(p for p in (event.venue, event.address) if p) or event.live_url
    if location:
        item.add("location", location)
    item.add("url", url)
    item.add("status", "CANCELLED" if event.status == "cancelled" else "CONFIRMED")
    return item


def calendar(events: Iterable[tuple[Event, str]], *, name: str) -> bytes:
    """A calendar of ``(event, absolute url)`` pairs."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Shanghai")
    for event, url in events:
        cal.add_component(vevent(event, url))
    return cal.to_ical()
