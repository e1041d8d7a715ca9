"""In Chromium: a user follows an event, an operator pastes two new sessions into its programme, and the
user finds ONE notice naming the event and both sessions (and an e-mail); after the user turns the
in-platform channel of event notices off, the next change reaches them on no channel (the documented
rule: in-platform off mutes the group), and with e-mail off alone only the in-platform notice comes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from techbridge.core.models import Delivery, Notification
from techbridge.events import services
from techbridge.testing.factories.events import EventFactory

pytestmark = pytest.mark.browser


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def _as(live_browser, user) -> None:
    live_browser.page.context.clear_cookies()
    live_browser.login(user)


def _paste_programme(live_browser, event, text: str) -> None:
    page = live_browser.page
    live_browser.goto(f"/console/events/{event.pk}/")
    page.fill("textarea[name=programme]", text)
    with page.expect_navigation():
        page.locator("form.listing-form button[type=submit]").first.click()
    assert "已保存" in page.content(), page.locator(".errorlist").all_inner_texts()


def _set_channels(live_browser, *, in_app: bool, email: bool) -> None:
    page = live_browser.page
    live_browser.goto("/subscriptions/preferences/")
    page.locator("input[name='events:in_app']").set_checked(in_app)
    page.locator("input[name='events:email']").set_checked(email)
    with page.expect_navigation():
        page.locator("form.preferences-form button[type=submit]").click()
    assert "通知设置已保存。" in page.content()


def test_a_follower_hears_once_of_two_new_sessions_and_as_they_chose(live_browser, cast):
    day = timezone.localdate() + dt.timedelta(days=5)
    event = EventFactory(title="新材料成果发布会", starts_at=_at(day, 9), ends_at=_at(day, 17))
    services.set_sessions(
        event, actor=cast.operator, sessions=[{"title": "开幕致辞", "starts_at": _at(day, 9)}]
    )
    page = live_browser.page

    # The buyer follows the event from its page (htmx swaps the button).
    _as(live_browser, cast.buyer)
    live_browser.goto(f"/events/{event.pk}/")
    page.locator("form.follow-form button", has_text="关注").click()
    page.locator("form.follow-form button", has_text="已关注").wait_for()

    # The operator pastes two more sessions into the programme.
    _as(live_browser, cast.operator)
    programme = (
        "09:00 开幕致辞\n10:00-10:40 石墨烯导热膜成果发布 | 李教授 | 二号厅\n14:00 企业需求对接会 | | 三号厅"
    )
    _paste_programme(live_browser, event, programme)

    # One notice for the batch, naming the event and both sessions; an e-mail went too.
    _as(live_browser, cast.buyer)
    live_browser.goto("/accounts/notifications/")
    items = page.locator(".notification-list li", has_text="新材料成果发布会")
    assert items.count() == 1
    text = items.first.inner_text()
    assert "新增 2 个日程" in text and "石墨烯导热膜成果发布" in text and "企业需求对接会" in text
    assert [m.to for m in mail.outbox] == [["buyer@example.cn"]]
    assert "石墨烯导热膜成果发布" in mail.outbox[0].body

    # In-platform off for event notices: the next change reaches the buyer on no channel.
    _set_channels(live_browser, in_app=False, email=True)
    _as(live_browser, cast.operator)
    _paste_programme(live_browser, event, programme + "\n15:00 闭幕总结")
    assert Notification.objects.filter(recipient=cast.buyer, kind="event_programme").count() == 1
    assert len(mail.outbox) == 1

    # E-mail off alone: the in-platform notice comes, no e-mail is sent.
    _as(live_browser, cast.buyer)
    _set_channels(live_browser, in_app=True, email=False)
    _as(live_browser, cast.operator)
    _paste_programme(live_browser, event, programme + "\n15:00 闭幕总结\n16:00 参观展区")
    _as(live_browser, cast.buyer)
    live_browser.goto("/accounts/notifications/")
    newest = page.locator(".notification-list li").first.inner_text()
    assert "新增 1 个日程" in newest and "参观展区" in newest
    assert len(mail.outbox) == 1
    assert not Delivery.objects.filter(notification__title__contains="新增 1 个日程").exists()
