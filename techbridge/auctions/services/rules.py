"""The rules of an auction that need no database write: amounts, nonces, increments, the Dutch clock,
soft close, whose lot it is; the errors and results the other modules share; who runs auctions."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from ..choices import LotFormat
from ..models import Bid, Lot

MAX_AMOUNT = Decimal("99999999999999.99")
CONFLICT_RETRIES = 8
NONCE_RE = re.compile(r"^[A-Za-z0-9_.:-]{8,64}$")


# ---- errors and results ------------------------------------------------------------------------------


class BidRefused(Exception):
    """A bid (or proxy) the rules refuse; ``code`` is stable for API clients, ``message`` translated."""

    def __init__(self, code: str, message: str, *, replayed: bool = False):
        super().__init__(message)
        self.code = code
        self.message = message
        self.replayed = replayed  # the stored outcome of an earlier attempt with the same nonce
        self.lot: Any = None  # the lot as the refusal saw it (for the answer; no re-read)
        self.reg_id: int | None = None  # the bidder's registration, when known


class _Conflict(Exception):
    """The lot row changed between our read and our conditional UPDATE: read again and retry."""


@dataclass
class BidResult:
    bid: Bid
    lot: Lot
    replayed: bool = False


# ---- pure rules --------------------------------------------------------------------------------------


def parse_amount(raw: Any) -> Decimal:
    """A yuan amount from user input, or ``BidRefused('malformed')``: positive, at most 2 decimals."""
    text = str(raw if raw is not None else "").strip().replace(",", "").replace("，", "")
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        raise BidRefused("malformed", _("Enter the amount as a number of yuan, e.g. 120000.")) from None
    if not value.is_finite() or value <= 0:
        raise BidRefused("malformed", _("The amount must be a positive number of yuan."))
    if value > MAX_AMOUNT or value != value.quantize(Decimal("0.01")):
        raise BidRefused("malformed", _("The amount may have at most two decimal places and 14 digits."))
    return value.quantize(Decimal("0.01"))


def clean_nonce(raw: Any) -> str:
    nonce = str(raw or "").strip()
    if not NONCE_RE.match(nonce):
        raise BidRefused("malformed", _("The bid form has expired. Reload the page and bid again."))
    return nonce


def new_nonce() -> str:
    return uuid.uuid4().hex


def step_for(lot: Lot, price: Decimal) -> Decimal:
    """The minimum increment at ``price``: the ladder's step for the highest threshold reached."""
    step = lot.increment
    for threshold, value in sorted((Decimal(str(a)), Decimal(str(b))) for a, b in lot.increment_ladder or []):
        if price >= threshold:
            step = value
    return step


def minimum_bid(lot: Lot) -> Decimal:
    """The lowest acceptable next bid on an English or sealed lot."""
    if lot.current_price is None or lot.format != LotFormat.ENGLISH:
        return lot.starting_price
    return lot.current_price + step_for(lot, lot.current_price)


def dutch_floor(lot: Lot) -> Decimal:
    return lot.reserve_price or (lot.dutch_decrement or lot.increment)


def dutch_price(lot: Lot, now: datetime | None = None) -> Decimal:
    """The Dutch clock: the starting price, lowered by one step every interval, never below the floor."""
    now = now or timezone.now()
    if now <= lot.starts_at:
        return lot.starting_price
    ticks = int((now - lot.starts_at).total_seconds() // max(lot.dutch_interval_seconds, 1))
    price = lot.starting_price - (lot.dutch_decrement or lot.increment) * ticks
    return max(price, dutch_floor(lot))


def extended_end(lot: Lot, now: datetime) -> datetime:
    """Soft close: a bid inside the last ``soft_close_minutes`` moves the end ``extension_minutes``
    later, never past the scheduled end plus ``extension_cap_minutes``."""
    if not (lot.soft_close_minutes and lot.extension_minutes):
        return lot.ends_at
    if now < lot.ends_at - timedelta(minutes=lot.soft_close_minutes):
        return lot.ends_at
    return max(lot.ends_at, min(lot.ends_at + timedelta(minutes=lot.extension_minutes), lot.hard_end_at))


def is_own_lot(lot: Lot, organization_id: int | None) -> bool:
    """Whether the organisation sells this lot (as seller, or as owner of an achievement in the package)."""
    if organization_id is None:
        return False
    if lot.seller_id == organization_id:
        return True
    if lot.package_id:
        from techbridge.achievements.models import Achievement

        return Achievement.objects.filter(packages=lot.package_id, owner_id=organization_id).exists()
    return False
