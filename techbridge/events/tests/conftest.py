"""Fixtures of the events tests: the zones the migrations load, an event running now
with its registration still open."""

from __future__ import annotations

import datetime as dt
from importlib import import_module

import pytest
from django.apps import apps
from django.utils import timezone

from techbridge.testing.factories.events import EventFactory


@pytest.fixture(autouse=True)
def reference_rows(db) -> None:
    import_module("techbridge.organizations.migrations.0004_load_zones").load(apps, None)


@pytest.fixture
def running(cast):
    """An event under way (the door is open) whose registration stays open until the end."""
    now = timezone.now()
    return EventFactory(
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=2),
        registration_closes_at=now + dt.timedelta(hours=1),
        capacity=3,
        organizer=cast.enterprise,
    )
