"""Run the approaches on a request's assumptions and produce the JSON record that pages, the API and
the PDF report all show (and that an issued valuation keeps as its snapshot).

Every number in the record is a string (Decimal text, no float); errors are ``{"code", "params"}``
and are put into words when shown (``messages.describe``), so an issued snapshot reads in the
viewer's language.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from techbridge.lib.text import split_list

from . import formulas as F
from .comparables import Comparable, find_comparables
from .formulas import FormulaError
from .messages import error_dict

ASSUMPTION_FIELDS = (
    "reproduction_cost",
    "developer_profit_pct",
    "technical_obsolescence_pct",
    "economic_obsolescence_pct",
    "income_method",
    "first_year_revenue",
    "growth_pct",
    "economic_life_years",
    "remaining_term_years",
    "patent_filing_date",
    "term_adjustment_days",
    "income_perpetuity",
    "tax_pct",
    "risk_free_pct",
    "technology_risk_pct",
    "market_risk_pct",
    "management_risk_pct",
    "royalty_pct",
    "profit_margin_pct",
    "technology_share_pct",
    "share_decline_pct",
    "share_low_pct",
    "share_high_pct",
    "share_scores",
    "subject_deal_mode",
    "price_index_pct",
    "comparable_adjustments",
    "weight_cost",
    "weight_market",
    "weight_income",
)


def _s(x: Any) -> Any:
    if x is None:
        return None
    if isinstance(x, dict):
        return {str(k): _s(v) for k, v in x.items()}
    if isinstance(x, date):
        return x.isoformat()
    return str(x)


def _frac(pct: Decimal | None) -> Decimal | None:
    return None if pct is None else Decimal(pct) / 100


def _pct_text(fraction: Decimal) -> str:
    return str((fraction * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _table(t: F.SensitivityTable | None, *, rows_pct: bool, cols_pct: bool) -> dict[str, Any] | None:
    if t is None:
        return None
    return {
        "row_label": t.row_label,
        "col_label": t.col_label,
        "rows": [_pct_text(r) if rows_pct else str(r) for r in t.rows],
        "cols": [_pct_text(c) if cols_pct else str(c) for c in t.cols],
        "values": [[str(v) for v in row] for row in t.values],
    }


def _missing(name: str) -> dict[str, Any]:
    return {"ok": False, "error": {"code": "missing_input", "params": {"name": name}}}


# ---- scorecard -------------------------------------------------------------------------------


def scorecard_inputs(achievement: Any, card: Any | None) -> dict[str, Any]:
    """The indicator inputs: entered ones from the scorecard, the rest read from the achievement."""
    ipc = F.ipc_breadth(split_list(achievement.ipc_codes or "", slash=False))
    team = len(split_list(achievement.team or "", slash=False))
    return {
        "legal_status": (card.legal_status or None) if card else None,
        "remaining_term": card.remaining_term_years if card else None,
        "claims": card.claims if card else None,
        "family_size": card.family_size if card else None,
        "citations": card.citations if card else None,
        "ipc_breadth": ipc or None,
        "trl": achievement.trl,
        "team": team or None,
        "market": card.market_size if card else None,
    }


def score(achievement: Any, card: Any | None, weights: dict[str, Decimal]) -> tuple[F.ScoreResult, dict]:
    inputs = scorecard_inputs(achievement, card)
    return F.scorecard(inputs, weights), inputs


# ---- legal term and share rate ---------------------------------------------------------------


def legal_term(req: Any, card: Any | None, as_of: date) -> dict[str, Any]:
    """The remaining legal term the income and market approaches use, and where it comes from.

    From the filing date when given (专利法 art. 42: the kind's term from the filing date, designs 10 or
    15 years by date, plus an invention's term adjustment), else as entered, else the scorecard's.
    """
    if req.patent_filing_date:
        kind = req.achievement.kind
        try:
            expiry = F.patent_expiry(kind, req.patent_filing_date, int(req.term_adjustment_days or 0))
        except FormulaError as exc:
            return {"ok": False, "error": error_dict(exc)}
        return {
            "ok": True,
            "source": "filing_date",
            "kind": kind,
            "filed": req.patent_filing_date.isoformat(),
            "years": F.statutory_term_years(kind, req.patent_filing_date),
            "adjustment_days": int(req.term_adjustment_days or 0),
            "expiry": expiry.isoformat(),
            "remaining": str(F.remaining_years(expiry, as_of)),
        }
    if req.remaining_term_years is not None:
        return {"ok": True, "source": "entered", "remaining": str(req.remaining_term_years)}
    if card is not None and card.remaining_term_years is not None:
        return {"ok": True, "source": "scorecard", "remaining": str(card.remaining_term_years)}
    return {"ok": True, "source": "none", "remaining": None}


def profit_share(req: Any) -> tuple[Decimal | None, dict[str, Any] | None]:
    """The profit share rate (利润分成率) as a fraction: entered, or from the scoring table when scored.

    Raises ``FormulaError`` on an incomplete table.
    """
    scores = req.share_scores or {}
    if not scores:
        return _frac(req.technology_share_pct), None
    if req.share_low_pct is None:
        raise FormulaError("missing_input", name="share_low")
    if req.share_high_pct is None:
        raise FormulaError("missing_input", name="share_high")
    low, high = Decimal(req.share_low_pct) / 100, Decimal(req.share_high_pct) / 100
    share, q = F.share_from_scores(low, high, scores)
    table = {
        "low": _pct_text(low),
        "high": _pct_text(high),
        "adjustment": str(q.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)),
        "share": _pct_text(share),
        "rows": [
            {"factor": k, "weight": str(w), "score": str(scores.get(k))} for k, w in F.SHARE_FACTORS.items()
        ],
    }
    return share, table


# ---- approaches ------------------------------------------------------------------------------


def run_cost(req: Any) -> dict[str, Any]:
    if req.reproduction_cost is None:
        return _missing("reproduction_cost")
    try:
        r = F.cost_approach(
            Decimal(req.reproduction_cost),
            _frac(req.developer_profit_pct) or Decimal(0),
            _frac(req.technical_obsolescence_pct) or Decimal(0),
            _frac(req.economic_obsolescence_pct) or Decimal(0),
        )
    except FormulaError as exc:
        return {"ok": False, "error": error_dict(exc)}
    return {
        "ok": True,
        "point": str(r.point),
        "low": str(r.low),
        "high": str(r.high),
        "table": _table(r.sensitivity, rows_pct=False, cols_pct=True),
    }


def run_income(req: Any, term: dict[str, Any]) -> dict[str, Any]:
    if not term.get("ok"):
        return {"ok": False, "error": term["error"]}
    remaining_term = None if term.get("remaining") is None else Decimal(term["remaining"])
    for name in ("first_year_revenue", "economic_life_years", "risk_free_pct"):
        if getattr(req, name) is None:
            return _missing(name.replace("_pct", "_rate"))
    share_table = None
    try:
        share, share_table = profit_share(req) if req.income_method == F.PROFIT_SHARE else (None, None)
        r = F.income_approach(
            method=req.income_method,
            first_year_revenue=Decimal(req.first_year_revenue),
            growth_rate=_frac(req.growth_pct) or Decimal(0),
            economic_life_years=int(req.economic_life_years),
            tax_rate=_frac(req.tax_pct) or Decimal(0),
            risk_free_rate=_frac(req.risk_free_pct) or Decimal(0),
            premiums=[
                _frac(req.technology_risk_pct) or Decimal(0),
                _frac(req.market_risk_pct) or Decimal(0),
                _frac(req.management_risk_pct) or Decimal(0),
            ],
            remaining_term_years=remaining_term,
            royalty_rate=_frac(req.royalty_pct),
            profit_margin=_frac(req.profit_margin_pct),
            technology_share=share,
            share_decline=_frac(req.share_decline_pct) or Decimal(0),
            perpetuity=bool(req.income_perpetuity),
        )
    except FormulaError as exc:
        return {"ok": False, "error": error_dict(exc), "share_table": share_table}
    return {
        "ok": True,
        "point": str(r.point),
        "low": str(r.low),
        "high": str(r.high),
        "discount_rate": _pct_text(r.detail["discount_rate"]),
        # 销售收入分成率 (share of revenue) = 销售利润率 (pre-tax) × 利润分成率 (share of profit).
        "attributable_rate": _pct_text(r.detail["attributable_rate"]),
        "profit_margin": _s(req.profit_margin_pct) if req.income_method == F.PROFIT_SHARE else None,
        "profit_share": _pct_text(share) if share is not None else None,
        "share_table": share_table,
        "share_decline": _s(req.share_decline_pct),
        "income_years": r.detail["income_years"],
        "capped": r.detail["capped"],
        "terminal_value": _s(r.detail.get("terminal_value")),
        "remaining_term": _s(remaining_term),
        "schedule": [{k: str(v) for k, v in row.items()} for row in r.detail["schedule"]],
        "table": _table(r.sensitivity, rows_pct=True, cols_pct=True),
    }


def _adjustment(req: Any, ref: str) -> tuple[Decimal, Decimal | None]:
    row = (req.comparable_adjustments or {}).get(ref) or {}
    tech = Decimal(str(row.get("tech_factor", "1") or "1"))
    life = row.get("remaining_life")
    return tech, (None if life in (None, "") else Decimal(str(life)))


def _life_rate(req: Any) -> Decimal:
    """The income approach's discount rate when known (weighs the remaining years), else 0 (linear)."""
    if req.risk_free_pct is None:
        return Decimal(0)
    pcts = (req.risk_free_pct, req.technology_risk_pct, req.market_risk_pct, req.management_risk_pct)
    return sum((Decimal(p or 0) for p in pcts), Decimal(0)) / 100


def run_market(
    req: Any, comps: list[Comparable], as_of: date, subject_life: Decimal | None = None
) -> dict[str, Any]:
    listed: list[dict[str, Any]] = [
        {
            "ref": c.ref,
            "source": c.source,
            "title": c.title,
            "amount": str(c.amount),
            "on": c.on.isoformat(),
            "deal_mode": c.deal_mode,
            "contract_type": c.contract_type,
            "fields": list(c.field_codes),
            "similarity": str(c.similarity),
            "text_similarity": str(c.text_similarity),
        }
        for c in comps
    ]
    base = {
        "comparables": listed,
        "minimum": F.MIN_COMPARABLES,
        "maximum": F.MAX_COMPARABLES,
        "subject_mode": req.subject_deal_mode,
        "subject_life": _s(subject_life),
    }
    try:
        r = F.market_approach(
            [
                F.ComparableInput(c.ref, c.amount, c.on, c.deal_mode, c.similarity, *_adjustment(req, c.ref))
                for c in comps
            ],
            subject_mode=req.subject_deal_mode,
            as_of=as_of,
            price_index_rate=_frac(req.price_index_pct) or Decimal(0),
            subject_life=subject_life,
            life_rate=_life_rate(req),
        )
    except FormulaError as exc:
        return {"ok": False, "error": error_dict(exc), **base}
    adjustments = {a.ref: a for a in r.detail["adjustments"]}
    for row in listed:
        a = adjustments.get(row["ref"])
        if a is not None:
            row.update(
                years=a.years,
                time_factor=str(a.time_factor),
                mode_factor=str(a.mode_factor),
                tech_factor=str(a.tech_factor),
                life_factor=str(a.life_factor),
                adjusted=str(a.adjusted),
                used=True,
            )
    without = r.sensitivity.values[0] if r.sensitivity else []
    used = [row for row in listed if row.get("used")]
    for row, value in zip(used, without, strict=False):
        row["without"] = str(value)
    return {"ok": True, "point": str(r.point), "low": str(r.low), "high": str(r.high), **base}


def _result_of(block: dict[str, Any]) -> F.ApproachResult | None:
    if not block.get("ok"):
        return None
    return F.ApproachResult(Decimal(block["point"]), Decimal(block["low"]), Decimal(block["high"]))


def run_final(req: Any, cost: dict, market: dict, income: dict) -> dict[str, Any]:
    weights = {
        "cost": Decimal(req.weight_cost),
        "market": Decimal(req.weight_market),
        "income": Decimal(req.weight_income),
    }
    results = {"cost": _result_of(cost), "market": _result_of(market), "income": _result_of(income)}
    base = {"weights": {k: str(v) for k, v in weights.items()}}
    try:
        r = F.reconcile(results, weights)
    except FormulaError as exc:
        return {"ok": False, "error": error_dict(exc), **base}
    shares = {k: _pct_text(v) for k, v in r.detail["shares"].items()}
    return {
        "ok": True,
        "suggestion": True,
        "point": str(r.point),
        "low": str(r.low),
        "high": str(r.high),
        "shares": shares,
        **base,
    }


def run_conclusion(req: Any, cost: dict, market: dict, income: dict, final: dict) -> dict[str, Any]:
    """The appraiser's conclusion: the chosen approach's figures and the reason (none until chosen)."""
    choice, reason = req.conclusion or "", (req.conclusion_reason or "").strip()
    base = {"choice": choice, "reason": reason}
    if not choice:
        return {"ok": False, "error": {"code": "unknown_conclusion", "params": {}}, **base}
    results = {"cost": _result_of(cost), "market": _result_of(market), "income": _result_of(income)}
    try:
        r = F.conclude(choice, results, _result_of(final))
    except FormulaError as exc:
        return {"ok": False, "error": error_dict(exc), **base}
    if not reason:
        return {"ok": False, "error": {"code": "conclusion_reason_missing", "params": {}}, **base}
    return {"ok": True, "point": str(r.point), "low": str(r.low), "high": str(r.high), **base}


def panel_record(req: Any) -> dict[str, Any]:
    """The panel's scores and opinions with their spread (n, mean, median, min, max, deviation)."""
    members = list(req.panel.select_related("expert__user__organization").all())
    rows = []
    for m in members:
        rows.append(
            {
                "expert": m.expert.user.display_name,
                "title": m.expert.title,
                "organization": m.expert.user.organization.name if m.expert.user.organization else "",
                "score": _s(m.score),
                "value_low": _s(m.value_low),
                "value_high": _s(m.value_high),
                "comment": m.comment,
                "scored": m.scored_at is not None,
            }
        )

    def spread(values: list[Decimal]) -> dict[str, Any] | None:
        sp = F.spread(values)
        if sp is None:
            return None
        return {
            "n": sp.n,
            "mean": str(sp.mean),
            "median": str(sp.median),
            "min": str(sp.minimum),
            "max": str(sp.maximum),
            "stdev": str(sp.stdev),
        }

    scored = [m for m in members if m.scored_at is not None]
    return {
        "members": rows,
        "score_spread": spread([Decimal(m.score) for m in scored if m.score is not None]),
        "low_spread": spread([m.value_low for m in scored if m.value_low is not None]),
        "high_spread": spread([m.value_high for m in scored if m.value_high is not None]),
    }


def evaluate(
    req: Any,
    *,
    as_of: date,
    weights: dict[str, Decimal],
    weights_version: int,
    comparables: list[Comparable] | None = None,
) -> dict[str, Any]:
    """Everything a valuation shows, computed from the request's current assumptions."""
    a = req.achievement
    card = getattr(a, "valuation_scorecard", None) if hasattr(a, "valuation_scorecard") else None
    sc, inputs = score(a, card, weights)
    term = legal_term(req, card, as_of)
    remaining = Decimal(term["remaining"]) if term.get("ok") and term.get("remaining") is not None else None
    comps = (
        comparables if comparables is not None else find_comparables(a, subject_mode=req.subject_deal_mode)
    )
    cost = run_cost(req)
    income = run_income(req, term)
    # The subject's life for the market approach: its remaining legal term, else its economic life.
    life = (
        remaining
        if remaining is not None
        else (Decimal(req.economic_life_years) if req.economic_life_years else None)
    )
    market = run_market(req, comps, as_of, life)
    final = run_final(req, cost, market, income)
    conclusion = run_conclusion(req, cost, market, income, final)
    return {
        "as_of": as_of.isoformat(),
        "subject": {
            "id": a.pk,
            "title": a.title,
            "kind": a.kind,
            "owner": a.owner.name,
            "fields": [f.name for f in a.fields.all()],
            "patent_numbers": a.patent_numbers,
            "ipc_codes": a.ipc_codes,
            "trl": a.trl,
        },
        "purpose": req.purpose,
        "purpose_note": req.purpose_note,
        "requester_kind": req.requester_kind,
        "assumptions": {name: _s(getattr(req, name)) for name in ASSUMPTION_FIELDS},
        "cost": cost,
        "income": income,
        "market": market,
        "final": final,
        "conclusion": conclusion,
        "term": term,
        "scorecard": {
            "grade": sc.grade,
            "score": _s(sc.score),
            "coverage": _pct_text(sc.coverage),
            "parts": {k: _s(v) for k, v in sc.parts.items()},
            "inputs": {k: _s(v) for k, v in inputs.items()},
            "weights": {k: str(v) for k, v in weights.items()},
            "weights_version": weights_version,
        },
        "panel": panel_record(req),
    }
