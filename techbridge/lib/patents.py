"""Patent identifiers: IPC codes and Chinese patent numbers."""

from __future__ import annotations

import re

# Section, class, subclass, optionally main group / subgroup: H04L, G06F 16/35, A61K31/00
IPC_RE = re.compile(r"^[A-H]\d{2}[A-Z](?:\s*\d{1,4}/\d{1,6})?$")
# CN application or publication numbers: CN202223220665.2, CN202121635235.X, CN218751475U,
# ZL201010123456.7; old publications are CN + 7 digits + kind code, e.g. CN1234567A.
PATENT_RE = re.compile(r"^(?:(?:CN|ZL)\d{8,13}(?:\.[\dX])?(?:[A-Z]\d?)?|CN\d{7}[A-Z]\d?)$")


def normalise_ipc(code: str) -> str:
    code = code.strip().upper()
    return re.sub(r"\s+", " ", code)


def is_ipc(code: str) -> bool:
    return bool(IPC_RE.match(normalise_ipc(code)))


def is_patent_number(number: str) -> bool:
    return bool(PATENT_RE.match(number.strip().upper().replace(" ", "")))


# Application numbers: 12 digits (since 2003: year, type, serial) or 8 digits (before), then a check
# character; publication and grant numbers: 9 digits (7 before 2007) and a kind code (A, B, U, S, C, Y …).
_APPLICATION_RE = re.compile(r"^(\d{12}|\d{8})\.?([\dX])$")
_PUBLICATION_RE = re.compile(r"^(\d{7}|\d{9})([A-Z]\d?)$")


def normalise_patent_number(number: str) -> str:
    """One spelling per Chinese patent number, so numbers from different sources compare equal.

    Full-width characters become half-width, spaces go, letters are upper case, the ``ZL`` of a granted
    patent's number becomes ``CN`` and a missing ``CN`` is added; an application number gets the dot
    before its check character (``ZL 2022 2322 0665 2`` → ``CN202223220665.2``; ``cn218751475u`` →
    ``CN218751475U``). Text that is not a patent number is returned upper-cased and without spaces.
    """
    import unicodedata

    word = re.sub(r"\s+", "", unicodedata.normalize("NFKC", number or "")).upper()
    if word.startswith("ZL") or word.startswith("CN"):
        body = word[2:]
    else:
        body = word
    application = _APPLICATION_RE.match(body)
    if application:
        return f"CN{application.group(1)}.{application.group(2)}"
    if _PUBLICATION_RE.match(body):
        return f"CN{body}"
    return word


def split_patent_numbers(text: str) -> list[str]:
    """The normalised patent numbers in a list written by people (``；``, ``,``, ``、``, new lines)."""
    out: list[str] = []
    for part in re.split(r"[,，;；、|\n]+", text or ""):
        number = normalise_patent_number(part)
        if number and is_patent_number(number) and number not in out:
            out.append(number)
    return out
