"""Background work of governance (takes primary keys; idempotent)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="techbridge.governance.tasks.generate_monthly_report")
def generate_monthly_report(report_id: int) -> None:
    from .services.monthly import generate

    generate(report_id)


@shared_task(name="techbridge.governance.tasks.warm_dashboards")
def warm_dashboards() -> dict[str, int]:
    """Compute the figures the dashboards show (current plan, districts and zones of this year and the last,
    evaluation of both years) so that visitors find them cached: Celery beat runs this more often than
    ``GOVERNANCE_FIGURE_SECONDS`` expires them. Read-only and idempotent."""
    import datetime as dt

    from django.utils import timezone

    from techbridge.core.registry import Period

    from . import areas, evaluation, measures, standing

    today = timezone.localdate()
    plan = measures.current_plan()
    targets = 0
    if plan is not None:
        targets = len(measures.plan_readings(plan, today=today))
        standing.task_states(plan, today=today)
    chosen = areas.areas()
    for year in (today.year, today.year - 1):
        areas.table(Period(dt.date(year, 1, 1), min(dt.date(year, 12, 31), today)), chosen)
        evaluation.evaluate(year)
    return {"targets": targets, "areas": len(chosen)}
