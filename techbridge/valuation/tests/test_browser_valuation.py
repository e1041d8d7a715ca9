"""In Chromium: the owner requests a valuation from the achievement page, the operator draws the panel,
the experts score, the operator issues, and the owner downloads the report."""

from __future__ import annotations

import pytest

from techbridge.testing.factories.valuation import comparables_provider
from techbridge.valuation import comparables
from techbridge.valuation.models import Valuation, ValuationRequest


@pytest.mark.browser
def test_owner_requests_panel_scores_and_report_downloads(
    live_browser, cast, achievement, experts, monkeypatch
):
    monkeypatch.setattr(comparables, "PROVIDERS", [comparables_provider(3)])
    page = live_browser.page

    live_browser.login(cast.researcher)
    live_browser.goto(f"/achievements/{achievement.pk}/")
    page.click(f"a[href='/valuation/achievements/{achievement.pk}/request/']")
    page.select_option("#id_purpose", "transfer")
    page.fill("#id_reproduction_cost", "1000000")
    page.fill("#id_developer_profit_pct", "10")
    page.fill("#id_technical_obsolescence_pct", "30")
    page.fill("#id_economic_obsolescence_pct", "10")
    page.fill("#id_first_year_revenue", "1000000")
    page.fill("#id_growth_pct", "5")
    page.fill("#id_economic_life_years", "3")
    page.fill("#id_risk_free_pct", "3")
    page.fill("#id_technology_risk_pct", "4")
    page.fill("#id_market_risk_pct", "2")
    page.fill("#id_management_risk_pct", "1")
    page.fill("#id_profit_margin_pct", "20")
    page.fill("#id_technology_share_pct", "25")
    page.click("form.listing-form button[type=submit]")
    page.wait_for_selector("#final")
    assert "693,000.00" in page.inner_text("#cost")
    assert "97,694.40" in page.inner_text("#income")
    req = ValuationRequest.objects.get()

    live_browser.login(cast.operator)
    live_browser.goto(f"/console/valuation/requests/{req.pk}/")
    page.click("#draw button[type=submit]")
    page.wait_for_selector("#issue")

    for member in req.panel.select_related("expert__user"):
        page.context.clear_cookies()
        live_browser.login(member.expert.user)
        live_browser.goto(f"/valuation/panel/{req.pk}/")
        page.fill("#id_score", "80")
        page.fill("#id_comment", "技术先进，产业化路径清晰")
        page.click("#score button[type=submit]")
        page.wait_for_selector(".msg-success")

    page.context.clear_cookies()
    live_browser.login(cast.operator)
    live_browser.goto(f"/console/valuation/requests/{req.pk}/")
    # The appraiser concludes: the approach and the reason (the weighting only suggests).
    page.select_option("#issue select[name=conclusion]", "income")
    page.fill("#issue textarea[name=conclusion_reason]", "收益预测有在谈合同支撑，采用收益法")
    page.click("#issue button[type=submit]")
    page.wait_for_selector("#conclusion")
    v = Valuation.objects.get()
    assert v.snapshot["conclusion"]["choice"] == "income" and str(v.point) == "97694.40"

    page.context.clear_cookies()
    live_browser.login(cast.researcher)
    live_browser.goto(f"/achievements/{achievement.pk}/")
    with page.expect_download() as info:
        page.click(f"#valuation a[href='/valuation/v/{v.pk}/report.pdf']")
    path = info.value.path()
    with open(path, "rb") as fh:
        assert fh.read(4) == b"%PDF"
