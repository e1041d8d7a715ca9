"""What carriers and enterprises add to the shared pages: menus, the organisation panel, console figures,
"my work", audit words, the yearly report reminder, governance metrics, case sources and imports."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techbridge.core import registry
from techbridge.core.permissions import signed_in
from techbridge.core.roles import is_console_user, is_staff_reviewer

AUDIT_LABELS = {
    "carriers.carrier.created": _("Carrier registered"),
    "carriers.carrier.updated": _("Carrier changed"),
    "carriers.carrier.submitted": _("Carrier sent for review"),
    "carriers.carrier.approved": _("Carrier approved"),
    "carriers.carrier.rejected": _("Carrier returned for correction"),
    "carriers.carrier.revoked": _("Carrier revoked"),
    "carriers.carrier.reinstated": _("Carrier reinstated"),
    "carriers.firm.admitted": _("Firm admitted"),
    "carriers.firm.graduated": _("Firm graduated"),
    "carriers.firm.left": _("Firm left"),
    "carriers.report.created": _("Annual report started"),
    "carriers.report.updated": _("Annual report changed"),
    "carriers.report.submitted": _("Annual report submitted"),
    "carriers.report.accepted": _("Annual report accepted"),
    "carriers.report.returned": _("Annual report returned"),
    "carriers.evaluation.issued": _("Performance evaluation issued"),
    "carriers.formula.created": _("Evaluation formula drafted"),
    "carriers.formula.activated": _("Evaluation formula put into use"),
    "carriers.formula.retired": _("Evaluation formula retired"),
    "carriers.designation.recorded": _("Designation recorded"),
    "carriers.designation.revoked": _("Designation revoked"),
    "carriers.rd_input.reported": _("R&D input reported"),
    "carriers.rd_input.corrected": _("R&D input corrected"),
    "carriers.project.created": _("Project registered"),
    "carriers.project.updated": _("Project changed"),
    "carriers.project.started": _("Project started"),
    "carriers.project.completed": _("Project completed"),
    "carriers.project.terminated": _("Project terminated"),
    "carriers.milestone.added": _("Milestone added"),
    "carriers.milestone.reached": _("Milestone reached"),
    "carriers.alliance.registered": _("Alliance registered"),
    "carriers.alliance.updated": _("Alliance changed"),
    "carriers.alliance.dissolved": _("Alliance dissolved"),
    "carriers.alliance.reactivated": _("Alliance active again"),
    "carriers.member.joined": _("Member joined the alliance"),
    "carriers.member.left": _("Member left the alliance"),
    "carriers.case.created": _("Typical case written"),
    "carriers.case.updated": _("Typical case changed"),
    "carriers.case.published": _("Typical case published"),
    "carriers.case.withdrawn": _("Typical case withdrawn"),
}


def _mine(request: HttpRequest) -> dict[str, Any] | None:
    """The carriers the user's organisation runs, and which annual report is due."""
    from .choices import CarrierStatus
    from .models import AnnualReport
    from .queries import carriers_of

    carriers = list(carriers_of(request.user).order_by("name")[:20])
    if not carriers:
        return None
    year = timezone.localdate().year - 1
    filed = set(
        AnnualReport.objects.filter(carrier__in=carriers, year=year).values_list("carrier_id", flat=True)
    )

    for c in carriers:
        c.report_due = c.status == CarrierStatus.APPROVED and c.pk not in filed  # type: ignore[attr-defined]
    return {"carriers": carriers, "year": year}


def _org_panel(request: HttpRequest, obj: Any) -> dict[str, Any] | None:
    from .views.enterprises import organization_panel

    return organization_panel(request, obj)


def _demonstration_count() -> int:
    from .choices import DesignationKind
    from .queries import count_designated

    return count_designated(DesignationKind.DEMONSTRATION, timezone.localdate())


def _cases_block(request: HttpRequest) -> dict[str, Any] | None:
    from .queries import published_cases

    cases = list(published_cases().order_by("-published_at", "-pk")[:4])
    return {"cases": cases} if cases else None


def _pickable_carriers(user: Any) -> Any:
    from .choices import CarrierStatus
    from .models import Carrier

    if not signed_in(user):
        return Carrier.objects.none()
    return Carrier.objects.filter(status=CarrierStatus.APPROVED)


def _pickable_contracts(user: Any) -> Any:
    from techbridge.contracts.queries import contracts_for

    return contracts_for(user)


def _pickers() -> None:
    registry.register_picker(
        registry.PickerKind(
            "carriers",
            visible=_pickable_carriers,
            label=lambda c: c.name,
            fields=("name",),
            name_field="name",
            order_by=("name",),
        )
    )
    registry.register_picker(
        registry.PickerKind(
            "contracts",
            visible=_pickable_contracts,
            label=lambda c: f"{c.number} {c.title}",
            fields=("title",),
            prefix_fields=("number",),
            name_field="number",
        )
    )


def register() -> None:
    _pickers()

    from . import metrics
    from .case_sources import register_own_sources
    from .choices import CarrierStatus, ReportStatus
    from .models import AnnualReport, Carrier
    from .services import remind_annual_reports

    registry.register_nav("portal", _("Innovation carriers"), "carriers:list", group="services", order=30)
    registry.register_nav(
        "portal", _("Designated enterprises"), "carriers:designations", group="information", order=30
    )
    registry.register_nav(
        "portal", _("Innovation alliances"), "carriers:alliances", group="information", order=31
    )
    registry.register_nav("portal", _("Typical cases"), "carriers:cases", group="information", order=32)
    registry.register_nav("portal", _("Carrier statistics"), "carriers:stats", group="information", order=33)
    registry.register_nav(
        "portal", _("Collaboration projects"), "carriers:projects", group="work", order=40, visible=signed_in
    )
    registry.register_nav(
        "console",
        _("Carriers and annual reports"),
        "carriers_console:home",
        group="console.review",
        order=40,
        visible=is_console_user,
    )
    registry.register_nav(
        "console",
        _("Enterprise designations"),
        "carriers_console:designations",
        group="console.data",
        order=40,
        visible=is_console_user,
    )
    registry.register_nav(
        "console",
        _("Evaluation formulas"),
        "carriers_console:formulas",
        group="console.data",
        order=41,
        visible=is_console_user,
    )
    registry.register_nav(
        "console",
        _("Enterprise R&D input"),
        "carriers_console:rd_input",
        group="console.data",
        order=42,
        visible=is_console_user,
    )
    registry.register_nav(
        "console",
        _("Typical cases"),
        "carriers_console:cases",
        group="console.market",
        order=40,
        visible=is_staff_reviewer,
    )
    registry.register_nav(
        "console",
        _("Carrier and enterprise statistics"),
        "carriers_console:stats",
        group="console.data",
        order=43,
        visible=is_console_user,
    )
    registry.register_counter(
        "carriers.submitted",
        _("Carriers awaiting review"),
        lambda: Carrier.objects.filter(status=CarrierStatus.SUBMITTED).count(),
        visible=is_staff_reviewer,
        url_name="carriers_console:home",
        order=40,
        attention=True,
    )
    registry.register_counter(
        "carriers.reports_submitted",
        _("Annual reports awaiting review"),
        lambda: AnnualReport.objects.filter(status=ReportStatus.SUBMITTED).count(),
        visible=is_staff_reviewer,
        url_name="carriers_console:reports",
        order=41,
        attention=True,
    )
    registry.register_counter(
        "enterprises.demonstration",
        _("Demonstration enterprises (target 200)"),
        _demonstration_count,
        visible=is_console_user,
        url_name="carriers:designations",
        order=45,
        public=True,
    )
    registry.register_panel(
        "organization.detail", "carriers/partials/organization_panel.html", order=40, context=_org_panel
    )
    registry.register_mine_section("carriers/partials/mine.html", order=40, context=_mine)
    registry.register_home_block("carriers/partials/home_cases.html", order=60, context=_cases_block)
    registry.register_audit_labels(AUDIT_LABELS)
    registry.register_daily_sweep(remind_annual_reports)
    for metric in metrics.METRICS:
        registry.register_metric(metric)
    register_own_sources()
    from .importing import register_import_kinds

    register_import_kinds()
