"""Scorecard weights (versioned) and the quarterly scores computed from them."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.workflow import TransitionError

from .. import scoring
from ..choices import InstitutionStatus
from ..models import Institution, QuarterlyScore, ScorecardWeights
from ..permissions import require_operator
from ..queries import current_weights
from ._common import text

CATEGORIES = ScorecardWeights.CATEGORIES


def set_weights(*, actor: Any, weights: dict[str, int], note: str = "") -> ScorecardWeights:
    """Put a new version of the weights in force (operators). They must add up to 100; earlier
    scores keep the version they were computed with."""
    require_operator(actor)
    note = text(note, "note", 300)
    for _attempt in range(3):
        last = ScorecardWeights.objects.aggregate(v=Max("version"))["v"] or 0
        row = ScorecardWeights(
            version=last + 1, note=note, created_by=actor, **{c: weights.get(c) for c in CATEGORIES}
        )
        row.full_clean()
        try:
            with transaction.atomic():
                row.save()
                audit.record(
                    row, "institutions.weights.created", actor=actor, message=note, data=row.as_dict()
                )
            return row
        except IntegrityError:
            continue  # someone added a version at the same moment: take the next number
    raise TransitionError(_("Someone else changed this record a moment ago. Reload and try again."))


def _same(old: QuarterlyScore, new: dict[str, Any], weights: ScorecardWeights, provisional: bool) -> bool:
    return (
        old.weights_id == weights.pk
        and old.provisional == provisional
        and old.total == new["total"]
        and all(getattr(old, c) == new[c] for c in CATEGORIES)
        and old.inputs == new["inputs"]
    )


def compute_quarter(
    quarter: scoring.Quarter, *, actor: Any = None, institutions: list[Institution] | None = None
) -> dict[str, int]:
    """Score every listed institution (or ``institutions``) for ``quarter``.

    An institution whose inputs did not change since its last version keeps it; any change adds a new
    version (the old one stays, never overwritten). A quarter not yet over is scored ``provisional``.
    ``actor`` is an operator, or ``None`` for the scheduled run. Returns counts of created and
    unchanged scores.
    """
    if actor is not None:
        require_operator(actor)
    today = timezone.localdate()
    if quarter.start > today:
        raise TransitionError(_("A quarter that has not begun cannot be scored."))
    weights = current_weights()
    if weights is None:
        raise TransitionError(_("No scorecard weights are in force."))
    if institutions is None:
        institutions = list(Institution.objects.filter(status=InstitutionStatus.APPROVED).order_by("pk"))
    provisional = quarter.end >= today
    results = scoring.compute(institutions, quarter, weights)
    latest: dict[int, QuarterlyScore] = {}
    for score in QuarterlyScore.objects.filter(
        institution_id__in=[i.pk for i in institutions], year=quarter.year, quarter=quarter.quarter
    ).order_by("institution_id", "version"):
        latest[score.institution_id] = score
    now = timezone.now()
    new: list[QuarterlyScore] = []
    for inst in institutions:
        r = results[inst.pk]
        old = latest.get(inst.pk)
        if old is not None and _same(old, r, weights, provisional):
            continue
        new.append(
            QuarterlyScore(
                institution=inst,
                year=quarter.year,
                quarter=quarter.quarter,
                version=(old.version + 1) if old else 1,
                weights=weights,
                provisional=provisional,
                computed_at=now,
                computed_by=actor if getattr(actor, "is_authenticated", False) else None,
                **{c: r[c] for c in (*CATEGORIES, "total", "grade", "inputs")},
            )
        )
    with transaction.atomic():
        created = QuarterlyScore.objects.bulk_create(new, batch_size=500)
        # The institution's current score is its newest quarter's newest version.
        newest: dict[int, QuarterlyScore] = {}
        for score in created:
            cur = newest.get(score.institution_id)
            if cur is None or (score.year, score.quarter, score.version) > (
                cur.year,
                cur.quarter,
                cur.version,
            ):
                newest[score.institution_id] = score
        if newest:
            moved = []
            for inst in Institution.objects.filter(pk__in=list(newest)).select_related("current_score"):
                score, cur = newest[inst.pk], inst.current_score
                if cur is None or (score.year, score.quarter) >= (cur.year, cur.quarter):
                    inst.current_score = score
                    moved.append(inst)
            Institution.objects.bulk_update(moved, ["current_score"], batch_size=500)
        if created:
            # One audit entry per run (a thousand institutions: one row, the scores keep their inputs).
            audit.record(
                weights,
                "institutions.score.computed",
                actor=actor,
                data={
                    "quarter": quarter.label,
                    "created": len(created),
                    "unchanged": len(institutions) - len(created),
                    "provisional": provisional,
                },
            )
    return {"created": len(created), "unchanged": len(institutions) - len(created)}


def score_last_quarter() -> dict[str, int]:
    """Daily sweep: score the last finished quarter (idempotent: unchanged inputs add nothing)."""
    if current_weights() is None:
        return {"created": 0, "unchanged": 0}
    return compute_quarter(scoring.Quarter.of(timezone.localdate()).previous())
