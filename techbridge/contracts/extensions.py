"""Contracts in the menus, the registration queue and statistics in the console, the overdue reminder."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from techbridge.core import registry
from techbridge.core.permissions import has_organization


def register() -> None:
    from . import services
    from .permissions import can_see_statistics, is_registry_officer

    registry.register_nav(
        "portal", _("Contracts"), "contracts:list", group="work", order=20, visible=has_organization
    )
    registry.register_nav(
        "portal", _("Contract statistics"), "contracts:stats", group="information", order=20
    )
    registry.register_nav(
        "console",
        _("Contract registration"),
        "contracts_console:queue",
        group="console.review",
        order=60,
        visible=is_registry_officer,
    )
    registry.register_nav(
        "console",
        _("Technology contract statistics"),
        "contracts_console:stats",
        group="console.data",
        order=20,
        visible=can_see_statistics,
    )
    registry.register_daily_sweep(services.remind_overdue_registrations)
