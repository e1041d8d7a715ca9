"""The monthly report: requested (by an operator or the daily sweep), generated once in the background,
stored with SHA-256 hashes and served from storage."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.roles import is_operator
from techbridge.core.tasks import enqueue
from techbridge.core.workflow import transition

from ..choices import MonthlyStatus
from ..models import MonthlyReport, Plan
from . import require

log = logging.getLogger(__name__)


def _check_month(plan: Plan, year: int, month: int, today: dt.date) -> None:
    if not 1 <= month <= 12:
        raise ValidationError({"month": _("A month is 1 to 12.")})
    first = dt.date(year, month, 1)
    if first > today:
        raise ValidationError({"month": _("A report covers a month that has begun.")})
    if first < dt.date(plan.start.year, plan.start.month, 1):
        raise ValidationError({"month": _("The month lies before the plan's start.")})


@transaction.atomic
def request_monthly_report(plan: Plan, *, actor: Any, year: int, month: int) -> MonthlyReport:
    """Queue the report of ``year``-``month``; asking again regenerates it (e.g. after late data)."""
    if actor is not None:
        require(is_operator(actor), _("Only platform operators generate monthly reports."))
    _check_month(plan, year, month, timezone.localdate())
    user = actor if getattr(actor, "is_authenticated", False) else None
    report = MonthlyReport.objects.filter(plan=plan, year=year, month=month).first()
    if report is None:
        try:
            with transaction.atomic():
                report = MonthlyReport.objects.create(plan=plan, year=year, month=month, requested_by=user)
        except IntegrityError:
            report = MonthlyReport.objects.get(plan=plan, year=year, month=month)
        else:
            audit.record(report, "governance.monthlyreport.requested", actor=actor)
            enqueue(generate_monthly_report_task(), report.pk)
            return report
    if report.status == MonthlyStatus.PENDING:
        return report
    transition(
        report,
        MonthlyStatus.PENDING,
        actor=actor,
        action="governance.monthlyreport.requested",
        changes={"requested_by": user, "requested_at": timezone.now(), "error": ""},
    )
    enqueue(generate_monthly_report_task(), report.pk)
    return report


def generate_monthly_report_task() -> Any:
    from ..tasks import generate_monthly_report

    return generate_monthly_report


def generate(report_id: int) -> None:
    """Render the PDF and the Excel workbook of a pending report and store both (idempotent)."""
    from ..documents import month_context, render_monthly_pdf, render_monthly_xlsx

    report = MonthlyReport.objects.select_related("plan").filter(pk=report_id).first()
    if report is None or report.status != MonthlyStatus.PENDING:
        return
    try:
        context = month_context(report)
        pdf = render_monthly_pdf(context)
        xlsx = render_monthly_xlsx(context)
    except Exception as exc:  # a broken document must be visible, not a silent pending row
        log.exception("monthly report %s failed", report_id)
        transition(
            report,
            MonthlyStatus.FAILED,
            actor=None,
            action="governance.monthlyreport.failed",
            changes={"error": str(exc)[:2000]},
        )
        return
    name = f"{report.plan.code}-{report.year}-{report.month:02d}"
    with transaction.atomic():
        for field in ("pdf", "xlsx"):
            getattr(report, field).delete(save=False)
        report.pdf.save(f"{name}.pdf", ContentFile(pdf), save=False)
        report.xlsx.save(f"{name}.xlsx", ContentFile(xlsx), save=False)
        transition(
            report,
            MonthlyStatus.READY,
            actor=None,
            action="governance.monthlyreport.generated",
            changes={
                "pdf": report.pdf.name,
                "xlsx": report.xlsx.name,
                "pdf_sha256": hashlib.sha256(pdf).hexdigest(),
                "xlsx_sha256": hashlib.sha256(xlsx).hexdigest(),
                "generated_at": timezone.now(),
            },
        )


def request_last_month(today: dt.date | None = None) -> int:
    """Daily sweep: the current plan's report of the month just ended (within the plan's period), if
    not there yet."""
    today = today or timezone.localdate()
    plan = Plan.objects.filter(is_current=True).first()
    if plan is None:
        return 0
    last = today.replace(day=1) - dt.timedelta(days=1)
    if (
        not plan.start <= last <= plan.end
        or MonthlyReport.objects.filter(plan=plan, year=last.year, month=last.month).exists()
    ):
        return 0
    request_monthly_report(plan, actor=None, year=last.year, month=last.month)
    return 1
