"""Valuation in the menus and console, and its panels on achievement, room and lot pages."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from techbridge.core import registry
from techbridge.core.permissions import signed_in
from techbridge.core.roles import is_operator


def _lot_context(request: Any, lot: Any) -> dict[str, Any]:
    return {"achievement": lot.achievement, "package": lot.package}


def register() -> None:
    registry.register_nav("portal", _("Screening"), "valuation:screening", group="market", order=40)
    registry.register_nav(
        "portal", _("Valuations"), "valuation:home", group="work", order=30, visible=signed_in
    )
    for label, url_name, order in (
        (_("Valuation requests"), "valuation_console:queue", 40),
        (_("Scorecard weights"), "valuation_console:weights", 42),
    ):
        registry.register_nav(
            "console", label, url_name, group="console.market", order=order, visible=is_operator
        )
    # Valuation panels keep experts busy: the shared pool balances every app's panels on this load.
    from techbridge.talent import panels

    from .services import open_seats

    panels.register_workload("valuation", open_seats)
    registry.register_panel("achievement.detail", "valuation/partials/achievement_panel.html", order=20)
    registry.register_panel("room.detail", "valuation/partials/room_panel.html", order=20)
    registry.register_panel(
        "lot.console", "valuation/partials/lot_suggestion.html", order=20, context=_lot_context
    )
