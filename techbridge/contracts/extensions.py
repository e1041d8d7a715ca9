"""Contracts in the menus, the registration queue and statistics in the console, the overdue reminder."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from techbridge.core import registry
from techbridge.core.permissions import has_organization


def _screen_months() -> dict[str, Any] | None:
    from .queries import PUBLIC_MIN_CELL, breakdown

    rows = breakdown("month")[-12:]
    if not rows:
        return None
    return {
        "kind": "line",
        "labels": [r["label"] for r in rows],
        "series": [
            {"name": str(_("Contracts registered")), "values": [r["count"] for r in rows]},
            {
                "name": str(_("Turnover (10,000 yuan)")),
                "axis": "right",
                "values": [
                    round(float(r["turnover"] or 0) / 10_000, 1) if r["count"] >= PUBLIC_MIN_CELL else None
                    for r in rows
                ],
            },
        ],
        "note": str(
            _("The turnover of a month with fewer than %(n)s contracts is not shown.")
            % {"n": PUBLIC_MIN_CELL}
        ),
    }


def _screen_counts(dimension: str, *, top: int = 10) -> dict[str, Any] | None:
    from .queries import breakdown

    rows = sorted(breakdown(dimension), key=lambda r: -r["count"])[:top]
    if not rows:
        return None
    return {
        "kind": "bar",
        "horizontal": dimension == "field",
        "labels": [r["label"] for r in rows],
        "series": [{"name": str(_("Contracts registered")), "values": [r["count"] for r in rows]}],
    }


def _screen_fields() -> dict[str, Any] | None:
    return _screen_counts("field")


def _screen_districts() -> dict[str, Any] | None:
    return _screen_counts("district")


def _screen_sellers() -> dict[str, Any] | None:
    """Organisations that sold the most registered contracts (counts only, at least the public minimum)."""
    from django.db.models import Count

    from .parties import PartyKind
    from .queries import PUBLIC_MIN_CELL, registered

    rows = list(
        registered()
        .filter(seller_party_kind=PartyKind.ORGANIZATION)
        .values("seller__name")
        .annotate(n=Count("id"))
        .filter(n__gte=PUBLIC_MIN_CELL)
        .order_by("-n", "seller__name")[:10]
    )
    return {
        "kind": "table",
        "columns": [str(_("Seller")), str(_("Contracts registered"))],
        "rows": [[r["seller__name"], r["n"]] for r in rows],
        "note": str(
            _("Organisations with at least %(n)s registered contracts as the seller.")
            % {"n": PUBLIC_MIN_CELL}
        ),
    }


def refuse_erasure_with_open_contracts(*, user: Any) -> Any:
    """Veto ``accounts.erase``: the only admin of an organisation with contracts still in force cannot
    leave it without an admin."""
    from django.db.models import Q

    from techbridge.accounts.erasure import sole_admin_of

    from .choices import ContractStatus
    from .models import Contract

    org = sole_admin_of(user)
    if org is None:
        return None
    open_statuses = [
        ContractStatus.DRAFT,
        ContractStatus.SIGNED,
        ContractStatus.SUBMITTED,
        ContractStatus.REGISTERED,
    ]
    if Contract.objects.filter(Q(seller=org) | Q(buyer=org), status__in=open_statuses).exists():
        return _(
            "You are the only admin of %(org)s, which has contracts not yet performed. Make another member "
            "an admin of the organisation first, then ask again."
        ) % {"org": org.name}
    return None


def register() -> None:
    registry.register_veto("accounts.erase", refuse_erasure_with_open_contracts)
    from . import documents, services
    from .permissions import can_see_statistics, is_registry_officer

    _register_import_kind()
    documents.register()

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
            "contracts.contract.clause_edited": _("Clause rewritten"),
            "contracts.contract.signatures_voided": _("Signatures voided by a change of the text"),
            "contracts.contract.party_signed": _("Signed by one side"),
            "contracts.contract.signed": _("Signed by both sides"),
            "contracts.contract.superseded": _("Superseded by an amendment"),
            "contracts.contract.amended": _("Amendment started"),
            "contracts.contract.cancelled": _("Cancelled"),
            "contracts.contract.payment_recorded": _("Payment recorded"),
            "contracts.contract.milestone_reached": _("Milestone reached"),
            "contracts.contract.submitted": _("Submitted for registration"),
            "contracts.contract.registered": pgettext_lazy("contract status", "Registered"),
            "contracts.contract.registration_rejected": _("Not registered"),
            "contracts.contract.performed": _("Contract declared performed"),
        }
    )
    _register_metrics()


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


def _register_metrics() -> None:
    """Contract figures for the governance dashboards (``contracts.metrics``); amounts of groups smaller
    than ``queries.PUBLIC_MIN_CELL`` contracts are shown as a count only."""
    from . import metrics
    from .queries import PUBLIC_MIN_CELL

    Metric = registry.Metric
    private: dict[str, Any] = {"count_metric": "contracts.registered", "min_count": PUBLIC_MIN_CELL}
    for metric in (
        Metric(
            "contracts.turnover",
            _("Technology contract turnover"),
            _("yuan"),
            metrics.turnover,
            description=_(
                "Contract amounts of registered technology contracts whose seller is located in Nanjing, "
                "by registration date."
            ),
            order=10,
            by_organization=metrics.turnover_by_organization,
            by_place=metrics.turnover_by_place,
            **private,
        ),
        Metric(
            "contracts.registered",
            _("Registered technology contracts"),
            _("contracts"),
            metrics.registered,
            description=_("Registered technology contracts whose seller is located in Nanjing."),
            order=11,
            by_organization=metrics.registered_by_organization,
            by_place=metrics.registered_by_place,
        ),
        Metric(
            "contracts.licences",
            _("Registered licence contracts"),
            _("contracts"),
            metrics.licences,
            order=12,
            by_organization=metrics.licences_by_organization,
            by_place=metrics.licences_by_place,
        ),
        Metric(
            "contracts.licensing_income",
            _("Licensing income"),
            _("yuan"),
            metrics.licensing_income,
            description=_(
                "Contract amounts of registered technology licence contracts (the seller licenses)."
            ),
            order=13,
            by_organization=metrics.licensing_income_by_organization,
            by_place=metrics.licensing_income_by_place,
            count_metric="contracts.licences",
            min_count=PUBLIC_MIN_CELL,
        ),
        Metric(
            "contracts.nanjing_share",
            _("Share of turnover bought in Nanjing"),
            "%",
            metrics.nanjing_share,
            description=_("Share of the registered turnover whose buyer is located in Nanjing."),
            order=14,
            by_organization=metrics.nanjing_share_by_organization,
            **private,
        ),
        Metric(
            "contracts.days_to_contract",
            _("Median days from listing to contract"),
            _("days"),
            metrics.days_to_contract,
            description=_(
                "Median days from an achievement's publication to the signature of a contract on it."
            ),
            order=15,
            by_organization=metrics.days_to_contract_by_organization,
        ),
    ):
        registry.register_metric(metric)
    for key, title, compute, order, wide in (
        ("contracts.by_month", _("Technology contracts by month"), _screen_months, 10, True),
        ("contracts.by_field", _("Contracts by industry field"), _screen_fields, 40, False),
        ("contracts.by_district", _("Contracts by district"), _screen_districts, 50, False),
        ("contracts.top_sellers", _("Top sellers of technology"), _screen_sellers, 60, False),
    ):
        registry.register_screen_chart(registry.ScreenChart(key, title, compute, order=order, wide=wide))
