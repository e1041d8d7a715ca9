"""Bid attempts for disputes: the console's table (filters, pages) and the API, per role."""

from __future__ import annotations

import pytest
from django.urls import reverse

from techbridge.auctions import services
from techbridge.auctions.choices import LotFormat
from techbridge.auctions.models import BidAttempt
from techbridge.testing.factories.auctions import bid, make_lot

pytestmark = pytest.mark.django_db


def _refused(user, lot, amount, nonce):
    with pytest.raises(services.BidRefused):
        services.place_bid(actor=user, lot_id=lot.pk, amount=amount, nonce=nonce)


@pytest.fixture
def attempts(cast, lot, bidders):
    bid(cast.buyer, lot, "100000", nonce="accepted-nonce-001")
    _refused(cast.broker, lot, "100500", "low-nonce-00000002")  # below the minimum
    _refused(cast.buyer, lot, "200000", "lead-nonce-00000003")  # already leading
    return lot


def _api(lot):
    return f"/api/v1/auctions/lots/{lot.pk}/attempts/"


def test_operator_sees_every_attempt_with_reason_in_chinese(as_user, cast, attempts, pinned_queries):
    operator = as_user(cast.operator)
    with pinned_queries("api"):
        body = operator.get(_api(attempts)).json()
    rows = {r["nonce"]: r for r in body["results"]}
    assert set(rows) == {"accepted-nonce-001", "low-nonce-00000002", "lead-nonce-00000003"}
    low = rows["low-nonce-00000002"]
    assert low["outcome"] == "refused" and low["reason"] == "too_low" and low["amount"] == "100500.00"
    assert low["reason_label"] == "低于最低出价" and low["bidder"] == 2
    assert low["organization"]  # staff see the organisation
    assert rows["accepted-nonce-001"]["bid_seq"] == 1
    filtered = operator.get(_api(attempts), {"reason": "leading"}).json()
    assert [r["nonce"] for r in filtered["results"]] == ["lead-nonce-00000003"]
    by_bidder = operator.get(_api(attempts), {"bidder": "1"}).json()
    assert {r["nonce"] for r in by_bidder["results"]} == {"accepted-nonce-001", "lead-nonce-00000003"}


def test_a_bidder_sees_only_their_own_attempts(as_user, cast, attempts):
    body = as_user(cast.broker).get(_api(attempts)).json()
    assert [r["nonce"] for r in body["results"]] == ["low-nonce-00000002"]
    assert body["results"][0]["organization"] is None
    # Asking for another bidder's number finds nothing of theirs.
    assert as_user(cast.broker).get(_api(attempts), {"bidder": "1"}).json()["results"] == []


def test_others_are_refused_and_bad_filters_explained(as_user, api, cast, attempts):
    assert api.get(_api(attempts)).status_code in (401, 403)
    official = as_user(cast.official).get(_api(attempts))
    assert official.status_code == 403 and "出价记录" in official.content.decode()
    assert (
        as_user(cast.operator).get(f"/api/v1/auctions/lots/{attempts.pk + 999}/attempts/").status_code == 404
    )
    bad = as_user(cast.operator).get(_api(attempts), {"reason": "nonsense"})
    assert bad.status_code == 400 and "未知的拒绝原因" in bad.content.decode()
    bad = as_user(cast.operator).get(_api(attempts), {"bidder": "abc"})
    assert bad.status_code == 400 and "bidder" in bad.json()["errors"]  # not a whole number
    bad = as_user(cast.operator).get(_api(attempts), {"bidder": "0"})
    assert bad.status_code == 400 and "竞买号须在 1 到 99999 之间" in bad.content.decode()


def test_sealed_amounts_stay_hidden_while_open(as_user, cast, session, bidders):
    sealed = make_lot(cast, session, format=LotFormat.SEALED_FIRST)
    bid(cast.buyer, sealed, "155555")
    row = as_user(cast.operator).get(_api(sealed)).json()["results"][0]
    assert row["amount"] is None
    html = _console(as_user, cast.operator, sealed)
    assert "155,555" not in html


def _console(as_user, user, lot, **params):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.get(reverse("auctions_console:lot", args=[lot.pk]), params).content.decode()


def test_console_table_filters_and_pages(client, cast, attempts, pinned_queries):
    client.force_login(cast.reviewer)
    url = reverse("auctions_console:lot", args=[attempts.pk])
    with pinned_queries("console"):
        html = client.get(url).content.decode()
    table = html[html.index('id="attempt-table"') :]
    assert "low-nonce-00000002" in table and "低于最低出价" in table and "已是最高出价人" in table
    assert "竞买号 002" in table and "¥100,500.00" in table
    only = client.get(url, {"reason": "too_low"}).content.decode()
    only = only[only.index('id="attempt-table"') :]
    assert "low-nonce-00000002" in only and "lead-nonce-00000003" not in only
    mine = client.get(url, {"bidder": "1"}).content.decode()
    mine = mine[mine.index('id="attempt-table"') :]
    assert "lead-nonce-00000003" in mine and "low-nonce-00000002" not in mine
    bad = client.get(url, {"bidder": "x1", "reason": "nonsense"}).content.decode()
    assert "未知的拒绝原因" in bad and "竞买号须在 1 到 99999 之间" in bad

    BidAttempt.objects.bulk_create(
        [
            BidAttempt(
                lot=attempts,
                user=cast.broker,
                nonce=f"bulk-nonce-{i:06d}",
                amount="100100",
                outcome="refused",
                reason="too_low",
                message="低于最低出价",
            )
            for i in range(60)
        ]
    )
    first = client.get(url, {"reason": "too_low"}).content.decode()
    assert "第 1 页，共 2 页" in first and "reason=too_low" in first[first.index('class="pagination"') :]
    second = client.get(url, {"reason": "too_low", "page": "2"}).content.decode()
    assert second.count("bulk-nonce-") + second.count("low-nonce-") == 11
