"""Fees from the schedule: pure functions over ``FeeRate`` rows (no database)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

CENT = Decimal("0.01")


def yuan(value: Decimal) -> Decimal:
    """Rounded to the fen, half up (how a fee is billed)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def compute_fee(rates: Iterable[Any], *, audience: str, hours: Decimal, samples: int) -> tuple[Decimal, dict]:
    """The fee for ``hours`` machine hours and ``samples`` samples at the rates for ``audience``.

    Returns the fee and its detail (each line: unit, quantity, price, amount) for the statement. A unit
    without a rate for this audience is not charged.
    """
    lines = []
    total = Decimal("0")
    for rate in rates:
        if rate.audience != audience:
            continue
        quantity = hours if rate.unit == "hour" else Decimal(samples)
        if not quantity:
            continue
        amount = yuan(quantity * rate.price)
        total += amount
        lines.append(
            {"unit": rate.unit, "quantity": str(quantity), "price": str(rate.price), "amount": str(amount)}
        )
    return yuan(total), {"audience": audience, "lines": lines}


def voucher_share(amount: Decimal, share: Decimal, balance: Decimal) -> Decimal:
    """What a voucher pays of ``amount``: its share, rounded down to the fen, at most the balance."""
    due = (amount * share).quantize(CENT, rounding=ROUND_DOWN)
    return max(Decimal("0"), min(due, balance))
