"""What ipservices adds to the platform: menus, counters, the achievement panel, "my work", audit labels,
daily sweeps, governance metrics, the products corpus and the patent-register import kind."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from techbridge.core import registry
from techbridge.core.permissions import has_organization
from techbridge.core.registry import Metric
from techbridge.core.roles import is_console_user, is_operator, is_staff_reviewer

AUDIT_LABELS = {
    "ipservices.patent.created": _("Patent entered in the register"),
    "ipservices.patent.updated": _("Patent corrected"),
    "ipservices.patent.status_changed": _("Legal status of the patent changed"),
    "ipservices.patent.expired": _("Patent term ended"),
    "ipservices.industry.created": _("Industry defined"),
    "ipservices.industry.updated": _("Industry definition changed"),
    "ipservices.report.requested": _("Navigation report requested"),
    "ipservices.report.started": _("Navigation report being generated"),
    "ipservices.report.ready": _("Navigation report ready"),
    "ipservices.report.failed": _("Navigation report failed"),
    "ipservices.product.registered": _("Product registered for early warning"),
    "ipservices.product.updated": _("Watched product changed"),
    "ipservices.product.paused": _("Product no longer watched"),
    "ipservices.product.resumed": _("Product watched again"),
    "ipservices.alert.raised": _("Patent alert raised"),
    "ipservices.alert.dismissed": _("Alert marked not relevant"),
    "ipservices.alert.watched": _("Alert marked to watch"),
    "ipservices.alert.analysis_requested": _("Analysis requested for an alert"),
    "ipservices.analysis.requested": _("Patent analysis requested"),
    "ipservices.analysis.accepted": _("Patent analysis accepted"),
    "ipservices.analysis.answered": _("Patent analysis answered"),
    "ipservices.analysis.declined": _("Patent analysis declined"),
    "ipservices.analysis.withdrawn": _("Patent analysis request withdrawn"),
    "ipservices.assistance.created": _("Assistance request drafted"),
    "ipservices.assistance.updated": _("Assistance request changed"),
    "ipservices.assistance.submitted": _("Assistance request submitted"),
    "ipservices.assistance.rerouted": _("Assistance request routed to another provider"),
    "ipservices.assistance.accepted": _("Assistance request accepted"),
    "ipservices.assistance.declined": _("Assistance request not accepted"),
    "ipservices.assistance.closed": _("Assistance request closed with an outcome"),
    "ipservices.assistance.withdrawn": _("Assistance request withdrawn"),
    "ipservices.assistance.evidence_added": _("Evidence added to an assistance request"),
    "ipservices.indicators.recorded": _("Enterprise IP indicators recorded"),
    "ipservices.indicators.updated": _("Enterprise IP indicators updated"),
    "ipservices.designation.granted": _("Designated an IP-intensive enterprise"),
    "ipservices.designation.revoked": _("IP-intensive designation revoked"),
    "ipservices.provider.registered": _("IP service provider registered"),
    "ipservices.provider.updated": _("IP service provider changed"),
}


def _pickable_patents(user: Any) -> Any:
    """Console users find every patent of the register; others their own organisation's patents."""
    from django.db.models import Q

    from techbridge.core.permissions import signed_in
    from techbridge.core.roles import is_console_user

    from .models import Patent

    if not signed_in(user):
        return Patent.objects.none()
    if is_console_user(user):
        return Patent.objects.all()
    org = user.organization
    if org is None:
        return Patent.objects.none()
    return Patent.objects.filter(Q(applicant_org=org) | Q(applicants__contains=org.name))


def _patent_label(p: Any) -> str:
    return f"{p.grant_number or p.publication_number or p.application_number} {p.title}"


def _pickable_providers(**which: bool) -> Any:
    def visible(user: Any) -> Any:
        from techbridge.core.permissions import signed_in

        from .forms import provider_choices
        from .models import ServiceProvider

        return provider_choices(**which) if signed_in(user) else ServiceProvider.objects.none()

    return visible


def _provider_label(p: Any) -> str:
    return f"{p.organization.name}（{p.get_role_display()}）"


def register() -> None:
    for kind, which in (("analysis-providers", "analysis"), ("assistance-providers", "assistance")):
        registry.register_picker(
            registry.PickerKind(
                kind,
                visible=_pickable_providers(**{which: True}),
                label=_provider_label,
                fields=("organization__name",),
                prefix_fields=("organization__credit_code",),
                name_field="organization__name",
                order_by=("-role", "organization__name"),
            )
        )
    registry.register_picker(
        registry.PickerKind(
            "patents",
            visible=_pickable_patents,
            label=_patent_label,
            fields=("title",),
            prefix_fields=("application_number", "publication_number", "grant_number"),
            order_by=("-grant_date", "pk"),
        )
    )
    _menus()
    _counters()
    registry.register_audit_labels(AUDIT_LABELS)
    registry.register_panel(
        "achievement.detail",
        "ipservices/partials/achievement_panel.html",
        order=40,
        context=_achievement_panel,
    )
    from .services.assistance import remind_overdue
    from .services.register import expire_patents

    registry.register_daily_sweep(expire_patents)
    registry.register_daily_sweep(remind_overdue)
    _metrics()
    from . import warning

    warning.register()
    _import_kind()
    _signals()


def _menus() -> None:
    registry.register_nav("portal", _("IP services"), "ipservices:home", group="services", order=40)
    registry.register_nav("portal", _("Patent register"), "ipservices:patents", group="information", order=40)
    # Menus are drawn on every page: their checks must not query (the page behind checks the rest).
    registry.register_nav(
        "portal", _("My IP work"), "ipservices:requests", group="work", order=60, visible=has_organization
    )
    registry.register_nav(
        "console",
        _("Patent navigation industries"),
        "ipservices_console:industries",
        group="console.data",
        order=40,
        visible=is_staff_reviewer,
    )
    registry.register_nav(
        "console",
        _("Patent register"),
        "ipservices_console:patents",
        group="console.data",
        order=41,
        visible=is_staff_reviewer,
    )
    registry.register_nav(
        "console",
        _("IP assistance requests"),
        "ipservices_console:assistance",
        group="console.services",
        order=40,
        visible=is_staff_reviewer,
    )
    registry.register_nav(
        "console",
        _("IP assistance statistics"),
        "ipservices_console:assistance_stats",
        group="console.services",
        order=41,
        visible=is_console_user,
    )
    registry.register_nav(
        "console",
        _("IP-intensive enterprises"),
        "ipservices_console:enterprises",
        group="console.services",
        order=42,
        visible=is_staff_reviewer,
    )
    registry.register_nav(
        "console",
        _("IP service providers"),
        "ipservices_console:providers",
        group="console.administration",
        order=40,
        visible=is_operator,
    )


def _counters() -> None:
    from .choices import AssistanceStatus
    from .models import AssistanceRequest, Patent

    registry.register_counter(
        "ipservices.patents",
        _("Patents in the register"),
        lambda: Patent.objects.count(),
        visible=is_console_user,
        url_name="ipservices_console:patents",
        order=60,
    )
    registry.register_counter(
        "ipservices.assistance_waiting",
        _("Assistance requests awaiting acceptance"),
        lambda: AssistanceRequest.objects.filter(status=AssistanceStatus.SUBMITTED).count(),
        visible=is_staff_reviewer,
        url_name="ipservices_console:assistance",
        attention=True,
        order=60,
    )


def _metrics() -> None:
    from . import metrics

    registry.register_metric(
        Metric(
            "ipservices.ip_intensive_enterprises",
            _("IP-intensive enterprises"),
            _("enterprises"),
            compute=metrics.ip_intensive_enterprises,
            cumulative=True,
            description=_("Enterprises designated IP-intensive and not revoked at the end of the period."),
            order=60,
        )
    )
    registry.register_metric(
        Metric(
            "ipservices.patents_nanjing",
            _("Patents in force of Nanjing applicants"),
            _("patents"),
            compute=metrics.patents_nanjing,
            cumulative=True,
            description=_(
                "Granted patents in the register whose first applicant "
                "is in Nanjing, in force at the end of the period."
            ),
            order=61,
        )
    )


def _import_kind() -> None:
    from techbridge.imports.registry import ImportKind, register_import_kind

    from .importers import NOTES, TEMPLATE, PatentRegisterImporter

    register_import_kind(
        ImportKind(
            PatentRegisterImporter.kind,
            _("Patent register (patent database export)"),
            PatentRegisterImporter,
            template_label="专利登记簿",
            template=TEMPLATE,
            notes=NOTES,
            order=40,
        )
    )


def _signals() -> None:
    from techbridge.core.signals import listing_changed, listings_changed_in_bulk

    listing_changed.connect(_listing_changed, dispatch_uid="ipservices.link_achievement")
    listings_changed_in_bulk.connect(_listings_changed_in_bulk, dispatch_uid="ipservices.link_achievements")


def _listing_changed(sender: Any, pk: int, published: bool = True, bulk: bool = False, **kwargs: Any) -> None:
    """An achievement was saved or published: link it to the register's patents it names."""
    if bulk or sender.__name__ != "Achievement" or not published:
        return
    from techbridge.core.tasks import enqueue

    from .tasks import link_achievement

    enqueue(link_achievement, pk)


def _listings_changed_in_bulk(sender: Any, pks: list[int] | None = None, **kwargs: Any) -> None:
    if getattr(sender, "__name__", "") != "Achievement" or not pks:
        return
    from .services.register import link_achievements_named

    link_achievements_named(pks)


def _achievement_panel(request: Any, obj: Any) -> dict[str, Any] | None:
    from .queries import effective_status, remaining_term

    patents = list(obj.register_patents.all()[:10])
    if not patents:
        return None
    for p in patents:
        p.status_now = effective_status(p)  # type: ignore[attr-defined]
        p.days_left = remaining_term(p)  # type: ignore[attr-defined]
    return {"register_patents": patents}
