"""Masking personal contact details (个人信息保护法): what an anonymous visitor sees of a phone or an e-mail.

A listing's contact person is published by the owner for business, but a page anyone can fetch must not
hand a harvester a list of researchers' mobile numbers. Signed-in users see the whole number; everyone
else sees enough to recognise it.
"""

from __future__ import annotations

import re
from typing import Any

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


# ---- phones and e-mails inside free text (exports and logs) -------------------------------------------

# A mainland mobile number (optionally +86), a landline with its area code, an e-mail address; never
# inside a longer run of digits (credit codes, patent and registration numbers stay whole).
_MOBILE = re.compile(r"(?<![\d])(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}(?![\d])")
_LANDLINE = re.compile(r"(?<![\d-])0\d{2,3}-\d{7,8}(?![\d])")
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")


def mask_free_text(text: str) -> str:
    """Mask every phone number and e-mail address written inside ``text``:
    ``联系人 13912345678 abc@x.cn`` → ``联系人 139****5678 a***@x.cn``."""
    if not text or not isinstance(text, str):
        return text
    if not any(ch.isdigit() for ch in text) and "@" not in text:
        return text
    text = _EMAIL.sub(lambda m: mask_email(m.group(0)), text)
    text = _MOBILE.sub(lambda m: mask_phone(m.group(0)), text)
    return _LANDLINE.sub(lambda m: mask_phone(m.group(0)), text)


class MaskingFilter:
    """A ``logging`` filter that masks phones and e-mails in every record's message (settings.LOGGING):
    a log line never carries a person's contact details, whoever wrote it."""

    def filter(self, record: Any) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave the record to logging's own error handling
            return True
        masked = mask_free_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
