"""The tamper-evident bid chain: each accepted bid carries the SM3 hash of its content and of the
previous bid's hash, so editing, inserting or deleting a bid breaks the chain (``verify_lot``).

When the lot closes, a closing record is hashed after the last bid (``Lot.closing_hash``): the outcome,
the winner, the leader, the hammer and current price, the end and close times and the head of the bid
chain. Changing any of them in the database afterwards no longer verifies (issue 20 point 6)."""

from __future__ import annotations

from datetime import UTC, timedelta
from decimal import Decimal
from typing import Any

from techbridge.lib.sm3 import sm3_hex as _sm3_hex

ALGORITHM = "SM3"


def _iso(value: Any) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds") if value else ""


def bid_payload(
    *,
    lot_id: int,
    seq: int,
    registration_id: int,
    amount: Decimal,
    kind: str,
    created_at: Any,
    ends_after: Any,
    nonce: str,
    prev_hash: str,
) -> str:
    """The canonical text that is hashed: every field that matters, in a fixed order."""
    return "|".join(
        [
            ALGORITHM,
            str(lot_id),
            str(seq),
            str(registration_id),
            f"{Decimal(amount).quantize(Decimal('0.01'))}",
            kind,
            _iso(created_at),
            _iso(ends_after),
            nonce,
            prev_hash,
        ]
    )


def sm3_hex(text: str) -> str:
    """SM3 (GB/T 32905-2016) of the UTF-8 text, as 64 hex characters (OpenSSL, gmssl as fallback)."""
    return _sm3_hex(text)


def hash_bid(bid: Any) -> str:
    return sm3_hex(
        bid_payload(
            lot_id=bid.lot_id,
            seq=bid.seq,
            registration_id=bid.registration_id,
            amount=bid.amount,
            kind=bid.kind,
            created_at=bid.created_at,
            ends_after=bid.ends_after,
            nonce=bid.nonce,
            prev_hash=bid.prev_hash,
        )
    )


def closing_payload(
    *,
    lot_id: int,
    status: str,
    outcome: str,
    winner_id: int | None,
    leader_id: int | None,
    hammer_price: Decimal | None,
    current_price: Decimal | None,
    ends_at: Any,
    closed_at: Any,
    bid_count: int,
    head_hash: str,
) -> str:
    """The canonical text of a lot's closing record, chained to the last bid by ``head_hash``."""

    def money(value: Decimal | None) -> str:
        return f"{Decimal(value).quantize(Decimal('0.01'))}" if value is not None else ""

    return "|".join(
        [
            ALGORITHM,
            "close",
            str(lot_id),
            status,
            outcome,
            str(winner_id or ""),
            str(leader_id or ""),
            money(hammer_price),
            money(current_price),
            _iso(ends_at),
            _iso(closed_at),
            str(bid_count),
            head_hash,
        ]
    )


def hash_closing(lot: Any, **override: Any) -> str:
    """SM3 of the lot's closing record as the lot stands (``override``: values about to be written)."""
    values = {
        "lot_id": lot.pk,
        "status": lot.status,
        "outcome": lot.outcome,
        "winner_id": lot.winner_id,
        "leader_id": lot.leader_id,
        "hammer_price": lot.hammer_price,
        "current_price": lot.current_price,
        "ends_at": lot.ends_at,
        "closed_at": lot.closed_at,
        "bid_count": lot.bid_count,
        "head_hash": lot.head_hash,
    }
    values.update(override)
    return sm3_hex(closing_payload(**values))


def verify_lot(lot: Any) -> list[str]:
    """Every problem found in the lot's bid chain (empty when intact).

    Checks: sequence numbers 1..n without gaps, each bid's hash, each link to the previous hash,
    the lot's head hash and bid count (catches a deleted last bid), English prices strictly rising,
    and each soft-close extension recomputed from the bid times.
    """
    from .choices import BidKind, LotFormat

    problems: list[str] = []
    bids = list(lot.bids.order_by("seq", "id"))
    prev_hash = ""
    prev_amount: Decimal | None = None
    prev_end = lot.scheduled_end_at
    for expected_seq, bid in enumerate(bids, start=1):
        if bid.seq != expected_seq:
            problems.append(
                f"bid id {bid.pk}: sequence {bid.seq}, expected {expected_seq} (bid inserted or deleted)"
            )
        if bid.hash_algorithm != ALGORITHM:
            problems.append(f"bid #{bid.seq}: unknown hash algorithm {bid.hash_algorithm!r}")
        if bid.prev_hash != prev_hash:
            problems.append(f"bid #{bid.seq}: previous-hash link broken (bid inserted or deleted before it)")
        if hash_bid(bid) != bid.hash:
            problems.append(f"bid #{bid.seq}: content does not match its SM3 hash (bid altered)")
        if lot.format == LotFormat.ENGLISH:
            if prev_amount is not None and bid.amount <= prev_amount:
                problems.append(f"bid #{bid.seq}: amount {bid.amount} not above previous {prev_amount}")
            prev_amount = bid.amount
            if bid.kind in (BidKind.MANUAL, BidKind.PROXY) and bid.ends_after is not None:
                expected_end = prev_end
                window_start = prev_end - timedelta(minutes=lot.soft_close_minutes)
                if lot.soft_close_minutes and lot.extension_minutes and bid.created_at >= window_start:
                    expected_end = min(prev_end + timedelta(minutes=lot.extension_minutes), lot.hard_end_at)
                if bid.ends_after != expected_end:
                    problems.append(
                        f"bid #{bid.seq}: end after bid {bid.ends_after}, expected {expected_end}"
                    )
                prev_end = bid.ends_after
        prev_hash = bid.hash
    if lot.head_hash != prev_hash:
        problems.append("lot head hash does not match the last bid (a bid was deleted, added or altered)")
    if lot.bid_count != len(bids):
        problems.append(f"lot counts {lot.bid_count} bids, chain has {len(bids)}")
    if lot.format == LotFormat.ENGLISH and bids and lot.current_price != bids[-1].amount:
        problems.append(f"lot price {lot.current_price} differs from the last bid {bids[-1].amount}")
    if lot.closed_at is not None or lot.closing_hash:
        if not lot.closing_hash:
            problems.append("closing record missing: the lot is closed but its outcome was not sealed")
        elif hash_closing(lot) != lot.closing_hash:
            problems.append(
                "closing record does not match the lot (outcome, winner, leader, price, end or close time "
                "altered after closing)"
            )
    return problems
