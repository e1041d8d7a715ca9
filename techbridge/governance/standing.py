"""Where each task stands, from its milestones, progress reports and meeting decisions.

The rule (shown on the task pages and in ``docs/governance.md``), on a given day:

* **Warning** when a milestone is past its due date and not done; or the lead department's report for
  the last quarter that requires one is missing ``Plan.report_grace_days`` days after the quarter ended
  (reports are required for quarters ending on or after ``Plan.reporting_starts``, up to the plan's
  end); or a department's latest accepted report says the task is behind schedule.
* **Needs attention** when a milestone falls due within 30 days and is not done; or a report awaits
  review or was returned for revision; or a department's latest accepted report says the task is at
  risk; or a decision of the joint conference tracked to the task is past its due date.
* **On track** otherwise.

A milestone is done once a report that says so is accepted. So a task in warning for a missing report
turns on track when its lead department files the report and staff accept it (with no milestone
overdue and a self-assessment "on schedule").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from . import periods
from .choices import DecisionStatus, ReportStatus, SelfAssessment, Standing
from .models import Decision, Plan, ProgressReport, Task, TaskDepartment

SOON_DAYS = 30
FILED = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


@dataclass
class RequiredReport:
    year: int
    quarter: int
    due: dt.date
    report: ProgressReport | None

    @property
    def label(self) -> str:
        return f"{self.year}Q{self.quarter}"

    def missing(self, today: dt.date) -> bool:
        return (self.report is None or self.report.status not in FILED) and today > self.due


@dataclass
class TaskState:
    task: Task
    standing: str
    reasons: list[str] = field(default_factory=list)
    lead: TaskDepartment | None = None
    required: RequiredReport | None = None
    latest: ProgressReport | None = None


def required_quarter(plan: Plan, today: dt.date) -> tuple[int, int, dt.date] | None:
    """The last quarter whose report is required by now (or next due), with its due date."""
    if plan.reporting_starts is None:
        return None
    year, q = periods.last_closed_quarter(min(today, plan.end + dt.timedelta(days=1)))
    end = periods.quarter(year, q).end
    if end < plan.reporting_starts or end > plan.end:
        return None
    return year, q, end + dt.timedelta(days=plan.report_grace_days)


def tasks_with_records(plan: Plan) -> Any:
    return plan.tasks.prefetch_related(
        Prefetch("assignments", queryset=TaskDepartment.objects.select_related("organization")),
        "milestones",
        Prefetch("reports", queryset=ProgressReport.objects.select_related("department")),
        Prefetch("decisions", queryset=Decision.objects.filter(status=DecisionStatus.OPEN)),
    ).order_by("number")


def state_of(task: Task, plan: Plan, today: dt.date) -> TaskState:
    assignments = list(task.assignments.all())
    lead = next((a for a in assignments if a.is_lead), assignments[0] if assignments else None)
    reports = list(task.reports.all())
    warnings: list[str] = []
    attention: list[str] = []

    for m in task.milestones.all():
        if m.is_overdue(today):
            warnings.append(_("Milestone “%(m)s” was due on %(d)s.") % {"m": m.title, "d": m.due})
        elif m.done_on is None and (m.due - today).days <= SOON_DAYS:
            attention.append(_("Milestone “%(m)s” is due on %(d)s.") % {"m": m.title, "d": m.due})

    required = None
    quarter = required_quarter(plan, today)
    if quarter and lead is not None:
        year, q, due = quarter
        found = next(
            (r for r in reports if (r.year, r.quarter, r.department_id) == (year, q, lead.organization_id)),
            None,
        )
        required = RequiredReport(year, q, due, found)
        if required.missing(today):
            warnings.append(
                _("%(dept)s has not filed the %(q)s report (due %(d)s).")
                % {"dept": lead.organization.name, "q": required.label, "d": due}
            )

    latest_by_dept: dict[int, ProgressReport] = {}
    for r in reports:
        if r.status == ReportStatus.SUBMITTED:
            attention.append(
                _("The %(q)s report of %(dept)s awaits review.")
                % {"q": r.quarter_label, "dept": r.department.name}
            )
        elif r.status == ReportStatus.RETURNED:
            attention.append(
                _("The %(q)s report of %(dept)s was returned for revision.")
                % {"q": r.quarter_label, "dept": r.department.name}
            )
        elif r.status == ReportStatus.ACCEPTED:
            best = latest_by_dept.get(r.department_id)
            if best is None or (r.year, r.quarter) > (best.year, best.quarter):
                latest_by_dept[r.department_id] = r
    for r in latest_by_dept.values():
        if r.self_assessment == SelfAssessment.BEHIND:
            warnings.append(
                _("%(dept)s reports the task behind schedule (%(q)s).")
                % {"dept": r.department.name, "q": r.quarter_label}
            )
        elif r.self_assessment == SelfAssessment.AT_RISK:
            attention.append(
                _("%(dept)s reports the task at risk (%(q)s).")
                % {"dept": r.department.name, "q": r.quarter_label}
            )

    for d in task.decisions.all():
        if d.is_overdue(today):
            attention.append(_("A decision of the joint conference was due on %(d)s.") % {"d": d.due})

    standing = Standing.WARNING if warnings else Standing.ATTENTION if attention else Standing.ON_TRACK
    latest = max(
        (r for r in reports if r.status != ReportStatus.DRAFT),
        key=lambda r: (r.year, r.quarter, r.pk),
        default=None,
    )
    return TaskState(task, standing, warnings + attention, lead, required, latest)


def task_states(plan: Plan, *, today: dt.date | None = None, tasks: Any = None) -> list[TaskState]:
    today = today or timezone.localdate()
    rows = tasks if tasks is not None else tasks_with_records(plan)
    return [state_of(t, plan, today) for t in rows]


def counts(states: list[TaskState]) -> dict[str, int]:
    out: dict[str, int] = {Standing.ON_TRACK: 0, Standing.ATTENTION: 0, Standing.WARNING: 0}
    for s in states:
        out[s.standing] = out.get(s.standing, 0) + 1
    return out
