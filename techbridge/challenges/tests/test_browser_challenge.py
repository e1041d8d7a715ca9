"""One challenge from publication to award in a real Chromium, in Chinese: the enterprise publishes, a
reviewer approves, a university team applies (揭榜), the publisher closes applications, an operator seats
a conflict-free expert, the expert scores, the publisher awards and opens the draft contract."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from techbridge.challenges.choices import ChallengeStatus
from techbridge.challenges.models import Challenge
from techbridge.contracts.choices import Origin
from techbridge.contracts.models import Contract
from techbridge.core.tests.test_pages_speak_chinese import leaks, visible_text
from techbridge.portal.tests.test_crawl_speaks_chinese import english_runs
from techbridge.testing.factories.accounts import UserFactory
from techbridge.testing.factories.talent import ExpertFactory

pytestmark = pytest.mark.browser

TITLE = "工业机器人减速器寿命提升"


def _as(live_browser, user) -> None:
    live_browser.page.context.clear_cookies()
    live_browser.login(user)


def test_a_challenge_from_publication_to_award_and_its_contract(live_browser, cast):
    expert = ExpertFactory(
        user=UserFactory(username="expert_zhou", organization=cast.service, real_name="周评审"),
        fields=("ic",),
    )
    page = live_browser.page
    problems: dict[str, list[str]] = {}

    def scan() -> None:
        page.wait_for_load_state("domcontentloaded")
        html = page.content()
        found = leaks(html) + english_runs(visible_text(html))
        if found:
            problems[page.url] = sorted(set(found))

    # The enterprise publishes its challenge and sends it for review.
    _as(live_browser, cast.buyer)
    live_browser.goto("/challenges/new/")
    scan()
    page.fill("input[name=title]", TITLE)
    page.fill("textarea[name=problem]", "RV 减速器寿命不足 6000 小时，需提升材料与热处理工艺。")
    page.fill("textarea[name=indicators_text]", "寿命 ≥ 10000 小时\n回差 ≤ 1 弧分")
    page.fill("input[name=budget]", "200")
    deadline = timezone.localtime() + dt.timedelta(days=7)
    page.fill("input[name=deadline]", deadline.strftime("%Y-%m-%dT%H:%M"))
    page.select_option("select[name=district]", "jiangning")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/challenges/*/")
    scan()
    challenge = Challenge.objects.get(title=TITLE)
    page.get_by_role("button", name="提交审核").click()
    page.get_by_text("榜单已提交平台审核").wait_for()

    # A platform reviewer approves it.
    _as(live_browser, cast.reviewer)
    live_browser.goto(f"/challenges/{challenge.pk}/")
    page.get_by_role("button", name="审核通过并发布").click()
    page.get_by_text("榜单已发布，开始接受揭榜").wait_for()
    assert page.locator("#challenge-status").inner_text() == "揭榜中"

    # A university team applies with its plan.
    _as(live_browser, cast.researcher)
    live_browser.goto("/challenges/")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="我要揭榜").click()
    scan()
    page.fill("textarea[name=summary]", "新型渗碳工艺与摆线轮修形。")
    page.fill("textarea[name=approach]", "材料选型、热处理、台架寿命试验。")
    page.fill("textarea[name=team_text]", "李研究, 项目负责人")
    page.fill("textarea[name=schedule_text]", "台架样机, 2027-06-30\n寿命试验报告, 2027-12-31")
    page.fill("input[name=price]", "180")
    page.get_by_role("button", name="提交揭榜申请").click()
    page.get_by_text("揭榜申请已提交，截止前保持密封").wait_for()
    scan()

    # The publisher closes applications and now reads the plan.
    _as(live_browser, cast.buyer)
    live_browser.goto(f"/challenges/{challenge.pk}/")
    assert "新型渗碳工艺" not in page.content()  # sealed
    page.get_by_role("button", name="立即截止揭榜").click()
    page.get_by_text("揭榜已截止，现在可以查阅揭榜申请").wait_for()
    assert "新型渗碳工艺" in page.content()

    # An operator seats the expert panel from the pool.
    _as(live_browser, cast.operator)
    live_browser.goto(f"/console/challenges/{challenge.pk}/panel/")
    scan()
    page.fill("textarea[name=experts]", f"#{expert.pk} 周评审")
    page.get_by_role("button", name="保存专家组").click()
    page.get_by_text("专家组已保存").wait_for()

    # The expert scores the application on each indicator.
    _as(live_browser, expert.user)
    live_browser.goto("/mine/")
    page.get_by_role("link", name=TITLE).click()
    page.wait_for_url("**/review/")
    scan()
    inputs = page.locator("form input[type=number]")
    inputs.nth(0).fill("92")
    inputs.nth(1).fill("88")
    page.get_by_role("button", name="保存我的评分").click()
    page.get_by_text("您的平均分：90.00").wait_for()

    # The publisher awards the challenge and opens the draft contract.
    _as(live_browser, cast.buyer)
    live_browser.goto(f"/challenges/{challenge.pk}/")
    page.get_by_role("button", name="确定中榜").click()
    page.get_by_text("已确定中榜者").wait_for()
    assert page.locator("#challenge-status").inner_text() == "已揭榜"
    scan()
    page.locator("#contract-link").click()
    page.wait_for_url("**/contracts/*/")
    scan()
    assert f"揭榜挂帅：{TITLE}" in page.content()
    challenge.refresh_from_db()
    contract = Contract.objects.get(pk=challenge.contract_id)
    assert challenge.status == ChallengeStatus.AWARDED
    assert (contract.origin, contract.seller, contract.buyer) == (
        Origin.CHALLENGE,
        cast.university,
        cast.enterprise,
    )
    assert str(contract.total_amount) == "1800000.00"
    assert problems == {}
