"""Bids as API clients send them: ``Authorization: Token …`` through the platform's own authentication
(issue 23 point 1). The token, its user and the user's organisation come from one compiled read and are
never cached, so revoking a token, disabling the account or suspending the organisation refuses the very
next bid."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from techbridge.accounts.services import issue_token, revoke_token
from techbridge.auctions.models import BidAttempt
from techbridge.organizations.choices import OrgStatus

pytestmark = pytest.mark.django_db


def client_for(user) -> tuple[APIClient, object]:
    token, key = issue_token(user, name="竞价终端", actor=user)
    client = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client, token


def post(client, lot, amount, nonce):
    return client.post(
        f"/api/v1/auctions/lots/{lot.pk}/bids/", {"amount": amount, "nonce": nonce}, format="json"
    )


def test_token_bids_pin_their_queries_refusal_replay_and_accepted(cast, lot, bidders, pinned_queries):
    """One read for the token with its user and organisation, one for the lot: a refusal is those two
    and the kept attempt; the organisation is never fetched on its own."""
    buyer, _ = client_for(cast.buyer)
    broker, _ = client_for(cast.broker)
    assert post(buyer, lot, "100000", "token-warm-0001").status_code == 201  # last_used_at written
    assert post(broker, lot, "100000", "token-warm-0002").status_code == 409
    with pinned_queries("refusal"):
        r = post(broker, lot, "100500", "token-pin-refuse")
    assert r.status_code == 409 and r.json()["code"] == "too_low"
    with pinned_queries("replay"):
        r = post(broker, lot, "100500", "token-pin-refuse")
    assert r.status_code == 409 and r.json()["replayed"] is True
    with pinned_queries("accepted"):
        r = post(broker, lot, "101000", "token-pin-accept")
    assert r.status_code == 201 and r.json()["lot"]["leader_is_you"] is True
    assert BidAttempt.objects.filter(nonce="token-pin-refuse").count() == 1


def test_a_revoked_token_refuses_the_next_bid_at_once(cast, lot, bidders):
    client, token = client_for(cast.buyer)
    assert post(client, lot, "100000", "token-revoke-01").status_code == 201

    revoke_token(token, actor=cast.buyer)

    r = post(client, lot, "101000", "token-revoke-02")
    assert r.status_code == 401
    assert r.json()["message"] == "令牌无效或已被吊销，请重新登录。"
    assert not BidAttempt.objects.filter(nonce="token-revoke-02").exists()


def test_a_disabled_account_and_a_suspended_organisation_stop_bidding_at_once(cast, lot, bidders):
    buyer, _ = client_for(cast.buyer)
    broker, _ = client_for(cast.broker)
    assert post(buyer, lot, "100000", "token-org-0001").status_code == 201

    cast.buyer.organization.status = OrgStatus.SUSPENDED
    cast.buyer.organization.save(update_fields=["status"])
    r = post(buyer, lot, "102000", "token-org-0002")
    assert r.status_code == 403 and r.json()["code"] == "not_bidder"
    assert r.json()["message"] == "只有已审核通过机构的成员才能报名竞买。"

    cast.broker.is_active = False
    cast.broker.save(update_fields=["is_active"])
    r = post(broker, lot, "102000", "token-org-0003")
    assert r.status_code == 401 and r.json()["message"] == "此账号已停用。"
