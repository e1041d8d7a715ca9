"""Whole numbers typed by people: ``digits("12")`` and ``whole_number("2026", 2000, 2100)``.

``str.isdigit()`` is true for superscripts (``"²"``) that ``int()`` refuses, and a 23-digit id overflows
the database's integers: both were server errors. These accept plain ASCII digits that fit a signed 64-bit
integer (and, for ``whole_number``, the given range) and nothing else.
"""

from __future__ import annotations

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
