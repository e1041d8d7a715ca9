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
