"""Pure rules: the notice period counted in working days, and the certificate's verification code.

Working days: Monday to Friday, less the dates in ``ANNOUNCEMENT_HOLIDAYS`` and plus the weekend dates
in ``ANNOUNCEMENT_EXTRA_WORKDAYS`` (调休), both lists of ISO dates in the settings (the State Council
publishes them each December; the project keeps no holiday table of its own).

The code: 19 random characters of Crockford's base-32 alphabet (95 bits, from ``secrets``) and one check
character by the Luhn mod 32 algorithm, which catches every single changed character and every swap of
two neighbours. Shown in groups of four: ``7KQ2-…``.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
BODY_LENGTH = 19
CODE_LENGTH = BODY_LENGTH + 1


def is_working_day(day: dt.date, holidays: Iterable[dt.date] = (), extra: Iterable[dt.date] = ()) -> bool:
    if day in set(extra):
        return True
    return day.weekday() < 5 and day not in set(holidays)


def add_working_days(
    day: dt.date, count: int, holidays: Iterable[dt.date] = (), extra: Iterable[dt.date] = ()
) -> dt.date:
    """The ``count``-th working day after ``day`` (``day`` itself does not count)."""
    off, on = set(holidays), set(extra)
    current = day
    left = count
    while left > 0:
        current += dt.timedelta(days=1)
        if is_working_day(current, off, on):
            left -= 1
    return current


def check_character(body: str) -> str:
    """Luhn mod 32 over ``ALPHABET``."""
    n = len(ALPHABET)
    factor, total = 2, 0
    for ch in reversed(body):
        addend = factor * ALPHABET.index(ch)
        factor = 1 if factor == 2 else 2
        total += addend // n + addend % n
    return ALPHABET[(n - total % n) % n]


def new_code() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(BODY_LENGTH))
    return body + check_character(body)


def normalise(text: str) -> str:
    """Upper case without spaces and dashes (what people type from a printed certificate)."""
    return "".join(ch for ch in str(text).upper() if ch not in " -\t")


def well_formed(code: str) -> bool:
    return len(code) == CODE_LENGTH and all(ch in ALPHABET for ch in code)


def check_ok(code: str) -> bool:
    return well_formed(code) and check_character(code[:-1]) == code[-1]


def grouped(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
