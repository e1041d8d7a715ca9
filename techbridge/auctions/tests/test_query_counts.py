"""Query counts of the auction lists that have no other pinned test: the public session page and the
session and registration endpoints, each with several rows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from techbridge.testing.factories.auctions import make_lot, make_session, paid

pytestmark = pytest.mark.django_db


def test_session_page_lists_its_lots(client, cast, session, pinned_queries):
    lots = [make_lot(cast, session, title=f"专利拍品{n}") for n in range(4)]
    client.force_login(cast.buyer)

    with pinned_queries("session"):
        html = client.get(reverse("auctions:session", args=[session.pk])).content.decode()

    assert all(lot.title in html for lot in lots)


def test_session_and_registration_endpoints(as_user, api, cast, pinned_queries):
    sessions = [make_session(cast, title=f"专场{n}") for n in range(3)]
    for s in sessions:
        make_lot(cast, s)
        paid(cast.buyer, s, cast)

    with pinned_queries("sessions"):
        body = api.get("/api/v1/auctions/sessions/").json()
    assert {s["title"] for s in body["results"]} == {"专场0", "专场1", "专场2"}
    buyer = as_user(cast.buyer)
    with pinned_queries("registrations"):
        body = buyer.get("/api/v1/auctions/registrations/").json()
    assert [r["session"] for r in body["results"]] == [s.pk for s in sessions]
