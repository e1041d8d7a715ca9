"""Contracts in the menus, the registration queue and statistics in the console, the overdue reminder."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from techbridge.core import registry
from techbridge.core.permissions import has_organization
from techbridge.core.roles import is_console_user, is_staff_reviewer


def register() -> None:
    from . import services

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
        visible=is_staff_reviewer,
    )
    registry.register_nav(
        "console",
        _("Technology contract statistics"),
        "contracts_console:stats",
        group="console.data",
        order=20,
        visible=is_console_user,
    )
    registry.register_daily_sweep(services.remind_overdue_registrations)
    registry.register_audit_labels({"contracts.contract.performed": _("Contract declared performed")})
