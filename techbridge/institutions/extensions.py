"""What institutions add to the platform: menus, the rating panel on contracts, the blacklist veto on
broker invitations, console counters, audit words, the quarterly scoring and rating invitations, and the
plan's demonstration-institution figure."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techbridge.core import registry
from techbridge.core.permissions import has_organization
from techbridge.core.registry import Metric, Period
from techbridge.core.roles import is_console_user, is_operator, is_staff_reviewer

AUDIT_LABELS = {
    "institutions.institution.created": _("Institution application started"),
    "institutions.institution.updated": _("Institution profile changed"),
    "institutions.institution.submitted": _("Institution application submitted"),
    "institutions.institution.listed": _("Institution listed in the directory"),
    "institutions.institution.returned": _("Institution application returned"),
    "institutions.institution.withdrawn": _("Institution withdrawn from the directory"),
    "institutions.institution.alliance_changed": _("Alliance role changed"),
    "institutions.designation.declared": _("Demonstration designation declared"),
    "institutions.designation.verified": _("Demonstration designation verified"),
    "institutions.designation.rejected": _("Demonstration designation not verified"),
    "institutions.designation.revoked": _("Demonstration designation revoked"),
    "institutions.self_report.created": _("Self-report started"),
    "institutions.self_report.updated": _("Self-report changed"),
    "institutions.self_report.submitted": _("Self-report submitted"),
    "institutions.self_report.accepted": _("Self-report accepted"),
    "institutions.self_report.returned": _("Self-report returned"),
    "institutions.weights.created": _("Institution scorecard weights changed"),
    "institutions.score.computed": _("Institution scores computed"),
    "institutions.credit_event.recorded": _("Credit event recorded"),
    "institutions.credit_event.annulled": _("Credit event annulled"),
    "institutions.credit_grade.changed": _("Credit grade changed"),
    "institutions.blacklisting.listed": _("Institution blacklisted"),
    "institutions.blacklisting.lifted": _("Blacklisting lifted"),
    "institutions.appeal.submitted": _("Appeal submitted"),
    "institutions.appeal.upheld": _("Appeal upheld"),
    "institutions.appeal.dismissed": _("Appeal dismissed"),
    "institutions.rating.created": _("Service rated by a client"),
    "institutions.standard_version.published": _("Service standard published"),
}


def refuse_blacklisted_broker(*, room: Any, broker: Any, **_kwargs: Any) -> Any:
    """``deals.invite_broker`` veto: a member of a blacklisted institution is not invited."""
    from .queries import is_blacklisted_org

    if is_blacklisted_org(getattr(broker, "organization_id", None)):
        return _(
            "%(org)s is on the blacklist of technology-transfer institutions and cannot be invited into "
            "a negotiation."
        ) % {"org": broker.organization.name}
    return None


def _rating_panel(request: Any, contract: Any) -> dict[str, Any] | None:
    from .choices import RatingRelation
    from .forms import RateForm
    from .models import Rating
    from .queries import rateable_for

    user = getattr(request, "user", None)
    if contract is None or user is None or contract.status != "performed":
        return None
    open_ = rateable_for(user, contract)
    given = list(
        Rating.objects.filter(
            contract=contract, rater_org_id=getattr(user, "organization_id", None)
        ).select_related("institution__organization")
    )
    if not open_ and not given:
        return None
    return {
        "rate_targets": [
            {"inst": i, "relation": RatingRelation(r).label, "form": RateForm(initial={"institution": i.pk})}
            for i, r in open_
        ],
        "ratings_given": given,
    }


def _pending() -> int:
    from .choices import AppealStatus, DesignationStatus, InstitutionStatus, ReportStatus
    from .models import Appeal, Designation, Institution, SelfReport

    return (
        Institution.objects.filter(status=InstitutionStatus.SUBMITTED).count()
        + Designation.objects.filter(status=DesignationStatus.PENDING).count()
        + SelfReport.objects.filter(status=ReportStatus.SUBMITTED).count()
        + Appeal.objects.filter(status=AppealStatus.SUBMITTED).count()
    )


def _listed() -> int:
    from .choices import InstitutionStatus
    from .models import Institution

    return Institution.objects.filter(status=InstitutionStatus.APPROVED).count()


def count_demonstration(period: Period, district: str | None = None, zone: Any = None) -> int | None:
    """Institutions with a verified provincial-or-national designation valid at the period's end."""
    from .models import Designation
    from .queries import demonstration_institutions

    if not Designation.objects.exists():
        return None
    return demonstration_institutions(period.end, district=district, zone=zone)


def invite_ratings() -> int:
    """Daily: tell the clients of contracts performed in the last 30 days which services they may
    rate (once per contract, institution and person)."""
    from django.urls import reverse

    from techbridge.accounts.models import User
    from techbridge.contracts.models import Contract
    from techbridge.core import notifications

    from .queries import rating_candidates

    sent = 0
    since = timezone.now() - timedelta(days=30)
    for contract in Contract.objects.filter(status="performed", performed_at__gte=since):
        for inst, _relation, raters in rating_candidates(contract):
            for user in User.objects.filter(organization_id__in=raters, is_active=True):
                sent += notifications.notify(
                    user,
                    kind="institution_rating",
                    title=str(_("Rate the service of %(name)s")) % {"name": inst.name},
                    link=reverse("contracts:detail", args=[contract.pk]),
                    dedupe_key=f"rate:{contract.pk}:{inst.pk}:{user.pk}",
                )
    return sent


def register() -> None:
    from .services import score_last_quarter

    registry.register_nav(
        "portal", _("Service institutions"), "institutions:directory", group="services", order=20
    )
    registry.register_nav(
        "portal", _("Service standards"), "institutions:standards", group="information", order=40
    )
    registry.register_nav(
        "portal", _("My institution"), "institutions:mine", group="work", order=60, visible=has_organization
    )
    for label, url_name, group, order, visible in (
        (_("Institution reviews"), "institutions_console:queue", "console.review", 70, is_staff_reviewer),
        (_("Service institutions"), "institutions_console:list", "console.services", 20, is_console_user),
        (_("Credit and blacklist"), "institutions_console:credit", "console.services", 21, is_console_user),
        (_("Institution scores"), "institutions_console:scores", "console.data", 40, is_console_user),
        (
            _("Institution scorecard weights"),
            "institutions_console:weights",
            "console.administration",
            40,
            is_operator,
        ),
        (_("Service standards"), "institutions_console:standards", "console.administration", 41, is_operator),
    ):
        registry.register_nav("console", label, url_name, group=group, order=order, visible=visible)
    registry.register_panel(
        "contract.detail", "institutions/partials/rating_panel.html", order=30, context=_rating_panel
    )
    registry.register_veto("deals.invite_broker", refuse_blacklisted_broker)
    registry.register_counter(
        "institutions.pending",
        _("Institution items awaiting review"),
        _pending,
        visible=is_staff_reviewer,
        url_name="institutions_console:queue",
        attention=True,
        order=40,
    )
    registry.register_counter(
        "institutions.listed",
        _("Listed service institutions"),
        _listed,
        visible=is_console_user,
        url_name="institutions:directory",
        order=60,
    )
    registry.register_audit_labels(AUDIT_LABELS)
    registry.register_daily_sweep(score_last_quarter)
    registry.register_daily_sweep(invite_ratings)
    registry.register_metric(
        Metric(
            "institutions.demonstration",
            _("Technology-transfer demonstration institutions (provincial level or above)"),
            _("institutions"),
            compute=count_demonstration,
            cumulative=True,
            description=_(
                "Institutions with a verified provincial or national demonstration designation valid at the "
                "period's end (plan target: 15)."
            ),
            order=30,
        )
    )
