"""The PDF valuation report (Chinese), rendered once from an issued valuation's snapshot."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from techbridge.lib.pdf import render_pdf


def render_report(valuation: Any) -> bytes:
    """Typeset the report of ``valuation`` in Chinese: subject, purpose, date, approaches, assumptions,
    figures, sensitivity, panel, limitations."""
    with translation.override("zh-hans"):
        return render_pdf(
            "valuation/pdf/report.html",
            {"v": valuation, "rec": valuation.snapshot, "achievement": valuation.achievement},
        )


def report_source(valuation: Any) -> str:
    """An issued valuation never changes: its report is made once per version."""
    return f"{valuation.pk}|{valuation.version}|{valuation.issued_at}"


def report_filename(valuation: Any) -> str:
    return f"评估报告-{valuation.achievement_id}-v{valuation.version}.pdf"


def keep_report(valuation: Any, document: Any) -> None:
    """The issued valuation keeps the generated file and its hash (API ``report_sha256``)."""
    valuation.report.name = document.file.name
    valuation.report_sha256 = document.sha256
    valuation.save(update_fields=["report", "report_sha256"])


def _render(valuation: Any) -> bytes:
    return render_report(valuation)  # looked up at call time, so a test can replace ``render_report``


def register() -> None:
    from techbridge.core import registry

    registry.documents.register(
        registry.DocumentKind(
            key="valuation.report",
            model="valuation.Valuation",
            render=_render,
            source=report_source,
            filename=report_filename,
            on_ready=keep_report,
        )
    )
