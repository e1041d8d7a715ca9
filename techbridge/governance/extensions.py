"""What governance adds to the shared pages: menus, console figures, the contract-statistics panel,
"my work" for department officials, audit words and the daily sweeps."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techbridge.core import registry
from techbridge.core.permissions import has_organization
from techbridge.core.roles import is_console_user, is_operator, is_staff_reviewer
from techbridge.lib.numbers import digits

AUDIT_LABELS = {
    "governance.plan.loaded": _("Plan loaded"),
    "governance.plan.updated": _("Plan settings changed"),
    "governance.department.created": _("Department created from a plan"),
    "governance.figure.recorded": _("Target figure recorded"),
    "governance.milestone.created": _("Milestone added"),
    "governance.milestone.completed": _("Milestone done"),
    "governance.report.created": _("Progress report drafted"),
    "governance.report.updated": _("Progress report changed"),
    "governance.report.attached": _("File attached to a progress report"),
    "governance.report.detached": _("File removed from a progress report"),
    "governance.report.submitted": _("Progress report submitted"),
    "governance.report.accepted": _("Progress report accepted"),
    "governance.report.returned": _("Progress report returned for revision"),
    "governance.task.alerted": _("Overdue alert sent"),
    "governance.meeting.created": _("Joint-conference meeting recorded"),
    "governance.meeting.updated": _("Joint-conference meeting changed"),
    "governance.decision.created": _("Decision recorded"),
    "governance.decision.completed": _("Decision carried out"),
    "governance.decision.dropped": _("Decision dropped"),
    "governance.decision.reopened": _("Decision reopened"),
    "governance.formula.created": _("Evaluation formula version created"),
    "governance.evaluationfigure.submitted": _("Evaluation figure submitted"),
    "governance.evaluationfigure.accepted": _("Evaluation figure accepted"),
    "governance.evaluationfigure.rejected": _("Evaluation figure rejected"),
    "governance.monthlyreport.requested": _("Monthly report requested"),
    "governance.monthlyreport.generated": _("Monthly report generated"),
    "governance.monthlyreport.failed": _("Monthly report failed"),
    "governance.policy.created": _("Policy added"),
    "governance.policy.updated": _("Policy changed"),
    "governance.policy.published": _("Policy published"),
    "governance.policy.withdrawn": _("Policy withdrawn"),
    "governance.profile.updated": _("Policy profile changed"),
}


def _is_official(user: Any) -> bool:
    from .permissions import is_department_official

    return is_department_official(user)


def _reports_awaiting_review() -> int:
    from .choices import ReportStatus
    from .models import ProgressReport

    return ProgressReport.objects.filter(status=ReportStatus.SUBMITTED).count()


def _figures_awaiting_review() -> int:
    from .choices import FigureStatus
    from .models import EvaluationFigure

    return EvaluationFigure.objects.filter(status=FigureStatus.SUBMITTED).count()


def turnover_panel(request: Any, year: Any) -> dict[str, Any] | None:
    """The plan targets of the contract turnover, compared with the chosen registration year."""
    from techbridge.core.registry import Period, find_metric

    from .measures import figure_cell
    from .models import Target

    metric = find_metric("contracts.turnover")
    targets = list(
        Target.objects.filter(metric_code="contracts.turnover").select_related("plan").order_by("-deadline")
    )
    if metric is None or not targets:
        return None
    today = timezone.localdate()
    chosen = int(year) if isinstance(year, int) or (isinstance(year, str) and digits(year)) else today.year
    period = Period(dt.date(chosen, 1, 1), min(dt.date(chosen, 12, 31), today))
    if period.start > today:
        return None
    cell = figure_cell(metric, period)
    rows = []
    for t in targets:
        shown = cell.shown / t.scale if cell.shown is not None else None
        pct = (
            (Decimal("100") * shown / t.value).quantize(Decimal("0.1"))
            if shown is not None and t.value
            else None
        )
        rows.append({"target": t, "value": shown, "pct": pct, "same_year": t.deadline.year == chosen})
    return {
        "turnover_rows": rows,
        "turnover_cell": cell,
        "turnover_period": period,
        "turnover_metric": metric,
    }


def _mine(request: Any) -> dict[str, Any] | None:
    """Department officials: their plan tasks; members of universities and institutes: their evaluation."""
    from .permissions import is_department_official, is_evaluated_member
    from .queries import department_tasks

    if is_department_official(request.user):
        return {"gov_tasks": department_tasks(request.user.organization_id), "gov_official": True}
    if is_evaluated_member(request.user):
        return {"gov_evaluation": True}
    return None


def register() -> None:
    from .services.monthly import request_last_month
    from .services.reports import send_overdue_alerts

    registry.register_nav("portal", _("Action plan"), "governance:summary", group="information", order=30)
    registry.register_nav("portal", _("Policy library"), "governance:policies", group="information", order=31)
    registry.register_nav(
        "portal",
        _("Policies for my organisation"),
        "governance:mine",
        group="work",
        order=60,
        visible=has_organization,
    )
    registry.register_nav(
        "console",
        _("Plan overview"),
        "governance_console:overview",
        group="console.data",
        order=1,
        visible=is_console_user,
    )
    registry.register_nav(
        "console",
        _("Plan tasks"),
        "governance_console:tasks",
        group="console.data",
        order=2,
        visible=is_console_user,
    )
    registry.register_nav(
        "console",
        _("My department"),
        "governance_console:department",
        group="console.data",
        order=3,
        visible=_is_official,
    )
    registry.register_nav(
        "console",
        _("Districts and zones"),
        "governance_console:areas",
        group="console.data",
        order=4,
        visible=is_console_user,
    )
    registry.register_nav(
        "console",
        _("University evaluation"),
        "governance_console:evaluation",
        group="console.data",
        order=5,
        visible=is_console_user,
    )
    registry.register_nav(
        "console",
        _("Monthly reports"),
        "governance_console:monthly",
        group="console.data",
        order=6,
        visible=is_console_user,
    )
    registry.register_nav(
        "console",
        _("Joint conference"),
        "governance_console:meetings",
        group="console.data",
        order=7,
        visible=is_console_user,
    )
    registry.register_nav(
        "console",
        _("Policy library"),
        "governance_console:policies",
        group="console.administration",
        order=40,
        visible=is_operator,
    )
    registry.register_counter(
        "governance.reports_submitted",
        _("Progress reports awaiting review"),
        _reports_awaiting_review,
        visible=is_staff_reviewer,
        url_name="governance_console:review_queue",
        order=70,
        attention=True,
    )
    registry.register_counter(
        "governance.figures_submitted",
        _("Evaluation figures awaiting review"),
        _figures_awaiting_review,
        visible=is_staff_reviewer,
        url_name="governance_console:evaluation",
        order=71,
        attention=True,
    )
    registry.register_panel(
        "contracts.statistics", "governance/partials/turnover_panel.html", order=10, context=turnover_panel
    )
    registry.register_mine_section("governance/partials/mine.html", order=60, context=_mine)
    registry.register_audit_labels(AUDIT_LABELS)
    registry.register_daily_sweep(send_overdue_alerts)
    registry.register_daily_sweep(request_last_month)
