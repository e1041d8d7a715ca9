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
