"""The last seat, taken from two places at once: one person gets it, the other the waitlist; a ticket
scanned at two doors at once is checked in once."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from techbridge.events import services
from techbridge.events.choices import RegistrationStatus
from techbridge.events.models import Event, Registration
from techbridge.testing.factories.events import EventFactory


def _needs_real_database() -> None:
    if connection.vendor == "sqlite" and getattr(connection, "is_in_memory_db", lambda: False)():
        # Shared-cache in-memory SQLite fails fast ("table is locked") instead of waiting for the lock.
        pytest.skip("needs a file SQLite database or PostgreSQL")


def _race(*calls):
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def run(call):
        try:
            barrier.wait()
            outcomes.append(call())
        except Exception as exc:  # the loser's refusal is part of the outcome
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_people_cannot_both_take_the_last_seat(cast):
    _needs_real_database()
    event = EventFactory(capacity=1)
    outcomes = _race(
        lambda: services.register(event, actor=cast.buyer).status,
        lambda: services.register(event, actor=cast.broker).status,
    )
    assert sorted(outcomes) == ["confirmed", "waitlisted"], outcomes
    assert Event.objects.get(pk=event.pk).registered_count == 1
    assert Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_ticket_scanned_at_two_doors_is_checked_in_once(cast):
    _needs_real_database()
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    event = EventFactory(starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1),
                         registration_closes_at=now + timedelta(minutes=30))  # fmt: skip
    reg = services.register(event, actor=cast.buyer)
    outcomes = _race(
        lambda: services.check_in(event, actor=cast.reviewer, text=reg.code).outcome,
        lambda: services.check_in(event, actor=cast.operator, text=reg.code).outcome,
    )
    assert sorted(outcomes) == ["checked_in", "duplicate"], outcomes
