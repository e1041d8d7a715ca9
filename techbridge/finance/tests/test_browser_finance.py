"""In a real Chromium: an enterprise posts a financing request, sees the matched investors with the
reasons, asks for an introduction; the investor consents and the two are introduced."""

from __future__ import annotations

import pytest

from techbridge.finance.choices import IntroStatus
from techbridge.finance.models import FinancingRequest, Introduction
from techbridge.testing.factories.finance import make_investor

pytestmark = pytest.mark.browser


def _as(live_browser, user) -> None:
    live_browser.page.context.clear_cookies()
    live_browser.login(user)


def test_request_match_introduction(live_browser, cast, media_root):
    from techbridge.finance import matching
    from techbridge.matching import corpus

    corpus.forget(matching.INVESTORS)
    fund = make_investor(
        cast, name="示范集成电路成果转化基金", summary="投资集成电路芯片设计与功率器件的早期企业。"
    )
    page = live_browser.page

    _as(live_browser, cast.buyer)
    live_browser.goto("/finance/requests/new/")
    page.fill("input[name=title]", "车规级碳化硅功率芯片产业化")
    page.fill("textarea[name=summary]", "研发车规级碳化硅功率芯片，已完成流片验证，寻求股权融资扩大产能。")
    page.fill("input[name=amount]", "5000000")
    page.select_option("select[name=stage]", "startup")
    page.select_option("select[name=instrument]", "equity")
    page.select_option("select[name=district]", "jiangning")
    page.fill("textarea[name=use_of_funds]", "封测产线建设。")
    page.get_by_label("集成电路").check()
    page.click("[data-testid=save]")
    page.wait_for_url("**/finance/requests/*/")
    req = FinancingRequest.objects.get()
    match = page.locator("[data-testid=match]").first
    assert "示范集成电路成果转化基金" in match.inner_text()
    assert "集成电路" in match.locator(".reasons").inner_text()
    match.locator("[data-testid=introduce]").click()
    page.wait_for_load_state("domcontentloaded")
    intro = Introduction.objects.get(request=req, investor=fund)
    assert intro.status == IntroStatus.PROPOSED

    _as(live_browser, cast.broker)
    live_browser.goto(f"/finance/introductions/{intro.pk}/")
    page.click("[data-testid=consent]")
    page.wait_for_load_state("domcontentloaded")
    intro.refresh_from_db()
    assert intro.status == IntroStatus.INTRODUCED
    assert page.locator("#intro-status").inner_text() == "已对接"  # the page speaks Chinese
