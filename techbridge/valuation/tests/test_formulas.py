"""The formulas against examples worked by hand. The arithmetic is written out next to each figure."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from techbridge.valuation import formulas as F
from techbridge.valuation.formulas import FormulaError

# ---- cost ------------------------------------------------------------------------------------


def test_cost_value_multiplies_cost_profit_and_both_obsolescences():
    # 1,000,000 × (1 + 0.10) × (1 − 0.30) × (1 − 0.10) = 1,000,000 × 1.1 × 0.7 × 0.9 = 693,000
    assert F.cost_value(D(1_000_000), D("0.10"), D("0.30"), D("0.10")) == D("693000.000")


def test_cost_approach_range_is_the_extremes_of_its_sensitivity_table():
    r = F.cost_approach(D(1_000_000), D("0.10"), D("0.30"), D("0.10"))
    assert r.point == D("693000.00")
    # Columns t = 20 %, 30 %, 40 %; (1 − t)(1 − e) = 0.72, 0.63, 0.54.
    assert r.sensitivity.cols == [D("0.20"), D("0.30"), D("0.40")]
    # Row C = 900,000: 900,000 × 1.1 = 990,000 → × 0.72 = 712,800; × 0.63 = 623,700; × 0.54 = 534,600
    assert r.sensitivity.values[0] == [D("712800.00"), D("623700.00"), D("534600.00")]
    # Row C = 1,100,000: × 1.1 = 1,210,000 → × 0.72 = 871,200; × 0.63 = 762,300; × 0.54 = 653,400
    assert r.sensitivity.values[2] == [D("871200.00"), D("762300.00"), D("653400.00")]
    assert (r.low, r.high) == (D("534600.00"), D("871200.00"))


def test_cost_obsolescence_column_is_kept_inside_zero_to_one():
    r = F.cost_approach(D(100), D(0), D("0.05"), D(0))
    # t − 10 points would be −5 %: clamped to 0 → 100 × 1 × 1 = 100
    assert r.sensitivity.cols[0] == D(0)
    assert r.sensitivity.values[1][0] == D("100.00")


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ((D(-1), D(0), D(0), D(0)), "negative_cost"),
        ((D(100), D(0), D("1.2"), D(0)), "rate_out_of_range"),
        ((D(100), D(0), D(0), D("-0.1")), "rate_out_of_range"),
    ],
)
def test_cost_refuses_bad_input(args, code):
    with pytest.raises(FormulaError) as exc:
        F.cost_approach(*args)
    assert exc.value.code == code


# ---- income ----------------------------------------------------------------------------------

PROFIT_SHARE = {
    "method": F.PROFIT_SHARE,
    "first_year_revenue": D(1_000_000),
    "growth_rate": D("0.05"),
    "economic_life_years": 3,
    "tax_rate": D("0.25"),
    "risk_free_rate": D("0.03"),
    "premiums": [D("0.04"), D("0.02"), D("0.01")],
    "profit_margin": D("0.20"),
    "technology_share": D("0.25"),
}


def test_discount_rate_is_risk_free_plus_premiums():
    # 3 % + 4 % + 2 % + 1 % = 10 %
    assert F.discount_rate(D("0.03"), [D("0.04"), D("0.02"), D("0.01")]) == D("0.10")


def test_revenue_forecast_grows_from_the_first_year():
    # 1,000,000; × 1.05 = 1,050,000; × 1.05² = 1,102,500
    assert F.revenue_forecast(D(1_000_000), D("0.05"), 3) == [
        D(1_000_000),
        D("1050000.00"),
        D("1102500.0000"),
    ]


def test_profit_share_income_worked_example():
    r = F.income_approach(**PROFIT_SHARE)
    # a = 20 % × 25 % = 5 %; after tax a × (1 − 25 %) = 3.75 % of revenue
    assert r.detail["attributable_rate"] == D("0.0500")
    assert r.detail["discount_rate"] == D("0.10")
    # income: 1,000,000 × 3.75 % = 37,500; 1,050,000 × 3.75 % = 39,375; 1,102,500 × 3.75 % = 41,343.75
    assert [row["income"] for row in r.detail["schedule"]] == [D("37500.00"), D("39375.00"), D("41343.75")]
    # PV: 37,500 / 1.1 = 34,090.91; 39,375 / 1.21 = 32,541.32; 41,343.75 / 1.331 = 31,062.17
    # Σ = 97,694.40
    assert [row["present_value"] for row in r.detail["schedule"]] == [
        D("34090.91"),
        D("32541.32"),
        D("31062.17"),
    ]
    assert r.point == D("97694.40")


def test_income_sensitivity_corners_worked_example():
    r = F.income_approach(**PROFIT_SHARE)
    # Highest cell: r = 9 %, a = 5.5 % → after tax 4.125 %: 41,250 / 1.09 + 43,312.5 / 1.1881
    # + 45,478.125 / 1.295029 = 37,844.04 + 36,455.26 + 35,117.46 = 109,416.76
    assert r.high == D("109416.76")
    # Lowest cell: r = 11 %, a = 4.5 % → 3.375 %: 33,750 / 1.11 + 35,437.5 / 1.2321
    # + 37,209.375 / 1.367631 = 30,405.41 + 28,761.87 + 27,207.17 = 86,374.45
    assert r.low == D("86374.45")
    assert r.sensitivity.values[1][1] == r.point


def test_relief_from_royalty_worked_example():
    r = F.income_approach(**{**PROFIT_SHARE, "method": F.RELIEF_FROM_ROYALTY, "royalty_rate": D("0.04")})
    # 4 % × (1 − 25 %) = 3 %: 30,000 / 1.1 + 31,500 / 1.21 + 33,075 / 1.331
    # = 27,272.73 + 26,033.06 + 24,849.74 = 78,155.52
    assert r.point == D("78155.52")


def test_negative_revenue_gives_no_number():
    with pytest.raises(FormulaError) as exc:
        F.income_approach(**{**PROFIT_SHARE, "first_year_revenue": D(-5)})
    assert exc.value.code == "negative_revenue"


def test_growth_above_the_discount_rate_is_fine_over_a_finite_period():
    # 资产评估执业准则—无形资产: r ≤ g only breaks a perpetuity. r = 10 %, g = 12 %, N = 3:
    # revenue 1,000,000 / 1,120,000 / 1,254,400 × 3.75 % = 37,500 / 42,000 / 47,040
    # PV = 34,090.91 + 34,710.74 + 35,341.85 = 104,143.50
    assert F.income_approach(**{**PROFIT_SHARE, "growth_rate": D("0.12")}).point == D("104143.50")


def test_income_period_is_capped_at_the_remaining_legal_term():
    # Economic life 8 years, remaining term 2.5 (专利法 art. 42: no protected income after the term):
    # years 1 and 2 in full, half of year 3: 1,102,500 × 0.5 × 3.75 % = 20,671.875 → / 1.331 = 15,531.09
    # PV = 34,090.91 + 32,541.32 + 15,531.09 = 82,163.32
    r = F.income_approach(**{**PROFIT_SHARE, "economic_life_years": 8, "remaining_term_years": D("2.5")})
    assert [row["part"] for row in r.detail["schedule"]] == [D("1.00"), D("1.00"), D("0.50")]
    assert r.point == D("82163.32") and r.detail["capped"] and r.detail["income_years"] == 3
    # 3 years within 7.5 is not capped
    assert F.income_approach(**{**PROFIT_SHARE, "remaining_term_years": D("7.5")}).point == D("97694.40")


def test_declining_share_rate_worked_example():
    # a_t = 5 % × 0.9^(t−1) = 5 %, 4.5 %, 4.05 %; after tax × 0.75:
    # 37,500 / 1.1 + 35,437.5 / 1.21 + 33,488.4375 / 1.331 = 34,090.91 + 29,287.19 + 25,160.36 = 88,538.46
    r = F.income_approach(**{**PROFIT_SHARE, "share_decline": D("0.10")})
    assert [row["rate"] for row in r.detail["schedule"]] == [D("5.0000"), D("4.5000"), D("4.0500")]
    assert r.point == D("88538.46")


def test_perpetuity_needs_r_above_g_and_no_legal_term():
    # A technical secret: 3 explicit years + Gordon terminal value. With g = 5 %, r = 10 % the whole is
    # I_1 / (r − g) = 37,500 / 0.05 = 750,000 (TV = 41,343.75 × 1.05 / 0.05 / 1.331 = 652,305.60).
    r = F.income_approach(**{**PROFIT_SHARE, "perpetuity": True})
    assert (r.point, r.detail["terminal_value"]) == (D("750000.00"), D("652305.60"))
    for g in (D("0.10"), D("0.12")):
        with pytest.raises(FormulaError) as exc:
            F.income_approach(**{**PROFIT_SHARE, "growth_rate": g, "perpetuity": True})
        assert exc.value.code == "discount_not_above_growth"
    with pytest.raises(FormulaError) as exc:
        F.income_approach(**{**PROFIT_SHARE, "perpetuity": True, "remaining_term_years": D(12)})
    assert exc.value.code == "perpetuity_with_term"


def test_profit_share_rate_from_the_scoring_table():
    # 专利资产评估指导意见 practice: share = low + (high − low) × q, q = Σ w × score / 100.
    # Every factor 60 except 供求关系 (weight 0.2) 80: q = 0.8 × 0.6 + 0.2 × 0.8 = 0.64;
    # share = 25 % + 8 % × 0.64 = 30.12 %.
    scores = {**{k: 60 for k in F.SHARE_FACTORS}, "supply_demand": 80}
    assert sum(F.SHARE_FACTORS.values()) == 1
    assert F.share_from_scores(D("0.25"), D("0.33"), scores) == (D("0.3012"), D("0.64"))
    with pytest.raises(FormulaError) as exc:
        F.share_from_scores(D("0.25"), D("0.33"), {"legal_status": 50})
    assert exc.value.code == "share_score_missing"
    with pytest.raises(FormulaError) as exc:
        F.share_from_scores(D("0.33"), D("0.25"), scores)
    assert exc.value.code == "share_bounds_reversed"


def test_revenue_share_is_pre_tax_margin_times_profit_share():
    # 销售收入分成率 = 销售利润率 (pre-tax) × 利润分成率 = 20 % × 25 % = 5 %; tax is deducted once, in PV.
    assert F.attributable_rate(F.PROFIT_SHARE, profit_margin=D("0.20"), technology_share=D("0.25")) == D(
        "0.0500"
    )


# ---- patent term (专利法 2020 art. 42) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "filed", "adjustment", "expiry"),
    [
        ("invention_patent", date(2019, 2, 28), 0, date(2039, 2, 28)),
        # art. 42 para. 2: 200 days of adjustment for delay in granting
        ("invention_patent", date(2019, 2, 28), 200, date(2039, 9, 16)),
        ("utility_model", date(2020, 3, 1), 0, date(2030, 3, 1)),
        # designs: 10 years if filed before 2021-06-01, 15 from that day
        ("design", date(2021, 5, 31), 0, date(2031, 5, 31)),
        ("design", date(2021, 6, 1), 0, date(2036, 6, 1)),
        ("utility_model", date(2020, 2, 29), 0, date(2030, 2, 28)),
    ],
)
def test_patent_expiry_by_kind_and_filing_date(kind, filed, adjustment, expiry):
    assert F.patent_expiry(kind, filed, adjustment) == expiry


def test_term_adjustment_is_for_inventions_only_and_bounded():
    for kind, days, code in (
        ("utility_model", 30, "adjustment_not_invention"),
        ("design", 30, "adjustment_not_invention"),
        ("invention_patent", -1, "adjustment_out_of_range"),
        ("invention_patent", 5 * 366 + 4 * 365 + 1, "adjustment_out_of_range"),
        ("technical_secret", 0, "not_a_patent"),
    ):
        with pytest.raises(FormulaError) as exc:
            F.patent_expiry(kind, date(2022, 1, 1), days)
        assert exc.value.code == code
    # remaining on 2026-06-01 of a design filed 2021-06-01: 3,653 days / 365.25 = 10.00 years
    assert F.remaining_years(F.patent_expiry("design", date(2021, 6, 1)), date(2026, 6, 1)) == D("10.00")


def test_expired_patent_and_missing_share_are_refused():
    with pytest.raises(FormulaError) as exc:
        F.income_approach(**{**PROFIT_SHARE, "remaining_term_years": D(0)})
    assert exc.value.code == "patent_expired"
    with pytest.raises(FormulaError) as exc:
        F.income_approach(**{**PROFIT_SHARE, "technology_share": None})
    assert exc.value.code == "missing_input"


# ---- market ----------------------------------------------------------------------------------

AS_OF = date(2026, 6, 30)
COMPS = [
    # 759 days before → 2 full years
    F.ComparableInput("A", D(1_000_000), date(2024, 6, 1), "assignment", D("0.8")),
    # 211 days → 0 years; exclusive licence (0.80) valued as an assignment (1.00): × 1.25
    F.ComparableInput("B", D(500_000), date(2025, 12, 1), "license-exclusive", D("0.5")),
    # 486 days → 1 year
    F.ComparableInput("C", D(800_000), date(2025, 3, 1), "assignment", D("0.3")),
]


def test_market_adjustments_worked_example():
    r = F.market_approach(COMPS, subject_mode="assignment", as_of=AS_OF, price_index_rate=D("0.05"))
    adj = {a.ref: a for a in r.detail["adjustments"]}
    # A: 1,000,000 × 1.05² = 1,102,500
    assert (adj["A"].years, adj["A"].time_factor, adj["A"].adjusted) == (2, D("1.1025"), D("1102500.00"))
    # B: 500,000 × 1 × 1.00 / 0.80 = 625,000
    assert (adj["B"].years, adj["B"].mode_factor, adj["B"].adjusted) == (0, D("1.2500"), D("625000.00"))
    # C: 800,000 × 1.05 = 840,000
    assert adj["C"].adjusted == D("840000.00")
    # (0.8 × 1,102,500 + 0.5 × 625,000 + 0.3 × 840,000) / 1.6 = 1,446,500 / 1.6 = 904,062.50
    assert r.point == D("904062.50")
    assert (r.low, r.high) == (D("625000.00"), D("1102500.00"))
    # Without A: (312,500 + 252,000) / 0.8 = 705,625; without B: 1,134,000 / 1.1 = 1,030,909.09;
    # without C: 1,194,500 / 1.3 = 918,846.15
    assert r.sensitivity.values[0] == [D("705625.00"), D("1030909.09"), D("918846.15")]


def test_too_few_comparables_gives_no_number():
    with pytest.raises(FormulaError) as exc:
        F.market_approach(COMPS[:2], subject_mode="assignment", as_of=AS_OF)
    assert exc.value.code == "too_few_comparables"
    assert exc.value.params == {"found": 2, "minimum": 3}


def test_unknown_deal_mode_is_not_adjusted():
    a = F.adjust_comparable(
        F.ComparableInput("X", D(100), AS_OF, "consulting", D(1)),
        subject_mode="assignment",
        as_of=AS_OF,
        price_index_rate=D(0),
    )
    assert a.mode_factor == D(1) and a.adjusted == D("100.00")


# ---- reconciliation --------------------------------------------------------------------------


def test_reconcile_renormalises_weights_of_approaches_with_a_value():
    cost = F.ApproachResult(D("693000.00"), D("534600.00"), D("871200.00"))
    market = F.ApproachResult(D("904062.50"), D("625000.00"), D("1102500.00"))
    r = F.reconcile(
        {"cost": cost, "market": market, "income": None}, {"cost": D(20), "market": D(30), "income": D(50)}
    )
    # Income gave no value: 20 : 30 → 0.4 : 0.6
    assert r.detail["shares"] == {"cost": D("0.4000"), "market": D("0.6000")}
    # 0.4 × 693,000 + 0.6 × 904,062.50 = 277,200 + 542,437.50 = 819,637.50
    assert r.point == D("819637.50")
    # 0.4 × 534,600 + 0.6 × 625,000 = 213,840 + 375,000 = 588,840
    assert r.low == D("588840.00")
    # 0.4 × 871,200 + 0.6 × 1,102,500 = 348,480 + 661,500 = 1,009,980
    assert r.high == D("1009980.00")


def test_reconcile_without_any_value_is_refused():
    with pytest.raises(FormulaError) as exc:
        F.reconcile({"cost": None, "market": None}, {"cost": D(1), "market": D(1)})
    assert exc.value.code == "nothing_to_reconcile"


# ---- scorecard -------------------------------------------------------------------------------


def test_scorecard_worked_example_leaves_missing_indicators_out():
    values = {
        "legal_status": "granted",  # 100, weight 20 → 2,000
        "remaining_term": D(5),  # 100 × 5/10 = 50, weight 10 → 500
        "claims": 8,  # 100 × 8/10 = 80, weight 10 → 800
        "family_size": 2,  # 100 × 2/5 = 40, weight 5 → 200
        "citations": None,  # missing: weight 10 left out
        "ipc_breadth": 2,  # 100 × 2/4 = 50, weight 5 → 250
        "trl": 7,  # 100 × (7 − 1)/8 = 75, weight 20 → 1,500
        "team": 3,  # 100 × 3/5 = 60, weight 10 → 600
        "market": D(100_000_000),  # log10 = 8 → (8 − 6)/4 = 0.5 → 50, weight 10 → 500
    }
    r = F.scorecard(values, F.DEFAULT_WEIGHTS)
    # Σ = 6,350 over weights 90 → 70.56; coverage 90/100
    assert r.score == D("70.56")
    assert r.grade == "B"
    assert r.coverage == D("0.9000")
    assert r.parts["citations"] is None


def test_scorecard_without_enough_inputs_has_no_grade():
    # TRL 9 alone covers 20 % of the weight: below the 50 % needed
    r = F.scorecard({"trl": 9}, F.DEFAULT_WEIGHTS)
    assert r.score is None and r.grade == ""
    assert r.coverage == D("0.2000")


def test_grade_floors():
    assert [F.grade_for(D(x)) for x in (80, D("79.99"), 65, 50, D("49.99"))] == ["A", "B", "B", "C", "D"]


def test_ipc_breadth_counts_distinct_subclasses():
    assert F.ipc_breadth(["G06F 16/35", "G06F40/289", "H04L9/40", "B64U"]) == 3


# ---- auction and spread ----------------------------------------------------------------------


def test_auction_prices_from_the_valuation_low_end_and_grade():
    # reserve = 588,840 rounded down to 100 = 588,800; start = 588,800 × 0.7 = 412,160 → 412,100
    assert F.auction_prices(D("588840.00"), "B") == (D("412100.00"), D("588800.00"))
    # not graded: × 0.5
    assert F.auction_prices(D("1000"), "") == (D("500.00"), D("1000.00"))


def test_spread_reports_more_than_the_mean():
    s = F.spread([D(70), D(80), D(90), D(60)])
    # mean 75, median (70 + 80)/2 = 75, variance (25 + 25 + 225 + 225)/4 = 125, √125 = 11.18
    assert (s.n, s.mean, s.median, s.minimum, s.maximum, s.stdev) == (
        4,
        D("75.00"),
        D("75.00"),
        D(60),
        D(90),
        D("11.18"),
    )
    assert F.spread([]) is None


def test_cosine_of_term_vectors():
    # a = (1, 1), b = (1, 0): 1 / (√2 × 1) = 0.7071
    assert round(F.cosine({"x": 1.0, "y": 1.0}, {"x": 1.0}), 4) == 0.7071
    assert F.cosine({}, {"x": 1.0}) == 0.0
