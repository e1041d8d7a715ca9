"""Fault: the process closing a lot is killed (SIGKILL) part-way; the scheduler's next run closes the lot
exactly once, with one winner, the deposits settled and the sealed outcome verifying (issue 20)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from techbridge.auctions import services
from techbridge.auctions.chain import verify_lot
from techbridge.auctions.choices import CloseOutcome, LotStatus, SessionStatus
from techbridge.auctions.models import Lot
from techbridge.core.models import AuditEntry
from techbridge.testing.factories.auctions import bid


@pytest.mark.parametrize(
    ("point", "committed"),
    [
        ("auctions/close/settled", False),  # lot closed, deposits settled, nothing committed yet
        ("auctions/handoff/started", True),  # committed; the contract draft not yet made
    ],
)
def test_a_close_killed_part_way_is_finished_exactly_once_by_the_next_run(
    fault_worker, cast, session, lot, bidders, point, committed
):
    from techbridge.contracts.models import Contract

    buyer_reg, broker_reg = bidders
    bid(cast.broker, lot, "100000")
    bid(cast.buyer, lot, "101000")
    Lot.objects.filter(pk=lot.pk).update(ends_at=timezone.now() - timedelta(seconds=1))

    worker = fault_worker.start("close_due_auctions", pause=point)
    fault_worker.kill(worker)

    lot.refresh_from_db()
    closed_entries = AuditEntry.objects.filter(action="auctions.lot.closed", object_id=str(lot.pk))
    if committed:
        assert lot.status == LotStatus.SOLD and lot.contract_id is None
        assert closed_entries.count() == 1
    else:  # nothing of the killed close is left: not closed, no entry, no deposit moved
        assert lot.status == LotStatus.LISTED and lot.closing_hash == ""
        assert not closed_entries.exists()
        broker_reg.refresh_from_db()
        assert broker_reg.deposit_status == "paid"

    # The scheduler's next run (the embedded thread or Celery beat calls the same function).
    result = services.close_due_lots()
    assert result == {"closed": 0 if committed else 1, "handed_off": 1 if committed else 0}

    lot.refresh_from_db()
    assert lot.status == LotStatus.SOLD and lot.outcome == CloseOutcome.SOLD
    assert lot.winner_id == buyer_reg.pk and lot.hammer_price == Decimal("101000")
    assert closed_entries.count() == 1
    assert Contract.objects.filter(origin_ref=f"lot:{lot.pk}").count() == 1
    assert lot.contract.total_amount == Decimal("101000")
    buyer_reg.refresh_from_db()
    broker_reg.refresh_from_db()
    assert (buyer_reg.deposit_status, broker_reg.deposit_status) == ("paid", "refunded")
    session.refresh_from_db()
    assert session.status == SessionStatus.CLOSED
    assert cast.buyer.notifications.filter(kind="auctions.won").count() == 1
    assert verify_lot(lot) == []
    out = StringIO()
    call_command("verify_auction", lot.pk, stdout=out)
    assert "SM3 chain intact" in out.getvalue() and "outcome sealed" in out.getvalue()
    # Once more: nothing left to do.
    assert services.close_due_lots() == {"closed": 0, "handed_off": 0}
    assert Contract.objects.filter(origin_ref=f"lot:{lot.pk}").count() == 1
