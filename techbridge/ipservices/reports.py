"""The navigation report's documents: a PDF with charts drawn on the server (SVG) and an Excel
workbook with the tables. Built from a snapshot (``landscape.full_snapshot``), once, in a task."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from techbridge.lib.pdf import render_pdf as typeset
from techbridge.lib.xlsx import Sheet, workbook_bytes

from . import charts
from .models import Industry, NavigationReport

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> Any:
    """A value for a spreadsheet cell; text that a spreadsheet would run as a formula is neutralised."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def chart_images(snapshot: dict[str, Any]) -> dict[str, str]:
    years = snapshot["by_year"]
    out = {
        "years": charts.lines(
            [r["year"] for r in years],
            [
                (_("Applications filed"), [r["filed"] for r in years]),
                (_("Grants"), [r["granted"] for r in years]),
                (_("Nanjing applicants"), [r["nanjing"] for r in years]),
            ],
            title=_("Applications and grants by year"),
        ),
        "subclasses": charts.bars(
            [r["code"] for r in snapshot["by_subclass"]],
            [
                (_("All applicants"), [r["count"] for r in snapshot["by_subclass"]]),
                (_("Nanjing applicants"), [r["nanjing"] for r in snapshot["by_subclass"]]),
            ],
            title=_("Patents by IPC subclass"),
        ),
        "applicants": charts.hbars(
            [r["name"] for r in snapshot["top_applicants"][:12]],
            [r["count"] for r in snapshot["top_applicants"][:12]],
            title=_("Top applicants"),
        ),
        "provinces": charts.bars(
            [r["name"] for r in snapshot["by_province"]],
            [(pgettext("patent count", "Patents"), [r["count"] for r in snapshot["by_province"]])],
            title=_("Patents by province"),
        ),
    }
    return {key: charts.data_uri(svg) for key, svg in out.items()}


def render_pdf(industry: Industry, snapshot: dict[str, Any], report: NavigationReport) -> bytes:
    return typeset(
        "ipservices/pdf/navigation.html",
        {
            "industry": industry,
            "data": snapshot,
            "charts": chart_images(snapshot),
            "report": report,
            "generated_at": timezone.localtime(),
        },
    )


def render_xlsx(industry: Industry, snapshot: dict[str, Any]) -> bytes:
    t = snapshot["totals"]
    summary = [
        (_("Industry"), cell(industry.name)),
        (_("IPC codes"), cell("；".join(snapshot["industry"]["ipc_prefixes"]))),
        (_("Keywords"), cell("；".join(snapshot["industry"]["keywords"]))),
        (pgettext("patent count", "Patents"), t["patents"]),
        (_("Invention patents"), t["inventions"]),
        (_("Utility models"), t["utility_models"]),
        (_("Design patents"), t["designs"]),
        (_("In force"), t["in_force"]),
        (_("Pending"), t["pending"]),
        (_("Lapsed, expired or invalidated"), t["ended"]),
        (_("Nanjing applicants"), t["nanjing"]),
        (_("Nanjing share"), t["nanjing_share"]),
        (_("Jiangsu applicants"), t["jiangsu"]),
        (_("Distinct first applicants"), t["applicants"]),
        (_("Computed at"), snapshot["computed_at"]),
    ]
    sheets = [
        Sheet(pgettext("report section", "Summary"), [_("Figure"), _("Value")], summary),
        Sheet(
            _("By year"),
            [
                _("Filing year"),
                _("Applications filed"),
                _("Invention applications"),
                _("Grants"),
                _("Nanjing applicants"),
            ],
            [
                (r["year"], r["filed"], r["inventions"], r["granted"], r["nanjing"])
                for r in snapshot["by_year"]
            ],
        ),
        Sheet(
            _("IPC subclasses"),
            [_("IPC subclass"), pgettext("patent count", "Patents"), _("Nanjing applicants")],
            [(r["code"], r["count"], r["nanjing"]) for r in snapshot["by_subclass"]],
        ),
        Sheet(
            _("IPC main groups"),
            [_("IPC main group"), pgettext("patent count", "Patents")],
            [(r["code"], r["count"]) for r in snapshot["by_group"]],
        ),
        Sheet(
            _("Applicants"),
            [
                _("First applicant"),
                pgettext("patent count", "Patents"),
                _("Invention patents"),
                _("In force"),
                _("City"),
                _("Applicant type"),
            ],
            [
                (cell(r["name"]), r["count"], r["inventions"], r["in_force"], cell(r["city"]), r["type"])
                for r in snapshot["top_applicants"]
            ],
        ),
        Sheet(
            _("Applicant types"),
            [_("Applicant type"), pgettext("patent count", "Patents")],
            [(r["label"], r["count"]) for r in snapshot["by_applicant_type"]],
        ),
        Sheet(
            _("Regions"),
            [_("Province or country"), pgettext("patent count", "Patents")],
            [(cell(r["name"]), r["count"]) for r in snapshot["by_province"]],
        ),
        Sheet(
            _("Cities"),
            [_("City"), pgettext("patent count", "Patents")],
            [(cell(r["name"]), r["count"]) for r in snapshot["by_city"]],
        ),
        Sheet(
            _("Nanjing districts"),
            [_("District"), pgettext("patent count", "Patents")],
            [(r["label"], r["count"]) for r in snapshot["by_district"]],
        ),
        Sheet(
            _("Rising topics"),
            [
                _("Term"),
                _("Recent patents"),
                _("Patents before"),
                _("Rise"),
                _("Recent years"),
                _("Years before"),
            ],
            [
                (cell(r["term"]), r["recent"], r["before"], r["rise"], r["recent_years"], r["before_years"])
                for r in snapshot["topics"]
            ],
        ),
        Sheet(
            _("Technology clusters"),
            [_("Key terms"), pgettext("patent count", "Patents"), _("Nanjing applicants"), _("Examples")],
            [
                (
                    cell("、".join(c["terms"])),
                    c["size"],
                    c["nanjing"],
                    cell("；".join(e["title"] for e in c["examples"])),
                )
                for c in snapshot.get("clusters", [])
            ],
        ),
    ]
    return workbook_bytes(sheets)
