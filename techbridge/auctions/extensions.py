"""Auctions in the menus and console, the lots panel on achievement pages, closing as a daily sweep."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from techbridge.core import registry


def register() -> None:
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
