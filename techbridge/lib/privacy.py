"""Masking personal contact details (个人信息保护法): what an anonymous visitor sees of a phone or an e-mail.

A listing's contact person is published by the owner for business, but a page anyone can fetch must not
hand a harvester a list of researchers' mobile numbers. Signed-in users see the whole number; everyone
else sees enough to recognise it.
"""

from __future__ import annotations

import re

_DIGITS = re.compile(r"\d")


def mask_phone(phone: str) -> str:
    """``13812345678`` → ``138****5678``; ``025-83591234`` → ``025-****1234``; short numbers keep 2 digits."""
    phone = (phone or "").strip()
    digits = _DIGITS.findall(phone)
    if not digits:
        return phone
    keep_head = 3 if len(digits) >= 11 else 0
    keep_tail = 4 if len(digits) >= 7 else 2
    if "-" in phone and not phone.startswith("+"):
        area, _sep, rest = phone.partition("-")
        return f"{area}-{mask_phone_digits(rest, 0, keep_tail)}"
    return mask_phone_digits(phone, keep_head, keep_tail)


def mask_phone_digits(text: str, keep_head: int, keep_tail: int) -> str:
    positions = [i for i, ch in enumerate(text) if ch.isdigit()]
    hidden = set(
        positions[keep_head : len(positions) - keep_tail] if len(positions) > keep_tail else positions
    )
    return "".join("*" if i in hidden else ch for i, ch in enumerate(text))


def mask_email(email: str) -> str:
    """``zhang.san@nju.edu.cn`` → ``z***@nju.edu.cn``."""
    email = (email or "").strip()
    local, at, domain = email.partition("@")
    if not at:
        return "***" if email else ""
    return f"{local[:1]}***@{domain}"


def mask_contact_fields(data: dict, *, phone: str = "contact_phone", email: str = "contact_email") -> dict:
    """Mask the contact phone and e-mail of a serialised record in place (for anonymous callers)."""
    if data.get(phone):
        data[phone] = mask_phone(str(data[phone]))
    if data.get(email):
        data[email] = mask_email(str(data[email]))
    return data
