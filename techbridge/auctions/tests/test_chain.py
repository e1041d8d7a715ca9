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


# ---- the outcome is sealed into the chain (issue 20 point 6) --------------------------------------------


@pytest.fixture
def closed(chained):
    from datetime import timedelta

    from django.utils import timezone

    from techbridge.auctions.services import close_lot

    Lot.objects.filter(pk=chained.pk).update(ends_at=timezone.now() - timedelta(seconds=1))
    assert close_lot(chained.pk, handoff=False)
    lot = Lot.objects.get(pk=chained.pk)
    assert lot.status == "sold" and lot.closing_hash and verify_lot(lot) == []
    return lot


@pytest.mark.parametrize(
    "tamper",
    [
        "winner",
        "leader",
        "hammer_price",
        "ends_at",
        "closed_at",
        "outcome",
    ],
)
def test_verify_auction_catches_an_outcome_changed_in_the_database(closed, cast, tamper, capsys):
    """Found: changing a lot's winner, leader, hammer price or end time directly in the database still
    reported "SM3 chain intact". The closing record hashed after the last bid now covers them."""
    from datetime import timedelta

    other = closed.session.registrations.exclude(pk=closed.winner_id).first()
    changes = {
        "winner": {"winner": other},
        "leader": {"leader": other},
        "hammer_price": {"hammer_price": Decimal("1")},
        "ends_at": {"ends_at": closed.ends_at + timedelta(hours=1)},
        "closed_at": {"closed_at": closed.closed_at - timedelta(hours=1)},
        "outcome": {"outcome": "reserve_not_met"},
    }[tamper]
    Lot.objects.filter(pk=closed.pk).update(**changes)
    problems = verify_lot(Lot.objects.get(pk=closed.pk))
    assert any("closing record" in p for p in problems)
    with pytest.raises(CommandError, match="BROKEN"):
        call_command("verify_auction", str(closed.pk))


def test_a_closed_lot_verifies_and_says_its_outcome_is_sealed(closed, capsys):
    call_command("verify_auction", str(closed.pk))
    out = capsys.readouterr().out
    assert "intact" in out and "outcome sealed" in out


def test_a_closing_record_cannot_be_removed_unnoticed(closed):
    Lot.objects.filter(pk=closed.pk).update(closing_hash="")
    assert any("closing record" in p for p in verify_lot(Lot.objects.get(pk=closed.pk)))
