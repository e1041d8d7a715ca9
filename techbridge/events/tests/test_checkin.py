"""The door: a ticket's QR code (or its typed code) checks a person in once; every other case says why."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from techbridge.core.models import AuditEntry
from techbridge.core.workflow import TransitionError
from techbridge.events import services, tickets
from techbridge.events.choices import CheckInOutcome
from techbridge.events.models import Registration
from techbridge.testing.factories.events import EventFactory, register_all

pytestmark = pytest.mark.django_db


def test_every_outcome_at_the_door(cast, running):
    seat, _other, waiting = register_all(running, cast.buyer, cast.researcher, cast.broker)
    Registration.objects.filter(pk=waiting.pk).update(status="waitlisted")
    other_event = EventFactory()
    elsewhere = services.register(other_event, actor=cast.stranger)

    ok = services.check_in(running, actor=cast.reviewer, text=tickets.payload(seat.code))
    assert ok.outcome == CheckInOutcome.CHECKED_IN and "张采购" in ok.message and "示范企业" in ok.message
    again = services.check_in(running, actor=cast.reviewer, text=seat.display_code.lower())
    assert again.outcome == CheckInOutcome.DUPLICATE and again.registration.pk == seat.pk
    assert Registration.objects.get(pk=seat.pk).checked_in_at is not None
    assert (
        AuditEntry.objects.filter(action="events.registration.checked_in", object_id=str(seat.pk)).count()
        == 1
    )

    wrong = services.check_in(running, actor=cast.reviewer, text=elsewhere.code)
    assert wrong.outcome == CheckInOutcome.WRONG_EVENT and other_event.title in wrong.message
    assert (
        services.check_in(running, actor=cast.reviewer, text="ABCD-EFGH-JKLM").outcome
        == CheckInOutcome.UNKNOWN
    )
    assert (
        services.check_in(running, actor=cast.reviewer, text="https://example.cn").outcome
        == CheckInOutcome.UNKNOWN
    )
    waited = services.check_in(running, actor=cast.reviewer, text=waiting.code)
    assert waited.outcome == CheckInOutcome.NOT_CONFIRMED
    # A checked-in person cannot cancel any more.
    with pytest.raises(TransitionError):
        services.cancel(Registration.objects.get(pk=seat.pk), actor=cast.buyer)


def test_the_door_opens_half_a_day_before_the_start(cast):
    later = EventFactory(starts_at=timezone.now() + dt.timedelta(days=3))
    reg = services.register(later, actor=cast.buyer)
    result = services.check_in(later, actor=cast.operator, text=reg.code)
    assert result.outcome == CheckInOutcome.CLOSED
    assert Registration.objects.get(pk=reg.pk).checked_in_at is None


def test_the_door_page_works_with_and_without_htmx(client, cast, running):
    (seat,) = register_all(running, cast.buyer)
    client.force_login(cast.operator)
    page = client.get(reverse("events_console:door", args=[running.pk])).content.decode()
    assert (
        "door.js" in page and 'name="code"' in page and "BarcodeDetector" not in page
    )  # the script holds it
    # Without JavaScript: the form posts and the whole page shows the result.
    r = client.post(reverse("events_console:door", args=[running.pk]), {"code": seat.code})
    assert 'data-outcome="checked_in"' in r.content.decode() and "<html" in r.content.decode()
    # With htmx: only the result and the counter.
    r = client.post(
        reverse("events_console:door", args=[running.pk]), {"code": seat.code}, headers={"HX-Request": "true"}
    )
    body = r.content.decode()
    assert 'data-outcome="duplicate"' in body and "<html" not in body and 'id="door-count"' in body
    r = client.post(
        reverse("events_console:door", args=[running.pk]), {"code": ""}, headers={"HX-Request": "true"}
    )
    assert 'data-outcome="unknown"' in r.content.decode()


def test_the_organisers_admin_runs_the_door_a_stranger_does_not(client, cast, running, api):
    (seat,) = register_all(running, cast.researcher)
    cast.buyer.role = "org_admin"
    cast.buyer.save(update_fields=["role"])
    api.force_authenticate(cast.buyer)  # an admin of 示范企业, the organiser
    r = api.post(f"/api/v1/events/{running.pk}/checkin/", {"code": seat.code}, format="json")
    assert r.status_code == 200 and r.json()["outcome"] == "checked_in" and r.json()["name"] == "李研究"
    again = api.post(f"/api/v1/events/{running.pk}/checkin/", {"code": seat.code}, format="json").json()
    assert again["outcome"] == "duplicate"
    people = api.get(f"/api/v1/events/{running.pk}/registrations/").json()
    assert people[0]["checked_in_at"] is not None
    api.force_authenticate(cast.stranger)
    assert (
        api.post(f"/api/v1/events/{running.pk}/checkin/", {"code": seat.code}, format="json").status_code
        == 403
    )
    # The ticket is its holder's.
    client.force_login(cast.stranger)
    assert client.get(reverse("events:ticket", args=[seat.code])).status_code == 404
    client.force_login(cast.researcher)
    ticket = client.get(reverse("events:ticket", args=[seat.code])).content.decode()
    assert "<svg" in ticket and seat.display_code in ticket


def test_ticket_codes_are_short_unambiguous_and_parsed_leniently():
    code = tickets.new_code()
    assert len(code) == 12 and not set(code) & set("IO01")
    assert tickets.parse(f" tb-ev:{code.lower()} ") == code
    assert tickets.parse("-".join([code[:4], code[4:8], code[8:]])) == code
    assert tickets.parse("TB-EV:SHORT") is None
