"""Bidding rules: what is accepted, what is refused and why, and that a refusal changes nothing."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from techbridge.auctions import services
from techbridge.auctions.chain import verify_lot
from techbridge.auctions.choices import LotFormat, LotStatus
from techbridge.auctions.models import Bid, Lot
from techbridge.auctions.services import BidRefused
from techbridge.testing.factories.auctions import bid, make_lot, make_session, paid

pytestmark = pytest.mark.django_db


def refused(code, user, lot, amount, nonce=None):
    before = Lot.objects.values().get(pk=lot.pk)
    with pytest.raises(BidRefused) as info:
        bid(user, lot, amount, nonce)
    assert info.value.code == code, info.value.message
    assert str(info.value.message)
    assert Lot.objects.values().get(pk=lot.pk) == before, "a refused bid must change nothing"
    return info.value


def test_first_bid_at_starting_price_is_accepted_and_chained(cast, lot, bidders):
    result = bid(cast.buyer, lot, "100000")
    lot.refresh_from_db()
    assert lot.current_price == Decimal("100000.00")
    assert lot.leader_id == bidders[0].pk
    assert lot.bid_count == 1 and lot.version == 1
    assert result.bid.hash == lot.head_hash and len(lot.head_hash) == 64
    assert result.bid.hash_algorithm == "SM3"
    assert verify_lot(lot) == []


def test_bid_below_increment_is_rejected(cast, lot, bidders):
    bid(cast.buyer, lot, "100000")
    err = refused("too_low", cast.broker, lot, "100999.99")
    assert "101,000.00" in err.message
    bid(cast.broker, lot, "101000")


def test_bid_below_starting_price_is_rejected(cast, lot, bidders):
    refused("too_low", cast.buyer, lot, "99999")


def test_increment_ladder_applies_above_threshold(cast, session, bidders):
    lot = make_lot(cast, session, increment_ladder=[["100000", "5000"]], starting_price=Decimal("90000"))
    bid(cast.buyer, lot, "100000")
    refused("too_low", cast.broker, lot, "104000")
    bid(cast.broker, lot, "105000")


def test_bid_after_the_close_is_rejected(cast, session, bidders):
    lot = make_lot(cast, session, ends_at=timezone.now() + timedelta(seconds=1))
    Lot.objects.filter(pk=lot.pk).update(ends_at=timezone.now() - timedelta(seconds=1))
    lot.refresh_from_db()
    refused("closed", cast.buyer, lot, "200000")


def test_bid_before_opening_is_rejected(cast, session, bidders):
    lot = make_lot(cast, session, starts_at=timezone.now() + timedelta(minutes=10))
    refused("not_started", cast.buyer, lot, "100000")


def test_unregistered_bidder_is_rejected(cast, lot):
    refused("not_registered", cast.buyer, lot, "100000")


def test_unpaid_deposit_is_rejected(cast, session, lot):
    services.register_bidder(actor=cast.buyer, session=session)
    refused("deposit_unpaid", cast.buyer, lot, "100000")


def test_bid_on_own_organisations_lot_is_rejected(cast, session, lot):
    # The university's admin cannot register-and-bid on the university's own achievement.
    paid(cast.univ_admin, session, cast)
    refused("own_lot", cast.univ_admin, lot, "100000")


@pytest.mark.parametrize("amount", ["abc", "-5", "0", "1e400", "NaN", "100000.001", "", None, "Infinity"])
def test_malformed_amount_is_rejected(cast, lot, bidders, amount):
    refused("malformed", cast.buyer, lot, amount)


def test_malformed_nonce_is_rejected(cast, lot, bidders):
    refused("malformed", cast.buyer, lot, "100000", nonce="x")


def test_replayed_bid_returns_the_original_and_changes_nothing(cast, lot, bidders):
    first = bid(cast.buyer, lot, "100000", nonce="replay-key-0001")
    again = bid(cast.buyer, lot, "100000.00", nonce="replay-key-0001")
    assert again.replayed and again.bid.pk == first.bid.pk
    # The same key with another amount is a different bid: refused, not taken as a replay.
    refused("nonce_reused", cast.buyer, lot, "150000", nonce="replay-key-0001")
    lot.refresh_from_db()
    assert lot.bid_count == 1 and lot.current_price == Decimal("100000")
    # Someone else cannot reuse another bidder's key.
    refused("replayed", cast.broker, lot, "101000", nonce="replay-key-0001")


def test_leader_cannot_outbid_themselves(cast, lot, bidders):
    bid(cast.buyer, lot, "100000")
    refused("leading", cast.buyer, lot, "120000")


def test_staff_and_outsiders_may_not_register(cast, session):
    from django.core.exceptions import PermissionDenied

    for user in (cast.operator, cast.reviewer, cast.official, cast.outsider):
        with pytest.raises(PermissionDenied):
            services.register_bidder(actor=user, session=session)


def test_registration_gives_numbers_and_is_idempotent(cast, session):
    a = services.register_bidder(actor=cast.buyer, session=session)
    b = services.register_bidder(actor=cast.broker, session=session)
    assert (a.number, b.number) == (1, 2)
    assert services.register_bidder(actor=cast.buyer, session=session).pk == a.pk
    assert a.deposit_status == "required"
    free = make_session(cast, deposit="0")
    assert services.register_bidder(actor=cast.buyer, session=free).deposit_status == "not_required"


def test_soft_close_extends_the_end_up_to_the_cap(cast, session, bidders):
    end = timezone.now() + timedelta(minutes=2)
    lot = make_lot(
        cast, session, ends_at=end, soft_close_minutes=5, extension_minutes=10, extension_cap_minutes=15
    )
    bid(cast.buyer, lot, "100000")
    lot.refresh_from_db()
    assert lot.ends_at == end + timedelta(minutes=10) and lot.extension_count == 1
    bid(cast.broker, lot, "101000")  # ends_at now 12 min away: outside the 5-minute window
    lot.refresh_from_db()
    assert lot.ends_at == end + timedelta(minutes=10)
    Lot.objects.filter(pk=lot.pk).update(ends_at=timezone.now() + timedelta(minutes=1))
    lot.refresh_from_db()
    prev_end = lot.ends_at
    bid(cast.buyer, lot, "102000")
    lot.refresh_from_db()
    assert lot.ends_at == min(prev_end + timedelta(minutes=10), end + timedelta(minutes=15))


def test_extension_never_passes_the_cap(cast, session, bidders):
    end = timezone.now() + timedelta(minutes=1)
    lot = make_lot(
        cast, session, ends_at=end, soft_close_minutes=5, extension_minutes=10, extension_cap_minutes=3
    )
    bid(cast.buyer, lot, "100000")
    lot.refresh_from_db()
    assert lot.ends_at == end + timedelta(minutes=3)
    bid(cast.broker, lot, "101000")
    lot.refresh_from_db()
    assert lot.ends_at == end + timedelta(minutes=3) and lot.extension_count == 1
    assert verify_lot(lot) == []


def test_proxy_bids_for_the_bidder_only_as_much_as_needed(cast, lot, bidders):
    buyer_reg, broker_reg = bidders
    services.set_proxy(actor=cast.buyer, lot_id=lot.pk, max_amount="150000")
    lot.refresh_from_db()
    assert lot.current_price == Decimal("100000") and lot.leader_id == buyer_reg.pk
    bid(cast.broker, lot, "120000")
    lot.refresh_from_db()
    # The proxy answers with one increment above the manual bid.
    assert lot.current_price == Decimal("121000") and lot.leader_id == buyer_reg.pk
    services.set_proxy(actor=cast.broker, lot_id=lot.pk, max_amount="140000")
    lot.refresh_from_db()
    assert lot.current_price == Decimal("141000") and lot.leader_id == buyer_reg.pk
    bid(cast.broker, lot, "160000")  # beyond the buyer's hidden maximum
    lot.refresh_from_db()
    assert lot.current_price == Decimal("160000") and lot.leader_id == broker_reg.pk
    amounts = list(lot.bids.order_by("seq").values_list("amount", flat=True))
    assert amounts == sorted(amounts) and len(set(amounts)) == len(amounts)
    assert verify_lot(lot) == []


def test_equal_proxy_maximums_go_to_the_earlier_one(cast, lot, bidders):
    buyer_reg, _broker_reg = bidders
    services.set_proxy(actor=cast.buyer, lot_id=lot.pk, max_amount="130000")
    services.set_proxy(actor=cast.broker, lot_id=lot.pk, max_amount="130000")
    lot.refresh_from_db()
    assert lot.leader_id == buyer_reg.pk and lot.current_price == Decimal("130000")


def test_proxy_maximum_below_minimum_is_rejected(cast, lot, bidders):
    bid(cast.buyer, lot, "100000")
    with pytest.raises(BidRefused) as info:
        services.set_proxy(actor=cast.broker, lot_id=lot.pk, max_amount="100500")
    assert info.value.code == "too_low"


def test_sealed_bids_are_hidden_one_per_bidder(cast, session, bidders):
    lot = make_lot(cast, session, format=LotFormat.SEALED_SECOND, reserve_price=Decimal("100000"))
    bid(cast.buyer, lot, "150000")
    bid(cast.broker, lot, "120000")
    lot.refresh_from_db()
    assert lot.current_price is None and lot.bid_count == 2
    refused("already_bid", cast.buyer, lot, "160000")
    refused("too_low", cast.buyer, lot, "50000")


def test_dutch_first_acceptance_buys_at_the_clock_price(
    cast, session, bidders, django_capture_on_commit_callbacks
):
    lot = make_lot(
        cast,
        session,
        format=LotFormat.DUTCH,
        starting_price=Decimal("200000"),
        reserve_price=Decimal("100000"),
        dutch_decrement=Decimal("10000"),
        dutch_interval_seconds=60,
        soft_close_minutes=0,
        extension_minutes=0,
        starts_at=timezone.now() - timedelta(minutes=3, seconds=5),
    )
    assert services.dutch_price(lot) == Decimal("170000")
    refused("too_low", cast.buyer, lot, "150000")
    with django_capture_on_commit_callbacks(execute=True):
        bid(cast.buyer, lot, "170000")
    lot.refresh_from_db()
    assert lot.status == LotStatus.SOLD and lot.hammer_price == Decimal("170000")
    refused("closed", cast.broker, lot, "170000")


def test_dutch_clock_never_goes_below_the_floor(cast, session):
    lot = make_lot(
        cast,
        session,
        format=LotFormat.DUTCH,
        starting_price=Decimal("200000"),
        reserve_price=Decimal("150000"),
        dutch_decrement=Decimal("10000"),
        dutch_interval_seconds=1,
        starts_at=timezone.now() - timedelta(minutes=10),
    )
    assert services.dutch_price(lot) == Decimal("150000")


def test_database_refuses_duplicate_sequence_numbers(cast, lot, bidders):
    from django.db import IntegrityError, transaction

    result = bid(cast.buyer, lot, "100000")
    with pytest.raises(IntegrityError), transaction.atomic():
        Bid.objects.create(
            lot=lot,
            registration=result.bid.registration,
            seq=1,
            amount=1,
            nonce="other-nonce",
            created_at=timezone.now(),
            hash="x",
        )
