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
    "profit_margin": gettext_lazy("profit margin"),
    "technology_share": gettext_lazy("technology share (分成率)"),
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
