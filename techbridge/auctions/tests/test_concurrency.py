"""Two bids at the same moment (two tabs, two app servers): exactly one wins, nothing is lost."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection

from techbridge.auctions import services
from techbridge.auctions.chain import verify_lot
from techbridge.auctions.models import Bid, BidAttempt, Lot
from techbridge.testing.factories.auctions import make_lot, make_session, paid


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_same_bid_from_two_threads_cannot_both_win(cast):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        # Shared-cache in-memory SQLite fails fast ("table is locked") instead of waiting; the file
        # database the platform runs on waits (busy timeout) — bench_auction covers it.
        pytest.skip("needs a file SQLite database or PostgreSQL")
    session = make_session(cast)
    lot = make_lot(cast, session)
    paid(cast.buyer, session, cast)
    paid(cast.broker, session, cast)
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def worker(user, n):
        try:
            barrier.wait()
            services.place_bid(actor=user, lot_id=lot.pk, amount="100000", nonce=f"race-{n}-{user.pk:06d}")
            outcomes.append("accepted")
        except services.BidRefused as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=worker, args=(u, n)) for n, u in enumerate([cast.buyer, cast.broker] * 2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("accepted") == 1, outcomes
    lot = Lot.objects.get(pk=lot.pk)
    assert lot.bid_count == 1 and lot.current_price == Decimal("100000")
    assert verify_lot(lot) == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("amounts", [("100000", "100000"), ("100000", "100500")])
def test_same_nonce_from_two_threads_has_one_outcome(cast, amounts):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("needs a file SQLite database or PostgreSQL ")
    session = make_session(cast)
    lot = make_lot(cast, session)
    paid(cast.buyer, session, cast)
    barrier = threading.Barrier(2)
    results: list[tuple[str, bool]] = []

    def worker(amount):
        try:
            barrier.wait()
            r = services.place_bid(actor=cast.buyer, lot_id=lot.pk, amount=amount, nonce="twin-nonce-0001")
            results.append(("accepted", r.replayed))
        except services.BidRefused as exc:
            results.append((exc.code, exc.replayed))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(a,)) for a in amounts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Bid.objects.filter(lot=lot).count() == 1
    assert BidAttempt.objects.filter(lot=lot, nonce="twin-nonce-0001").count() == 1
    codes = sorted(code for code, _ in results)
    if amounts[0] == amounts[1]:
        assert codes == ["accepted", "accepted"] and sorted(r for _, r in results) == [False, True]
    else:
        # whichever came first was accepted; the other body is a reused nonce
        assert codes == ["accepted", "nonce_reused"], results
