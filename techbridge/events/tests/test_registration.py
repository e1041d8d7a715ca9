"""Registration: seats, the waitlist and its queue, cancellation, capacity changes, closing times."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from techbridge.core.models import Notification
from techbridge.core.workflow import TransitionError
from techbridge.events import services
from techbridge.events.choices import EventStatus, RegistrationStatus
from techbridge.events.models import Event, Registration
from techbridge.testing.factories.events import EventFactory, register_all

pytestmark = pytest.mark.django_db


def test_seats_then_the_waitlist_then_a_seat_for_the_longest_waiting(cast):
    event = EventFactory(capacity=2)
    a, b, c, d = register_all(event, cast.researcher, cast.buyer, cast.broker, cast.stranger)
    assert [r.status for r in (a, b, c, d)] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    event.refresh_from_db()
    assert event.registered_count == 2 and event.seats_left == 0
    with pytest.raises(TransitionError):
        services.register(event, actor=cast.buyer)  # already registered

    services.cancel(a, actor=cast.researcher)
    c.refresh_from_db()
    d.refresh_from_db()
    assert c.status == RegistrationStatus.CONFIRMED and d.status == RegistrationStatus.WAITLISTED
    assert Notification.objects.filter(recipient=cast.broker, kind="event_seat").count() == 1
    event.refresh_from_db()
    assert event.registered_count == 2

    # Registering again after cancelling puts the person at the back of the queue.
    again = services.register(event, actor=cast.researcher)
    assert again.pk == a.pk and again.status == RegistrationStatus.WAITLISTED
    services.cancel(b, actor=cast.buyer)
    d.refresh_from_db()
    again.refresh_from_db()
    assert d.status == RegistrationStatus.CONFIRMED and again.status == RegistrationStatus.WAITLISTED


def test_an_event_without_a_waitlist_is_full(cast):
    event = EventFactory(capacity=1, waitlist=False)
    services.register(event, actor=cast.buyer)
    with pytest.raises(TransitionError) as exc:
        services.register(event, actor=cast.broker)
    assert "满" in str(exc.value.message) or "full" in str(exc.value.message).lower()
    assert Registration.objects.filter(event=event).count() == 1


def test_registration_is_open_only_while_the_event_is_published_and_not_closed(cast):
    draft = EventFactory(status=EventStatus.DRAFT)
    with pytest.raises(TransitionError):
        services.register(draft, actor=cast.buyer)
    closed = EventFactory(registration_closes_at=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(TransitionError):
        services.register(closed, actor=cast.buyer)


def test_more_seats_go_to_the_waitlist_and_fewer_than_confirmed_are_refused(cast):
    event = EventFactory(capacity=1)
    register_all(event, cast.researcher, cast.buyer, cast.broker)
    services.update_event(event, actor=cast.operator, data={"capacity": 2})
    assert Registration.objects.get(event=event, user=cast.buyer).status == RegistrationStatus.CONFIRMED
    assert Registration.objects.get(event=event, user=cast.broker).status == RegistrationStatus.WAITLISTED
    with pytest.raises(ValidationError) as exc:
        services.update_event(Event.objects.get(pk=event.pk), actor=cast.operator, data={"capacity": 1})
    assert "capacity" in exc.value.message_dict
    assert Event.objects.get(pk=event.pk).capacity == 2


def test_the_page_registers_shows_the_waitlist_place_and_cancels(client, cast):
    event = EventFactory(capacity=1)
    client.force_login(cast.buyer)
    r = client.post(reverse("events:register", args=[event.pk]), {"note": "需要停车位"})
    reg = Registration.objects.get(event=event, user=cast.buyer)
    assert r.status_code == 302 and r["Location"] == reverse("events:ticket", args=[reg.code])
    assert reg.note == "需要停车位"
    client.force_login(cast.broker)
    client.post(reverse("events:register", args=[event.pk]))
    page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "1" in page and ("候补" in page or "waitlist" in page)
    client.post(reverse("events:cancel", args=[event.pk]))
    assert Registration.objects.get(event=event, user=cast.broker).status == RegistrationStatus.CANCELLED


def test_the_api_registers_and_cancels(api, cast):
    event = EventFactory(capacity=1)
    api.force_authenticate(cast.buyer)
    r = api.post(f"/api/v1/events/{event.pk}/register/", {"note": "x" * 201}, format="json")
    assert r.status_code == 400
    r = api.post(f"/api/v1/events/{event.pk}/register/", {}, format="json")
    assert (
        r.status_code == 201
        and r.json()["status"] == "confirmed"
        and r.json()["qr_payload"].startswith("TB-EV:")
    )
    again = api.post(f"/api/v1/events/{event.pk}/register/", {}, format="json")
    assert again.status_code == 400 and again.json()["message"]
    detail = api.get(f"/api/v1/events/{event.pk}/").json()
    assert detail["my_registration"]["status"] == "confirmed" and detail["seats_left"] == 0
    assert api.get("/api/v1/events/tickets/").json()["count"] == 1
    assert api.delete(f"/api/v1/events/{event.pk}/register/").json()["status"] == "cancelled"
    api.force_authenticate(cast.broker)
    assert api.get("/api/v1/events/tickets/").json()["count"] == 0


def test_cancelling_an_event_tells_everyone_and_concluding_lapses_the_waitlist(cast):
    event = EventFactory(capacity=1)
    register_all(event, cast.buyer, cast.broker)
    with pytest.raises(ValidationError):
        services.cancel_event(event, actor=cast.operator, reason="")
    assert services.cancel_event(event, actor=cast.operator, reason="场馆检修，活动取消") == 2
    assert Notification.objects.filter(kind="event_cancelled").count() == 2

    past = EventFactory(capacity=1)
    register_all(past, cast.buyer, cast.broker)
    with pytest.raises(TransitionError):
        services.conclude_event(past, actor=cast.operator)  # not ended yet
    Event.objects.filter(pk=past.pk).update(
        starts_at=timezone.now() - dt.timedelta(days=2), ends_at=timezone.now() - dt.timedelta(days=1)
    )
    past.refresh_from_db()
    services.conclude_event(past, actor=cast.operator, outcome="现场签约意向3项")
    assert Registration.objects.get(event=past, user=cast.broker).status == RegistrationStatus.CANCELLED
    assert Event.objects.get(pk=past.pk).status == EventStatus.CLOSED


def test_reminders_go_once_to_people_with_a_seat(cast):
    event = EventFactory(starts_at=timezone.now() + dt.timedelta(hours=20), capacity=1)
    register_all(event, cast.buyer, cast.broker)
    assert services.send_event_reminders() == 1
    assert services.send_event_reminders() == 0
