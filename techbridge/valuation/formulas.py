"""The valuation formulas, pure and without Django: Decimal in, Decimal out.

Every function states its formula in its docstring; a reader of a report can recompute each figure
from the assumptions printed next to it. Rates are fractions here (0.05 = 5 %); the models and forms
store percentages and divide by 100 before calling in. Money is yuan, rounded to 0.01 only at the end
of each approach (``money``).

Bad input raises ``FormulaError(code, **params)``; the caller turns the code into a translated
sentence (``techbridge.valuation.messages``). No function returns a number for input it cannot value.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

D = Decimal
ZERO = D(0)
ONE = D(1)
HUNDRED = D(100)
CENT = D("0.01")


class FormulaError(ValueError):
    """Input the formulas refuse to value; ``code`` names the problem, ``params`` fill its message."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def money(x: Decimal) -> Decimal:
    """Round an amount to fen (0.01 yuan), half up."""
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


def _fraction(name: str, value: Decimal, *, upper_open: bool = False) -> None:
    if value < 0 or value > 1 or (upper_open and value == 1):
        raise FormulaError("rate_out_of_range", name=name)


@dataclass(frozen=True)
class SensitivityTable:
    """Values for every combination of two assumptions: ``values[i][j]`` for ``rows[i]``, ``cols[j]``."""

    row_label: str
    col_label: str
    rows: list[Decimal]
    cols: list[Decimal]
    values: list[list[Decimal]]

    def flat(self) -> list[Decimal]:
        return [v for row in self.values for v in row]


@dataclass(frozen=True)
class ApproachResult:
    """The outcome of one approach: a point value, a range (low ≤ point ≤ high) and its sensitivity."""

    point: Decimal
    low: Decimal
    high: Decimal
    sensitivity: SensitivityTable | None = None
    detail: dict = field(default_factory=dict)


# ---- patent term (专利法 2020 art. 42) -----------------------------------------------------------

# The 2020 revision of the Patent Law took force on 2021-06-01: designs filed from that day are
# protected 15 years, designs filed before it keep their 10 (CNIPA transitional measures, 2021).
PATENT_LAW_2020_IN_FORCE = date(2021, 6, 1)
# Art. 42 para. 2 (unreasonable delay in granting) and para. 3 (time lost to new-drug approval; at most
# five years): both extend an invention patent only.
MAX_TERM_ADJUSTMENT_DAYS = 5 * 366 + 4 * 365
INVENTION, UTILITY_MODEL, DESIGN = "invention_patent", "utility_model", "design"


def statutory_term_years(kind: str, filed: date) -> int:
    """The term of a Chinese patent from its filing date (专利法 art. 42 para. 1).

    Invention 20 years, utility model 10, design 15 if filed on or after 2021-06-01, else 10.
    """
    if kind == INVENTION:
        return 20
    if kind == UTILITY_MODEL:
        return 10
    if kind == DESIGN:
        return 15 if filed >= PATENT_LAW_2020_IN_FORCE else 10
    raise FormulaError("not_a_patent")


def add_years(day: date, years: int) -> date:
    """The same calendar day ``years`` later (29 February → 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def patent_expiry(kind: str, filed: date, adjustment_days: int = 0) -> date:
    """The day the patent ends: filing date + statutory term + adjustment.

    The term runs from the filing date and ends the day before its anniversary (expiry = anniversary,
    the first day without protection). ``adjustment_days`` is the term adjustment CNIPA granted under
    art. 42 para. 2 or 3, for an invention patent only.
    """
    if adjustment_days < 0 or adjustment_days > MAX_TERM_ADJUSTMENT_DAYS:
        raise FormulaError("adjustment_out_of_range")
    if adjustment_days and kind != INVENTION:
        raise FormulaError("adjustment_not_invention")
    return add_years(filed, statutory_term_years(kind, filed)) + timedelta(days=adjustment_days)


def remaining_years(expiry: date, as_of: date) -> Decimal:
    """(expiry − as_of).days / 365.25, never below 0, 2 places."""
    days = max(0, (expiry - as_of).days)
    return (D(days) / D("365.25")).quantize(CENT, rounding=ROUND_HALF_UP)


# ---- cost approach ---------------------------------------------------------------------------

COST_STEP = D("0.10")  # sensitivity: reproduction cost ±10 %, technical obsolescence ±10 points


def cost_value(
    reproduction_cost: Decimal,
    developer_profit_rate: Decimal,
    technical_obsolescence: Decimal,
    economic_obsolescence: Decimal,
) -> Decimal:
    """V = C × (1 + p) × (1 − t) × (1 − e).

    C the reproduction (or replacement) cost of the R&D in yuan, p the developer's reasonable profit
    rate on it, t the technical obsolescence (share of the usefulness lost to newer technology, or
    used life / total life), e the economic obsolescence (loss from the market). Not rounded.
    """
    if reproduction_cost < 0:
        raise FormulaError("negative_cost")
    if developer_profit_rate < 0:
        raise FormulaError("rate_out_of_range", name="developer_profit_rate")
    _fraction("technical_obsolescence", technical_obsolescence)
    _fraction("economic_obsolescence", economic_obsolescence)
    return (
        reproduction_cost
        * (ONE + developer_profit_rate)
        * (ONE - technical_obsolescence)
        * (ONE - economic_obsolescence)
    )


def cost_approach(
    reproduction_cost: Decimal,
    developer_profit_rate: Decimal,
    technical_obsolescence: Decimal,
    economic_obsolescence: Decimal,
) -> ApproachResult:
    """Cost approach with its sensitivity.

    Point = ``cost_value`` of the inputs. The table varies C by ×0.9 / ×1.0 / ×1.1 (rows) and t by
    −10 / 0 / +10 points, kept inside [0, 1] (columns); the range is the smallest and largest cell.
    """
    point = cost_value(
        reproduction_cost, developer_profit_rate, technical_obsolescence, economic_obsolescence
    )
    rows = [reproduction_cost * (ONE - COST_STEP), reproduction_cost, reproduction_cost * (ONE + COST_STEP)]
    cols = [
        max(ZERO, technical_obsolescence - COST_STEP),
        technical_obsolescence,
        min(ONE, technical_obsolescence + COST_STEP),
    ]
    values = [
        [money(cost_value(c, developer_profit_rate, t, economic_obsolescence)) for t in cols] for c in rows
    ]
    table = SensitivityTable(
        "reproduction_cost", "technical_obsolescence", [money(r) for r in rows], cols, values
    )
    flat = table.flat()
    return ApproachResult(money(point), min(flat), max(flat), table)


# ---- income approach -------------------------------------------------------------------------

INCOME_RATE_STEP = D("0.01")  # sensitivity: discount rate ±1 point
INCOME_SHARE_STEP = D("0.10")  # sensitivity: royalty rate / technology share ×0.9 and ×1.1

RELIEF_FROM_ROYALTY = "royalty"
PROFIT_SHARE = "profit_share"


def discount_rate(risk_free_rate: Decimal, premiums: Iterable[Decimal]) -> Decimal:
    """r = r_f + Σ premiums (build-up method: technology, market, management … risk premiums)."""
    premiums = list(premiums)
    if risk_free_rate < 0 or any(p < 0 for p in premiums):
        raise FormulaError("negative_rate")
    return risk_free_rate + sum(premiums, ZERO)


def revenue_forecast(first_year_revenue: Decimal, growth_rate: Decimal, years: int) -> list[Decimal]:
    """R_t = R_1 × (1 + g)^(t − 1) for t = 1 … N (revenue of the products using the technology)."""
    if first_year_revenue < 0:
        raise FormulaError("negative_revenue")
    if growth_rate <= -1:
        raise FormulaError("growth_too_low")
    if years < 1:
        raise FormulaError("life_too_short")
    return [first_year_revenue * (ONE + growth_rate) ** (t - 1) for t in range(1, years + 1)]


def attributable_rate(
    method: str,
    *,
    royalty_rate: Decimal | None = None,
    profit_margin: Decimal | None = None,
    technology_share: Decimal | None = None,
) -> Decimal:
    """The share of revenue the technology earns (销售收入分成率), before income tax.

    Relief from royalty: a = royalty rate (the licence fee the owner is spared, as a share of revenue).
    分成率法: a = 销售利润率 × 利润分成率, the pre-tax profit margin times the technology's share of
    that profit. The margin is before income tax because ``present_value`` deducts the tax once.
    """
    if method == RELIEF_FROM_ROYALTY:
        if royalty_rate is None:
            raise FormulaError("missing_input", name="royalty_rate")
        _fraction("royalty_rate", royalty_rate)
        return royalty_rate
    if method == PROFIT_SHARE:
        if profit_margin is None:
            raise FormulaError("missing_input", name="profit_margin")
        if technology_share is None:
            raise FormulaError("missing_input", name="technology_share")
        _fraction("profit_margin", profit_margin)
        _fraction("technology_share", technology_share)
        return profit_margin * technology_share
    raise FormulaError("unknown_method")


# The scoring table of the profit share rate (利润分成率评分表), as Chinese patent appraisals use it:
# legal, technical and economic factors weighted 0.3 / 0.5 / 0.2. The split inside each group is the
# platform's stated default (shown in every report), not a norm; the appraiser scores each 0–100.
SHARE_FACTORS: dict[str, Decimal] = {
    "legal_status": D("0.10"),  # 法律状态
    "protection_scope": D("0.10"),  # 保护范围
    "infringement": D("0.10"),  # 侵权判定
    "field": D("0.05"),  # 技术所属领域
    "substitutes": D("0.10"),  # 替代技术
    "advancement": D("0.05"),  # 先进性
    "innovation": D("0.05"),  # 创新性
    "maturity": D("0.10"),  # 成熟度
    "applicability": D("0.10"),  # 应用范围
    "defensibility": D("0.05"),  # 技术防御力
    "supply_demand": D("0.20"),  # 供求关系
}


def share_from_scores(low: Decimal, high: Decimal, scores: Mapping[str, object]) -> tuple[Decimal, Decimal]:
    """(share, adjustment) with adjustment q = Σ w_i × s_i / 100 and share = low + (high − low) × q.

    ``low`` / ``high`` bound the profit share rate for the industry (fractions); every factor of
    ``SHARE_FACTORS`` must be scored 0–100.
    """
    _fraction("share_low", low)
    _fraction("share_high", high)
    if low > high:
        raise FormulaError("share_bounds_reversed")
    missing = [k for k in SHARE_FACTORS if scores.get(k) in (None, "")]
    if missing:
        raise FormulaError("share_score_missing", name=missing[0])
    unknown = [k for k in scores if k not in SHARE_FACTORS]
    if unknown:
        raise FormulaError("unknown_indicator", name=unknown[0])
    q = ZERO
    for key, weight in SHARE_FACTORS.items():
        value = D(str(scores[key]))
        if value < 0 or value > HUNDRED:
            raise FormulaError("share_score_out_of_range", name=key)
        q += weight * value / HUNDRED
    return low + (high - low) * q, q


def declining_rates(first: Decimal, decline: Decimal, years: int) -> list[Decimal]:
    """a_t = a_1 × (1 − d)^(t − 1): a share rate that declines by the fraction d a year."""
    _fraction("share_decline", decline, upper_open=True)
    return [first * (ONE - decline) ** (t - 1) for t in range(1, years + 1)]


def income_years(life: int, remaining_term: Decimal | None) -> list[Decimal]:
    """The share of each year the income lasts: N whole years, capped at the remaining legal term.

    With a term T < N the income stops when the patent ends: ⌊T⌋ whole years, then the fraction
    T − ⌊T⌋ of one more (no income is protected after the term).
    """
    if life < 1:
        raise FormulaError("life_too_short")
    if remaining_term is None or D(life) <= remaining_term:
        return [ONE] * life
    if remaining_term <= 0:
        raise FormulaError("patent_expired")
    whole = int(remaining_term)
    part = remaining_term - whole
    return [ONE] * whole + ([part] if part > 0 else [])


def present_value(
    revenues: Sequence[Decimal], rate: Decimal | Sequence[Decimal], tax_rate: Decimal, r: Decimal
) -> Decimal:
    """PV = Σ_{t=1..N} R_t × a_t × (1 − tax) / (1 + r)^t (end-of-year discounting). Not rounded.

    ``rate`` is one share for every year, or one per year (a declining share rate).
    """
    rates = [rate] * len(revenues) if isinstance(rate, Decimal) else list(rate)
    return sum(
        (
            rev * a * (ONE - tax_rate) / (ONE + r) ** t
            for t, (rev, a) in enumerate(zip(revenues, rates, strict=True), start=1)
        ),
        ZERO,
    )


def terminal_value(last_income: Decimal, growth_rate: Decimal, r: Decimal, years: int) -> Decimal:
    """Gordon perpetuity after year N: TV = I_N × (1 + g) / (r − g) / (1 + r)^N.

    Only for income without a legal end (a technical secret): it needs r > g, or the sum diverges.
    """
    if r <= growth_rate:
        raise FormulaError("discount_not_above_growth", r=r, g=growth_rate)
    return last_income * (ONE + growth_rate) / (r - growth_rate) / (ONE + r) ** years


def income_approach(
    *,
    method: str,
    first_year_revenue: Decimal,
    growth_rate: Decimal,
    economic_life_years: int,
    tax_rate: Decimal,
    risk_free_rate: Decimal,
    premiums: Sequence[Decimal],
    remaining_term_years: Decimal | None = None,
    royalty_rate: Decimal | None = None,
    profit_margin: Decimal | None = None,
    technology_share: Decimal | None = None,
    share_decline: Decimal = ZERO,
    perpetuity: bool = False,
) -> ApproachResult:
    """Discounted attributable income: PV = Σ R_t × a_t × (1 − tax) × y_t / (1 + r)^t, t = 1 … N.

    a_t = a_1 × (1 − d)^(t − 1) with a_1 the 销售收入分成率 (``attributable_rate``) and d the yearly
    decline; y_t is 1, or the part of the last year still inside the remaining legal term (the income
    period is capped at the term, ``income_years``). With ``perpetuity`` (no legal term only), the
    Gordon terminal value of year N's income is added, which needs r > g; a finite period needs no such
    condition. The table varies r by −1 / 0 / +1 point (rows) and a by ×0.9 / ×1.0 / ×1.1 (columns).
    """
    _fraction("tax_rate", tax_rate, upper_open=True)
    a = attributable_rate(
        method, royalty_rate=royalty_rate, profit_margin=profit_margin, technology_share=technology_share
    )
    r = discount_rate(risk_free_rate, premiums)
    if perpetuity and remaining_term_years is not None:
        raise FormulaError("perpetuity_with_term")
    shares = income_years(economic_life_years, remaining_term_years)
    years = len(shares)
    revenues = [
        rev * y
        for rev, y in zip(revenue_forecast(first_year_revenue, growth_rate, years), shares, strict=True)
    ]

    def value(rate_scale: Decimal, rr: Decimal) -> Decimal:
        rates = [x * rate_scale for x in declining_rates(a, share_decline, years)]
        pv = present_value(revenues, rates, tax_rate, rr)
        if perpetuity:
            pv += terminal_value(revenues[-1] * rates[-1] * (ONE - tax_rate), growth_rate, rr, years)
        return pv

    point = value(ONE, r)
    rows = [r - INCOME_RATE_STEP, r, r + INCOME_RATE_STEP]
    if rows[0] <= -1 or (perpetuity and rows[0] <= growth_rate):
        rows[0] = r
    scales = [ONE - INCOME_SHARE_STEP, ONE, ONE + INCOME_SHARE_STEP]
    cols = [a * k for k in scales]
    values = [[money(value(k, rr)) for k in scales] for rr in rows]
    table = SensitivityTable("discount_rate", "attributable_rate", rows, cols, values)
    flat = table.flat()
    schedule = []
    rates = declining_rates(a, share_decline, years)
    for t, (rev, at, y) in enumerate(zip(revenues, rates, shares, strict=True), start=1):
        income = rev * at * (ONE - tax_rate)
        factor = ONE / (ONE + r) ** t
        schedule.append(
            {
                "year": t,
                "part": y.quantize(CENT, rounding=ROUND_HALF_UP),
                "revenue": money(rev),
                "rate": (at * HUNDRED).quantize(D("0.0001"), rounding=ROUND_HALF_UP),
                "income": money(income),
                "discount_factor": factor.quantize(D("0.0001"), rounding=ROUND_HALF_UP),
                "present_value": money(income * factor),
            }
        )
    detail: dict = {
        "discount_rate": r,
        "attributable_rate": a,
        "schedule": schedule,
        "income_years": years,
        "capped": remaining_term_years is not None and D(economic_life_years) > remaining_term_years,
    }
    if perpetuity:
        last = revenues[-1] * rates[-1] * (ONE - tax_rate)
        detail["terminal_value"] = money(terminal_value(last, growth_rate, r, years))
    return ApproachResult(money(point), min(flat), max(flat), table, detail)


# ---- market approach -------------------------------------------------------------------------

MIN_COMPARABLES = 3
MAX_COMPARABLES = 5

# How much of the full rights each deal mode transfers, relative to an assignment (转让 = 1.00).
# A comparable's price is scaled by factor(subject mode) / factor(comparable mode). These are the
# platform's stated assumptions (shown in every report), not market facts; operators may change them
# here in one place.
DEAL_MODE_FACTORS: dict[str, Decimal] = {
    "assignment": D("1.00"),
    "equity": D("1.00"),
    "license-exclusive": D("0.80"),
    "license-sole": D("0.65"),
    "license-ordinary": D("0.40"),
    "open-license": D("0.20"),
}


# A technical-difference factor (技术差异修正系数) the appraiser sets per comparable: how much better (>1)
# or worse (<1) the subject is than the comparable. Bounded so one typo cannot swing a value tenfold.
TECH_FACTOR_MIN = D("0.5")
TECH_FACTOR_MAX = D("2.0")


@dataclass(frozen=True)
class ComparableInput:
    """One past transaction as the market approach sees it.

    ``tech_factor`` is the appraiser's technical-difference factor (1 = equal), ``remaining_life`` the
    comparable's remaining legal or economic life in years at the date of its deal (``None``: unknown).
    """

    ref: str
    amount: Decimal
    on: date
    deal_mode: str
    similarity: Decimal
    tech_factor: Decimal = ONE
    remaining_life: Decimal | None = None


@dataclass(frozen=True)
class Adjustment:
    ref: str
    amount: Decimal
    years: int
    time_factor: Decimal
    mode_factor: Decimal
    adjusted: Decimal
    weight: Decimal
    tech_factor: Decimal = ONE
    life_factor: Decimal = ONE


def annuity_factor(years: Decimal, r: Decimal) -> Decimal:
    """(1 − (1 + r)^−n) / r, the present value of 1 a year for n years (n itself when r = 0).

    Fractional years are allowed: (1 + r)^−n is computed as exp(−n × ln(1 + r)).
    """
    if years <= 0:
        return ZERO
    if r == 0:
        return years
    return (ONE - (-(years * (ONE + r).ln())).exp()) / r


def life_factor(subject_life: Decimal | None, comparable_life: Decimal | None, r: Decimal) -> Decimal:
    """剩余寿命修正系数 = annuity(n_subject, r) / annuity(n_comparable, r); 1 when either life is unknown.

    A right with fewer years left earns for fewer years; the annuity factor weighs the years by r.
    """
    if subject_life is None or comparable_life is None or comparable_life <= 0:
        return ONE
    return annuity_factor(subject_life, r) / annuity_factor(comparable_life, r)


def whole_years(start: date, end: date) -> int:
    """Full years between two dates (days // 365), never negative."""
    return max(0, (end - start).days // 365)


def adjust_comparable(
    comp: ComparableInput,
    *,
    subject_mode: str,
    as_of: date,
    price_index_rate: Decimal,
    subject_life: Decimal | None = None,
    life_rate: Decimal = ZERO,
) -> Adjustment:
    """P' = P × (1 + i)^y × f(subject mode) / f(comparable mode) × K_tech × K_life.

    y the full years since the deal, i the yearly price index change; an unknown mode on either side
    means no mode adjustment (factor 1). K_tech is the appraiser's technical-difference factor
    (0.5–2.0), K_life the remaining-life factor (``life_factor``) of the subject's remaining life
    against the comparable's at its deal, discounted at ``life_rate``.
    """
    if comp.amount < 0:
        raise FormulaError("negative_comparable")
    if not (TECH_FACTOR_MIN <= comp.tech_factor <= TECH_FACTOR_MAX):
        raise FormulaError("tech_factor_out_of_range")
    years = whole_years(comp.on, as_of)
    time_factor = (ONE + price_index_rate) ** years
    fs, fc = DEAL_MODE_FACTORS.get(subject_mode), DEAL_MODE_FACTORS.get(comp.deal_mode)
    mode_factor = (fs / fc) if fs is not None and fc is not None and fc > 0 else ONE
    k_life = life_factor(subject_life, comp.remaining_life, life_rate)
    adjusted = comp.amount * time_factor * mode_factor * comp.tech_factor * k_life
    q = D("0.0001")
    return Adjustment(
        comp.ref,
        comp.amount,
        years,
        time_factor.quantize(q, rounding=ROUND_HALF_UP),
        mode_factor.quantize(q, rounding=ROUND_HALF_UP),
        money(adjusted),
        max(comp.similarity, ZERO),
        comp.tech_factor.quantize(q, rounding=ROUND_HALF_UP),
        k_life.quantize(q, rounding=ROUND_HALF_UP),
    )


def weighted_mean(values: Sequence[Decimal], weights: Sequence[Decimal]) -> Decimal:
    """Σ w_i × v_i / Σ w_i; the plain mean when every weight is 0."""
    total = sum(weights, ZERO)
    if total <= 0:
        return sum(values, ZERO) / D(len(values))
    return sum((v * w for v, w in zip(values, weights, strict=True)), ZERO) / total


def market_approach(
    comparables: Sequence[ComparableInput],
    *,
    subject_mode: str,
    as_of: date,
    price_index_rate: Decimal = ZERO,
    minimum: int = MIN_COMPARABLES,
    subject_life: Decimal | None = None,
    life_rate: Decimal = ZERO,
) -> ApproachResult:
    """Similarity-weighted mean of the adjusted prices of the nearest comparables.

    Takes at most ``MAX_COMPARABLES`` (the most similar first, as given). Point = Σ s_i × P'_i / Σ s_i;
    range = [min P'_i, max P'_i]; sensitivity = the point without each comparable in turn (one row).
    Fewer than ``minimum`` comparables raises ``too_few_comparables``: the approach gives no number.
    """
    used = list(comparables)[:MAX_COMPARABLES]
    if len(used) < minimum:
        raise FormulaError("too_few_comparables", found=len(used), minimum=minimum)
    adjustments = [
        adjust_comparable(
            c,
            subject_mode=subject_mode,
            as_of=as_of,
            price_index_rate=price_index_rate,
            subject_life=subject_life,
            life_rate=life_rate,
        )
        for c in used
    ]
    prices = [a.adjusted for a in adjustments]
    weights = [a.weight for a in adjustments]
    point = money(weighted_mean(prices, weights))
    loo = []
    for i in range(len(adjustments)):
        rest_p = prices[:i] + prices[i + 1 :]
        rest_w = weights[:i] + weights[i + 1 :]
        loo.append(money(weighted_mean(rest_p, rest_w)))
    table = SensitivityTable("all", "without", [point], [D(i) for i in range(len(adjustments))], [loo])
    return ApproachResult(point, min(prices), max(prices), table, {"adjustments": adjustments})


# ---- reconciliation --------------------------------------------------------------------------


CONCLUSIONS = ("cost", "market", "income", "weighted")


def conclude(
    choice: str, results: Mapping[str, ApproachResult | None], suggestion: ApproachResult | None
) -> ApproachResult:
    """The appraiser's conclusion (资产评估执业准则: the appraiser chooses and justifies it): one approach's
    figures, or the weighted suggestion when the appraiser adopts it. A choice without a value is
    refused."""
    if choice not in CONCLUSIONS:
        raise FormulaError("unknown_conclusion")
    picked = suggestion if choice == "weighted" else results.get(choice)
    if picked is None:
        raise FormulaError("conclusion_without_value", name=choice)
    return picked


def reconcile(results: Mapping[str, ApproachResult | None], weights: Mapping[str, Decimal]) -> ApproachResult:
    """The weighted suggestion from the approaches that gave a value: X = Σ w_k × X_k / Σ w_k.

    A suggestion only: the appraiser concludes (``conclude``).

    The same weights apply to the point, the low and the high end; approaches without a value (bad
    or missing input, too few comparables) and approaches weighted 0 drop out and the weights of the
    rest are re-normalised. No approach left raises ``nothing_to_reconcile``.
    """
    used = {k: r for k, r in results.items() if r is not None and weights.get(k, ZERO) > 0}
    if any(w < 0 for w in weights.values()):
        raise FormulaError("negative_weight")
    if not used:
        raise FormulaError("nothing_to_reconcile")
    ws = [weights[k] for k in used]
    total = sum(ws, ZERO)
    point = money(sum((weights[k] * r.point for k, r in used.items()), ZERO) / total)
    low = money(sum((weights[k] * r.low for k, r in used.items()), ZERO) / total)
    high = money(sum((weights[k] * r.high for k, r in used.items()), ZERO) / total)
    shares = {k: (weights[k] / total).quantize(D("0.0001"), rounding=ROUND_HALF_UP) for k in used}
    return ApproachResult(point, low, high, None, {"shares": shares})


# ---- indicator scorecard ---------------------------------------------------------------------

INDICATORS = (
    "legal_status",
    "remaining_term",
    "claims",
    "family_size",
    "citations",
    "ipc_breadth",
    "trl",
    "team",
    "market",
)
DEFAULT_WEIGHTS: dict[str, Decimal] = {
    "legal_status": D(20),
    "remaining_term": D(10),
    "claims": D(10),
    "family_size": D(5),
    "citations": D(10),
    "ipc_breadth": D(5),
    "trl": D(20),
    "team": D(10),
    "market": D(10),
}
LEGAL_STATUS_SCORES = {"granted": D(100), "pending": D(60), "lapsed": D(0)}
# A grade needs inputs covering at least this share of the total weight.
MIN_COVERAGE = D("0.5")
GRADE_FLOORS = (("A", D(80)), ("B", D(65)), ("C", D(50)), ("D", D(0)))


def _capped(value: Decimal, full: Decimal) -> Decimal:
    """100 × min(value / full, 1): the indicator saturates at ``full``."""
    if value < 0:
        raise FormulaError("negative_indicator")
    return HUNDRED * min(value / full, ONE)


def indicator_score(code: str, value: object) -> Decimal | None:
    """Score one indicator 0–100; ``None`` (missing) when the input is missing.

    legal_status: granted 100, pending 60, lapsed 0 · remaining_term (years): 100 × min(y / 10, 1) ·
    claims: 100 × min(n / 10, 1) · family_size: 100 × min(n / 5, 1) · citations (forward):
    100 × min(n / 10, 1) · ipc_breadth (distinct IPC subclasses): 100 × min(n / 4, 1), 0 = missing ·
    trl: 100 × (TRL − 1) / 8 · team (named members): 100 × min(n / 5, 1), 0 = missing ·
    market (size in yuan): 100 × clamp((log10 M − 6) / 4, 0, 1), i.e. 1 million → 0, 10 billion → 100.
    """
    if value is None or value == "":
        return None
    if code == "legal_status":
        if value not in LEGAL_STATUS_SCORES:
            raise FormulaError("unknown_legal_status")
        return LEGAL_STATUS_SCORES[str(value)]
    v = D(str(value))
    if code == "remaining_term":
        return _capped(v, D(10))
    if code == "claims":
        return _capped(v, D(10))
    if code == "family_size":
        return _capped(v, D(5))
    if code == "citations":
        return _capped(v, D(10))
    if code in ("ipc_breadth", "team"):
        if v == 0:
            return None
        return _capped(v, D(4) if code == "ipc_breadth" else D(5))
    if code == "trl":
        if v < 1 or v > 9:
            raise FormulaError("trl_out_of_range")
        return HUNDRED * (v - ONE) / D(8)
    if code == "market":
        if v <= 0:
            raise FormulaError("negative_indicator")
        x = (v.log10() - D(6)) / D(4)
        return HUNDRED * min(max(x, ZERO), ONE)
    raise FormulaError("unknown_indicator", name=code)


@dataclass(frozen=True)
class ScoreResult:
    """Weighted score over the indicators present; grade only when coverage is enough."""

    score: Decimal | None
    grade: str
    coverage: Decimal
    parts: dict[str, Decimal | None]


def grade_for(score: Decimal) -> str:
    """A ≥ 80, B ≥ 65, C ≥ 50, D below."""
    for grade, floor in GRADE_FLOORS:
        if score >= floor:
            return grade
    return "D"


def scorecard(values: Mapping[str, object], weights: Mapping[str, Decimal]) -> ScoreResult:
    """S = Σ_{present} w_i × s_i / Σ_{present} w_i; coverage = Σ_{present} w_i / Σ_all w_i.

    Missing indicators are left out, not guessed; with coverage below ``MIN_COVERAGE`` there is no
    score and no grade (grade ``""``).
    """
    if any(w < 0 for w in weights.values()):
        raise FormulaError("negative_weight")
    total_w = sum((weights.get(c, ZERO) for c in INDICATORS), ZERO)
    if total_w <= 0:
        raise FormulaError("no_weights")
    parts = {c: indicator_score(c, values.get(c)) for c in INDICATORS}
    present = [c for c in INDICATORS if parts[c] is not None and weights.get(c, ZERO) > 0]
    present_w = sum((weights[c] for c in present), ZERO)
    coverage = (present_w / total_w).quantize(D("0.0001"), rounding=ROUND_HALF_UP)
    rounded = {
        c: (s.quantize(D("0.01"), rounding=ROUND_HALF_UP) if s is not None else None)
        for c, s in parts.items()
    }
    if present_w <= 0 or coverage < MIN_COVERAGE:
        return ScoreResult(None, "", coverage, rounded)
    score = sum((weights[c] * parts[c] for c in present), ZERO) / present_w  # type: ignore[operator]
    score = score.quantize(D("0.01"), rounding=ROUND_HALF_UP)
    return ScoreResult(score, grade_for(score), coverage, rounded)


def ipc_breadth(codes: Iterable[str]) -> int:
    """Distinct IPC subclasses (the first four characters, e.g. ``G06F``) among the codes."""
    return len({c.strip().upper()[:4] for c in codes if len(c.strip()) >= 4})


# ---- auction suggestion ----------------------------------------------------------------------

# Starting price as a share of the reserve: a stronger grade draws more bidders, so it may start
# closer to the reserve; a weaker one starts lower to attract the first bids.
START_RATIOS: dict[str, Decimal] = {
    "A": D("0.80"),
    "B": D("0.70"),
    "C": D("0.60"),
    "D": D("0.50"),
    "": D("0.50"),
}


def auction_prices(valuation_low: Decimal, grade: str) -> tuple[Decimal, Decimal]:
    """(starting price, reserve): reserve = the low end of the issued valuation range, rounded down to
    100 yuan; start = reserve × ratio(grade), rounded down to 100 yuan (A 0.8, B 0.7, C 0.6, D 0.5)."""
    if valuation_low < 0:
        raise FormulaError("negative_cost")
    hundred = D(100)
    reserve = (valuation_low / hundred).to_integral_value(rounding=ROUND_DOWN) * hundred
    ratio = START_RATIOS.get(grade, START_RATIOS[""])
    start = (reserve * ratio / hundred).to_integral_value(rounding=ROUND_DOWN) * hundred
    return money(start), money(reserve)


# ---- expert panel spread ---------------------------------------------------------------------


@dataclass(frozen=True)
class Spread:
    n: int
    mean: Decimal
    median: Decimal
    minimum: Decimal
    maximum: Decimal
    stdev: Decimal


def spread(values: Sequence[Decimal]) -> Spread | None:
    """n, mean, median, min, max and the population standard deviation √(Σ (x − mean)² / n)."""
    xs = sorted(D(v) for v in values)
    n = len(xs)
    if n == 0:
        return None
    mean = sum(xs, ZERO) / n
    mid = n // 2
    median = xs[mid] if n % 2 else (xs[mid - 1] + xs[mid]) / 2
    var = sum(((x - mean) ** 2 for x in xs), ZERO) / n
    q = D("0.01")
    return Spread(
        n,
        mean.quantize(q, rounding=ROUND_HALF_UP),
        median.quantize(q, rounding=ROUND_HALF_UP),
        xs[0],
        xs[-1],
        var.sqrt().quantize(q, rounding=ROUND_HALF_UP),
    )


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """cos(a, b) = Σ a_k b_k / (|a| |b|) over sparse term-frequency vectors; 0 for an empty vector."""
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0
