"""Mining's menu entries, console sections and the classification panel on listing pages."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from techbridge.core import registry


def register() -> None:
    from . import permissions as perms
    from . import signals

    registry.register_nav("portal", _("Achievement packages"), "mining:packages", group="market", order=30)
    registry.register_nav("portal", _("Catalogues"), "mining:catalogues", group="information", order=10)
    console = [
        (
            _("Achievement catalogues"),
            "mining_console:catalogues",
            "console.market",
            30,
            perms.can_manage_catalogues,
        ),
        (
            _("Achievement packages"),
            "mining_console:packages",
            "console.market",
            31,
            perms.can_manage_packages,
        ),
        (
            _("Classification review"),
            "mining_console:classification",
            "console.review",
            40,
            perms.can_correct_classification,
        ),
        (
            _("Supply and demand analysis"),
            "mining_console:analysis",
            "console.data",
            10,
            perms.can_see_analysis,
        ),
    ]
    for label, url_name, group, order, visible in console:
        registry.register_nav("console", label, url_name, group=group, order=order, visible=visible)
    registry.register_panel("achievement.detail", "mining/partials/classification_panel.html", order=70)
    registry.register_panel("demand.detail", "mining/partials/classification_panel.html", order=70)
    registry.register_daily_sweep(signals.classify_catalogue)
