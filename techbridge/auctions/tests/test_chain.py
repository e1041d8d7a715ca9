"""Tamper evidence: verify_auction catches an altered, inserted or deleted bid."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from techbridge.auctions.chain import verify_lot
from techbridge.auctions.models import Bid, BidAttempt, Lot
from techbridge.testing.factories.auctions import bid

pytestmark = pytest.mark.django_db


@pytest.fixture
def chained(cast, lot, bidders):
    for i in range(4):
        bid(cast.buyer if i % 2 == 0 else cast.broker, lot, str(100000 + 1000 * i))
    lot.refresh_from_db()
    assert verify_lot(lot) == []
    return lot


def test_verify_auction_reports_an_intact_chain(chained, capsys):
    call_command("verify_auction", str(chained.pk))
    assert "intact" in capsys.readouterr().out


def test_verify_auction_catches_a_bid_edited_in_the_database(chained):
    Bid.objects.filter(lot=chained, seq=2).update(amount=Decimal("100500"))
    with pytest.raises(CommandError, match="BROKEN"):
        call_command("verify_auction", str(chained.pk))


def test_verify_catches_a_deleted_bid(chained):
    BidAttempt.objects.filter(bid__lot=chained, bid__seq=2).delete()  # kept attempts protect bids
    Bid.objects.filter(lot=chained, seq=2).delete()
    problems = verify_lot(Lot.objects.get(pk=chained.pk))
    assert any("sequence" in p or "link" in p for p in problems)


def test_verify_catches_a_deleted_last_bid(chained):
    BidAttempt.objects.filter(bid__lot=chained, bid__seq=4).delete()  # kept attempts protect bids
    Bid.objects.filter(lot=chained, seq=4).delete()
    assert verify_lot(Lot.objects.get(pk=chained.pk))


def test_verify_catches_an_inserted_bid(chained):
    last = Bid.objects.get(lot=chained, seq=4)
    Bid.objects.create(
        lot=chained,
        registration=last.registration,
        seq=5,
        amount=Decimal("999999"),
        nonce="forged-nonce",
        created_at=last.created_at,
        prev_hash=last.hash,
        hash="0" * 64,
    )
    assert verify_lot(Lot.objects.get(pk=chained.pk))


def test_verify_catches_a_changed_bidder(chained, cast):
    other = Bid.objects.get(lot=chained, seq=1).registration_id
    Bid.objects.filter(lot=chained, seq=2).update(registration_id=other)
    assert any("altered" in p for p in verify_lot(Lot.objects.get(pk=chained.pk)))
