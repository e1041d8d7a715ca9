"""Valuation in the menus and console, and its panels on achievement, room and lot pages."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from techbridge.core import registry
from techbridge.core.permissions import signed_in


def _lot_context(request: Any, lot: Any) -> dict[str, Any]:
    return {"achievement": lot.achievement, "package": lot.package}


def register() -> None:
    from . import reports
    from .permissions import can_run_desk

    reports.register()

    registry.register_nav("portal", _("Screening"), "valuation:screening", group="market", order=40)
    registry.register_nav(
        "portal", _("Valuations"), "valuation:home", group="work", order=30, visible=signed_in
    )
    for label, url_name, order in (
        (_("Valuation requests"), "valuation_console:queue", 40),
        (_("Scorecard weights"), "valuation_console:weights", 42),
    ):
        registry.register_nav(
            "console", label, url_name, group="console.market", order=order, visible=can_run_desk
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
    registry.register_audit_labels(
        {
            "valuation.scorecard_weights.saved": _("Scorecard weights saved"),
            "achievements.achievement.scorecard_updated": _("Valuation scorecard updated"),
            "valuation.request.created": _("Valuation requested"),
            "valuation.request.assumptions_edited": _("Assumptions changed"),
            "valuation.request.cancelled": _("Request cancelled"),
            "valuation.request.panel_assigned": _("Expert panel assigned"),
            "valuation.request.expert_replaced": _("Expert replaced on the panel"),
            "valuation.request.expert_scored": _("Expert scored"),
            "valuation.request.issued": _("Valuation issued"),
            "valuation.expert.saved": _("Expert saved in the pool"),
        }
    )
