"""The lean bid path (issue 23 point 1): one narrow read decides refusals and replays with no
transaction; only a possible winner locks the lot; the answer carries just what a bidder needs."""

from __future__ import annotations

import pytest
from django.db import connection, connections

from techbridge.auctions import services
from techbridge.auctions.models import BidAttempt
from techbridge.auctions.services import attempts
from techbridge.testing.factories.auctions import bid

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def post(api, lot, amount, nonce):
    return api.post(
        f"/api/v1/auctions/lots/{lot.pk}/bids/", {"amount": amount, "nonce": nonce}, format="json", **ZH
    )


@pytest.mark.django_db
def test_the_answer_carries_price_next_minimum_leader_and_version(api, cast, lot, bidders):
    api.force_authenticate(cast.buyer)
    r = post(api, lot, "100000", "lean-accept-01")
    assert r.status_code == 201
    assert r.json()["lot"] == {
        "id": lot.pk,
        "status": "listed",
        "current_price": "100000.00",
        "minimum_bid": "101000.00",
        "leader_is_you": True,
        "version": lot.version + 1,
        "bid_count": 1,
        "ends_at": r.json()["lot"]["ends_at"],
    }
    api.force_authenticate(cast.broker)
    r = post(api, lot, "100500", "lean-refuse-01")
    assert r.status_code == 409 and r.json()["code"] == "too_low"
    assert r.json()["message"] == "当前最低出价为 101,000.00 元（当前价加加价幅度）。"
    assert r.json()["lot"]["leader_is_you"] is False and r.json()["lot"]["minimum_bid"] == "101000.00"


@pytest.mark.django_db
def test_refusal_replay_and_accepted_bid_pin_their_queries(api, cast, lot, bidders, pinned_queries):
    api.force_authenticate(cast.buyer)
    with pinned_queries("accepted"):
        assert post(api, lot, "100000", "lean-pin-accept").status_code == 201
    api.force_authenticate(cast.broker)
    with pinned_queries("refusal"):
        assert post(api, lot, "100500", "lean-pin-refuse").status_code == 409
    with pinned_queries("replay"):
        r = post(api, lot, "100500", "lean-pin-refuse")
    assert r.status_code == 409 and r.json()["replayed"] is True
    assert BidAttempt.objects.filter(nonce="lean-pin-refuse").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_refusal_is_answered_while_another_connection_holds_the_write_lock(cast, session, lot, bidders):
    """What a winner holds (SQLite: the database's write lock; PostgreSQL: the lot row FOR NO KEY
    UPDATE) does not delay a refusal, and its attempt is still kept exactly once."""
    bid(cast.buyer, lot, "100000")
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("BEGIN IMMEDIATE")
            else:
                cursor.execute("BEGIN")
                cursor.execute("SELECT id FROM auctions_lot WHERE id = %s FOR NO KEY UPDATE", [lot.pk])
            with pytest.raises(services.BidRefused) as refused:
                services.place_bid(actor=cast.broker, lot_id=lot.pk, amount="100500", nonce="locked-refusal")
            assert refused.value.code == "too_low" and not refused.value.replayed
            # the same nonce and body again, still under the lock: the original refusal
            with pytest.raises(services.BidRefused) as again:
                services.place_bid(actor=cast.broker, lot_id=lot.pk, amount="100500", nonce="locked-refusal")
            assert again.value.code == "too_low" and again.value.replayed
            cursor.execute("ROLLBACK")
    finally:
        other.close()
    attempts.flush_pending()
    kept = BidAttempt.objects.get(lot=lot, user=cast.broker, nonce="locked-refusal")
    assert kept.outcome == "refused" and kept.reason == "too_low" and kept.body_hash
    assert attempts.pending_count() == 0
