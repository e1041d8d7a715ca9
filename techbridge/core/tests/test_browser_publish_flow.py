"""The foundation's end-to-end path in a real Chromium.

A university signs up, a reviewer approves it, a researcher publishes an achievement, the reviewer
publishes it, and a visitor finds it by a Chinese search.
"""

from __future__ import annotations

import pytest

from techbridge.achievements.models import Achievement
from techbridge.core.workflow import ReviewStatus
from techbridge.lib.credit_code import check_character
from techbridge.organizations.choices import OrgStatus
from techbridge.organizations.models import Organization

pytestmark = pytest.mark.browser

CODE_BODY = "12320115MB0123456"
TITLE = "一种钙钛矿太阳能电池柔性封装方法"
SECRET = "封装胶膜固化温度九十二度"
SUMMARY = "本成果提供一种钙钛矿太阳能电池的柔性封装方法，显著提高湿热环境下的稳定性。"


def _submit(page, selector: str = "main form button[type=submit]") -> None:
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.locator(selector).first.click()


def test_sign_up_publish_review_and_find_by_chinese_search(live_browser, cast, _chromium):
    page = live_browser.page

    # 1. A university signs up; its organisation waits for review.
    live_browser.goto("/accounts/signup/")
    page.fill("input[name=name]", "江宁示范理工大学")
    page.select_option("select[name=kind]", "university")
    page.fill("input[name=credit_code]", CODE_BODY + check_character(CODE_BODY))
    page.select_option("select[name=district]", "jiangning")
    page.fill("input[name=address]", "南京市江宁区示范路1号")
    page.fill("input[name=contact_phone]", "025-52000000")
    page.fill("input[name=username]", "newprof")
    page.fill("input[name=real_name]", "孙教授")
    page.fill("input[name=email]", "newprof@example.cn")
    page.fill("input[name=phone]", "13800000000")
    page.fill("input[name=password1]", "Perovskite-2026!")
    page.fill("input[name=password2]", "Perovskite-2026!")
    _submit(page)
    org = Organization.objects.get(name="江宁示范理工大学")
    assert org.status == OrgStatus.PENDING
    assert "/accounts/signup/" in page.url  # the "awaiting review" page

    # 2. A reviewer approves the organisation in the console (own browser context).
    reviewer = live_browser.page.context.browser.new_context(locale="zh-CN")
    rpage = reviewer.new_page()
    reviewer_browser = type(live_browser)(rpage, live_browser.base_url)
    reviewer_browser.login(cast.reviewer)
    reviewer_browser.goto(f"/console/organizations/{org.pk}/")
    _submit(rpage, "button[name=decision][value=approve]")
    org.refresh_from_db()
    assert org.status == OrgStatus.APPROVED

    # 3. The researcher writes an achievement and submits it for review.
    live_browser.goto("/achievements/new/")
    page.fill("input[name=title]", TITLE)
    page.select_option("select[name=kind]", "invention_patent")
    page.check("input[name=fields][value=laser]")
    page.select_option("select[name=trl]", "6")
    page.fill("input[name=keywords]", "钙钛矿,太阳能电池,柔性封装")
    page.fill("textarea[name=summary]", SUMMARY)
    page.fill("textarea[name=detail]", SECRET)
    _submit(page, "button[name=and_submit]")
    achievement = Achievement.objects.get(title=TITLE)
    assert achievement.status == ReviewStatus.SUBMITTED
    assert page.locator("h1").first.inner_text().strip().startswith(TITLE)

    # 4. The reviewer publishes it.
    reviewer_browser.goto(f"/console/achievements/{achievement.pk}/")
    _submit(rpage, "button[name=decision][value=approve]")
    achievement.refresh_from_db()
    assert achievement.status == ReviewStatus.PUBLISHED
    reviewer.close()

    # 5. A visitor who is not signed in finds it by a Chinese search, term highlighted, secret hidden.
    phone = {"width": 390, "height": 844}
    visitor = live_browser.page.context.browser.new_context(locale="zh-CN", viewport=phone)
    vpage = visitor.new_page()
    response = vpage.goto(live_browser.url("/achievements/?q=钙钛矿电池封装"), wait_until="domcontentloaded")
    assert response is not None and response.status == 200
    results = vpage.locator("main")
    assert TITLE in results.inner_text()
    assert vpage.locator("mark", has_text="钙钛矿").count() >= 1
    vpage.locator(f"a[href='/achievements/{achievement.pk}/']").first.click()
    vpage.wait_for_load_state("domcontentloaded")
    assert SECRET not in vpage.content()
    visitor.close()
