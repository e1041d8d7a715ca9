"""Performance evaluation of universities and institutes (高校院所科技成果转移转化绩效评价).

Each input is a metric with a per-organisation figure (``Metric.by_organization``, computed by the app
that owns the records), or a figure entered with evidence and accepted by staff where no record exists
yet (spin-offs). The formula is data (``EvaluationFormula``, versioned):

    score = 100 × Σ (weightᵢ × normᵢ) ÷ Σ weightᵢ
    normᵢ = valueᵢ ÷ the highest value among the organisations evaluated (for "lower is better" inputs:
            the lowest value ÷ valueᵢ); an organisation without a value scores 0 on that input.

Organisations are ranked by score (equal scores share a rank). Contract amounts of an organisation
with fewer than ``min_count`` contracts are shown to others as the count only (the score still uses
them).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from techbridge.core.registry import Metric, Period, find_metric
from techbridge.organizations.choices import OrgStatus
from techbridge.organizations.models import Organization

from .choices import FigureStatus
from .measures import cache_seconds, metric_value
from .models import EvaluationFigure, EvaluationFormula
from .permissions import EVALUATED_KINDS


@dataclass(frozen=True)
class Input:
    code: str
    label: str | Promise
    metric: str = ""  # empty: entered with evidence (EvaluationFigure)
    unit: str | Promise = ""
    higher_is_better: bool = True


INPUTS: tuple[Input, ...] = (
    Input("achievements_published", _("Achievements published"), "achievements.published", _("items")),
    Input("achievements_refreshed", _("Achievements refreshed"), "achievements.refreshed", _("items")),
    Input("demands_answered", _("Demands answered"), "deals.demands_answered", _("demands")),
    Input("rooms_opened", _("Negotiation rooms"), "deals.rooms_opened", _("rooms")),
    Input("contracts_registered", _("Registered contracts"), "contracts.registered", _("contracts")),
    Input("turnover", _("Registered turnover"), "contracts.turnover", _("yuan")),
    Input("licensing_income", _("Licensing income"), "contracts.licensing_income", _("yuan")),
    Input("inventor_rewards", _("Rewards to researchers"), "tto.inventor_rewards", _("yuan")),
    Input("spinoffs", _("Spin-off companies"), "", _("companies")),
    Input("nanjing_share", _("Share transferred in Nanjing"), "contracts.nanjing_share", "%"),
    Input(
        "days_to_contract",
        _("Median days from listing to contract"),
        "contracts.days_to_contract",
        _("days"),
        higher_is_better=False,
    ),
)
BY_CODE = {i.code: i for i in INPUTS}
MANUAL_INPUTS = tuple(i.code for i in INPUTS if not i.metric)


def current_formula() -> EvaluationFormula | None:
    return EvaluationFormula.objects.order_by("-version").first()


@dataclass
class InputValue:
    value: Decimal | None
    norm: Decimal = Decimal("0")
    withheld: bool = False
    count: int | None = None


@dataclass
class Row:
    organization: Organization
    values: dict[str, InputValue]
    score: Decimal = Decimal("0")
    rank: int = 0


@dataclass
class Ranking:
    year: int
    formula: EvaluationFormula
    inputs: list[dict[str, Any]]
    rows: list[Row] = field(default_factory=list)

    def row_of(self, org_id: int) -> Row | None:
        return next((r for r in self.rows if r.organization.pk == org_id), None)


def _dec(v: Any) -> Decimal | None:
    return None if v is None else v if isinstance(v, Decimal) else Decimal(str(v))


def _values(inp: Input, period: Period, orgs: list[int]) -> tuple[Mapping[int, Any] | None, str]:
    """Per-organisation values of one input, and ``""`` or why there are none."""
    if not inp.metric:
        rows = EvaluationFigure.objects.filter(
            organization_id__in=orgs, year=period.start.year, input=inp.code, status=FigureStatus.ACCEPTED
        ).values_list("organization_id", "value")
        return dict(rows), ""
    metric = find_metric(inp.metric)
    if metric is None or metric.by_organization is None:
        return None, "no_source"
    if metric_value(metric, period) is None:
        return {}, ""  # the records do not reach into the period: no data for anyone
    values = metric.by_organization(period)
    if metric.by_place is not None:  # a count or a sum: an organisation without records has 0
        return {org: values.get(org, 0) for org in orgs}, ""
    return values, ""


def _counts(metric: Metric | None, period: Period) -> Mapping[int, Any] | None:
    if metric is None or not metric.count_metric:
        return None
    counter = find_metric(metric.count_metric)
    if counter is None or counter.by_organization is None:
        return None
    return counter.by_organization(period)


def evaluate(year: int, formula: EvaluationFormula | None = None) -> Ranking | None:
    """The ranking of approved universities and institutes for ``year`` (cached briefly)."""
    formula = formula or current_formula()
    if formula is None:
        return None
    key = f"gov:ranking:{year}:{formula.version}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    ranking = _evaluate(year, formula)
    cache.set(key, ranking, cache_seconds())
    return ranking


def _evaluate(year: int, formula: EvaluationFormula) -> Ranking:
    period = Period.year(year)
    orgs = list(
        Organization.objects.filter(kind__in=EVALUATED_KINDS, status=OrgStatus.APPROVED).order_by(
            "name", "pk"
        )
    )
    ids = [o.pk for o in orgs]
    weights = {k: Decimal(str(v)) for k, v in formula.weights.items()}
    inputs_meta: list[dict[str, Any]] = []
    per_input: dict[str, dict[int, InputValue]] = {}
    for inp in INPUTS:
        values, missing = _values(inp, period, ids)
        metric = find_metric(inp.metric) if inp.metric else None
        counts = _counts(metric, period)
        cells: dict[int, InputValue] = {}
        for org_id in ids:
            v = _dec(values.get(org_id)) if values is not None else None
            cell = InputValue(v)
            if counts is not None and v is not None and metric is not None:
                n = int(counts.get(org_id) or 0)
                cell.count = n
                cell.withheld = 0 < n < metric.min_count
            cells[org_id] = cell
        present = [c.value for c in cells.values() if c.value is not None]
        if present:
            best = max(present) if inp.higher_is_better else min(present)
            for c in cells.values():
                if c.value is None:
                    continue
                if inp.higher_is_better:
                    c.norm = c.value / best if best > 0 else Decimal("0")
                else:
                    c.norm = Decimal("1") if c.value <= 0 else best / c.value
        per_input[inp.code] = cells
        inputs_meta.append(
            {
                "code": inp.code,
                "label": str(inp.label),
                "unit": str(inp.unit),
                "metric": inp.metric,
                "manual": not inp.metric,
                "higher_is_better": inp.higher_is_better,
                "weight": weights.get(inp.code, Decimal("0")),
                "missing": missing,
            }
        )
    total_weight = sum(weights.get(i.code, Decimal("0")) for i in INPUTS)
    rows = []
    for org in orgs:
        values_of = {code: per_input[code][org.pk] for code in per_input}
        weighted = sum(weights.get(code, Decimal("0")) * v.norm for code, v in values_of.items())
        score = (Decimal("100") * weighted / total_weight) if total_weight else Decimal("0")
        rows.append(Row(org, values_of, score.quantize(Decimal("0.01"))))
    rows.sort(key=lambda r: (-r.score, r.organization.name))
    previous: Decimal | None = None
    for position, row in enumerate(rows, start=1):
        row.rank = rows[position - 2].rank if previous is not None and row.score == previous else position
        previous = row.score
    return Ranking(year, formula, inputs_meta, rows)


def formula_text() -> str:
    return str(
        _(
            "Score = 100 × Σ(weight × normalised value) ÷ Σ weight. Normalised value = value ÷ the highest "
            "value among the organisations evaluated (for inputs where less is better: the lowest value ÷ "
            "value). No value counts as 0."
        )
    )


def validate_weights(weights: Mapping[str, Any]) -> dict[str, str]:
    """Weights keyed by input code, each 0–100, at least one above zero; returns them as strings."""
    from django.core.exceptions import ValidationError

    if not isinstance(weights, Mapping):
        raise ValidationError(_("Give the weights as a mapping from input to number."))
    unknown = sorted(set(weights) - set(BY_CODE))
    if unknown:
        raise ValidationError(_("Unknown inputs: %(codes)s.") % {"codes": ", ".join(unknown)})
    out: dict[str, str] = {}
    for code in BY_CODE:
        raw = weights.get(code, 0)
        try:
            w = Decimal(str(raw))
        except Exception as exc:
            raise ValidationError(_("The weight of %(code)s is not a number.") % {"code": code}) from exc
        if not w.is_finite() or not (Decimal("0") <= w <= Decimal("100")) or w != w.quantize(Decimal("0.01")):
            raise ValidationError(
                _("The weight of %(code)s must be between 0 and 100 with at most two decimals.")
                % {"code": code}
            )
        out[code] = str(w)
    if not any(Decimal(v) > 0 for v in out.values()):
        raise ValidationError(_("At least one weight must be above zero."))
    return out


def display_rows(ranking: Ranking, *, own: int | None = None) -> list[dict[str, Any]]:
    """The ranking's rows as the pages show them: every input's value (or "no data source yet", "no data",
    the contract count where the amount is withheld — except for the organisation's own row) and its
    normalised value, formatted once here rather than cell by cell in the template."""
    from django.utils.translation import gettext as gettext_now

    from .templatetags.governance import number

    no_source, no_data = gettext_now("no data source yet"), gettext_now("no data")
    out = []
    for row in ranking.rows:
        cells = []
        for meta in ranking.inputs:
            v = row.values[meta["code"]]
            if meta["missing"]:
                cell = {"text": no_source, "muted": True, "flag": "nosource"}
            elif v.withheld and row.organization.pk != own:
                cell = {
                    "text": "* " + gettext_now("%(n)s contracts") % {"n": v.count},
                    "muted": True,
                    "flag": "withheld",
                }
            elif v.value is None:
                cell = {"text": no_data, "muted": True, "flag": "nodata"}
            else:
                cell = {"text": number(v.value), "muted": False, "flag": ""}
            cell["norm"] = f"{v.norm:.3f}"
            cells.append(cell)
        out.append({"org": row.organization, "rank": row.rank, "score": row.score, "cells": cells})
    return out
