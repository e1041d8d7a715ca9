"""Annual self-reports on capability and governance: the institution writes and submits, staff review."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.workflow import TransitionError, transition

from ..choices import InstitutionStatus, ReportStatus
from ..models import Institution, SelfReport
from ..permissions import is_member, require_member, require_reviewer
from ._common import check_upload, notify_members, notify_staff, text

REPORT_FIELDS = (
    "full_time_staff",
    "staff_with_degree",
    "certified_managers",
    "service_revenue",
    "services_delivered",
    "clients_served",
    *SelfReport.GOVERNANCE_ITEMS,
    "summary",
)


def save_report(
    institution: Institution, *, actor: Any, year: int, data: dict[str, Any], evidence: Any = None
) -> SelfReport:
    """Write or change the self-report of ``year`` (members; while draft or returned)."""
    require_member(actor, institution)
    if institution.status != InstitutionStatus.APPROVED:
        raise ValidationError(_("Self-reports are written once the institution is listed."))
    check_upload(evidence, "evidence")
    report = SelfReport.objects.filter(institution=institution, year=year).first()
    created = report is None
    if report is None:
        report = SelfReport(institution=institution, year=year)
    elif report.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED):
        raise TransitionError(_("This self-report was submitted and can no longer be changed."))
    for name in REPORT_FIELDS:
        if name in data:
            value = data[name]
            if name == "summary":
                value = text(value, "summary", 5000)
            elif name.startswith("has_"):
                value = bool(value)
            setattr(report, name, value)
    report.updated_at = timezone.now()
    report.full_clean(exclude=["evidence"])
    with transaction.atomic():
        if evidence is not None:
            report.evidence.save(evidence.name, evidence, save=False)
        report.save()
        audit.record(
            report,
            "institutions.self_report.created" if created else "institutions.self_report.updated",
            actor=actor,
            data={"year": year},
        )
    return report


def submit_report(report: SelfReport, *, actor: Any) -> SelfReport:
    require_member(actor, report.institution)
    with transaction.atomic():
        transition(
            report,
            ReportStatus.SUBMITTED,
            actor=actor,
            action="institutions.self_report.submitted",
            changes={"submitted_by": actor, "submitted_at": timezone.now()},
        )
        notify_staff(
            title=_("Self-report %(year)s to review: %(name)s")
            % {"year": report.year, "name": report.institution.name},
            link=reverse("institutions_console:institution", args=[report.institution_id]),
        )
    return report


def _decide(report: SelfReport, actor: Any, to: str, action: str, note: str) -> SelfReport:
    require_reviewer(actor)
    if is_member(actor, report.institution):
        raise PermissionDenied(_("You cannot review your own organisation's self-report."))
    with transaction.atomic():
        transition(
            report,
            to,
            actor=actor,
            action=action,
            message=note,
            changes={"reviewed_by": actor, "reviewed_at": timezone.now(), "review_note": note},
        )
    return report


def accept_report(report: SelfReport, *, actor: Any, note: str = "") -> SelfReport:
    """Staff accept the self-report: from now on it feeds capability and governance in the scorecard."""
    note = text(note, "note", 2000)
    _decide(report, actor, ReportStatus.ACCEPTED, "institutions.self_report.accepted", note)
    notify_members(
        report.institution,
        title=_("Your self-report %(year)s was accepted") % {"year": report.year},
        body=note,
        actor=actor,
    )
    return report


def return_report(report: SelfReport, *, actor: Any, reason: str) -> SelfReport:
    reason = text(
        reason, "reason", 2000, required=True, message=_("Say what the institution should correct.")
    )
    _decide(report, actor, ReportStatus.RETURNED, "institutions.self_report.returned", reason)
    notify_members(
        report.institution,
        title=_("Your self-report %(year)s was returned") % {"year": report.year},
        body=reason,
        actor=actor,
    )
    return report
