"""Valuation checked against the law and appraisal practice (issue 18): one worked case per rule, through
the services, with the inputs, the hand-computed result and the rule it follows (docs/valuation.md)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from techbridge.testing.factories.achievements import make_achievement
from techbridge.testing.factories.valuation import ASSUMPTIONS
from techbridge.valuation import services
from techbridge.valuation.models import Valuation, ValuationRequest

from .test_services import _score_all

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 6, 1)


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English (the Chinese catalogue is tested by the i18n tests)."""
    with translation.override("en"):
        yield


def _preview(req):
    return services.preview(req, as_of=AS_OF)


@pytest.mark.parametrize(
    ("filed", "years", "expiry", "remaining"),
    [
        # 专利法 art. 42 with the 2021-06-01 transition: the filing date decides a design's term.
        (date(2021, 5, 31), 10, "2031-05-31", "5.00"),  # 1,825 days / 365.25 = 5.00 (4.9966 → 5.00)
        (date(2021, 6, 1), 15, "2036-06-01", "10.00"),  # 3,653 days / 365.25 = 10.00
    ],
)
def test_a_design_term_depends_on_its_filing_date(cast, no_comparables, filed, years, expiry, remaining):
    design = make_achievement(cast, chip=True, title="一种时钟芯片封装外观", kind="design")
    req = services.create_request(
        design, actor=cast.researcher, data={**ASSUMPTIONS, "patent_filing_date": filed}
    )
    rec = _preview(req)
    assert (rec["term"]["years"], rec["term"]["expiry"], rec["term"]["remaining"]) == (
        years,
        expiry,
        remaining,
    )
    assert rec["income"]["remaining_term"] == remaining


def test_an_invention_carries_its_term_adjustment(cast, achievement, no_comparables):
    # Filed 2019-02-28, 20 years → 2039-02-28, + 200 days (art. 42 para. 2) → 2039-09-16.
    req = services.create_request(
        achievement,
        actor=cast.researcher,
        data={**ASSUMPTIONS, "patent_filing_date": date(2019, 2, 28), "term_adjustment_days": 200},
    )
    rec = _preview(req)
    assert rec["term"]["expiry"] == "2039-09-16" and rec["term"]["adjustment_days"] == 200
    # 4,855 days / 365.25 = 13.29 years
    assert rec["term"]["remaining"] == "13.29"


def test_a_utility_model_cannot_carry_an_adjustment(cast, no_comparables):
    um = make_achievement(cast, chip=True, title="一种时钟电路结构", kind="utility_model")
    req = services.create_request(
        um,
        actor=cast.researcher,
        data={**ASSUMPTIONS, "patent_filing_date": date(2020, 3, 1), "term_adjustment_days": 30},
    )
    rec = _preview(req)
    assert rec["term"]["ok"] is False and rec["income"]["error"]["code"] == "adjustment_not_invention"


def test_revenue_share_shows_beside_the_profit_share_rate(client, cast, achievement, no_comparables):
    # 销售收入分成率 = 销售利润率 (pre-tax) 20 % × 利润分成率 25 % = 5 %
    req = services.create_request(achievement, actor=cast.researcher, data=ASSUMPTIONS)
    rec = _preview(req)
    assert (rec["income"]["profit_share"], rec["income"]["attributable_rate"]) == ("25.00", "5.00")
    client.force_login(cast.researcher)
    page = client.get(reverse("valuation:request", args=[req.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = page.content.decode()
    assert "利润分成率" in text and "销售收入分成率" in text and "技术分成率" not in text
    form = client.get(reverse("valuation:request_edit", args=[req.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "利润分成率" in form.content.decode() and "税前" in form.content.decode()


def test_profit_share_rate_from_the_scoring_table(cast, achievement, no_comparables):
    # Bounds 25 %–33 %; every factor 60, 供求关系 80: q = 0.64, share = 25 % + 8 % × 0.64 = 30.12 %;
    # revenue share = 20 % × 30.12 % = 6.024 % → shown 6.02 %.
    from techbridge.valuation.formulas import SHARE_FACTORS

    scores = {**{k: 60 for k in SHARE_FACTORS}, "supply_demand": 80}
    req = services.create_request(
        achievement,
        actor=cast.researcher,
        data={
            **ASSUMPTIONS,
            "technology_share_pct": None,
            "share_low_pct": D(25),
            "share_high_pct": D(33),
            "share_scores": scores,
        },
    )
    rec = _preview(req)
    assert rec["income"]["share_table"]["adjustment"] == "0.6400"
    assert (rec["income"]["profit_share"], rec["income"]["attributable_rate"]) == ("30.12", "6.02")
    with pytest.raises(ValidationError) as exc:
        services.update_assumptions(req, actor=cast.researcher, data={"share_scores": {"maturity": 120}})
    assert "share_scores" in exc.value.message_dict


def test_scoring_table_and_declining_rate_through_the_form(client, cast, achievement, no_comparables):
    req = services.create_request(achievement, actor=cast.researcher, data=ASSUMPTIONS)
    client.force_login(cast.researcher)
    data = {k: ("" if v is None else str(v)) for k, v in ASSUMPTIONS.items()}
    data.update(weight_cost="20", weight_market="30", weight_income="50", share_decline_pct="10")
    response = client.post(reverse("valuation:request_edit", args=[req.pk]), data)
    assert response.status_code == 302
    req.refresh_from_db()
    # a_t = 5 %, 4.5 %, 4.05 %: PV = 34,090.91 + 29,287.19 + 25,160.36 = 88,538.46
    assert req.share_decline_pct == D(10) and _preview(req)["income"]["point"] == "88538.46"


def test_market_adjusts_for_technical_difference_and_remaining_life(cast, achievement, three_comparables):
    # Comparables 800,000 / 1,000,000 / 1,200,000, same mode and year, equal similarity.
    # contract:0 is 10 % weaker than the subject (K_tech 1.10) → 880,000;
    # contract:1 had 10 years left at its deal, the subject 5: at r = 10 %,
    # K_life = (1 − 1.1^−5) / (1 − 1.1^−10) = 3.7908 / 6.1446 = 0.6169 → 616,933.09;
    # contract:2 is 10 % stronger (K_tech 0.90) → 1,080,000. Value = mean = 858,977.70.
    req = services.create_request(
        achievement,
        actor=cast.researcher,
        data={
            **ASSUMPTIONS,
            "remaining_term_years": D(5),
            "comparable_adjustments": {
                "contract:0": {"tech_factor": "1.10"},
                "contract:1": {"remaining_life": "10"},
                "contract:2": {"tech_factor": "0.90"},
            },
        },
    )
    rec = _preview(req)["market"]
    rows = {c["ref"]: c for c in rec["comparables"]}
    assert (rows["contract:0"]["tech_factor"], rows["contract:0"]["adjusted"]) == ("1.1000", "880000.00")
    assert (rows["contract:1"]["life_factor"], rows["contract:1"]["adjusted"]) == ("0.6169", "616933.09")
    assert rows["contract:2"]["adjusted"] == "1080000.00"
    assert rec["point"] == "858977.70"
    with pytest.raises(ValidationError):
        services.update_assumptions(
            req, actor=cast.researcher, data={"comparable_adjustments": {"contract:0": {"tech_factor": "5"}}}
        )


def test_the_appraiser_concludes_and_the_weighting_is_only_a_suggestion(
    cast, achievement, experts, three_comparables
):
    req = services.create_request(achievement, actor=cast.researcher, data=ASSUMPTIONS)
    services.assign_panel(req, actor=cast.operator, size=3)
    _score_all(req)
    with pytest.raises(ValidationError) as exc:
        services.issue_valuation(req, actor=cast.operator)
    assert "Choose the approach" in exc.value.messages[0]
    with pytest.raises(ValidationError) as exc:
        services.issue_valuation(req, actor=cast.operator, conclusion="market", reason="")
    assert "Explain why" in exc.value.messages[0]
    v = services.issue_valuation(
        req, actor=cast.operator, conclusion="market", reason="三项登记合同与评估对象高度可比，采用市场法"
    )
    rec = v.snapshot
    # The market approach's 1,000,000 is the value; the weighted 487,447.20 is kept as a suggestion.
    assert (v.point, v.low, v.high) == (D("1000000.00"), D("800000.00"), D("1200000.00"))
    assert rec["final"]["suggestion"] and rec["final"]["point"] == "487447.20"
    req.refresh_from_db()
    assert (req.conclusion, rec["conclusion"]["reason"]) == ("market", req.conclusion_reason)


def test_a_conclusion_on_an_approach_without_a_value_is_refused(cast, achievement, experts, no_comparables):
    req = services.create_request(achievement, actor=cast.researcher, data=ASSUMPTIONS)
    services.assign_panel(req, actor=cast.operator, size=3)
    _score_all(req)
    with pytest.raises(ValidationError) as exc:
        services.issue_valuation(req, actor=cast.operator, conclusion="market", reason="有可比交易")
    assert "gave no value" in exc.value.messages[0]
    assert not Valuation.objects.exists()


def test_issued_valuations_migrate_to_a_stated_weighted_conclusion(
    cast, achievement, experts, three_comparables
):
    from importlib import import_module

    from django.apps import apps

    migration = import_module(
        "techbridge.valuation.migrations.0006_add_legal_term_share_table_and_conclusion"
    )
    req = services.create_request(achievement, actor=cast.researcher, data=ASSUMPTIONS)
    services.assign_panel(req, actor=cast.operator, size=3)
    _score_all(req)
    v = services.issue_valuation(req, actor=cast.operator, conclusion="weighted", reason="x")
    open_req = services.create_request(achievement, actor=cast.researcher, data=ASSUMPTIONS)
    # As before the migration: issued without a conclusion.
    ValuationRequest.objects.update(conclusion="", conclusion_reason="")
    migration.mark_issued_as_weighted(apps, None)
    req.refresh_from_db()
    open_req.refresh_from_db()
    assert req.conclusion == "weighted" and "加权" in req.conclusion_reason
    assert open_req.conclusion == ""
    v.refresh_from_db()
    assert v.point == D("487447.20")
