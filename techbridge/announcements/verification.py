"""Checking a certificate code: the one answer the verification page and the API both give."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from . import rules, throttle
from .models import Certificate


@dataclass
class Verdict:
    """``certificate`` when the code is a real one (valid or revoked); ``error`` the reason otherwise;
    ``throttled`` when the address made too many wrong guesses."""

    code: str
    certificate: Certificate | None = None
    error: str = ""
    throttled: bool = False


def verify(text: str, address: str) -> Verdict:
    code = rules.normalise(text)[:64]
    if throttle.blocked(address):
        return Verdict(
            code, error=_("Too many wrong codes from your address. Try again in an hour."), throttled=True
        )
    if not rules.well_formed(code):
        throttle.record_failure(address)
        return Verdict(
            code,
            error=_(
                "This is not a certificate verification code: a code has 20 letters and digits "
                "(without I, L, O and U)."
            ),
        )
    if not rules.check_ok(code):
        throttle.record_failure(address)
        return Verdict(
            code,
            error=_(
                "The code's check character does not match: it was copied wrongly or altered. "
                "This is not a valid certificate."
            ),
        )
    cert = Certificate.objects.select_related("announcement").filter(code=code).first()
    if cert is None:
        throttle.record_failure(address)
        return Verdict(
            code,
            error=_(
                "No certificate with this code was issued by the platform. The certificate may be forged."
            ),
        )
    return Verdict(code, certificate=cert)
