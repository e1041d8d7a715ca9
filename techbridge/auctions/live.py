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
read and rendered per viewer. Viewers without a registration (anonymous, or signed in without
registering: most of a public auction's audience) have no own parts, so their whole fragment is cached
per token and language (:func:`common_fragment`) and a changed poll costs the probe and a cache read.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from django.core.cache import cache
from django.db.models import OuterRef, Subquery
from django.template.defaultfilters import date as date_filter
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from techbridge.core.prepared import PreparedRead

from .choices import LotFormat, LotStatus
from .models import Lot, ProxyBid, Registration

#: How long a rendered shared fragment stays cached; a version moves the key on, so this only bounds memory.
SHARED_TTL = 300

_PROBE_FIELDS = ("version", "status", "format", "starts_at", "ends_at", "dutch_interval_seconds")


def _probe_query(pk: int, user_id: int | None, console: bool) -> Any:
    from .queries import PUBLIC_LOT, PUBLIC_SESSION

    qs = Lot.objects.filter(pk=pk).order_by()
    if not console:
        qs = qs.filter(status__in=PUBLIC_LOT, session__status__in=PUBLIC_SESSION)
    annotations: dict[str, Any] = {}
    if user_id is not None:
        regs = Registration.objects.filter(session_id=OuterRef("session_id"), user_id=user_id)
        annotations = {
            "reg_status": Subquery(regs.values("status")[:1]),
            "reg_deposit": Subquery(regs.values("deposit_status")[:1]),
            "proxy_max": Subquery(
                ProxyBid.objects.filter(
                    lot_id=OuterRef("pk"),
                    registration__session_id=OuterRef("session_id"),
                    registration__user_id=user_id,
                ).values("max_amount")[:1]
            ),
        }
    return qs.annotate(**annotations).values(*_PROBE_FIELDS, *annotations)[:1]


#: The probe compiled once per thread (``core.prepared``), one shape per kind of viewer: a poll pays for
#: executing it, not for building it.
_PROBE_ANONYMOUS = PreparedRead(lambda pk: _probe_query(pk, None, False), pk=-7_400_001)
_PROBE_MEMBER = PreparedRead(
    lambda pk, user_id: _probe_query(pk, user_id, False), pk=-7_400_001, user_id=-7_400_002
)
_PROBE_CONSOLE = PreparedRead(
    lambda pk, user_id: _probe_query(pk, user_id, True), pk=-7_400_001, user_id=-7_400_002
)


def probe(user: Any, pk: int) -> dict[str, Any] | None:
    """The lot's live state and the viewer's own state in one query, or ``None`` when hidden from ``user``
    (the lots ``queries.visible_lots`` shows them)."""
    from .permissions import can_use_console

    if not getattr(user, "is_authenticated", False):
        return _PROBE_ANONYMOUS.one(pk=int(pk))
    read = _PROBE_CONSOLE if can_use_console(user) else _PROBE_MEMBER
    return read.one(pk=int(pk), user_id=user.pk)


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

    def render() -> dict[str, str]:
        ctx = build()
        return {
            "head": render_to_string("auctions/partials/lot_shared_head.html", ctx),
            "history": render_to_string("auctions/partials/lot_shared_history.html", ctx),
        }

    parts = cache.get_or_set(f"auctions:live:{lot.pk}:{token}:{get_language()}", render, SHARED_TTL)
    return cast(dict[str, str], parts)


def for_viewer(parts: dict[str, str], registration: Registration | None) -> dict[str, SafeString]:
    """The shared parts with the viewer's own bids marked "(you)" (a flag in the cached HTML)."""
    history = parts["history"]
    if registration is not None:
        history = history.replace(f'data-reg="{registration.pk}" hidden', f'data-reg="{registration.pk}"')
    return {"head": mark_safe(parts["head"]), "history": mark_safe(history)}


#: Where the server's clock goes in a cached fragment (``data-now``, which the countdown syncs to).
NOW_SLOT = "\x00now\x00"


def common_fragment(pk: int, token: str, now: datetime, render: Any) -> str:
    """The whole status fragment of lot ``pk`` at ``token`` for viewers without a registration.

    ``render()`` (called once per lot state, viewer class and language across all viewers and app
    servers) returns the HTML rendered at ``now``; it is stored with its ``data-now`` stamp replaced by
    :data:`NOW_SLOT`, and each answer gets the current time there, so the countdown never syncs to the
    moment of the first render.
    """
    stamp = f'data-now="{date_filter(timezone.localtime(now), "c")}"'
    html = cache.get_or_set(
        f"auctions:live:common:{pk}:{token}:{get_language()}",
        lambda: render().replace(stamp, f'data-now="{NOW_SLOT}"', 1),
        SHARED_TTL,
    )
    return str(html).replace(NOW_SLOT, date_filter(timezone.localtime(timezone.now()), "c"), 1)
