"""Negotiation buttons on listing pages and match results, menu entries, the disputes queue."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from techbridge.core import registry
from techbridge.core.permissions import signed_in


def register() -> None:
    from .permissions import can_resolve

    registry.register_nav(
        "portal", _("Negotiations"), "deals:list", group="work", order=10, visible=signed_in
    )
    registry.register_nav(
        "console",
        _("Negotiation disputes"),
        "deals_console:disputes",
        group="console.market",
        order=10,
        visible=can_resolve,
    )
    registry.register_panel("achievement.detail", "deals/partials/achievement_actions.html", order=10)
    registry.register_panel("demand.detail", "deals/partials/demand_actions.html", order=10)
    registry.register_panel("match.result", "deals/partials/match_action.html", order=10)
    registry.register_audit_labels(
        {
            "deals.room.opened": _("Negotiation opened"),
            "deals.room.nda_accepted": _("Accepted the non-disclosure terms"),
            "deals.room.broker_invited": _("Broker invited"),
            "deals.room.dispute_raised": _("Dispute raised"),
            # Written before disputes had their own state machine; kept for the history of old rooms.
            "deals.room.dispute_resolved": _("Dispute resolved"),
            "deals.room.agreed": _("Agreed"),
            "deals.room.reopened": _("Negotiation reopened"),
            "deals.room.closed": _("Negotiation closed"),
            "deals.offer.made": _("Offer made"),
            "deals.offer.superseded": _("Replaced by a newer offer"),
            "deals.offer.accepted": _("Offer accepted"),
            "deals.offer.declined": _("Offer declined"),
            "deals.offer.withdrawn": _("Offer withdrawn"),
            "deals.dispute.resolved": _("Dispute resolved"),
        }
    )
