"""Issue 22 point 5 in Chromium: the operator types Chinese into the lot form's achievement box, picks
the achievement from the list and saves the lot."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from techbridge.auctions.models import Lot
from techbridge.testing.factories.achievements import make_achievement
from techbridge.testing.factories.auctions import make_session

pytestmark = pytest.mark.browser


def test_an_operator_picks_an_achievement_by_typing_chinese(live_browser, cast):
    wanted = make_achievement(cast, title="基于深度学习的桥梁裂缝检测系统")
    make_achievement(cast, title="一种高效锂电池隔膜制备方法")
    session = make_session(cast)
    page = live_browser.page
    live_browser.login(cast.operator)
    live_browser.goto(f"/console/auctions/sessions/{session.pk}/lots/new/")
    assert page.locator("select[name=achievement]").count() == 0
    page.fill("input[name=title]", "桥梁裂缝检测系统转让")
    box = page.locator("input[name=achievement]")
    box.click()
    box.press_sequentially("裂缝检测", delay=30)
    choice = page.locator(".picker-results button[data-value]", has_text="桥梁裂缝检测系统")
    choice.wait_for()
    assert page.locator(".picker-results button[data-value]", has_text="锂电池").count() == 0
    choice.click()
    assert box.input_value().startswith(f"#{wanted.pk} 基于深度学习的桥梁裂缝检测系统")
    page.locator("select[name=sale_kind]").select_option("assignment")
    page.fill("input[name=starting_price]", "100000")
    page.fill("input[name=increment]", "5000")
    start = timezone.localtime() + dt.timedelta(days=2)
    page.fill("input[name=starts_at]", start.strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=scheduled_end_at]", (start + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    with page.expect_navigation():
        page.locator("form.listing-form button[type=submit]").first.click()
    assert "/console/auctions/lots/" in page.url, page.locator(".errorlist").all_inner_texts()
    assert Lot.objects.get().achievement == wanted


def test_a_buyer_invites_a_broker_by_typing_chinese_in_the_room(live_browser, cast):
    from techbridge.accounts.models import User
    from techbridge.core.roles import Role
    from techbridge.deals import services as deals

    User.objects.create(username="broker2", real_name="钱顾问", organization=cast.service, role=Role.MEMBER)
    achievement = make_achievement(cast, title="一种钠离子电池正极材料")
    room = deals.open_room(actor=cast.buyer, achievement=achievement)
    page = live_browser.page
    live_browser.login(cast.buyer)
    live_browser.goto(f"/deals/{room.pk}/")
    assert page.locator("select[name=broker]").count() == 0
    box = page.locator("input[name=broker]")
    box.click()
    box.press_sequentially("赵经", delay=30)
    choice = page.locator(".picker-results button[data-value]", has_text="赵经理")
    choice.wait_for()
    assert page.locator(".picker-results button[data-value]", has_text="钱顾问").count() == 0
    choice.click()
    assert box.input_value().startswith(f"#{cast.broker.pk} 赵经理")
    with page.expect_navigation():
        page.locator("#brokers button[type=submit]").click()
    assert room.broker_invitations.get().broker == cast.broker
    assert "赵经理" in page.locator("#brokers").inner_text()
