"""Payment references (付款识别码) for auction deposits: ``TB-2026-7K3QM-9``.

A bidder writes the reference in the transfer's 附言 so the bank statement can be matched to their
registration. It is short, uses only characters nobody confuses on paper or on the phone (no 0/O, 1/I/L
in the random part) and ends with a check character (Luhn mod N over the year and the random part), so
a mistyped reference is recognised as mistyped instead of paying someone else's deposit.

``find_references(text)`` reads every candidate in a statement's free text, however the bank folded it:
hyphens or spaces dropped, lower case, full-width characters.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass

from django.utils import timezone

RANDOM_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # 31 characters: no 0 O 1 I L
CHECK_ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # 34: the values the check runs over (no I, O)
RANDOM_LENGTH = 5  # 31**5 ≈ 28.6 million a year: a clash is rare (the register service retries)
MAX_LENGTH = 16  # "TB-2026-7K3QM-9" is 15

_CANDIDATE = re.compile(r"TB[-_\s]*(\d{4})[-_\s]*([0-9A-Z]{5})[-_\s]*([0-9A-Z])(?![0-9A-Z])")


def check_character(body: str) -> str:
    """The Luhn mod N check character of ``body`` (characters of ``CHECK_ALPHABET``)."""
    n = len(CHECK_ALPHABET)
    factor, total = 2, 0
    for char in reversed(body):
        addend = factor * CHECK_ALPHABET.index(char)
        factor = 1 if factor == 2 else 2
        total += addend // n + addend % n
    return CHECK_ALPHABET[(n - total % n) % n]


def format_reference(year: int, random_part: str) -> str:
    body = f"{year:04d}{random_part}"
    return f"TB-{year:04d}-{random_part}-{check_character(body)}"


def new_reference() -> str:
    """A fresh reference for this year (uniqueness is the database's constraint; callers retry)."""
    random_part = "".join(secrets.choice(RANDOM_ALPHABET) for _ in range(RANDOM_LENGTH))
    return format_reference(timezone.localdate().year, random_part)


@dataclass(frozen=True)
class Candidate:
    """A reference read from text: ``reference`` in canonical form, ``valid`` when its check holds."""

    reference: str
    valid: bool


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").upper()


def find_references(text: str) -> list[Candidate]:
    """Every reference-shaped group in ``text``, canonicalised, in order (valid or not)."""
    found: list[Candidate] = []
    for match in _CANDIDATE.finditer(_fold(text)):
        year, random_part, check = match.groups()
        if any(c not in CHECK_ALPHABET for c in random_part + check):
            continue
        valid = (
            all(c in RANDOM_ALPHABET for c in random_part) and check_character(year + random_part) == check
        )
        found.append(Candidate(f"TB-{year}-{random_part}-{check}", valid))
    return found
