"""The live lot page at scale: cached polling for a thousand viewers per lot.

Every viewer polls ``auctions:lot_status`` once a second with the token of what they see. The token
is made of the lot's version, status, phase (not open yet / open / ended), the Dutch clock step, the
end time and the viewer's own state (qualification, deposit, proxy ceiling). :func:`probe` reads all of
it in **one indexed query** (the lot by primary key, the viewer's registration and proxy through the
``(session, user)`` and ``(lot, registration)`` unique indexes), so an unchanged poll is answered 204
without rendering anything.

When the token moved, the part every viewer sees alike (price, minimum, countdown end, status,
soft-close line, bid history) is rendered once per (lot, token, language) and kept in Django's cache
(locmem in the embedded server, Redis behind several app servers: the key names the state, so any
server may fill it); only the viewer's own parts (my status, proxy ceiling, outbid notice, bid box) are
read and rendered per viewer. Anonymous viewers get the shared part only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db.models import OuterRef, Subquery
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from .choices import LotFormat, LotStatus
from .models import Lot, ProxyBid, Registration

#: How long a rendered shared fragment stays cached; a version moves the key on, so this only bounds memory.
SHARED_TTL = 300

_PROBE_FIELDS = ("version", "status", "format", "starts_at", "ends_at", "dutch_interval_seconds")


def probe(user: Any, pk: int) -> dict[str, Any] | None:
    """The lot's live state and the viewer's own state in one query, or ``None`` when hidden from ``user``."""
    from .queries import visible_lots

    annotations: dict[str, Any] = {}
    if getattr(user, "is_authenticated", False):
        regs = Registration.objects.filter(session_id=OuterRef("session_id"), user_id=user.pk)
        annotations = {
            "reg_status": Subquery(regs.values("status")[:1]),
            "reg_deposit": Subquery(regs.values("deposit_status")[:1]),
            "proxy_max": Subquery(
                ProxyBid.objects.filter(
                    lot_id=OuterRef("pk"),
                    registration__session_id=OuterRef("session_id"),
                    registration__user_id=user.pk,
                ).values("max_amount")[:1]
            ),
        }
    rows = list(
        visible_lots(user, light=True)
        .filter(pk=pk)
        .order_by()
        .annotate(**annotations)
        .values(*_PROBE_FIELDS, *annotations)[:1]
    )
    return rows[0] if rows else None


def phase(starts_at: datetime, ends_at: datetime, now: datetime) -> str:
    if now < starts_at:
        return "pending"
    return "open" if now < ends_at else "ended"


def clock_step(fmt: str, status: str, starts_at: datetime, interval: int, now: datetime) -> int:
    """The Dutch clock's step number (its price moves with time, not with the version)."""
    if fmt != LotFormat.DUTCH or status != LotStatus.LISTED or now <= starts_at:
        return 0
    return int((now - starts_at).total_seconds() // max(interval, 1))


def shared_token(state: dict[str, Any], now: datetime) -> str:
    """What every viewer of the lot sees alike, as a short string (``state`` as from :func:`probe`)."""
    return "{}.{}.{}.{}.{}".format(
        state["version"],
        state["status"],
        phase(state["starts_at"], state["ends_at"], now),
        clock_step(
            state["format"], state["status"], state["starts_at"], state["dutch_interval_seconds"], now
        ),
        int(state["ends_at"].timestamp()),
    )


def viewer_token(reg_status: Any, reg_deposit: Any, proxy_max: Any) -> str:
    if reg_status is None:
        return "-"
    return f"{reg_status}.{reg_deposit}.{proxy_max if proxy_max is not None else '-'}"


def token_of(state: dict[str, Any], now: datetime, user: Any) -> str:
    """The poll token of a probed state: ``shared`` for anonymous viewers, plus the viewer's own state."""
    shared = shared_token(state, now)
    if not getattr(user, "is_authenticated", False):
        return shared
    return (
        shared + "~" + viewer_token(state.get("reg_status"), state.get("reg_deposit"), state.get("proxy_max"))
    )


def state_of(lot: Lot) -> dict[str, Any]:
    return {f: getattr(lot, f) for f in _PROBE_FIELDS}


def shared_parts(lot: Lot, token: str, build: Any) -> dict[str, str]:
    """The rendered shared fragment of ``lot`` at ``token``: ``head`` and ``history`` HTML.

    ``build()`` returns the template context; it is only called on a cache miss (once per lot state and
    language across all viewers and app servers).
    """
    key = f"auctions:live:{lot.pk}:{token}:{get_language()}"
    parts = cache.get(key)
    if parts is None:
        ctx = build()
        parts = {
            "head": render_to_string("auctions/partials/lot_shared_head.html", ctx),
            "history": render_to_string("auctions/partials/lot_shared_history.html", ctx),
        }
        cache.set(key, parts, SHARED_TTL)
    return parts


def for_viewer(parts: dict[str, str], registration: Registration | None) -> dict[str, SafeString]:
    """The shared parts with the viewer's own bids marked "(you)" (a flag in the cached HTML)."""
    history = parts["history"]
    if registration is not None:
        history = history.replace(f'data-reg="{registration.pk}" hidden', f'data-reg="{registration.pk}"')
    return {"head": mark_safe(parts["head"]), "history": mark_safe(history)}
