"""Evaluation formula versions and the figures universities enter where no record exists yet."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.roles import is_operator, is_staff_reviewer
from techbridge.core.workflow import transition

from ..choices import FigureStatus
from ..evaluation import BY_CODE, MANUAL_INPUTS, validate_weights
from ..models import EvaluationFigure, EvaluationFormula
from ..permissions import can_submit_evaluation_figure
from . import require
from .uploads import check_upload


@transaction.atomic
def create_formula(*, actor: Any, weights: dict[str, Any], note: str) -> EvaluationFormula:
    """The next version of the formula; earlier versions stay as they were."""
    require(is_operator(actor), _("Only platform operators change the evaluation formula."))
    if not (note or "").strip():
        raise ValidationError({"note": _("Say why the formula changes.")})
    clean = validate_weights(weights)
    last = EvaluationFormula.objects.aggregate(m=Max("version"))["m"] or 0
    formula = EvaluationFormula(version=last + 1, weights=clean, note=note, created_by=actor)
    formula.full_clean()
    formula.save()
    audit.record(
        formula,
        "governance.formula.created",
        actor=actor,
        data={"version": formula.version, "weights": clean},
    )
    return formula


@transaction.atomic
def submit_figure(
    organization: Any,
    *,
    actor: Any,
    year: int,
    input: str,
    value: Decimal,
    evidence: str,
    attachment: Any = None,
) -> EvaluationFigure:
    require(
        can_submit_evaluation_figure(actor, organization),
        _("Only the organisation's admins and platform operators enter evaluation figures."),
    )
    if input not in MANUAL_INPUTS:
        raise ValidationError(
            {"input": _("This input comes from platform records; it takes no manual figure.")}
        )
    figure = EvaluationFigure(
        organization=organization, year=year, input=input, value=value, evidence=evidence, submitted_by=actor
    )
    if attachment is not None:
        check_upload(attachment)
        figure.attachment = attachment
    figure.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            figure.save()
    except IntegrityError as exc:
        raise ValidationError(
            _("A figure for %(input)s in %(year)s is already waiting or accepted.")
            % {"input": BY_CODE[input].label, "year": year}
        ) from exc
    audit.record(
        figure,
        "governance.evaluationfigure.submitted",
        actor=actor,
        data={"year": year, "input": input, "value": str(value)},
    )
    return figure


@transaction.atomic
def review_figure(figure: EvaluationFigure, *, actor: Any, accept: bool, note: str = "") -> None:
    require(is_staff_reviewer(actor), _("Only platform staff review evaluation figures."))
    if not accept and not (note or "").strip():
        raise ValidationError({"note": _("Give the organisation a reason.")})
    transition(
        figure,
        FigureStatus.ACCEPTED if accept else FigureStatus.REJECTED,
        actor=actor,
        action="governance.evaluationfigure.accepted" if accept else "governance.evaluationfigure.rejected",
        message=note,
        changes={"reviewed_by": actor, "reviewed_at": timezone.now(), "review_note": note},
    )
    if accept:
        forget_ranking(figure.year)


def forget_ranking(year: int) -> None:
    """Drop the cached ranking of ``year`` (every formula version) after its inputs changed."""
    from django.core.cache import cache

    versions = EvaluationFormula.objects.values_list("version", flat=True)
    cache.delete_many([f"gov:ranking:{year}:{v}" for v in versions])
