"""The sentences for the formulas' error codes: one place, translated when shown."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .formulas import FormulaError

FIELD_LABELS: dict[str, Any] = {
    "developer_profit_rate": gettext_lazy("developer profit rate"),
    "technical_obsolescence": gettext_lazy("technical obsolescence"),
    "economic_obsolescence": gettext_lazy("economic obsolescence"),
    "royalty_rate": gettext_lazy("royalty rate"),
    "profit_margin": gettext_lazy("pre-tax profit margin (销售利润率)"),
    "technology_share": gettext_lazy("profit share rate (利润分成率)"),
    "share_low": gettext_lazy("lower bound of the profit share rate"),
    "share_high": gettext_lazy("upper bound of the profit share rate"),
    "share_decline": gettext_lazy("yearly decline of the share rate"),
    "cost": gettext_lazy("cost approach"),
    "market": gettext_lazy("market approach"),
    "income": gettext_lazy("income approach"),
    "weighted": gettext_lazy("weighted suggestion"),
    "tax_rate": gettext_lazy("income tax rate"),
    "reproduction_cost": gettext_lazy("reproduction cost"),
    "first_year_revenue": gettext_lazy("first-year revenue"),
    "economic_life_years": gettext_lazy("economic life"),
    "risk_free_rate": gettext_lazy("risk-free rate"),
}


def describe(code: str, params: Mapping[str, Any] | None = None) -> str:
    """A translated sentence for a formula error code and its parameters."""
    p = dict(params or {})
    name = str(FIELD_LABELS.get(str(p.get("name", "")), p.get("name", "")))
    texts = {
        "negative_cost": _("The cost cannot be negative."),
        "negative_revenue": _("The revenue forecast cannot be negative."),
        "negative_rate": _("The risk-free rate and the risk premiums cannot be negative."),
        "negative_weight": _("Weights cannot be negative."),
        "negative_indicator": _("Indicator inputs cannot be negative or zero."),
        "negative_comparable": _("A comparable has a negative price."),
        "rate_out_of_range": _("The %(name)s must be between 0 %% and 100 %%.") % {"name": name},
        "growth_too_low": _("Revenue cannot shrink by 100 percent or more a year."),
        "life_too_short": _("The economic life must be at least one year."),
        "missing_input": _("The %(name)s is missing.") % {"name": name},
        "unknown_method": _("Choose relief from royalty or the profit-share method."),
        "discount_not_above_growth": _(
            "The discount rate (%(r)s %%) must be above the growth rate (%(g)s %%): income growing as fast "
            "as it is discounted has no credible value."
        )
        % {"r": _pct(p.get("r")), "g": _pct(p.get("g"))},
        "patent_expired": _("The patent term has ended: there is no protected income left to value."),
        "life_beyond_term": _(
            "The economic life (%(life)s years) is longer than the remaining patent term (%(term)s years). "
            "Shorten it to the term at most."
        )
        % {"life": p.get("life"), "term": p.get("term")},
        "too_few_comparables": _(
            "Too few comparables: %(found)s found, at least %(minimum)s needed. The market approach gives "
            "no value."
        )
        % {"found": p.get("found"), "minimum": p.get("minimum")},
        "nothing_to_reconcile": _("No approach gave a value, so there is no final range."),
        "no_weights": _("At least one weight must be above zero."),
        "unknown_legal_status": _("Unknown legal status."),
        "trl_out_of_range": _("The technology readiness level must be between 1 and 9."),
        "unknown_indicator": _("Unknown indicator."),
        "not_a_patent": _("Only an invention, utility model or design patent has a statutory term."),
        "adjustment_out_of_range": _("The patent term adjustment must be between 0 and five years."),
        "adjustment_not_invention": _(
            "Only an invention patent can have its term adjusted (专利法 art. 42 para. 2 and 3)."
        ),
        "share_bounds_reversed": _("The lower bound of the profit share rate is above the upper bound."),
        "share_score_missing": _("Score every factor of the share-rate table (%(name)s is missing).")
        % {"name": p.get("name")},
        "share_score_out_of_range": _("Share-rate scores are between 0 and 100."),
        "perpetuity_with_term": _(
            "A patent ends with its term: income in perpetuity is only for technology without a legal "
            "term, such as a technical secret."
        ),
        "tech_factor_out_of_range": _("A technical-difference factor must be between 0.5 and 2."),
        "unknown_conclusion": _("Choose the approach the conclusion rests on."),
        "conclusion_without_value": _("The %(name)s gave no value: the conclusion cannot rest on it.")
        % {"name": name},
        "conclusion_reason_missing": _("Explain why this approach is the conclusion."),
    }
    return texts.get(code, code)


def _pct(value: Any) -> str:
    if value is None:
        return "?"
    from decimal import Decimal

    return f"{(Decimal(str(value)) * 100).normalize():f}"


def error_dict(exc: FormulaError) -> dict[str, Any]:
    """A JSON-able record of a formula error (kept in snapshots, described when shown)."""
    return {"code": exc.code, "params": {k: str(v) for k, v in exc.params.items()}}
