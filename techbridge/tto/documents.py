"""The TTO's PDFs (an inventor's reward statement, the final annual report) as generated documents.

Issuing a distribution or finalising a report answers at once: each PDF is queued through
``core.documents`` (typeset in a background task once the transaction commits, stored with its
SHA-256, served from storage; issue 22, point 6). When the file is stored, the line or the report keeps
its name and hash (API ``statement_sha256`` / ``pdf_sha256``, empty until then).
"""

from __future__ import annotations

import json
from typing import Any

from django.utils import timezone

from techbridge.lib.pdf import render_pdf

from . import rules
from .choices import IncomeKind

STATEMENT = "tto.statement"
REPORT = "tto.report"


# ---- an inventor's statement (owner: DistributionLine) -----------------------------------------------


def render_statement(line: Any) -> bytes:
    dist = line.distribution
    issued = dist.issued_at or timezone.now()
    return render_pdf(
        "tto/pdf/statement.html",
        {
            "dist": dist,
            "case": dist.disclosure,
            "line": line,
            "today": timezone.localtime(issued).date(),
            "article": rules.ARTICLE[IncomeKind(dist.kind)],
        },
    )


def statement_source(line: Any) -> str:
    """An issued distribution never changes: one statement per line and issue."""
    dist = line.distribution
    return f"{dist.pk}|{dist.issued_at}|{line.pk}|{line.inventor_id}|{line.share}|{line.amount}"


def statement_filename(line: Any) -> str:
    return f"{line.distribution.disclosure.number}-{line.inventor.name}.pdf"


def keep_statement(line: Any, document: Any) -> None:
    line.statement.name = document.file.name
    line.statement_sha256 = document.sha256
    line.save(update_fields=["statement", "statement_sha256"])


# ---- the annual report (owner: AnnualReport) ----------------------------------------------------------


def render_report(report: Any) -> bytes:
    return render_pdf("tto/pdf/report.html", {"report": report, "institution": report.institution})


def report_source(report: Any) -> str:
    """Everything the PDF shows, and the moment it was made final (a reopened, re-finalised report is a
    new version)."""
    return "|".join(
        [
            str(report.pk),
            str(report.generated_at),
            str(report.institution.name),
            str(report.year),
            json.dumps(report.figures, sort_keys=True, ensure_ascii=False),
            str(report.spinoffs),
            str(report.office_staff),
            report.narrative,
        ]
    )


def report_filename(report: Any) -> str:
    from django.utils.translation import gettext as _

    return _("Technology transfer annual report %(year)d") % {"year": report.year} + ".pdf"


def keep_report(report: Any, document: Any) -> None:
    report.pdf.name = document.file.name
    report.pdf_sha256 = document.sha256
    report.save(update_fields=["pdf", "pdf_sha256"])


def _render_statement(line: Any) -> bytes:
    return render_statement(line)  # looked up at call time, so a test can count or replace it


def _render_report(report: Any) -> bytes:
    return render_report(report)


def register() -> None:
    from techbridge.core import registry

    registry.documents.register(
        registry.DocumentKind(
            key=STATEMENT,
            model="tto.DistributionLine",
            render=_render_statement,
            source=statement_source,
            filename=statement_filename,
            on_ready=keep_statement,
        )
    )
    registry.documents.register(
        registry.DocumentKind(
            key=REPORT,
            model="tto.AnnualReport",
            render=_render_report,
            source=report_source,
            filename=report_filename,
            on_ready=keep_report,
        )
    )
