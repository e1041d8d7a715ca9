"""Unified social credit code (统一社会信用代码), GB 32100-2015.

18 characters from the set 0-9 and A-Z without I, O, Z, S, V. The 18th is a check character computed
from the first 17 with the weights 3^i mod 31.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def check_character(first17: str) -> str:
    """Return the check character for the first 17 characters of a code."""
    total = sum(ALPHABET.index(ch) * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalise(code: str) -> str:
    """Upper-case a code and drop spaces and dashes a user may have typed."""
    return "".join(code.split()).replace("-", "").upper()


def problem(code: str) -> str | None:
    """Return what is wrong with a code in plain words, or None when it is valid."""
    if len(code) != 18:
        return "length"
    bad = [ch for ch in code if ch not in ALPHABET]
    if bad:
        return "characters"
    if check_character(code[:17]) != code[17]:
        return "check"
    return None


def is_valid(code: str) -> bool:
    return problem(normalise(code)) is None
