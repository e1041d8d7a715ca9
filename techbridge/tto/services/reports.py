"""The institution's annual technology-transfer report, generated from the records, editable, then final
with a PDF and an Excel workbook stored with their hashes."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.workflow import TransitionError, transition
from techbridge.lib.xlsx import Sheet, workbook_bytes

from ..choices import DistributionStatus, ReportStatus
from ..models import AnnualReport, Disclosure, DistributionLine, Income, LicenceGrant, PatentApplication
from ..permissions import OFFICE_MESSAGE, is_office, is_office_of


def _amount(value: Any) -> str:
    return str((value or Decimal("0")).quantize(Decimal("0.01")))


def report_figures(institution_id: int, year: int) -> dict[str, Any]:
    """The year's figures from the records (strings for amounts, so the JSON keeps them exact)."""
    from techbridge.contracts.choices import ContractStatus, ContractType
    from techbridge.contracts.models import Contract

    registered = (
        Contract.objects.filter(
            seller_id=institution_id,
            registered_at__year=year,
            status__in=[ContractStatus.REGISTERED, ContractStatus.PERFORMED],
        )
        .values("contract_type")
        .annotate(n=Count("id"), amount=Sum("total_amount"), tech=Sum("technology_amount"))
    )
    labels = dict(ContractType.choices)
    by_type = [
        {
            "type": r["contract_type"],
            "label": str(labels.get(r["contract_type"], r["contract_type"])),
            "count": r["n"],
            "amount": _amount(r["amount"]),
            "technology_amount": _amount(r["tech"]),
        }
        for r in registered.order_by("contract_type")
    ]
    income = Income.objects.filter(disclosure__institution_id=institution_id, received_on__year=year)
    rewards = DistributionLine.objects.filter(
        distribution__disclosure__institution_id=institution_id,
        distribution__status=DistributionStatus.ISSUED,
        distribution__year=year,
    )
    return {
        "disclosures": Disclosure.objects.filter(
            institution_id=institution_id, submitted_at__year=year
        ).count(),
        "applications_filed": PatentApplication.objects.filter(
            disclosure__institution_id=institution_id, filing_date__year=year
        ).count(),
        "patents_granted": PatentApplication.objects.filter(
            disclosure__institution_id=institution_id, grant_date__year=year
        ).count(),
        "open_licences_taken": LicenceGrant.objects.filter(
            licence__application__disclosure__institution_id=institution_id, noticed_at__year=year
        ).count(),
        "contracts": by_type,
        "contracts_count": sum(r["count"] for r in by_type),
        "contracts_amount": _amount(sum((Decimal(r["amount"]) for r in by_type), Decimal("0"))),
        "income": _amount(income.aggregate(t=Sum("amount"))["t"]),
        "rewards": _amount(rewards.aggregate(t=Sum("amount"))["t"]),
        "rewarded_people": rewards.values("inventor__name").distinct().count(),
    }


def generate_report(*, actor: Any, year: Any) -> AnnualReport:
    """Create the year's report of the actor's institution, or refresh a draft's figures from the records."""
    if not is_office(actor):
        raise PermissionDenied(OFFICE_MESSAGE)
    try:
        y = int(str(year).strip())
    except (TypeError, ValueError):
        raise ValidationError({"year": _("Give the year as four digits.")}) from None
    if not 2000 <= y <= timezone.localdate().year:
        raise ValidationError({"year": _("Give the year as four digits.")})
    figures = report_figures(actor.organization_id, y)
    with transaction.atomic():
        report, created = AnnualReport.objects.get_or_create(
            institution_id=actor.organization_id, year=y, defaults={"figures": figures, "created_by": actor}
        )
        if not created:
            if report.status != ReportStatus.DRAFT:
                raise TransitionError(_("The report is final; reopen it to regenerate the figures."))
            report.figures, report.updated_at = figures, timezone.now()
            report.save(update_fields=["figures", "updated_at"])
        audit.record(report, "tto.report.generated", actor=actor, data={"year": y})
    return report


def save_report(report: AnnualReport, *, actor: Any, values: dict[str, Any]) -> AnnualReport:
    """The office edits what no record gives (spin-offs, office staff, the narrative) on a draft."""
    if not is_office_of(actor, report.institution_id):
        raise PermissionDenied(OFFICE_MESSAGE)
    if report.status != ReportStatus.DRAFT:
        raise TransitionError(_("The report is final; reopen it to edit."))
    for name in ("spinoffs", "office_staff"):
        if name in values:
            try:
                setattr(report, name, int(str(values[name]).strip()))
            except (TypeError, ValueError):
                raise ValidationError({name: _("Enter a whole number.")}) from None
    if "narrative" in values:
        report.narrative = str(values["narrative"] or "").strip()
    report.updated_at = timezone.now()
    report.full_clean()
    with transaction.atomic():
        report.save()
        audit.record(report, "tto.report.updated", actor=actor)
    return report


def _sheets(report: AnnualReport) -> list[Sheet]:
    f = report.figures
    summary = Sheet(
        _("Summary"),
        [_("Item"), _("Value")],
        [
            (_("Year"), report.year),
            (_("Disclosures"), f.get("disclosures", 0)),
            (_("Patent applications filed"), f.get("applications_filed", 0)),
            (_("Patents granted"), f.get("patents_granted", 0)),
            (_("Open licences taken"), f.get("open_licences_taken", 0)),
            (_("Registered contracts"), f.get("contracts_count", 0)),
            (_("Contract amount (yuan)"), Decimal(f.get("contracts_amount", "0"))),
            (_("Income received (yuan)"), Decimal(f.get("income", "0"))),
            (_("Rewards to researchers (yuan)"), Decimal(f.get("rewards", "0"))),
            (_("Researchers rewarded"), f.get("rewarded_people", 0)),
            (_("Spin-off companies"), report.spinoffs),
            (_("Office staff"), report.office_staff),
        ],
    )
    contracts = Sheet(
        _("Contracts by type"),
        [_("Type"), _("Contracts"), _("Amount (yuan)"), _("Technology transaction amount (yuan)")],
        [
            (r["label"], r["count"], Decimal(r["amount"]), Decimal(r["technology_amount"]))
            for r in f.get("contracts", [])
        ],
    )
    return [summary, contracts]


def finalise_report(report: AnnualReport, *, actor: Any) -> None:
    """Make the report final: the Excel workbook is written at once (no typesetting) and the PDF is
    queued, typeset in the background once this commits and stored with its SHA-256 (``pdf_sha256`` is
    empty until then; ``tto.documents``, issue 22 point 6)."""
    from techbridge.core import documents

    from ..documents import REPORT

    if not is_office_of(actor, report.institution_id):
        raise PermissionDenied(OFFICE_MESSAGE)
    if report.status != ReportStatus.DRAFT:
        raise TransitionError(_("The report is already final."))
    xlsx = workbook_bytes(_sheets(report))
    with transaction.atomic():
        report.xlsx.save(f"report-{report.year}.xlsx", ContentFile(xlsx), save=False)
        report.xlsx_sha256 = hashlib.sha256(xlsx).hexdigest()
        report.pdf, report.pdf_sha256 = "", ""
        report.generated_at = timezone.now()
        report.save(update_fields=["pdf", "xlsx", "pdf_sha256", "xlsx_sha256", "generated_at"])
        transition(report, ReportStatus.FINAL, actor=actor, action="tto.report.finalised")
        documents.current(report, REPORT, actor=actor)


def reopen_report(report: AnnualReport, *, actor: Any) -> None:
    if not is_office_of(actor, report.institution_id):
        raise PermissionDenied(OFFICE_MESSAGE)
    transition(report, ReportStatus.DRAFT, actor=actor, action="tto.report.reopened")
