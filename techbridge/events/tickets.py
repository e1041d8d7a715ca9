"""Ticket codes and their QR codes.

A code is 12 characters from an alphabet without look-alikes (no I, O, 0, 1), about 60 bits of chance:
short enough to read out or type at the door, impossible to guess. The QR code carries ``TB-EV:<code>``
so a scanner at the door can tell a ticket from any other QR code; the check-in page also accepts the
bare code, with or without the dashes printed on the ticket.
"""

from __future__ import annotations

import re
import secrets

import segno

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
LENGTH = 12
PREFIX = "TB-EV:"
_CODE = re.compile(rf"[{ALPHABET}]{{{LENGTH}}}")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def parse(text: str) -> str | None:
    """The ticket code in what a scanner read or a person typed, or ``None`` when there is none."""
    cleaned = re.sub(r"[\s\-_]", "", (text or "").upper())
    if cleaned.startswith(PREFIX.replace("-", "")):
        cleaned = cleaned[len(PREFIX) - 1 :]
    cleaned = cleaned.removeprefix(":")
    return cleaned if _CODE.fullmatch(cleaned) else None


def payload(code: str) -> str:
    return f"{PREFIX}{code}"


def qr_svg(code: str, *, scale: int = 6) -> str:
    """The ticket's QR code as inline SVG (no image file, no network)."""
    qr = segno.make(payload(code), error="m", micro=False)
    # No fixed size: the page scales the code to the phone's width (viewBox only).
    return qr.svg_inline(scale=scale, border=2, dark="#111", light="#fff", omitsize=True)
