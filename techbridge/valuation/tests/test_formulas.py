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


def test_discount_rate_not_above_growth_gives_no_number():
    # r = 10 % and g = 10 %: refused; so is g = 12 %.
    for g in (D("0.10"), D("0.12")):
        with pytest.raises(FormulaError) as exc:
            F.income_approach(**{**PROFIT_SHARE, "growth_rate": g})
        assert exc.value.code == "discount_not_above_growth"


def test_economic_life_beyond_the_patent_term_gives_no_number():
    with pytest.raises(FormulaError) as exc:
        F.income_approach(**{**PROFIT_SHARE, "economic_life_years": 8, "remaining_term_years": D("7.5")})
    assert exc.value.code == "life_beyond_term"
    assert exc.value.params == {"life": 8, "term": D("7.5")}
    # 3 years within 7.5 is fine
    assert F.income_approach(**{**PROFIT_SHARE, "remaining_term_years": D("7.5")}).point == D("97694.40")


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
