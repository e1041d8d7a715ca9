"""Annual reports, their review and the performance evaluation (绩效评价) with versioned formulas."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.notifications import notify
from techbridge.core.roles import Role
from techbridge.core.workflow import TransitionError, record_created, transition

from .. import indicators, permissions
from ..choices import CarrierStatus, FormulaStatus, ReportStatus
from ..models import AnnualReport, Carrier, Evaluation, EvaluationFormula

REPORT_FIELDS = (*indicators.CODES, "narrative")


def _report_fields_for(carrier: Carrier) -> set[str]:
    return {i.code for i in indicators.indicators_for(carrier.family)} | {"narrative"}


def _check_year(year: int) -> None:
    this_year = timezone.localdate().year
    if year > this_year:
        raise ValidationError({"year": _("A report covers a year that has begun.")})
    if year < 1980:
        raise ValidationError({"year": _("Give a year from 1980 on.")})


def start_report(
    carrier: Carrier, *, actor: Any, year: int, data: dict[str, Any] | None = None
) -> AnnualReport:
    """Open the draft report of ``carrier`` for ``year`` (one per year) with the declared indicators."""
    permissions.check_file_reports(actor, carrier)
    if carrier.status != CarrierStatus.APPROVED:
        raise TransitionError(_("Annual reports are filed for approved carriers."))
    _check_year(year)
    data = data or {}
    _check_data(carrier, data)
    report = AnnualReport(carrier=carrier, year=year, **data)
    report.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            report.save()
            record_created(report, actor=actor, action="carriers.report.created")
    except IntegrityError:
        raise ValidationError(
            {"year": _("This carrier already has a report for %(year)s.") % {"year": year}}
        ) from None
    return report


def _check_data(carrier: Carrier, data: dict[str, Any]) -> None:
    allowed = _report_fields_for(carrier)
    unknown = set(data) - set(REPORT_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))})
    foreign = sorted(k for k, v in data.items() if k not in allowed and v not in (None, ""))
    if foreign:
        raise ValidationError(
            {
                name: _("This indicator does not apply to a %(kind)s.") % {"kind": carrier.get_kind_display()}
                for name in foreign
            }
        )


def update_report(report: AnnualReport, *, actor: Any, data: dict[str, Any]) -> list[str]:
    permissions.check_file_reports(actor, report.carrier)
    if not report.editable:
        raise TransitionError(
            _("This report is with the reviewers or accepted; it can no longer be changed.")
        )
    _check_data(report.carrier, data)
    changed = [k for k, v in data.items() if getattr(report, k) != v]
    for key, value in data.items():
        setattr(report, key, value)
    report.full_clean(validate_constraints=False)
    with transaction.atomic():
        report.updated_at = timezone.now()
        report.save(update_fields=[*data, "updated_at"])
        if changed:
            audit.record(report, "carriers.report.updated", actor=actor, data={"fields": sorted(changed)})
    return changed


def submit_report(report: AnnualReport, *, actor: Any) -> None:
    """Send the report to the reviewers; every indicator of the carrier's family must be declared."""
    permissions.check_file_reports(actor, report.carrier)
    missing = [
        str(i.label)
        for i in indicators.indicators_for(report.carrier.family)
        if getattr(report, i.code) is None
    ]
    if missing:
        raise ValidationError(
            _("Declare every indicator before submitting (0 where there is nothing): %(names)s.")
            % {"names": "、".join(missing)}
        )
    transition(
        report,
        ReportStatus.SUBMITTED,
        actor=actor,
        action="carriers.report.submitted",
        changes={"submitted_at": timezone.now(), "submitted_by": actor, "return_reason": ""},
    )


def accept_report(report: AnnualReport, *, actor: Any) -> Evaluation | None:
    """Accept a submitted report and evaluate it with the formula in use for the carrier's family.

    Returns the evaluation, or ``None`` when no formula is in use yet (staff evaluate later).
    """
    permissions.check_review_reports(actor)
    with transaction.atomic():
        transition(
            report,
            ReportStatus.ACCEPTED,
            actor=actor,
            action="carriers.report.accepted",
            changes={"reviewed_at": timezone.now(), "reviewed_by": actor, "return_reason": ""},
        )
        formula = active_formula(report.carrier.family)
        evaluation = evaluate_report(report, actor=actor, formula=formula) if formula else None
    _tell_carrier(report, _("Your annual report %(year)s was accepted.") % {"year": report.year})
    return evaluation


def return_report(report: AnnualReport, *, actor: Any, reason: str) -> None:
    permissions.check_review_reports(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the carrier a reason it can act on.")})
    transition(
        report,
        ReportStatus.RETURNED,
        actor=actor,
        action="carriers.report.returned",
        message=reason,
        changes={"return_reason": reason[:2000], "reviewed_at": timezone.now(), "reviewed_by": actor},
    )
    _tell_carrier(
        report, _("Your annual report %(year)s was returned for correction.") % {"year": report.year}, reason
    )


def _tell_carrier(report: AnnualReport, title: str, body: str = "") -> None:
    from django.urls import reverse

    carrier = report.carrier
    recipients = {u.pk: u for u in carrier.operator.members.filter(role=Role.ORG_ADMIN, is_active=True)}  # type: ignore[attr-defined]
    if report.submitted_by is not None:
        recipients.setdefault(report.submitted_by.pk, report.submitted_by)
    for user in recipients.values():
        notify(
            user,
            kind="carrier_report",
            title=title,
            body=body,
            link=reverse("carriers:report", args=[report.pk]),
        )


# ---- formulas and evaluations -------------------------------------------------------------------------


def active_formula(family: str) -> EvaluationFormula | None:
    return EvaluationFormula.objects.filter(family=family, status=FormulaStatus.ACTIVE).first()


def evaluate_report(
    report: AnnualReport, *, actor: Any, formula: EvaluationFormula | None = None
) -> Evaluation:
    """Score an accepted report with ``formula`` (default: the one in use) and keep every input.

    Evaluating again with the same formula version returns the existing evaluation unchanged.
    """
    if actor is not None:  # None: the platform itself (a command, a migration)
        permissions.check_evaluate(actor)
    if report.status != ReportStatus.ACCEPTED:
        raise TransitionError(_("Only an accepted report is evaluated."))
    formula = formula or active_formula(report.carrier.family)
    if formula is None:
        raise TransitionError(_("No evaluation formula is in use for this kind of carrier yet."))
    if formula.family != report.carrier.family:
        raise ValidationError(_("This formula is for another family of carriers."))
    if formula.status == FormulaStatus.DRAFT:
        raise TransitionError(_("A draft formula cannot be used; put it into use first."))
    existing = Evaluation.objects.filter(report=report, formula=formula).first()
    if existing is not None:
        return existing
    total, terms = indicators.score(report.values(), formula.weights, formula.benchmarks)
    grade = indicators.grade(
        total, excellent=formula.excellent_from, good=formula.good_from, passing=formula.pass_from
    )
    evaluation = Evaluation(
        report=report,
        carrier=report.carrier,
        year=report.year,
        formula=formula,
        inputs=[t.as_dict() for t in terms],
        score=total,
        grade=grade,
        issued_by=actor,
    )
    evaluation.full_clean(validate_constraints=False)
    with transaction.atomic():
        evaluation.save()
        audit.record(
            report,
            "carriers.evaluation.issued",
            actor=actor,
            data={
                "evaluation": evaluation.pk,
                "formula": formula.pk,
                "version": formula.version,
                "score": str(total),
            },
        )
    return evaluation


def draft_formula(
    *,
    actor: Any,
    family: str,
    title: str,
    weights: dict[str, Any],
    benchmarks: dict[str, Any],
    thresholds: tuple[Any, Any, Any] | None = None,
    notes: str = "",
) -> EvaluationFormula:
    """A new draft version of the formula of ``family`` (the next version number)."""
    permissions.check_change_formulas(actor)
    with transaction.atomic():
        latest = EvaluationFormula.objects.filter(family=family).aggregate(v=Max("version"))["v"] or 0
        formula = EvaluationFormula(
            family=family,
            version=latest + 1,
            title=title,
            weights={k: str(v) for k, v in weights.items()},
            benchmarks={k: str(v) for k, v in benchmarks.items()},
            notes=notes,
            created_by=actor,
        )
        if thresholds is not None:
            formula.excellent_from, formula.good_from, formula.pass_from = thresholds
        formula.full_clean(validate_constraints=False)
        formula.save()
        record_created(formula, actor=actor, action="carriers.formula.created")
    return formula


def activate_formula(formula: EvaluationFormula, *, actor: Any) -> None:
    """Put a draft version into use; the version in use until now is retired (kept, never changed)."""
    permissions.check_change_formulas(actor)
    formula.full_clean(validate_constraints=False)
    with transaction.atomic():
        current = active_formula(formula.family)
        if current is not None and current.pk != formula.pk:
            transition(current, FormulaStatus.RETIRED, actor=actor, action="carriers.formula.retired")
        transition(
            formula,
            FormulaStatus.ACTIVE,
            actor=actor,
            action="carriers.formula.activated",
            changes={"activated_at": timezone.now()},
        )


# ---- reminders ------------------------------------------------------------------------------------------

REPORT_SEASON = (1, 4)  # reminders from January to April for the year before


def remind_annual_reports(today: dt.date | None = None) -> int:
    """Remind the admins of approved carriers without a submitted report for last year (once per year)."""
    from django.urls import reverse

    today = today or timezone.localdate()
    if not (REPORT_SEASON[0] <= today.month <= REPORT_SEASON[1]):
        return 0
    year = today.year - 1
    filed = AnnualReport.objects.filter(year=year).exclude(status=ReportStatus.DRAFT).values("carrier_id")
    sent = 0
    carriers = (
        Carrier.objects.filter(status=CarrierStatus.APPROVED).exclude(pk__in=filed).select_related("operator")
    )
    for carrier in carriers.iterator():
        for user in carrier.operator.members.filter(role=Role.ORG_ADMIN, is_active=True):  # type: ignore[attr-defined]
            sent += notify(
                user,
                kind="carrier_report_due",
                title=_("The annual report %(year)s of %(name)s is due.")
                % {"year": year, "name": carrier.name},
                link=reverse("carriers:detail", args=[carrier.pk]),
                dedupe_key=f"carrier-report:{carrier.pk}:{year}:{user.pk}",
            )
    return sent
