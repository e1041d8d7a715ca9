"""Quarterly progress reports: a department drafts, attaches, submits; staff accept or return them.

Accepting a report marks the milestones it reports done and records the figures it gives for manual
targets. The daily sweep alerts departments whose required report, milestone or decision is overdue.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit, notifications
from techbridge.core.roles import Role
from techbridge.core.workflow import transition

from .. import periods
from ..choices import ReportStatus, SelfAssessment, Source
from ..models import (
    MAX_ATTACHMENTS,
    MAX_REPORT_FIGURES,
    Milestone,
    Plan,
    ProgressReport,
    ReportAttachment,
    ReportFigure,
    ReportMilestone,
    Task,
)
from ..permissions import can_edit_report, can_file_report, can_review_report
from . import require
from .plans import record_figure
from .uploads import check_upload

REPORT_FIELDS = ("summary", "next_steps", "self_assessment")


def _check_quarter(task: Task, year: int, quarter: int, today: dt.date) -> None:
    if quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": _("A quarter is 1, 2, 3 or 4.")})
    period = periods.quarter(year, quarter)
    plan = task.plan
    if period.end < plan.start or period.start > plan.end:
        raise ValidationError({"year": _("The quarter lies outside the plan's period.")})
    if period.start > today:
        raise ValidationError({"quarter": _("A report covers a quarter that has begun.")})


def _set_figures(report: ProgressReport, figures: list[dict[str, Any]]) -> None:
    if len(figures) > MAX_REPORT_FIGURES:
        raise ValidationError(
            {"figures": _("A report gives at most %(n)s figures.") % {"n": MAX_REPORT_FIGURES}}
        )
    allowed = {t.pk: t for t in report.task.targets.all()}
    report.figures.all().delete()
    for order, f in enumerate(figures):
        target = f.get("target")
        if target is not None:
            target_id = getattr(target, "pk", target)
            if target_id not in allowed or allowed[target_id].source != Source.MANUAL:
                raise ValidationError(
                    {"figures": _("A figure can only stand for a manual target of this task.")}
                )
            target = allowed[target_id]
        row = ReportFigure(
            report=report,
            label=f.get("label") or (target.indicator if target else ""),
            value=f.get("value"),  # type: ignore[misc]  # full_clean refuses a missing value
            unit=f.get("unit") or (target.unit if target else ""),
            target=target,
            evidence=f.get("evidence") or "",
            order=order,
        )
        row.full_clean(exclude=["report"])
        row.save()


def _set_milestones(report: ProgressReport, done: list[dict[str, Any]]) -> None:
    own = {m.pk: m for m in report.task.milestones.all()}
    report.milestones_done.all().delete()
    for item in done:
        m_id = getattr(item.get("milestone"), "pk", item.get("milestone"))
        if m_id not in own:
            raise ValidationError({"milestones": _("A milestone of another task cannot be reported here.")})
        done_on = item.get("done_on")
        if not isinstance(done_on, dt.date) or done_on > timezone.localdate():
            raise ValidationError(
                {"milestones": _("Give the date each milestone was reached (not in the future).")}
            )
        ReportMilestone.objects.create(report=report, milestone=own[m_id], done_on=done_on)


@transaction.atomic
def create_report(
    task: Task,
    *,
    actor: Any,
    year: int,
    quarter: int,
    summary: str,
    next_steps: str = "",
    self_assessment: str = SelfAssessment.ON_TRACK,
    figures: list[dict[str, Any]] | None = None,
    milestones: list[dict[str, Any]] | None = None,
) -> ProgressReport:
    """A department official drafts the quarterly report of their department on ``task``."""
    require(
        can_file_report(actor, task), _("Only officials of the task's departments file its progress reports.")
    )
    _check_quarter(task, year, quarter, timezone.localdate())
    report = ProgressReport(
        task=task,
        department=actor.organization,
        year=year,
        quarter=quarter,
        summary=summary,
        next_steps=next_steps,
        self_assessment=self_assessment,
        created_by=actor,
    )
    report.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as exc:
        raise ValidationError(
            _("Your department already has a %(q)s report on this task; open it to continue.")
            % {"q": f"{year}Q{quarter}"}
        ) from exc
    _set_figures(report, figures or [])
    _set_milestones(report, milestones or [])
    audit.record(report, "governance.report.created", actor=actor, data={"quarter": report.quarter_label})
    return report


@transaction.atomic
def update_report(
    report: ProgressReport,
    *,
    actor: Any,
    data: dict[str, Any],
    figures: list[dict[str, Any]] | None = None,
    milestones: list[dict[str, Any]] | None = None,
) -> ProgressReport:
    require(
        can_edit_report(actor, report),
        _("Only the filing department can change a report, and only while it is a draft or returned."),
    )
    for name in REPORT_FIELDS:
        if name in data:
            setattr(report, name, data[name])
    report.updated_at = timezone.now()
    report.full_clean(validate_constraints=False)
    report.save(update_fields=[*REPORT_FIELDS, "updated_at"])
    if figures is not None:
        _set_figures(report, figures)
    if milestones is not None:
        _set_milestones(report, milestones)
    audit.record(report, "governance.report.updated", actor=actor)
    return report


@transaction.atomic
def add_attachment(report: ProgressReport, *, actor: Any, upload: Any) -> ReportAttachment:
    require(
        can_edit_report(actor, report),
        _("Only the filing department can change a report, and only while it is a draft or returned."),
    )
    check_upload(upload)
    if report.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError(_("A report has at most %(n)s attachments.") % {"n": MAX_ATTACHMENTS})
    name = (getattr(upload, "name", "") or "file")[-200:]
    attachment = ReportAttachment(report=report, name=name, size=upload.size, uploaded_by=actor)
    attachment.file.save(name, upload, save=False)
    attachment.save()
    audit.record(report, "governance.report.attached", actor=actor, data={"file": name})
    return attachment


@transaction.atomic
def remove_attachment(attachment: ReportAttachment, *, actor: Any) -> None:
    report = attachment.report
    require(
        can_edit_report(actor, report),
        _("Only the filing department can change a report, and only while it is a draft or returned."),
    )
    name = attachment.name
    attachment.file.delete(save=False)
    attachment.delete()
    audit.record(report, "governance.report.detached", actor=actor, data={"file": name})


def _staff() -> Any:
    from techbridge.accounts.models import User

    return User.objects.filter(role__in=[Role.REVIEWER, Role.OPERATOR], is_active=True)


def _officials_of(org_id: int) -> Any:
    from techbridge.accounts.models import User

    return User.objects.filter(organization_id=org_id, role=Role.OFFICIAL, is_active=True)


@transaction.atomic
def submit_report(report: ProgressReport, *, actor: Any) -> None:
    require(
        can_edit_report(actor, report),
        _("Only the filing department can change a report, and only while it is a draft or returned."),
    )
    transition(
        report,
        ReportStatus.SUBMITTED,
        actor=actor,
        action="governance.report.submitted",
        changes={"submitted_by": actor, "submitted_at": timezone.now()},
    )
    link = reverse("governance_console:report", args=[report.pk])
    for user in _staff():
        notifications.notify(
            user,
            kind="governance_report_submitted",
            title=_("Progress report to review: %(task)s (%(q)s)")
            % {"task": report.task.title, "q": report.quarter_label},
            link=link,
            dedupe_key=f"governance:report-submitted:{report.pk}:{report.submitted_at:%Y%m%d%H%M%S}",
        )


@transaction.atomic
def accept_report(report: ProgressReport, *, actor: Any, note: str = "") -> None:
    """Accept a report: its milestones become done and its figures for manual targets are recorded."""
    require(can_review_report(actor, report), _("Only platform staff review submitted reports."))
    transition(
        report,
        ReportStatus.ACCEPTED,
        actor=actor,
        action="governance.report.accepted",
        message=note,
        changes={"reviewed_by": actor, "reviewed_at": timezone.now(), "review_note": note},
    )
    for done in report.milestones_done.select_related("milestone"):
        milestone = done.milestone
        if milestone.done_on is None:
            Milestone.objects.filter(pk=milestone.pk).update(done_on=done.done_on, done_report=report)
            audit.record(
                milestone,
                "governance.milestone.completed",
                actor=actor,
                data={"report": report.pk, "done_on": str(done.done_on)},
            )
    quarter_end = periods.quarter(report.year, report.quarter).end
    for figure in report.figures.select_related("target"):
        if figure.target is not None:
            record_figure(
                figure.target,
                actor=actor,
                as_of=quarter_end,
                value=figure.value,
                evidence=figure.evidence
                or _("Progress report %(q)s of %(dept)s")
                % {"q": report.quarter_label, "dept": report.department.name},
                report=report,
            )
    _tell_department(report, _("Your progress report was accepted: %(task)s (%(q)s)"))


@transaction.atomic
def return_report(report: ProgressReport, *, actor: Any, note: str) -> None:
    require(can_review_report(actor, report), _("Only platform staff review submitted reports."))
    if not (note or "").strip():
        raise ValidationError({"note": _("Tell the department what to revise.")})
    transition(
        report,
        ReportStatus.RETURNED,
        actor=actor,
        action="governance.report.returned",
        message=note,
        changes={"reviewed_by": actor, "reviewed_at": timezone.now(), "review_note": note},
    )
    _tell_department(report, _("Your progress report was returned for revision: %(task)s (%(q)s)"), body=note)


def _tell_department(report: ProgressReport, title: str, body: str = "") -> None:
    link = reverse("governance_console:report", args=[report.pk])
    for user in _officials_of(report.department_id):
        notifications.notify(
            user,
            kind="governance_report_reviewed",
            title=title % {"task": report.task.title, "q": report.quarter_label},
            body=body,
            link=link,
            dedupe_key=f"governance:report-reviewed:{report.pk}:{report.status}:{report.reviewed_at:%Y%m%d%H%M%S}",
        )


# ---- daily sweep: overdue reports, milestones and decisions --------------------------------------


def send_overdue_alerts(today: dt.date | None = None) -> dict[str, int]:
    """Tell departments (once per item) about missing quarterly reports, overdue milestones and overdue
    decisions of the plans that require reports; each alert is audited on its task."""
    from ..models import Decision
    from ..standing import required_quarter, tasks_with_records

    today = today or timezone.localdate()
    sent = {"reports": 0, "milestones": 0, "decisions": 0, "due_soon": 0}
    for plan in Plan.objects.filter(reporting_starts__isnull=False):
        quarter = required_quarter(plan, today)
        for task in tasks_with_records(plan):
            assignments = list(task.assignments.all())
            lead = next((a for a in assignments if a.is_lead), None)
            link = reverse("governance_console:task", args=[task.pk])
            if quarter and lead is not None:
                year, q, due = quarter
                filed = any(
                    (r.year, r.quarter, r.department_id) == (year, q, lead.organization_id)
                    and r.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
                    for r in task.reports.all()
                )
                if not filed and today > due:
                    n = _alert(
                        lead.organization_id,
                        task,
                        link,
                        f"report:{task.pk}:{year}Q{q}",
                        _("Overdue progress report: %(task)s (%(q)s, due %(d)s)")
                        % {"task": task.title, "q": f"{year}Q{q}", "d": due},
                    )
                    sent["reports"] += n
                elif not filed and 0 <= (due - today).days <= 7:
                    sent["due_soon"] += _alert(
                        lead.organization_id,
                        task,
                        link,
                        f"report-soon:{task.pk}:{year}Q{q}",
                        _("Progress report due on %(d)s: %(task)s (%(q)s)")
                        % {"task": task.title, "q": f"{year}Q{q}", "d": due},
                        audit_it=False,
                    )
            if lead is not None:
                for m in task.milestones.all():
                    if m.is_overdue(today):
                        sent["milestones"] += _alert(
                            lead.organization_id,
                            task,
                            link,
                            f"milestone:{m.pk}:{m.due}",
                            _("Overdue milestone of %(task)s: %(m)s (due %(d)s)")
                            % {"task": task.title, "m": m.title, "d": m.due},
                        )
    for d in Decision.objects.filter(status="open", due__lt=today, responsible__isnull=False).select_related(
        "meeting", "task"
    ):
        link = reverse("governance_console:meeting", args=[d.meeting_id])
        sent["decisions"] += _alert(
            d.responsible_id or 0,
            d.task,
            link,
            f"decision:{d.pk}:{d.due}",
            _("Overdue decision of the joint conference: %(text)s (due %(d)s)")
            % {"text": d.text[:80], "d": d.due},
        )
    return sent


def _alert(org_id: int, task: Task | None, link: str, key: str, title: str, *, audit_it: bool = True) -> int:
    new = 0
    with transaction.atomic():
        for user in _officials_of(org_id):
            new += int(
                notifications.notify(
                    user,
                    kind="governance_overdue",
                    title=title,
                    link=link,
                    dedupe_key=f"governance:{key}:{user.pk}",
                )
            )
        if new and audit_it and task is not None:
            audit.record(
                task, "governance.task.alerted", data={"alert": key, "recipients": new}, message=title
            )
    return new
