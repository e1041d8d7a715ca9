"""Auctions in the menus and console, the lots panel on achievement pages, closing as a daily sweep."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from techbridge.core import registry


def _screen_live() -> dict[str, Any] | None:
    """Lots open for bidding now: price, bids, closing time (public lots only)."""
    from django.utils import timezone

    from .choices import LotStatus
    from .models import Lot
    from .queries import PUBLIC_SESSION

    now = timezone.now()
    lots = list(
        Lot.objects.filter(
            status=LotStatus.LISTED,
            session__status__in=PUBLIC_SESSION,
            starts_at__lte=now,
            ends_at__gt=now,
        )
        .order_by("ends_at")
        .values("title", "current_price", "starting_price", "bid_count", "ends_at")[:10]
    )
    return {
        "kind": "table",
        "columns": [str(_("Lot")), str(_("Current price (yuan)")), str(_("Bids")), str(_("Ends"))],
        "rows": [
            [
                lot["title"],
                float(lot["current_price"] or lot["starting_price"]),
                lot["bid_count"],
                timezone.localtime(lot["ends_at"]).strftime("%m-%d %H:%M"),
            ]
            for lot in lots
        ],
    }


def refuse_erasure_while_registered(*, user: Any) -> Any:
    """Veto ``accounts.erase``: a bidder registered in a session that is still running, or whose deposit
    is paid and not yet returned."""
    from django.db.models import Q

    from .choices import DepositStatus, SessionStatus
    from .models import Registration

    live = Registration.objects.filter(user_id=user.pk).filter(
        Q(session__status=SessionStatus.PUBLISHED) | Q(deposit_status=DepositStatus.PAID)
    )
    if live.exists():
        return _(
            "You are registered in an auction session that is still running, or your deposit has not been "
            "returned yet. Wait until the session has closed and the deposit is settled, then ask again."
        )
    return None


def register() -> None:
    registry.register_veto("accounts.erase", refuse_erasure_while_registered)
    from .permissions import can_use_console
    from .services import close_due_lots

    registry.register_nav("portal", _("Auctions"), "auctions:index", group="market", order=20)
    registry.register_nav(
        "console",
        _("Auctions and roadshows"),
        "auctions_console:home",
        group="console.market",
        order=20,
        visible=can_use_console,
    )
    registry.register_panel("achievement.detail", "auctions/partials/achievement_panel.html", order=40)
    # Celery beat / the daily sweep catch anything the frequent closer could not reach.
    registry.register_daily_sweep(close_due_lots)
    registry.register_audit_labels(
        {
            "auctions.session.created": _("Session created"),
            "auctions.session.updated": _("Session changed"),
            "auctions.session.published": _("Session published"),
            "auctions.session.cancelled": _("Session cancelled"),
            "auctions.session.closed": _("Session closed"),
            "auctions.lot.created": _("Lot created"),
            "auctions.lot.updated": _("Lot changed"),
            "auctions.lot.submitted": _("Submitted for legal screening"),
            "auctions.lot.reopened": _("Reopened as draft"),
            "auctions.lot.listed": _("Screened and listed"),
            "auctions.lot.rejected": _("Rejected in screening"),
            "auctions.lot.withdrawn": _("Lot withdrawn"),
            "auctions.lot.bid_accepted": _("Bid accepted"),
            "auctions.lot.proxy_set": _("Proxy maximum set"),
            "auctions.lot.closed": _("Lot closed"),
            "auctions.lot.contract_drafted": _("Contract draft created for the winner"),
            "auctions.lot.negotiation_opened": _("Post-auction negotiation opened"),
            "auctions.registration.created": _("Registered as a bidder"),
            "auctions.registration.deposit_paid": _("Deposit received"),
            "auctions.registration.deposit_refunded": _("Deposit refunded"),
            "auctions.registration.deposit_forfeited": _("Deposit forfeited"),
        }
    )
    registry.register_screen_chart(
        registry.ScreenChart("auctions.live", _("Live auctions"), _screen_live, order=15)
    )
