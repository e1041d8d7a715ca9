"""The monthly report's content, and its PDF and Excel renderings (built in a background task)."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from techbridge.core.registry import Period, find_metric
from techbridge.lib.pdf import render_pdf
from techbridge.lib.xlsx import Sheet, workbook_bytes

from . import areas, charts, measures, standing
from .choices import Standing
from .models import Decision, Meeting, MonthlyReport, ProgressReport

AREA_METRICS = ["contracts.turnover", "contracts.registered", "achievements.published", "demands.published"]


def _num(value: Decimal | None) -> Any:
    return None if value is None else value.quantize(Decimal("0.01"))


def month_context(report: MonthlyReport, *, today: dt.date | None = None) -> dict[str, Any]:
    plan = report.plan
    month_end = dt.date(report.year, report.month, calendar.monthrange(report.year, report.month)[1])
    as_of = min(month_end, today or timezone.localdate())
    month = Period(dt.date(report.year, report.month, 1), month_end)
    readings = measures.plan_readings(plan, today=as_of)
    states = standing.task_states(plan, today=as_of)
    year = Period(dt.date(as_of.year, 1, 1), as_of)
    chosen = areas.areas()
    area_rows = areas.table(year, chosen, [c for c in AREA_METRICS if find_metric(c)])
    start, end = month.datetimes()
    return {
        "report": report,
        "plan": plan,
        "as_of": as_of,
        "month": month,
        "readings": readings,
        "states": states,
        "task_counts": standing.counts(states),
        "areas": chosen,
        "area_rows": area_rows,
        "area_period": year,
        "thresholds": measures.thresholds_text(plan),
        "progress_svg": charts.progress_bars(
            [
                (r.target.indicator, float(r.pct) if r.pct is not None else None, r.standing)
                for r in readings
                if r.target.value is not None
            ]
        ),
        "trend_charts": [
            {
                "reading": r,
                "svg": charts.columns(
                    [p.label for p in r.trend],
                    [None if p.cell.shown is None else float(p.cell.shown) for p in r.trend],
                    unit=r.target.unit,
                    target=float(r.target.value)
                    if r.target.value is not None and r.target.comparison == "annual"
                    else None,
                ),
            }
            for r in readings
            if r.trend and any(p.cell.shown is not None for p in r.trend)
        ],
        "meetings": list(Meeting.objects.filter(plan=plan, held_on__range=(month.start, month.end))),
        "open_decisions": list(
            Decision.objects.filter(meeting__plan=plan, status="open").select_related(
                "task", "responsible", "meeting"
            )
        ),
        "reports_filed": list(
            ProgressReport.objects.filter(task__plan=plan, submitted_at__gte=start, submitted_at__lt=end)
            .select_related("task", "department")
            .order_by("task__number")
        ),
        "generated_at": timezone.now(),
        "Standing": Standing,
    }


def render_monthly_pdf(context: dict[str, Any]) -> bytes:
    with translation.override("zh-hans"):
        return render_pdf("governance/pdf/monthly.html", context)


def _cell(cell: measures.Cell) -> Any:
    if cell.withheld:
        return _("withheld (%(n)s records)") % {"n": cell.count}
    return _num(cell.value)


def render_monthly_xlsx(context: dict[str, Any]) -> bytes:
    with translation.override("zh-hans"):
        readings = context["readings"]
        targets = Sheet(
            _("Targets"),
            [
                _("Indicator"),
                _("Target"),
                _("Unit"),
                _("Deadline"),
                _("Compared with"),
                _("Actual"),
                _("Period"),
                _("Percent of target"),
                _("Forecast at the deadline"),
                _("Status"),
                _("Source"),
            ],
            [
                [
                    r.target.indicator,
                    _num(r.target.value),
                    r.target.unit,
                    r.target.deadline,
                    r.target.get_comparison_display(),
                    _cell(r.actual),
                    f"{r.period.start}–{r.period.end}" if r.period else "",
                    r.pct,
                    _num(r.forecast),
                    str(Standing(r.standing).label),
                    r.target.metric_code or r.target.get_source_display(),
                ]
                for r in readings
            ],
        )
        tasks = Sheet(
            _("Tasks"),
            [_("No."), _("Task"), _("Lead department"), _("Status"), _("Reasons"), _("Latest report")],
            [
                [
                    s.task.number,
                    s.task.title,
                    s.lead.organization.name if s.lead else "",
                    str(Standing(s.standing).label),
                    "；".join(s.reasons),
                    f"{s.latest.quarter_label} {s.latest.get_status_display()}" if s.latest else "",
                ]
                for s in context["states"]
            ],
        )
        area_sheet = Sheet(
            _("Districts and zones"),
            [_("Figure"), *[a.label for a in context["areas"]]],
            [
                [f"{row.metric.label}（{row.metric.unit}）", *[_cell(c) for c in row.cells]]
                for row in context["area_rows"]
            ],
        )
        decisions = Sheet(
            _("Open decisions"),
            [_("Meeting"), _("Decision"), _("Task"), _("Responsible"), _("Due")],
            [
                [
                    d.meeting.title,
                    d.text,
                    d.task.title if d.task else "",
                    d.responsible.name if d.responsible else "",
                    d.due,
                ]
                for d in context["open_decisions"]
            ],
        )
        filed = Sheet(
            _("Reports filed"),
            [_("Task"), _("Department"), _("Quarter"), _("Status"), _("Self-assessment")],
            [
                [
                    r.task.title,
                    r.department.name,
                    r.quarter_label,
                    r.get_status_display(),
                    r.get_self_assessment_display(),
                ]
                for r in context["reports_filed"]
            ],
        )
        return workbook_bytes([targets, tasks, area_sheet, decisions, filed])
