"""Closing: on time without visitors, exactly once, winner to a contract draft, reserve not met to a
negotiation room, deposits refunded to the others."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import ProtectedError
from django.utils import timezone

from techbridge.auctions import services
from techbridge.auctions.choices import CloseOutcome, LotFormat, LotStatus
from techbridge.auctions.models import Lot
from techbridge.testing.factories.auctions import bid, make_lot

pytestmark = pytest.mark.django_db


def expire(lot):
    Lot.objects.filter(pk=lot.pk).update(ends_at=timezone.now() - timedelta(seconds=1))
    lot.refresh_from_db()


def test_due_lot_closes_without_visitors_and_winner_gets_a_contract_draft(cast, lot, bidders, run_on_commit):
    from techbridge.contracts.models import Contract

    buyer_reg, broker_reg = bidders
    bid(cast.broker, lot, "100000")
    bid(cast.buyer, lot, "101000")
    expire(lot)
    with run_on_commit(execute=True):
        result = services.close_due_lots()
    assert result["closed"] == 1
    lot.refresh_from_db()
    assert lot.status == LotStatus.SOLD and lot.outcome == CloseOutcome.SOLD
    assert lot.winner_id == buyer_reg.pk and lot.hammer_price == Decimal("101000")
    contract = lot.contract  # a real foreign key: the draft cannot vanish while the lot points at it
    assert contract == Contract.objects.get(origin_ref=f"lot:{lot.pk}")
    with pytest.raises(ProtectedError):
        contract.delete()
    assert contract.seller_id == cast.university.pk and contract.buyer_id == cast.enterprise.pk
    assert contract.total_amount == Decimal("101000")
    assert contract.origin == "auction" and contract.origin_ref == f"lot:{lot.pk}"
    # Deposits: the loser's refunded, the winner's held against the contract.
    buyer_reg.refresh_from_db()
    broker_reg.refresh_from_db()
    assert broker_reg.deposit_status == "refunded" and buyer_reg.deposit_status == "paid"
    assert cast.buyer.notifications.filter(kind="auctions.won").exists()
    # Running again changes nothing (exactly once).
    with run_on_commit(execute=True):
        assert services.close_due_lots() == {"closed": 0, "handed_off": 0}
    assert Contract.objects.filter(origin_ref=f"lot:{lot.pk}").count() == 1


def test_the_console_lot_page_links_the_hand_off_only_for_who_may_open_it(
    client, cast, lot, bidders, run_on_commit
):
    from django.urls import reverse

    bid(cast.buyer, lot, "101000")
    expire(lot)
    with run_on_commit(execute=True):
        assert services.close_lot(lot.pk)
    lot.refresh_from_db()
    contract_url = reverse("contracts:detail", args=[lot.contract_id])
    page = reverse("auctions_console:lot", args=[lot.pk])
    # A draft between the parties is not the registry's yet: its number, no link to a 404.
    client.force_login(cast.operator)
    html = client.get(page).content.decode()
    assert f"#{lot.contract_id}" in html and contract_url not in html
    assert client.get(contract_url).status_code == 404
    # Once submitted for registration, the operator (a registry officer) may open it: a link.
    from techbridge.contracts.models import Contract

    Contract.objects.filter(pk=lot.contract_id).update(submitted_at=timezone.now())
    assert contract_url in client.get(page).content.decode()
    assert client.get(contract_url).status_code == 200


def test_reserve_not_met_offers_post_auction_negotiation(cast, session, bidders, run_on_commit):
    from techbridge.deals.models import Room

    lot = make_lot(cast, session, reserve_price=Decimal("200000"))
    bid(cast.buyer, lot, "150000")
    expire(lot)
    with run_on_commit(execute=True):
        assert services.close_lot(lot.pk)
    lot.refresh_from_db()
    assert lot.status == LotStatus.UNSOLD and lot.outcome == CloseOutcome.RESERVE_NOT_MET
    assert lot.hammer_price is None and lot.winner_id is None
    room = lot.room
    assert room == Room.objects.get(origin_ref=f"lot:{lot.pk}")
    assert room.buyer_id == cast.enterprise.pk
    assert cast.buyer.notifications.filter(kind="auctions.reserve_not_met").exists()


def test_lot_without_bids_closes_unsold(cast, lot, bidders):
    expire(lot)
    assert services.close_lot(lot.pk)
    lot.refresh_from_db()
    assert lot.status == LotStatus.UNSOLD and lot.outcome == CloseOutcome.NO_BIDS


def test_open_lot_is_not_closed_early(cast, lot, bidders):
    bid(cast.buyer, lot, "100000")
    assert services.close_due_lots()["closed"] == 0
    lot.refresh_from_db()
    assert lot.status == LotStatus.LISTED


def test_missed_closes_are_caught_up_by_the_command(cast, session, bidders, run_on_commit):
    lots = [make_lot(cast, session) for _ in range(3)]
    for lot in lots:
        expire(lot)
    with run_on_commit(execute=True):
        call_command("close_due_auctions")
    assert set(Lot.objects.filter(pk__in=[x.pk for x in lots]).values_list("status", flat=True)) == {"unsold"}


def test_sealed_second_price_pays_the_second_bid(cast, session, bidders, run_on_commit):
    buyer_reg, _ = bidders
    lot = make_lot(cast, session, format=LotFormat.SEALED_SECOND, reserve_price=Decimal("110000"))
    bid(cast.buyer, lot, "150000")
    bid(cast.broker, lot, "120000")
    expire(lot)
    with run_on_commit(execute=True):
        services.close_lot(lot.pk)
    lot.refresh_from_db()
    assert lot.winner_id == buyer_reg.pk and lot.hammer_price == Decimal("120000")


def test_sealed_first_price_pays_its_own_bid(cast, session, bidders, run_on_commit):
    lot = make_lot(cast, session, format=LotFormat.SEALED_FIRST)
    bid(cast.buyer, lot, "150000")
    bid(cast.broker, lot, "120000")
    expire(lot)
    with run_on_commit(execute=True):
        services.close_lot(lot.pk)
    lot.refresh_from_db()
    assert lot.hammer_price == Decimal("150000")


def test_forfeit_needs_an_operator_and_a_reason(cast, session, bidders):
    from django.core.exceptions import PermissionDenied, ValidationError

    reg = bidders[0]
    with pytest.raises(PermissionDenied):
        services.forfeit_deposit(actor=cast.buyer, registration=reg, reason="x")
    with pytest.raises(ValidationError):
        services.forfeit_deposit(actor=cast.operator, registration=reg, reason=" ")
    services.forfeit_deposit(actor=cast.operator, registration=reg, reason="中标后未签约")
    reg.refresh_from_db()
    assert reg.deposit_status == "forfeited"


def test_closer_thread_catches_up_on_start(cast, lot, bidders, run_on_commit, monkeypatch):
    import threading

    from techbridge.auctions import scheduler

    # The thread closes its own connection after each run; here it shares the test's connection.
    monkeypatch.setattr(scheduler, "close_old_connections", lambda: None)

    bid(cast.buyer, lot, "100000")
    expire(lot)
    stop = threading.Event()
    stop.set()  # run once (the catch-up run at start), then stop
    with run_on_commit(execute=True):
        scheduler._loop(stop, 0)
    lot.refresh_from_db()
    assert lot.status == LotStatus.SOLD and lot.contract_id


def test_failed_hand_off_is_recorded_and_retried(cast, lot, bidders, run_on_commit, monkeypatch):
    from techbridge.contracts import services as contract_services

    bid(cast.buyer, lot, "100000")
    expire(lot)
    real = contract_services.create_draft_contract

    def broken(**kwargs):
        raise RuntimeError("contracts unavailable")

    monkeypatch.setattr(contract_services, "create_draft_contract", broken)
    with run_on_commit(execute=True):
        services.close_lot(lot.pk)
    lot.refresh_from_db()
    assert lot.status == LotStatus.SOLD and lot.contract_id is None and "unavailable" in lot.handoff_error
    monkeypatch.setattr(contract_services, "create_draft_contract", real)
    assert services.close_due_lots()["handed_off"] == 1
    lot.refresh_from_db()
    assert lot.contract_id and lot.handoff_error == ""
