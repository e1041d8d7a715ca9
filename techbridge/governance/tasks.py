"""Background work of governance (takes primary keys; idempotent)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="techbridge.governance.tasks.generate_monthly_report")
def generate_monthly_report(report_id: int) -> None:
    from .services.monthly import generate

    generate(report_id)
