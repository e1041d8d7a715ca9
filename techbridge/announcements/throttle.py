"""Guesses at certificate codes are rate-limited per client address, like failed sign-ins
(``accounts.services.login_blocked``): every unknown or altered code counts, and after
``CERTIFICATE_VERIFY_MAX_FAILURES`` within ``CERTIFICATE_VERIFY_WINDOW_SECONDS`` the address is refused
until the window has passed. Real codes are never counted, so checking many real certificates is fine."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache


def _key(address: str) -> str:
    return f"certificate-verify-fail:{address}"


def blocked(address: str) -> bool:
    limit = int(getattr(settings, "CERTIFICATE_VERIFY_MAX_FAILURES", 20))
    return (cache.get(_key(address)) or 0) >= limit


def record_failure(address: str) -> None:
    window = int(getattr(settings, "CERTIFICATE_VERIFY_WINDOW_SECONDS", 3600))
    key = _key(address)
    if cache.add(key, 1, window):
        return
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, window)
