"""Factories of events (test set-up; statuses set directly)."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import factory
from django.utils import timezone

from techbridge.events import services
from techbridge.events.choices import EventKind, EventStatus
from techbridge.events.models import Event, Registration


class EventFactory(factory.django.DjangoModelFactory):
    """A published matchmaking event tomorrow, 50 seats, with a waitlist."""

    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"集成电路专场技术交易洽谈会{n}")
    kind = EventKind.MATCHMAKING
    summary = "高校院所与企业面对面洽谈集成电路领域科技成果。"
    venue = "南京国际博览中心3号馆"
    district = "jianye"
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=1))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=3))
    capacity = 50
    status = EventStatus.PUBLISHED


def make_event(**extra: Any) -> Event:
    return cast(Event, EventFactory(**extra))


def event_now(**extra: Any) -> Event:
    """A published event running right now (the door is open)."""
    now = timezone.now()
    values = {"starts_at": now - dt.timedelta(hours=1), "ends_at": now + dt.timedelta(hours=2)}
    values.update(extra)
    return cast(Event, EventFactory(**values))


def register_all(event: Event, *users: Any) -> list[Registration]:
    """Each user registers through the service, in this order (seats first, then the waitlist)."""
    return [services.register(event, actor=user) for user in users]
