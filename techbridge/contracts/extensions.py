"""Contracts in the menus, the registration queue and statistics in the console, the overdue reminder."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from techbridge.core import registry
from techbridge.core.permissions import has_organization


def register() -> None:
    from . import services
    from .permissions import can_see_statistics, is_registry_officer

    _register_import_kind()

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
    registry.register_audit_labels(
        {
            "contracts.contract.drafted": _("Draft created"),
            "contracts.contract.entered": _("Entered (signed outside the platform)"),
            "contracts.contract.edited": _("Draft changed"),
            "contracts.contract.schedule_set": _("Schedule changed"),
            "contracts.contract.party_signed": _("Signed by one side"),
            "contracts.contract.signed": _("Signed by both sides"),
            "contracts.contract.superseded": _("Superseded by an amendment"),
            "contracts.contract.amended": _("Amendment started"),
            "contracts.contract.cancelled": _("Cancelled"),
            "contracts.contract.payment_recorded": _("Payment recorded"),
            "contracts.contract.milestone_reached": _("Milestone reached"),
            "contracts.contract.submitted": _("Submitted for registration"),
            "contracts.contract.registered": _("Registered"),
            "contracts.contract.registration_rejected": _("Not registered"),
        }
    )


def _register_import_kind() -> None:
    """Contracts signed outside the platform, imported like any other kind (console, command, page)."""
    from techbridge.imports.registry import ImportKind, register_import_kind

    from .importing import TEMPLATE, ContractImporter

    register_import_kind(
        ImportKind(
            ContractImporter.kind,
            _("Technology contracts (signed outside the platform)"),
            ContractImporter,
            template_label="技术合同",
            template=TEMPLATE,
            order=50,
        )
    )
