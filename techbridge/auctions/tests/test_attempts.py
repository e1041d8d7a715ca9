"""Every bid attempt kept, refused ones too; exact idempotency by nonce; a lost response recovered.
(The same nonce from two threads at once: test_concurrency.)"""

from __future__ import annotations

from decimal import Decimal

import pytest

from techbridge.auctions import services
from techbridge.auctions.choices import LotFormat
from techbridge.auctions.models import Bid, BidAttempt, Lot
from techbridge.testing.factories.auctions import bid, make_lot

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def url(lot, tail=""):
    return f"/api/v1/auctions/lots/{lot.pk}/{tail}"


def post(api, lot, amount, nonce):
    return api.post(url(lot, "bids/"), {"amount": amount, "nonce": nonce}, format="json", **ZH)


def test_refused_attempt_is_kept_with_who_amount_reason_and_time(cast, lot, bidders):
    bid(cast.buyer, lot, "100000")
    with pytest.raises(services.BidRefused):
        bid(cast.broker, lot, "100500", nonce="low-bid-00001")
    kept = BidAttempt.objects.get(lot=lot, nonce="low-bid-00001")
    assert kept.user == cast.broker and kept.amount == Decimal("100500.00")
    assert kept.outcome == "refused" and kept.reason == "too_low" and kept.bid is None
    assert "101,000.00" in kept.message and kept.created_at is not None
    accepted = BidAttempt.objects.get(lot=lot, user=cast.buyer)
    assert accepted.outcome == "accepted" and accepted.bid == Bid.objects.get(lot=lot, seq=1)


def test_same_nonce_same_body_returns_the_original_refusal_even_when_it_would_now_pass(
    api, cast, lot, bidders
):
    bid(cast.buyer, lot, "100000")
    api.force_authenticate(cast.broker)
    first = post(api, lot, "100500", "refused-key-01")
    assert first.status_code == 409 and first.json()["code"] == "too_low"
    assert first.json()["message"] == "当前最低出价为 101,000.00 元（当前价加加价幅度）。"
    assert first.json()["replayed"] is False
    # The original outcome again, unchanged, and nothing new stored.
    again = post(api, lot, "100500", "refused-key-01")
    assert again.status_code == 409
    assert again.json()["code"] == "too_low" and again.json()["replayed"] is True
    assert again.json()["message"] == first.json()["message"]
    assert BidAttempt.objects.filter(lot=lot, user=cast.broker).count() == 1
    assert Lot.objects.get(pk=lot.pk).bid_count == 1


def test_same_nonce_different_body_is_refused_as_reused(api, cast, lot, bidders):
    api.force_authenticate(cast.buyer)
    assert post(api, lot, "100000", "reused-key-01").status_code == 201
    r = post(api, lot, "110000", "reused-key-01")
    assert r.status_code == 409 and r.json()["code"] == "nonce_reused"
    assert r.json()["message"] == "此出价标识已用于另一笔出价，请刷新页面后重新出价。"
    lot.refresh_from_db()
    assert lot.current_price == Decimal("100000.00") and lot.bid_count == 1


def test_accepted_replay_returns_the_original_bid(api, cast, lot, bidders):
    api.force_authenticate(cast.buyer)
    first = post(api, lot, "100000", "accept-key-01")
    again = post(api, lot, "100000", "accept-key-01")
    assert again.status_code == 200 and again.json()["replayed"] is True
    assert again.json()["bid"]["hash"] == first.json()["bid"]["hash"]


def test_client_asks_for_its_bid_by_nonce(api, cast, lot, bidders):
    api.force_authenticate(cast.buyer)
    post(api, lot, "100000", "lost-reply-01")
    r = api.get(url(lot, "attempts/lost-reply-01/"), **ZH)
    assert r.status_code == 200
    body = r.json()
    assert body["outcome"] == "accepted" and body["code"] == "accepted" and body["amount"] == "100000.00"
    assert body["bid"]["seq"] == 1
    api.force_authenticate(cast.broker)
    post(api, lot, "100000", "lost-reply-02")
    r = api.get(url(lot, "attempts/lost-reply-02/"), **ZH)
    assert r.json()["outcome"] == "refused" and r.json()["code"] == "too_low" and r.json()["bid"] is None


def test_only_the_bidder_sees_an_attempt(api, cast, lot, bidders):
    api.force_authenticate(cast.buyer)
    post(api, lot, "100000", "private-key-01")
    api.force_authenticate(cast.broker)
    r = api.get(url(lot, "attempts/private-key-01/"), **ZH)
    assert r.status_code == 404 and r.json()["message"] == "您在此拍品上没有使用该标识的出价。"
    api.force_authenticate(None)
    assert api.get(url(lot, "attempts/private-key-01/")).status_code == 401


def test_sealed_and_dutch_refusals_are_kept(cast, session, bidders):
    sealed = make_lot(cast, session, format=LotFormat.SEALED_FIRST)
    bid(cast.buyer, sealed, "120000")
    with pytest.raises(services.BidRefused):
        bid(cast.buyer, sealed, "130000", nonce="sealed-twice-01")
    assert BidAttempt.objects.get(nonce="sealed-twice-01").reason == "already_bid"
