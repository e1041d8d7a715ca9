"""The demo events loader: idempotent, tagged as demo data, published and upcoming (no figure moves)."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from techbridge.events.choices import EventStatus
from techbridge.events.models import Event


def test_demo_events_are_published_upcoming_tagged_and_loaded_once(db, client):
    out = io.StringIO()
    call_command("demo_accounts", stdout=out)
    for _ in range(2):
        call_command("load_demo_events", stdout=out)
    events = list(Event.objects.all())
    assert len(events) == 3
    assert all(
        e.is_demo and e.status == EventStatus.PUBLISHED and e.starts_at > timezone.now() for e in events
    )
    assert all(e.sessions.exists() for e in events) and not any(e.registered_count for e in events)
    html = client.get(reverse("events:list")).content.decode()
    assert "示例·集成电路产业技术需求对接会" in html
