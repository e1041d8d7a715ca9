"""Who is asking: the client address behind the configured number of trusted reverse proxies."""

from __future__ import annotations

from typing import Any

from django.conf import settings


def client_address(request: Any) -> str:
    """The address sign-in counters and throttles count against.

    With ``TRUSTED_PROXY_COUNT = 0`` this is ``REMOTE_ADDR`` and ``X-Forwarded-For`` is ignored, because any
    client can write that header. With ``n`` proxies, the n-th entry from the right of ``X-Forwarded-For``
    is the address the outermost trusted proxy saw; entries further left were written by the client.
    This is the same rule Django REST framework applies with ``NUM_PROXIES``.
    """
    if request is None:
        return "unknown"
    meta = request.META
    remote = meta.get("REMOTE_ADDR") or "unknown"
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = meta.get("HTTP_X_FORWARDED_FOR")
    if proxies <= 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if not hops:
        return remote
    return hops[-min(proxies, len(hops))][:64]
