"""Whole numbers typed by people: ``digits("12")`` and ``whole_number("2026", 2000, 2100)``.

``str.isdigit()`` is true for superscripts (``"²"``) that ``int()`` refuses, and a 23-digit id overflows
the database's integers: both were server errors. These accept plain ASCII digits that fit a signed 64-bit
integer (and, for ``whole_number``, the given range) and nothing else.
"""

from __future__ import annotations

from decimal import Decimal

INT64_MAX = 2**63 - 1


def digits(value: object) -> bool:
    """True for a non-empty string of ASCII digits 0-9 whose value fits a signed 64-bit integer."""
    text = str(value)
    return text.isascii() and text.isdigit() and int(text) <= INT64_MAX


def whole_number(value: object, low: int = 0, high: int = INT64_MAX) -> int | None:
    """The value as an int if it is plain digits within ``low``–``high``, else None."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if low <= value <= high else None
    text = str(value if value is not None else "").strip()
    if not digits(text):
        return None
    number = int(text)
    return number if low <= number <= high else None


# ---- money -----------------------------------------------------------------------------------------

# The largest price or budget a listing may state, in yuan: 100 亿元 (1,000,000 万元). A technology
# deal above it is a typing or unit error (``1e9`` 万元 would be 10¹³ yuan). One bound for forms (in 万元),
# the API (in yuan) and imports (through the models' ``full_clean``).
MAX_PRICE_YUAN = Decimal("10000000000")
MAX_PRICE_WAN = MAX_PRICE_YUAN / 10000


def price_too_high_message() -> str:
    from django.utils.translation import gettext as _

    return _("An amount above %(max)s 万元 (100 亿元) is not accepted: check the amount and its unit.") % {
        "max": f"{MAX_PRICE_WAN:,.0f}"
    }


def validate_price(value: Decimal | None) -> None:
    """Model validator: refuse a price or budget (in yuan) above ``MAX_PRICE_YUAN``."""
    if value is not None and value > MAX_PRICE_YUAN:
        from django.core.exceptions import ValidationError

        raise ValidationError(price_too_high_message(), code="price_too_high")
