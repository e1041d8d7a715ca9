"""The indicators of a carrier's annual report and the evaluation formula over them (pure functions).

An annual report declares a fixed set of indicators; which ones a carrier fills in depends on its
family (incubation, R&D, transfer). A formula version holds, per indicator, a **weight** (points out of
100) and a **benchmark** (the value that earns the full weight). The score is

    score = Σ weight_i × min(value_i / benchmark_i, 1)     over the formula's indicators

so a carrier that reaches every benchmark scores 100, and each indicator's contribution is shown with
its inputs (value, benchmark, ratio, weight, points). Grades follow the formula's thresholds. Weights and
benchmarks are data (``EvaluationFormula`` rows): a new version changes them without touching code, and
every evaluation keeps the version it was computed with.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .choices import Family, Grade

MONEY_MAX = Decimal("999999999999.99")  # 1 万亿 yuan less a cent: bounded, fits max_digits=14
COUNT_MAX = 10_000_000


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str | Promise
    money: bool  # yuan (Decimal) rather than a count
    families: frozenset[str]
    help: str | Promise = ""


ALL = frozenset({Family.INCUBATION, Family.RD, Family.TRANSFER})
INCUBATION = frozenset({Family.INCUBATION})
INCUBATION_RD = frozenset({Family.INCUBATION, Family.RD})

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "firms_incubated",
        _("Firms incubated at year end"),
        False,
        INCUBATION_RD,
        _("Firms in incubation on 31 December (R&D carriers: spin-off firms incubated)."),
    ),
    Indicator("firms_new", _("Firms newly admitted in the year"), False, INCUBATION),
    Indicator("firms_graduated", _("Firms graduated in the year"), False, INCUBATION),
    Indicator(
        "achievements_transferred",
        _("Achievements transferred in"),
        False,
        ALL,
        _("Scientific and technological achievements brought in and put to use during the year."),
    ),
    Indicator("contracts_count", _("Technology contracts"), False, frozenset({Family.RD, Family.TRANSFER})),
    Indicator(
        "contracts_amount",
        _("Technology contract turnover (yuan)"),
        True,
        frozenset({Family.RD, Family.TRANSFER}),
    ),
    Indicator(
        "revenue",
        _("Revenue (yuan)"),
        True,
        ALL,
        _("Incubation carriers: total revenue of the firms they host; others: their own revenue."),
    ),
    Indicator("jobs", _("Jobs"), False, INCUBATION_RD, _("People employed by the carrier and its firms.")),
    Indicator(
        "investment",
        _("Investment attracted (yuan)"),
        True,
        INCUBATION_RD,
        _("Venture and other investment the firms raised during the year."),
    ),
    Indicator("rd_staff", _("R&D staff"), False, frozenset({Family.RD})),
    Indicator("patents_granted", _("Patents granted"), False, INCUBATION_RD),
    Indicator(
        "events_held",
        _("Service and start-up events held"),
        False,
        frozenset({Family.INCUBATION, Family.TRANSFER}),
    ),
)
BY_CODE = {i.code: i for i in INDICATORS}
CODES = tuple(BY_CODE)


def indicators_for(family: str) -> list[Indicator]:
    return [i for i in INDICATORS if family in i.families]


# ---- the formula -------------------------------------------------------------------------------------

MAX_WEIGHT = Decimal("100")
TWO = Decimal("0.01")


@dataclass(frozen=True)
class Term:
    """One indicator's share of a score, with every input shown."""

    code: str
    label: str
    value: Decimal | None
    benchmark: Decimal
    weight: Decimal
    ratio: Decimal
    points: Decimal

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "label": self.label,
            "value": None if self.value is None else str(self.value),
            "benchmark": str(self.benchmark),
            "weight": str(self.weight),
            "ratio": str(self.ratio),
            "points": str(self.points),
        }


def check_weights(family: str, weights: dict[str, Any], benchmarks: dict[str, Any]) -> list[str]:
    """Problems with a formula's data, as translated sentences (empty when it is usable)."""
    problems: list[str] = []
    allowed = {i.code for i in indicators_for(family)}
    if not weights:
        problems.append(str(_("Give at least one indicator a weight.")))
    for code, raw in weights.items():
        if code not in allowed:
            problems.append(
                str(_("“%(code)s” is not an indicator of this family of carriers.") % {"code": code})
            )
            continue
        weight = _decimal(raw)
        if weight is None or weight <= 0 or weight > MAX_WEIGHT:
            problems.append(str(_("The weight of %(label)s must be above 0 and at most 100.") % _names(code)))
        bench = _decimal(benchmarks.get(code))
        if bench is None or bench <= 0:
            problems.append(str(_("The benchmark of %(label)s must be a positive number.") % _names(code)))
    unknown = set(benchmarks) - set(weights)
    for code in sorted(unknown):
        problems.append(str(_("“%(code)s” has a benchmark but no weight.") % {"code": code}))
    total = sum((_decimal(w) or Decimal(0) for w in weights.values()), Decimal(0))
    if weights and total != MAX_WEIGHT:
        problems.append(
            str(_("The weights add up to %(total)s; they must add up to 100.") % {"total": total})
        )
    return problems


def score(
    values: dict[str, Any], weights: dict[str, Any], benchmarks: dict[str, Any]
) -> tuple[Decimal, list[Term]]:
    """The score (0–100, two decimals) of ``values`` under a formula, and its terms in formula order.

    A missing value counts as 0 (the report did not declare it) and is shown as missing.
    """
    terms = []
    for code, raw_weight in weights.items():
        weight = _decimal(raw_weight) or Decimal(0)
        bench = _decimal(benchmarks.get(code)) or Decimal(1)
        value = _decimal(values.get(code))
        ratio = min((value or Decimal(0)) / bench, Decimal(1)) if bench > 0 else Decimal(0)
        ratio = max(ratio, Decimal(0)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
        points = (weight * ratio).quantize(TWO, rounding=ROUND_HALF_UP)
        indicator = BY_CODE.get(code)
        terms.append(
            Term(code, str(indicator.label) if indicator else code, value, bench, weight, ratio, points)
        )
    total = sum((t.points for t in terms), Decimal(0)).quantize(TWO, rounding=ROUND_HALF_UP)
    return total, terms


def grade(total: Decimal, *, excellent: Decimal, good: Decimal, passing: Decimal) -> str:
    if total >= excellent:
        return Grade.EXCELLENT
    if total >= good:
        return Grade.GOOD
    if total >= passing:
        return Grade.PASS
    return Grade.FAIL


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        d = Decimal(str(value))
    except (ArithmeticError, ValueError):
        return None
    return d if d.is_finite() else None


def _names(code: str) -> dict[str, str]:
    indicator = BY_CODE.get(code)
    return {"label": str(indicator.label) if indicator else code}
