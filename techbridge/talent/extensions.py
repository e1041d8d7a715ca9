"""What talent adds to the platform: menus, the hard-demand panel on demand pages, the managers of an
institution on its page, console counters (and the public count toward the plan's 500), audit words,
the daily routing sweep, the talent-register import kind and the plan's talent figures."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techbridge.core import registry
from techbridge.core.permissions import signed_in
from techbridge.core.registry import Metric, Period
from techbridge.core.roles import is_console_user, is_operator, is_staff_reviewer

from .choices import TalentCategory

AUDIT_LABELS = {
    "talent.expert.created": _("Expert added to the pool"),
    "talent.expert.updated": _("Expert changed"),
    "talent.manager.created": _("Technology manager profile created"),
    "talent.manager.updated": _("Technology manager profile changed"),
    "talent.manager.resubmitted": _("Technology manager profile back to review"),
    "talent.manager.listed": _("Technology manager listed"),
    "talent.manager.returned": _("Technology manager profile returned"),
    "talent.certificate.declared": _("Certificate declared"),
    "talent.certificate.verified": _("Certificate verified"),
    "talent.certificate.rejected": _("Certificate not verified"),
    "talent.certificate.revoked": _("Certificate revoked"),
    "talent.certificate.issued": _("Training certificate issued"),
    "talent.training_base.created": _("Training base created"),
    "talent.training_base.updated": _("Training base changed"),
    "talent.course.created": _("Course created"),
    "talent.course.updated": _("Course changed"),
    "talent.session.created": _("Training session scheduled"),
    "talent.session.closed": _("Training registration closed"),
    "talent.session.reopened": _("Training registration reopened"),
    "talent.session.results_recorded": _("Training hours and exam results recorded"),
    "talent.session.completed": _("Training session completed"),
    "talent.enrolment.registered": _("Registered for a training session"),
    "talent.enrolment.cancelled": _("Training registration cancelled"),
    "talent.enrolment.passed": _("Training passed"),
    "talent.enrolment.failed": _("Training not passed"),
    "talent.secondment.created": _("Secondment recorded"),
    "talent.secondment.updated": _("Secondment changed"),
    "talent.talent_entry.created": _("Talent register entry added"),
    "talent.talent_entry.imported": _("Talent register entry imported"),
    "talent.talent_entry.updated": _("Talent register entry updated"),
    "talent.routing.assigned": _("Hard demand routed to a technology manager"),
    "talent.routing.accepted": _("Routed demand accepted"),
    "talent.routing.declined": _("Routed demand declined"),
    "talent.routing.closed": _("Demand routing closed"),
}


def _demand_panel(request: Any, demand: Any) -> dict[str, Any] | None:
    """The hard-demand score with its inputs (everyone) and the routing (enterprise, manager, console)."""
    from .models import DemandAssessment, Routing
    from .permissions import can_see_routing
    from .presenters import assessment_rows

    if demand is None or getattr(demand, "status", "") != "published":
        return None
    assessment = DemandAssessment.objects.filter(demand=demand).first()
    if assessment is None:
        return None
    user = getattr(request, "user", None)
    routings = [
        r
        for r in Routing.objects.filter(demand=demand).select_related(
            "manager__user", "manager__institution__organization"
        )
        if can_see_routing(user, r)
    ]
    return {"assessment": assessment, "assessment_rows": assessment_rows(assessment), "routings": routings}


def _institution_panel(request: Any, institution: Any) -> dict[str, Any] | None:
    from .choices import ManagerStatus
    from .models import TechnologyManager

    managers = list(
        TechnologyManager.objects.filter(
            institution=institution, status=ManagerStatus.APPROVED
        ).select_related("user")
    )
    return {"institution_managers": managers} if managers else None


def _trained() -> int:
    from .queries import trained_people

    return trained_people(timezone.localdate())


def _pending() -> int:
    from .choices import CertificateStatus, ManagerStatus
    from .models import Certificate, TechnologyManager

    return (
        TechnologyManager.objects.filter(status=ManagerStatus.SUBMITTED).count()
        + Certificate.objects.filter(status=CertificateStatus.PENDING).count()
    )


def _unrouted() -> int:
    from .queries import hard_demands_without_manager

    return hard_demands_without_manager().count()


def count_trained(period: Period, district: str | None = None, zone: Any = None) -> int | None:
    from .models import Certificate
    from .queries import trained_people

    if not Certificate.objects.filter(kind="training").exists():
        return None
    return trained_people(period.end, district=district, zone=zone)


def _talent_metric(category: str):  # type: ignore[no-untyped-def]
    def compute(period: Period, district: str | None = None, zone: Any = None) -> int | None:
        from .models import TalentEntry
        from .queries import talent_entries

        if not TalentEntry.objects.exists():
            return None
        return talent_entries(category, period.start.year, period.end.year, district=district, zone=zone)

    compute.__name__ = f"count_{category}"
    return compute


TALENT_METRICS = (
    (
        "talent.top_experts",
        TalentCategory.TOP_EXPERT,
        _("Top science and technology experts gathered"),
        _("Talent register entries of top experts whose year falls in the period (plan: 100 in five years)."),
    ),
    (
        "talent.innovative_entrepreneurs",
        TalentCategory.INNOVATIVE_ENTREPRENEUR,
        _("Innovative entrepreneurs"),
        _("Talent register entries of innovative entrepreneurs whose year falls in the period (plan: 200)."),
    ),
    (
        "talent.high_level_founders",
        TalentCategory.HIGH_LEVEL_FOUNDER,
        _("High-level start-up founders attracted"),
        _("Talent register entries of high-level founders whose year falls in the period (plan: 3,000)."),
    ),
    (
        "talent.student_founders",
        TalentCategory.STUDENT_FOUNDER,
        _("Student start-up founders"),
        _("Talent register entries of student founders whose year falls in the period (plan: 20,000)."),
    ),
)


def _pickable_experts(user: Any) -> Any:
    """The active expert pool, for the staff and the organisation admins (technology-transfer offices)
    who consult it; nobody else picks experts."""
    from techbridge.core.roles import Role

    from .models import Expert

    if is_console_user(user) or (signed_in(user) and getattr(user, "role", None) == Role.ORG_ADMIN):
        return Expert.objects.filter(active=True).select_related("user")
    return Expert.objects.none()


def _expert_label(e: Any) -> str:
    return f"{e.user.display_name} {e.title}".strip()


def register() -> None:
    from .importers import register_import_kind

    registry.register_picker(
        registry.PickerKind(
            "experts",
            visible=_pickable_experts,
            label=_expert_label,
            fields=("user__real_name", "title"),
            prefix_fields=("user__username",),
            name_field="user__username",
            order_by=("user__real_name", "pk"),
        )
    )
    from .services import route_pending_demands

    registry.register_nav("portal", _("Technology managers"), "talent:managers", group="services", order=25)
    registry.register_nav("portal", _("Training"), "talent:training", group="services", order=26)
    registry.register_nav("portal", _("Talent"), "talent:home", group="information", order=45)
    registry.register_nav(
        "portal",
        _("My training and certificates"),
        "talent:training_mine",
        group="work",
        order=62,
        visible=signed_in,
    )
    registry.register_nav(
        "portal",
        _("My technology manager profile"),
        "talent:manager_mine",
        group="work",
        order=61,
        visible=signed_in,
    )
    for label, url_name, group, order, visible in (
        (_("Technology manager reviews"), "talent_console:managers", "console.review", 72, is_staff_reviewer),
        (_("Certificates to verify"), "talent_console:certificates", "console.review", 73, is_staff_reviewer),
        (_("Hard-demand routing"), "talent_console:routing", "console.market", 30, is_console_user),
        (_("Expert pool"), "talent_console:experts", "console.market", 41, is_operator),
        (_("Training"), "talent_console:training", "console.services", 30, is_console_user),
        (_("Secondments"), "talent_console:secondments", "console.services", 31, is_console_user),
        (_("Talent register"), "talent_console:register", "console.data", 45, is_console_user),
    ):
        registry.register_nav("console", label, url_name, group=group, order=order, visible=visible)
    registry.register_panel(
        "demand.detail", "talent/partials/demand_panel.html", order=40, context=_demand_panel
    )
    registry.register_panel(
        "institution.detail",
        "talent/partials/institution_managers.html",
        order=10,
        context=_institution_panel,
    )
    registry.register_counter(
        "talent.trained",
        _("Trained technology-transfer staff (target 500)"),
        _trained,
        url_name="talent:home",
        public=True,
        order=65,
    )
    registry.register_counter(
        "talent.pending",
        _("Manager profiles and certificates awaiting review"),
        _pending,
        visible=is_staff_reviewer,
        url_name="talent_console:managers",
        attention=True,
        order=41,
    )
    registry.register_counter(
        "talent.unrouted",
        _("Hard demands without a technology manager"),
        _unrouted,
        visible=is_staff_reviewer,
        url_name="talent_console:routing",
        attention=True,
        order=42,
    )
    registry.register_audit_labels(AUDIT_LABELS)
    registry.register_daily_sweep(route_pending_demands)
    register_import_kind()
    registry.register_metric(
        Metric(
            "talent.trained_staff",
            _("Professional technology-transfer staff trained"),
            _("people"),
            compute=count_trained,
            cumulative=True,
            description=_(
                "People holding a verified technology-transfer training certificate issued on or before the "
                "period's end (plan target: 500)."
            ),
            order=40,
        )
    )
    for code, category, label, description in TALENT_METRICS:
        registry.register_metric(
            Metric(
                code,
                label,
                _("people"),
                compute=_talent_metric(category),
                cumulative=False,
                description=description,
                order=41,
            )
        )
