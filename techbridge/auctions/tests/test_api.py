"""The REST API: live lot state, bidding with clear refusals, registration."""

from __future__ import annotations

from decimal import Decimal

import pytest

from techbridge.auctions.choices import LotFormat
from techbridge.testing.factories.achievements import make_achievement
from techbridge.testing.factories.auctions import bid, make_lot

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_language():
    return "en"


def test_lot_list_is_public_and_query_count_pinned(api, cast, session, pinned_queries):
    for n in range(4):
        make_lot(cast, session, title=f"锂电池隔膜专利{n}")
    with pinned_queries("lots"):
        r = api.get("/api/v1/auctions/lots/?open=1")
    assert r.status_code == 200 and r.json()["count"] == 4
    assert "reserve_price" not in r.json()["results"][0]


def test_bid_via_api_accepted_then_replayed(api, cast, lot, bidders):
    api.force_authenticate(cast.buyer)
    url = f"/api/v1/auctions/lots/{lot.pk}/bids/"
    r = api.post(url, {"amount": "100000", "nonce": "api-nonce-0001"}, format="json")
    assert r.status_code == 201 and r.json()["accepted"] is True
    assert r.json()["lot"]["current_price"] == "100000.00" and r.json()["lot"]["leader_is_you"] is True
    again = api.post(url, {"amount": "100000", "nonce": "api-nonce-0001"}, format="json")
    assert again.status_code == 200 and again.json()["replayed"] is True
    assert again.json()["bid"]["seq"] == 1


@pytest.mark.parametrize(
    ("who", "amount", "status", "code"),
    [
        ("broker", "100500", 409, "too_low"),
        ("broker", "abc", 400, "malformed"),
        ("researcher", "200000", 403, "not_registered"),
        ("buyer", "200000", 409, "leading"),
    ],
)
def test_refused_bids_via_api(api, cast, lot, bidders, who, amount, status, code):
    bid(cast.buyer, lot, "100000")
    api.force_authenticate(getattr(cast, who))
    r = api.post(
        f"/api/v1/auctions/lots/{lot.pk}/bids/",
        {"amount": amount, "nonce": f"api-{who}-{code}"},
        format="json",
    )
    assert r.status_code == status and r.json()["code"] == code
    assert r.json()["message"] and r.json()["accepted"] is False
    assert r.json()["lot"]["bid_count"] == 1


def test_anonymous_cannot_bid_via_api(api, lot):
    r = api.post(
        f"/api/v1/auctions/lots/{lot.pk}/bids/", {"amount": "100000", "nonce": "anon-0000001"}, format="json"
    )
    assert r.status_code in (401, 403)


def test_register_and_proxy_via_api(api, cast, session, lot):
    api.force_authenticate(cast.buyer)
    r = api.post(f"/api/v1/auctions/sessions/{session.pk}/register/")
    assert r.status_code == 201 and r.json()["deposit_status"] == "required"
    r = api.post(f"/api/v1/auctions/lots/{lot.pk}/proxy/", {"max_amount": "150000"}, format="json")
    assert r.status_code == 403 and r.json()["code"] == "deposit_unpaid"
    api.force_authenticate(cast.outsider)
    r = api.post(f"/api/v1/auctions/sessions/{session.pk}/register/")
    assert r.status_code == 403


def test_sealed_lot_hides_amounts_until_close(api, cast, session, bidders):
    lot = make_lot(cast, session, format=LotFormat.SEALED_FIRST)
    bid(cast.buyer, lot, "150000")
    r = api.get(f"/api/v1/auctions/lots/{lot.pk}/")
    assert r.json()["current_price"] is None and r.json()["leader_number"] is None
    assert api.get(f"/api/v1/auctions/lots/{lot.pk}/bids/").json()["results"] == []


def test_bid_history_by_number_with_hashes(api, cast, lot, bidders):
    bid(cast.buyer, lot, "100000")
    bid(cast.broker, lot, "101000")
    rows = api.get(f"/api/v1/auctions/lots/{lot.pk}/bids/").json()["results"]
    assert [r["bidder_number"] for r in rows] == [2, 1]
    assert rows[0]["prev_hash"] == rows[1]["hash"] and rows[0]["hash_algorithm"] == "SM3"
    assert Decimal(rows[0]["amount"]) == Decimal("101000")


def test_operator_sets_up_and_reviewer_screens_via_api(api, cast):
    from datetime import timedelta

    from django.utils import timezone

    achievement = make_achievement(cast)
    start = timezone.now() + timedelta(hours=1)
    api.force_authenticate(cast.buyer)
    assert (
        api.post(
            "/api/v1/auctions/sessions/", {"title": "x", "starts_at": start.isoformat()}, format="json"
        ).status_code
        == 403
    )
    api.force_authenticate(cast.operator)
    r = api.post(
        "/api/v1/auctions/sessions/",
        {"title": "API 专场", "starts_at": start.isoformat(), "deposit_amount": "2000"},
        format="json",
    )
    assert r.status_code == 201, r.json()
    session_id = r.json()["id"]
    assert api.post(f"/api/v1/auctions/sessions/{session_id}/publish/").json()["status"] == "published"
    lot = {
        "session": session_id,
        "title": "API 拍品",
        "achievement": achievement.pk,
        "sale_kind": "assignment",
        "format": "english",
        "starting_price": "50000",
        "reserve_price": "40000",
        "starts_at": start.isoformat(),
        "scheduled_end_at": (start + timedelta(days=1)).isoformat(),
    }
    bad = api.post("/api/v1/auctions/lots/", lot, format="json")
    assert bad.status_code == 400 and "reserve" in bad.json()["message"]
    lot["reserve_price"] = "60000"
    lot["increment_ladder"] = [["100000", "5000"]]
    r = api.post("/api/v1/auctions/lots/", lot, format="json")
    assert r.status_code == 201, r.json()
    lot_id = r.json()["id"]
    assert api.post(f"/api/v1/auctions/lots/{lot_id}/submit/").json()["status"] == "screening"
    api.force_authenticate(cast.buyer)  # members do not even see a lot in screening
    screen = f"/api/v1/auctions/lots/{lot_id}/screen/"
    assert api.post(screen, {"approve": True}, format="json").status_code == 404
    api.force_authenticate(cast.reviewer)
    r = api.post(
        f"/api/v1/auctions/lots/{lot_id}/screen/", {"approve": True, "rights_verified": True}, format="json"
    )
    assert r.status_code == 400
    r = api.post(
        f"/api/v1/auctions/lots/{lot_id}/screen/",
        {"approve": True, "rights_verified": True, "rights_in_force": True, "no_encumbrance": True},
        format="json",
    )
    assert r.status_code == 200 and r.json()["status"] == "listed"


def test_deposits_via_api_operator_only(api, cast, session):
    from techbridge.auctions import services

    reg = services.register_bidder(actor=cast.buyer, session=session)
    api.force_authenticate(cast.buyer)
    assert [r["id"] for r in api.get("/api/v1/auctions/registrations/").json()["results"]] == [reg.pk]
    assert (
        api.post(
            f"/api/v1/auctions/registrations/{reg.pk}/deposit/", {"action": "paid"}, format="json"
        ).status_code
        == 403
    )
    api.force_authenticate(cast.broker)
    assert api.get("/api/v1/auctions/registrations/").json()["count"] == 0
    api.force_authenticate(cast.operator)
    r = api.post(
        f"/api/v1/auctions/registrations/{reg.pk}/deposit/",
        {"action": "paid", "reference": "TX-1"},
        format="json",
    )
    assert r.status_code == 200 and r.json()["deposit_status"] == "paid"
    r = api.post(f"/api/v1/auctions/registrations/{reg.pk}/deposit/", {"action": "paid"}, format="json")
    assert r.status_code == 400
