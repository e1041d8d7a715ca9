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


# GB 11714-1997: the 9-character organisation code inside a credit code (positions 9–17) has its own
# check character over its first 8 (digits and capital letters, A = 10 … Z = 35).
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def org_code_check(first8: str) -> str:
    """The GB 11714 check character of an 8-character organisation code body."""
    total = sum(int(ch, 36) * w for ch, w in zip(first8, ORG_CODE_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def compose(authority_and_type: str, division: str, org_body: str) -> str:
    """A whole code from its parts: 2 characters (registration authority and organisation type, e.g.
    ``91`` an enterprise, ``12`` a public institution), the 6-digit administrative division (GB/T 2260,
    ``320106`` = 鼓楼区, 南京) and the 8-character organisation code body; both check characters are
    computed (GB 11714 for the organisation code, GB 32100 for the whole)."""
    first17 = f"{authority_and_type}{division}{org_body}{org_code_check(org_body)}"
    if len(first17) != 17:
        raise ValueError("a credit code is built from 2 + 6 + 8 characters")
    return first17 + check_character(first17)
