"""Matching's menu entry and its "recommended matches" block on both kinds of listing page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from techbridge.core import registry


def register() -> None:
    registry.register_nav("portal", _("Match"), "matching:match", group="", order=30)
    registry.register_panel("achievement.detail", "matching/partials/detail_block.html", order=90)
    registry.register_panel("demand.detail", "matching/partials/detail_block.html", order=90)
