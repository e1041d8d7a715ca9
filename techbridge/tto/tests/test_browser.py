"""In a real Chromium: a researcher discloses, the office assesses, decides and files, publishes the case as
a listing, declares the granted patent open for licence, an enterprise takes a licence by notice, the royalty
arrives and the inventors' rewards and statements are issued."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from techbridge.achievements import services as achievements
from techbridge.contracts.models import Contract
from techbridge.tto.models import Disclosure

pytestmark = pytest.mark.browser


def _as(live_browser, user) -> None:
    live_browser.page.context.clear_cookies()
    live_browser.login(user)


def test_disclosure_listing_licence_reward(live_browser, cast, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = live_browser.page
    page.set_default_timeout(30_000)

    # The researcher discloses with a colleague (shares 60 / 40) and submits to the office.
    _as(live_browser, cast.researcher)
    live_browser.goto(reverse("tto:create"))
    page.fill("input[name=title]", "一种固态电解质界面修饰方法")
    page.fill("textarea[name=summary]", "提高固态锂电池循环寿命的界面修饰方法。")
    page.fill("textarea[name=inventors_text]", "李研究, 60, researcher\n周同事, 40")
    page.click("[data-testid=save]")
    page.click("[data-testid=submit]")
    assert page.inner_text("[data-testid=case-status]") == "已披露，待决定"
    case = Disclosure.objects.get()

    # The office scores the checklist, decides to protect, enters the application and records the grant.
    _as(live_browser, cast.univ_admin)
    live_browser.goto(reverse("tto:case", args=[case.pk]))
    for name in ("score_novelty", "score_market", "score_maturity", "score_protectability"):
        page.fill(f"[data-testid=assess] input[name={name}]", "4")
    page.click("[data-testid=save-assessment]")
    page.fill("[data-testid=decide] textarea[name=reasons]", "新颖性强，市场需求明确。")
    page.select_option("[data-testid=decide] select[name=decision]", "protect")
    page.click("[data-testid=decide] button[type=submit]")
    assert page.inner_text("[data-testid=case-status]") == "决定保护"
    page.fill("[data-testid=file-application] input[name=application_number]", "CN202110123456.7")
    page.fill("[data-testid=file-application] input[name=filing_date]", "2021-03-01")
    page.click("[data-testid=file-application] button[type=submit]")
    page.fill("form:has([data-testid=grant]) input[name=grant_date]", "2023-05-09")
    page.click("[data-testid=grant]")
    assert "已授权" in page.inner_text("[data-testid=application]")

    # One click lists it; a reviewer publishes the listing; the office declares the patent open for licence.
    page.click("[data-testid=publish]")
    case.refresh_from_db()
    achievements.approve_achievement(case.achievement, actor=cast.reviewer)
    page.fill("[data-testid=declare] input[name=royalty_rate]", "3")
    page.fill("[data-testid=declare] input[name=entry_fee]", "10000")
    page.fill("[data-testid=declare] textarea[name=payment_terms]", "每年3月31日前按上年销售额支付。")
    page.click("[data-testid=declare] button[type=submit]")

    # An enterprise finds it on the public list and takes a licence by notice.
    _as(live_browser, cast.buyer)
    live_browser.goto(reverse("tto:licences"))
    page.click("[data-testid=licence-row] a")
    page.click("[data-testid=take]")
    assert page.locator("[data-testid=my-licence]").count() == 1
    contract = Contract.objects.get(buyer=cast.enterprise)
    assert contract.status == "submitted"

    # The royalty arrives; the office computes the rewards under its policy and issues the statements.
    _as(live_browser, cast.univ_admin)
    live_browser.goto(reverse("tto:case", args=[case.pk]))
    assert contract.number in page.inner_text("[data-testid=market]")
    page.fill("[data-testid=record-income] input[name=amount]", "100000")
    page.fill("[data-testid=record-income] input[name=received_on]", dt.date.today().isoformat())
    page.click("[data-testid=record-income] button[type=submit]")
    page.click("[data-testid=distribute] button[type=submit]")
    assert page.inner_text("[data-testid=inventors-amount]") == "70000.00"
    page.click("[data-testid=issue]")

    # The researcher sees the reward and the statement.
    _as(live_browser, cast.researcher)
    live_browser.goto(reverse("tto:case", args=[case.pk]))
    lines = page.locator("[data-testid=reward-line]").all_inner_texts()
    assert any("李研究" in line and "42000.00" in line and "清单" in line for line in lines)
