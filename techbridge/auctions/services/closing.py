"""Closing lots (idempotent, safe from several processes), settling the session's deposits, and the
hand-off: a contract draft for the winner, a negotiation room when the reserve was not met."""

from __future__ import annotations

import logging
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit, signals
from techbridge.core.notifications import notify
from techbridge.core.workflow import TransitionError, transition
from techbridge.lib.faults import fault_point

from ..chain import hash_closing
from ..choices import CloseOutcome, DepositStatus, LotFormat, LotStatus, SessionStatus
from ..models import AuctionSession, Lot, Registration
from .lots import refund_deposit
from .rules import _Conflict

log = logging.getLogger(__name__)

# ---- closing ----------------------------------------------------------------------------------------


def _sealed_result(lot: Lot) -> tuple[Registration | None, Decimal | None]:
    bids = list(lot.bids.select_related("registration").order_by("-amount", "seq")[:2])
    if not bids:
        return None, None
    top = bids[0]
    if lot.format == LotFormat.SEALED_FIRST:
        return top.registration, top.amount
    second = bids[1].amount if len(bids) > 1 else lot.starting_price
    price = max(second, lot.reserve_price or Decimal("0"), lot.starting_price)
    return top.registration, min(price, top.amount)


def _close(lot: Lot, *, actor: Any, now: datetime, force: bool = False, handoff: bool = True) -> bool:
    """Close one listed lot whose end has passed (``force``: a Dutch lot just bought). Returns False
    when someone else closed it first."""
    if lot.is_sealed:
        leader, price = _sealed_result(lot)
    else:
        leader, price = lot.leader, lot.current_price
    reserve = lot.reserve_price if lot.format != LotFormat.DUTCH else None
    if leader is None or price is None:
        status, outcome = LotStatus.UNSOLD, CloseOutcome.NO_BIDS
    elif reserve is not None and price < reserve:
        status, outcome = LotStatus.UNSOLD, CloseOutcome.RESERVE_NOT_MET
    else:
        status, outcome = LotStatus.SOLD, CloseOutcome.SOLD
    guard = Q(version=lot.version)
    if not force:
        guard &= Q(ends_at__lte=now)
    changes: dict[str, Any] = {
        "outcome": outcome,
        "closed_at": now,
        "updated_at": now,
        "version": F("version") + 1,
    }
    if status == LotStatus.SOLD:
        changes.update(hammer_price=price, winner=leader)
    # The closing record, chained after the last bid (the version guard keeps what it hashes current).
    changes["closing_hash"] = hash_closing(
        lot,
        status=status,
        outcome=outcome,
        winner_id=leader.pk if status == LotStatus.SOLD and leader is not None else None,
        hammer_price=price if status == LotStatus.SOLD else None,
        closed_at=now,
    )
    try:
        transition(
            lot,
            status,
            actor=actor,
            action="auctions.lot.closed",
            guard=guard,
            changes=changes,
            data={
                "outcome": outcome,
                "price": str(price) if price is not None else None,
                "bidder": leader.number if leader else None,
            },
        )
    except TransitionError:
        return False  # someone else closed it first
    lot.refresh_from_db()
    link = reverse("auctions:lot", args=[lot.pk])
    if status == LotStatus.SOLD and leader is not None:
        notify(
            leader.user,
            kind="auctions.won",
            title=_("You won the lot %(title)s") % {"title": lot.title},
            body=_("Hammer price: %(price)s yuan. A contract draft follows.") % {"price": f"{price:,.2f}"},
            link=link,
            dedupe_key=f"auctions.won:{lot.pk}",
        )
    elif outcome == CloseOutcome.RESERVE_NOT_MET and leader is not None:
        notify(
            leader.user,
            kind="auctions.reserve_not_met",
            title=_("Reserve not met for %(title)s: post-auction negotiation offered") % {"title": lot.title},
            link=link,
            dedupe_key=f"auctions.reserve_not_met:{lot.pk}",
        )
    _settle_session(lot.session, actor=actor)
    fault_point("auctions/close/settled")
    if status == LotStatus.SOLD:  # the public notice of the deal (成交公示), opened once this commits
        transaction.on_commit(lambda: signals.deal_concluded.send_robust(sender=Lot, pk=lot.pk))
    if handoff:
        pk = lot.pk
        transaction.on_commit(lambda: hand_off(pk))
    return True


def _settle_session(session: AuctionSession, *, actor: Any) -> None:
    """When no lot of the session is still open: refund every paid deposit except the winners'
    (theirs is held against the contract) and close the session."""
    if session.lots.filter(status__in=[LotStatus.LISTED, LotStatus.SCREENING]).exists():
        return
    winners = set(session.lots.filter(winner__isnull=False).values_list("winner_id", flat=True))
    for reg in session.registrations.filter(deposit_status=DepositStatus.PAID).exclude(pk__in=winners):
        refund_deposit(actor=actor, registration=reg, message=_("Automatic refund: the session has closed."))
    session.refresh_from_db()
    if session.status == SessionStatus.PUBLISHED:
        transition(session, SessionStatus.CLOSED, actor=actor, action="auctions.session.closed")


def close_lot(lot_id: int, *, actor: Any = None, now: datetime | None = None, handoff: bool = True) -> bool:
    """Close the lot if it is listed and past its end; idempotent (False when nothing to do)."""
    now = now or timezone.now()
    with transaction.atomic():
        lot = Lot.objects.select_related("session", "leader__user").filter(pk=lot_id).first()
        if lot is None or lot.status != LotStatus.LISTED or lot.ends_at > now:
            return False
        return _close(lot, actor=actor, now=now, handoff=handoff)


def close_due_lots(now: datetime | None = None) -> dict[str, int]:
    """Close every listed lot whose end has passed (also those missed while the server was down)
    and retry hand-offs that failed; safe to run from several processes at once."""
    now = now or timezone.now()
    closed = 0
    for pk in Lot.objects.filter(status=LotStatus.LISTED, ends_at__lte=now).values_list("pk", flat=True):
        try:
            closed += close_lot(pk, now=now)
        except Exception:  # one broken lot must not stop the others closing
            log.exception("closing lot %s failed", pk)
    pending = Lot.objects.filter(
        Q(status=LotStatus.SOLD, contract__isnull=True)
        | Q(status=LotStatus.UNSOLD, outcome=CloseOutcome.RESERVE_NOT_MET, room__isnull=True)
    ).values_list("pk", flat=True)
    handed = sum(1 for pk in pending if hand_off(pk))
    return {"closed": closed, "handed_off": handed}


def hand_off(lot_id: int) -> bool:
    """Winner → a contract draft in contracts; reserve not met → a negotiation room with the highest
    bidder in deals. Idempotent: the id is claimed by a conditional UPDATE inside the same
    transaction as the creation, so a second run creates nothing."""
    fault_point("auctions/handoff/started")
    lot = Lot.objects.select_related(
        "session__created_by", "winner__organization", "leader__organization", "seller"
    ).get(pk=lot_id)
    actor = lot.session.created_by or lot.created_by
    try:
        if lot.status == LotStatus.SOLD and lot.contract_id is None and lot.winner is not None:
            assert lot.hammer_price is not None  # guaranteed by the sold_has_winner constraint
            from techbridge.contracts.services import create_draft_contract

            with transaction.atomic():
                contract = create_draft_contract(
                    actor=None,  # the system acts for the platform when an auction closes
                    seller=lot.seller,
                    buyer=lot.winner.organization,
                    title=lot.title,
                    amount=lot.hammer_price,
                    achievement=lot.achievement,
                    package=lot.package,
                    deal_mode=lot.deal_mode_code,
                    origin="auction",
                    origin_ref=f"lot:{lot.pk}",
                )
                if (
                    Lot.objects.filter(pk=lot.pk, contract__isnull=True).update(
                        contract=contract, handoff_error=""
                    )
                    != 1
                ):
                    raise _Conflict
                audit.record(
                    lot, "auctions.lot.contract_drafted", actor=actor, data={"contract": contract.pk}
                )
            return True
        if lot.outcome == CloseOutcome.RESERVE_NOT_MET and lot.room_id is None and lot.leader is not None:
            from techbridge.deals.services import open_room

            with transaction.atomic():
                room = open_room(
                    actor=None,
                    achievement=lot.achievement,
                    package=lot.package,
                    buyer=lot.leader.organization,
                    origin="auction",
                    origin_ref=f"lot:{lot.pk}",
                )
                if Lot.objects.filter(pk=lot.pk, room__isnull=True).update(room=room, handoff_error="") != 1:
                    raise _Conflict
                audit.record(lot, "auctions.lot.negotiation_opened", actor=actor, data={"room": room.pk})
            return True
    except _Conflict:
        return False
    except Exception as exc:  # recorded and retried by the next close_due_lots run
        log.exception("hand-off of lot %s failed", lot_id)
        Lot.objects.filter(pk=lot_id).update(handoff_error=str(exc)[:1000])
    return False
