"""The whole path through the REST API: open a room, NDA, offers, contract, signatures, registration."""

from __future__ import annotations

from decimal import Decimal

import pytest

from techbridge.testing.cast import PASSWORD
from techbridge.testing.factories.achievements import make_achievement
from techbridge.testing.factories.contracts import make_signed_contract

pytestmark = pytest.mark.django_db


def test_enterprise_to_registration_through_the_api(api, as_user, cast, achievement):
    buyer, seller, officer = as_user(cast.buyer), as_user(cast.researcher), as_user(cast.reviewer)
    resp = buyer.post("/api/v1/deals/rooms/", {"achievement": achievement.pk}, format="json")
    assert resp.status_code == 201, resp.json()
    room = resp.json()["id"]
    assert buyer.post(f"/api/v1/deals/rooms/{room}/nda/").status_code == 200
    resp = seller.post(f"/api/v1/deals/rooms/{room}/nda/")
    assert resp.json()["nda_complete"] is True
    assert buyer.get(f"/api/v1/deals/rooms/{room}/").json()["confidential_detail"] == achievement.detail
    assert (
        buyer.post(f"/api/v1/deals/rooms/{room}/messages/", {"body": "请报价"}, format="json").status_code
        == 201
    )
    resp = seller.post(
        f"/api/v1/deals/rooms/{room}/offers/",
        {"deal_mode": "assignment", "price": "900000", "payment_terms": "lump_sum"},
        format="json",
    )
    assert resp.status_code == 201, resp.json()
    offer = resp.json()["id"]
    resp = buyer.post(
        f"/api/v1/deals/rooms/{room}/offers/",
        {"deal_mode": "assignment", "price": "700000", "payment_terms": "instalments", "instalments": 3},
        format="json",
    )
    counter = resp.json()["id"]
    # The superseded offer can no longer be accepted.
    assert buyer.post(f"/api/v1/deals/rooms/{room}/offers/{offer}/accept/").status_code == 400
    resp = seller.post(f"/api/v1/deals/rooms/{room}/offers/{counter}/accept/")
    assert resp.status_code == 200, resp.json()
    contract = resp.json()["contract"]
    assert (
        buyer.post(f"/api/v1/contracts/{contract}/sign/", {"password": PASSWORD}, format="json").status_code
        == 200
    )
    resp = seller.post(f"/api/v1/contracts/{contract}/sign/", {"password": PASSWORD}, format="json")
    assert resp.json()["status"] == "signed"
    assert {s["side"] for s in resp.json()["signatures"]} == {"seller", "buyer"}
    assert buyer.post(f"/api/v1/contracts/{contract}/submit/").status_code == 403
    assert seller.post(f"/api/v1/contracts/{contract}/submit/").json()["status"] == "submitted"
    assert as_user(cast.official).post(f"/api/v1/contracts/{contract}/register/").status_code == 404
    assert seller.post(f"/api/v1/contracts/{contract}/register/").status_code == 403
    queue = officer.get("/api/v1/contracts/?registry=1").json()["results"]
    assert [c["id"] for c in queue] == [contract]
    resp = officer.post(f"/api/v1/contracts/{contract}/register/", {}, format="json")
    assert resp.status_code == 200, resp.json()
    assert Decimal(resp.json()["technology_amount"]) == Decimal("700000")
    stats = api.get("/api/v1/contracts/statistics/").json()
    assert stats["count"] == 1 and Decimal(stats["turnover"]) == Decimal("700000")
    assert stats["by_type"][0]["count"] == 1 and stats["by_type"][0]["turnover"] is None


def test_api_errors_are_json_with_a_message(as_user, cast, achievement):
    buyer = as_user(cast.buyer)
    room = buyer.post("/api/v1/deals/rooms/", {"achievement": achievement.pk}, format="json").json()["id"]
    resp = buyer.post(
        f"/api/v1/deals/rooms/{room}/offers/",
        {"deal_mode": "nope", "price": "1", "payment_terms": "lump_sum"},
        format="json",
    )
    assert resp.status_code == 400 and resp.json()["message"]
    resp = buyer.post(f"/api/v1/deals/rooms/{room}/offers/", {"price": "1", "colour": "red"}, format="json")
    assert resp.status_code == 400 and "colour" in resp.json()["errors"]


def test_other_users_cannot_see_a_room_through_the_api(api, as_user, cast, achievement):
    room = (
        as_user(cast.buyer)
        .post("/api/v1/deals/rooms/", {"achievement": achievement.pk}, format="json")
        .json()["id"]
    )
    for user in (cast.broker, cast.reviewer, cast.official, cast.outsider):
        assert as_user(user).get(f"/api/v1/deals/rooms/{room}/").status_code == 404
        assert as_user(user).get("/api/v1/deals/rooms/").json()["results"] == []
    assert api.get("/api/v1/deals/rooms/").status_code in (401, 403)


def test_room_list_endpoint_query_count_is_pinned(as_user, cast, pinned_queries):
    from techbridge.deals.services import open_room

    for n in range(5):
        open_room(actor=cast.buyer, achievement=make_achievement(cast, title=f"洽谈成果{n}"))
    buyer = as_user(cast.buyer)
    with pinned_queries("rooms"):
        resp = buyer.get("/api/v1/deals/rooms/")
    assert sorted(r["title"] for r in resp.json()["results"]) == [f"洽谈成果{n}" for n in range(5)]


def test_contract_list_endpoint_query_count_is_pinned(as_user, cast, achievement, pinned_queries):
    for _ in range(4):
        make_signed_contract(cast, achievement)
    buyer = as_user(cast.buyer)
    with pinned_queries("contracts"):
        resp = buyer.get("/api/v1/contracts/")
    assert [c["status"] for c in resp.json()["results"]] == ["signed"] * 4


def test_brokers_disputes_and_closing_through_the_api(as_user, cast, achievement):
    buyer = as_user(cast.buyer)
    room = buyer.post("/api/v1/deals/rooms/", {"achievement": achievement.pk}, format="json").json()["id"]
    assert (
        buyer.post(f"/api/v1/deals/rooms/{room}/brokers/", {"username": "nobody"}, format="json").status_code
        == 400
    )
    assert (
        buyer.post(f"/api/v1/deals/rooms/{room}/brokers/", {"username": "broker"}, format="json").status_code
        == 200
    )
    broker = as_user(cast.broker)
    assert broker.get(f"/api/v1/deals/rooms/{room}/messages/").status_code == 200
    # A broker accepts the NDA for himself (issue 20 point 10), not for a side.
    assert broker.post(f"/api/v1/deals/rooms/{room}/nda/").status_code == 200
    assert (
        buyer.post(f"/api/v1/deals/rooms/{room}/disputes/", {"reason": ""}, format="json").status_code == 400
    )
    assert (
        buyer.post(f"/api/v1/deals/rooms/{room}/disputes/", {"reason": "对方失联"}, format="json").status_code
        == 200
    )
    assert as_user(cast.reviewer).get(f"/api/v1/deals/rooms/{room}/").status_code == 200
    resp = buyer.post(f"/api/v1/deals/rooms/{room}/close/", {"reason": "不再需要"}, format="json")
    assert resp.status_code == 200 and resp.json()["status"] == "closed"
    assert (
        buyer.post(f"/api/v1/deals/rooms/{room}/messages/", {"body": "x"}, format="json").status_code == 400
    )


def test_contract_draft_changes_payments_and_refusal_through_the_api(as_user, cast, achievement):
    from techbridge.contracts import services as contract_services

    draft = contract_services.create_draft_contract(
        actor=cast.buyer,
        seller=cast.university,
        buyer=cast.enterprise,
        title="接口合同",
        amount=Decimal("1000"),
        achievement=achievement,
        deal_mode="assignment",
    )
    buyer, seller, officer = as_user(cast.buyer), as_user(cast.researcher), as_user(cast.reviewer)
    resp = buyer.patch(f"/api/v1/contracts/{draft.pk}/", {"equipment_amount": "2000"}, format="json")
    assert resp.status_code == 400
    resp = buyer.patch(
        f"/api/v1/contracts/{draft.pk}/", {"equipment_amount": "200", "status": "registered"}, format="json"
    )
    assert resp.status_code == 400 and "status" in resp.json()["errors"]
    assert (
        buyer.patch(f"/api/v1/contracts/{draft.pk}/", {"equipment_amount": "200"}, format="json").status_code
        == 200
    )
    buyer.post(f"/api/v1/contracts/{draft.pk}/sign/", {"password": PASSWORD}, format="json")
    seller.post(f"/api/v1/contracts/{draft.pk}/sign/", {"password": PASSWORD}, format="json")
    resp = buyer.post(
        f"/api/v1/contracts/{draft.pk}/payments/", {"paid_on": "2026-01-05", "amount": "500"}, format="json"
    )
    assert resp.status_code == 201
    assert buyer.patch(f"/api/v1/contracts/{draft.pk}/", {"title": "改"}, format="json").status_code == 400
    seller.post(f"/api/v1/contracts/{draft.pk}/submit/")
    assert officer.post(f"/api/v1/contracts/{draft.pk}/reject/", {}, format="json").status_code == 400
    resp = officer.post(f"/api/v1/contracts/{draft.pk}/reject/", {"reason": "缺少附件"}, format="json")
    assert resp.json()["status"] == "rejected" and resp.json()["reject_reason"] == "缺少附件"
    assert seller.get(f"/api/v1/contracts/{draft.pk}/").json()["reject_reason"] == "缺少附件"
    resp = seller.post(f"/api/v1/contracts/{draft.pk}/amend/")
    assert resp.status_code == 201 and resp.json()["version"] == 2
