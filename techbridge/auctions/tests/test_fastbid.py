"""The bid endpoint's fast lane (``auctions/fastbid.py``): token-authenticated JSON bids are decided
without DRF's dispatch, with the same answers; everything else still goes through the DRF view."""

from __future__ import annotations

from unittest import mock

import pytest
from rest_framework.test import APIClient

from techbridge.accounts.services import issue_token
from techbridge.auctions import fastbid
from techbridge.auctions.api import BidSerializer, bid_body
from techbridge.auctions.models import Bid

pytestmark = pytest.mark.django_db


def token_client(user) -> APIClient:
    _token, key = issue_token(user, name="竞价终端", actor=user)
    client = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def url(lot) -> str:
    return f"/api/v1/auctions/lots/{lot.pk}/bids/"


def no_drf():
    """Make the DRF view fail loudly: a request that reaches it did not take the fast lane."""
    return mock.patch.object(fastbid, "_drf_view", side_effect=AssertionError("went through DRF"))


def test_token_json_bids_take_the_fast_lane_with_the_drf_answers(cast, lot, bidders):
    buyer, broker = token_client(cast.buyer), token_client(cast.broker)
    with no_drf():
        accepted = buyer.post(url(lot), {"amount": "100000", "nonce": "fast-accept-01"}, format="json")
        refused = broker.post(url(lot), {"amount": "100000", "nonce": "fast-refuse-01"}, format="json")
        replay = buyer.post(url(lot), {"amount": "100000", "nonce": "fast-accept-01"}, format="json")
    assert accepted.status_code == 201 and accepted["Content-Type"] == "application/json"
    body = accepted.json()
    assert body["accepted"] is True and body["lot"]["leader_is_you"] is True
    assert body["bid"] == BidSerializer(Bid.objects.get(nonce="fast-accept-01")).data
    assert refused.status_code == 409 and refused.json()["code"] == "too_low"
    assert refused.json()["message"].startswith("当前最低出价为")
    # the replay is read back from the kept attempt: the same bid, to the byte
    assert replay.status_code == 200 and replay.json()["replayed"] is True
    assert replay.json()["bid"] == body["bid"]


def test_a_session_bid_still_needs_its_csrf_token(cast, lot, bidders):
    client = APIClient(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(cast.buyer)
    r = client.post(url(lot), {"amount": "100000", "nonce": "fast-session-01"}, format="json")
    assert r.status_code == 403
    assert not Bid.objects.filter(nonce="fast-session-01").exists()


@pytest.mark.parametrize(
    ("headers", "body", "content_type", "status"),
    [
        (
            {"HTTP_AUTHORIZATION": "Token not-a-real-token"},
            '{"amount": "1", "nonce": "fast-bad-001"}',
            "application/json",
            401,
        ),
        ({}, '{"amount": "100000", "nonce": "fast-bad-002"', "application/json", 400),
        ({}, '["amount", "100000"]', "application/json", 400),
        (
            {"HTTP_ACCEPT": "text/html"},
            '{"amount": "100000", "nonce": "fast-bad-003"}',
            "application/json",
            201,
        ),
        ({}, "amount=100000&nonce=fast-bad-004", "application/x-www-form-urlencoded", 201),
    ],
    ids=["bad-token", "broken-json", "json-array", "accept-html", "form-body"],
)
def test_what_the_fast_lane_does_not_take_is_answered_by_drf(
    cast, lot, bidders, headers, body, content_type, status
):
    client = token_client(cast.buyer)
    if "HTTP_AUTHORIZATION" in headers:
        client.credentials(**headers)
    r = client.generic("POST", url(lot), body, content_type=content_type, **headers)
    assert r.status_code == status, r.content
    if status >= 400:
        assert r["Content-Type"].startswith("application/json")
        assert r.json()["message"]


def test_a_lot_the_bidder_may_not_see_is_404_and_keeps_nothing(cast, lot, bidders):
    client = token_client(cast.buyer)
    r = client.post(
        "/api/v1/auctions/lots/99999999/bids/", {"amount": "1", "nonce": "fast-nolot-01"}, format="json"
    )
    assert r.status_code == 404 and r.json()["message"]


def test_bid_history_is_still_served_by_the_drf_view(cast, lot, bidders):
    client = token_client(cast.buyer)
    client.post(url(lot), {"amount": "100000", "nonce": "fast-history-1"}, format="json")
    r = client.get(url(lot))
    assert r.status_code == 200 and r.json()["results"][0]["amount"] == "100000.00"


def test_bid_body_writes_what_the_bid_serializer_writes(cast, lot, bidders):
    client = token_client(cast.buyer)
    client.post(url(lot), {"amount": "100000", "nonce": "fast-body-0001"}, format="json")
    bid = Bid.objects.select_related("registration").get(nonce="fast-body-0001")
    assert bid_body(bid) == BidSerializer(bid).data
