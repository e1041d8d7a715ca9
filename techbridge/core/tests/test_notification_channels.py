"""Notifications reach people on the channels they chose: e-mail, SMS and WeChat behind one interface
with a provider setting (the console provider logs with the number masked), one delivery record per
channel, retried with back-off when it fails, held during quiet hours unless urgent."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from techbridge.core import channels, notifications
from techbridge.core.models import Delivery, Notification, NotificationPreference
from techbridge.core.notifications import notify

pytestmark = pytest.mark.django_db

BEIJING = timezone.get_default_timezone()


def at(monkeypatch, hour: int, minute: int = 0, day: int = 7) -> datetime:
    now = datetime(2026, 12, day, hour, minute, tzinfo=BEIJING)
    monkeypatch.setattr(timezone, "now", lambda: now)
    return now


def prefer(user, choices=None, **extra):
    NotificationPreference.objects.create(user=user, choices=choices or {}, **extra)


def test_console_sms_provider_records_a_masked_delivery(cast, run_on_commit, caplog, settings):
    settings.NOTIFY_SMS_PROVIDER = "console"
    user = cast.buyer
    type(user).objects.filter(pk=user.pk).update(phone="13812345678")
    user.refresh_from_db()
    prefer(user, {"deals:sms": True})
    caplog.set_level(logging.INFO, logger="techbridge.notifications")
    with run_on_commit(execute=True):
        assert notify(user, kind="deal_message", title="洽谈室有新消息", link="/deals/1/")
    sms = Delivery.objects.get(channel="sms")
    assert (sms.state, sms.address, sms.attempts) == (Delivery.SENT, "138****5678", 1)
    assert "138****5678" in caplog.text and "13812345678" not in caplog.text
    assert Delivery.objects.get(channel="email").state == Delivery.SENT  # e-mail stays on by default
    assert [m.subject for m in mail.outbox] == ["洽谈室有新消息"]


def test_sms_is_opt_in_and_off_without_a_provider(cast, run_on_commit, settings):
    user = cast.buyer
    type(user).objects.filter(pk=user.pk).update(phone="13812345678")
    user.refresh_from_db()
    with run_on_commit(execute=True):
        notify(user, kind="deal_message", title="默认不发短信")
    assert not Delivery.objects.filter(channel="sms").exists()
    settings.NOTIFY_SMS_PROVIDER = "none"
    prefer(user, {"deals:sms": True})
    with run_on_commit(execute=True):
        notify(user, kind="deal_message", title="没有短信服务商")
    assert not Delivery.objects.filter(channel="sms").exists()


def test_a_channel_turned_off_gets_no_delivery_and_a_muted_group_nothing(cast, run_on_commit):
    user = cast.buyer
    prefer(user, {"deals:email": False, "matches:in_app": False})
    with run_on_commit(execute=True):
        assert notify(user, kind="deal_message", title="只在站内")
        assert not notify(user, kind="match_found", title="匹配推荐已关闭")
    assert list(Notification.objects.filter(recipient=user).values_list("title", flat=True)) == ["只在站内"]
    assert not Delivery.objects.exists() and mail.outbox == []
    # Reviews and account notices always arrive in the platform.
    assert channels.preferences_for(user).enabled(channels.SYSTEM, channels.IN_APP)


def test_quiet_hours_hold_outside_channels_until_they_end_and_urgent_kinds_go_at_once(
    cast, run_on_commit, monkeypatch
):
    from datetime import time

    user = cast.buyer
    prefer(user, quiet_start=time(22, 0), quiet_end=time(7, 30))
    at(monkeypatch, 23, 15)
    with run_on_commit(execute=True):
        notify(user, kind="contract_overdue", title="合同登记逾期提醒")
        notify(user, kind="auctions.won", title="您已竞得拍品")
    assert [m.subject for m in mail.outbox] == ["您已竞得拍品"]  # urgent: at once
    held = Delivery.objects.get(notification__title="合同登记逾期提醒")
    assert held.state == Delivery.PENDING
    assert timezone.localtime(held.not_before) == datetime(2026, 12, 8, 7, 30, tzinfo=BEIJING)
    assert Notification.objects.filter(title="合同登记逾期提醒").exists()  # the inbox has it at once

    at(monkeypatch, 7, 0, day=8)
    assert notifications.send_due() == {}
    at(monkeypatch, 7, 31, day=8)
    assert notifications.send_due() == {Delivery.SENT: 1}
    assert [m.subject for m in mail.outbox] == ["您已竞得拍品", "合同登记逾期提醒"]


def test_quiet_hours_within_one_day_and_outside_them(cast):
    from datetime import time

    prefs = channels.Preferences(quiet_start=time(12, 0), quiet_end=time(14, 0))
    noon = datetime(2026, 12, 7, 12, 30, tzinfo=BEIJING)
    assert prefs.quiet_until(noon) == datetime(2026, 12, 7, 14, 0, tzinfo=BEIJING)
    assert prefs.quiet_until(noon + timedelta(hours=2)) is None


class Flaky:
    def __init__(self, failures: int) -> None:
        self.failures = failures

    def send(self, address, message):
        if self.failures:
            self.failures -= 1
            raise channels.DeliveryError("网关超时")


def test_a_failed_delivery_is_retried_with_backoff_and_gives_up_after_five(
    cast, run_on_commit, monkeypatch, settings
):
    settings.NOTIFY_WECHAT_PROVIDER = "flaky"
    flaky = Flaky(failures=1)
    monkeypatch.setitem(channels.PROVIDERS[channels.WECHAT], "flaky", flaky)
    user = cast.buyer
    prefer(user, {"events:wechat": True, "events:email": False}, wechat_openid="o6_bmjrPTlm6_2sgVt7hMZOPfL2M")
    start = at(monkeypatch, 10)
    with run_on_commit(execute=True):
        notify(user, kind="event_reminder", title="活动明天开始")
    row = Delivery.objects.get()
    assert (row.state, row.attempts, row.error, row.address) == (Delivery.PENDING, 1, "网关超时", "o6_***")
    assert row.not_before == start + timedelta(minutes=2)
    assert notifications.send_due() == {}  # not yet due
    at(monkeypatch, 10, 3)
    assert notifications.send_due() == {Delivery.SENT: 1}
    row.refresh_from_db()
    assert (row.state, row.attempts, row.error) == (Delivery.SENT, 2, "")

    flaky.failures = 99
    with run_on_commit(execute=True):
        notify(user, kind="event_reminder", title="活动改期")
    for minute in range(4, 4 + 60, 1):
        at(monkeypatch, 10 + minute // 60, minute % 60)
        notifications.send_due()
    failed = Delivery.objects.get(notification__title="活动改期")
    assert (failed.state, failed.attempts) == (Delivery.FAILED, notifications.MAX_ATTEMPTS)


def test_existing_callers_keep_their_signature_and_dedupe(cast):
    assert notify(cast.buyer, kind="organization_review", title="机构审核通过", dedupe_key="org:1")
    assert not notify(cast.buyer, kind="organization_review", title="机构审核通过", dedupe_key="org:1")
    assert Notification.objects.filter(recipient=cast.buyer).count() == 1


def test_kinds_fall_into_groups():
    assert channels.group_of("match_found") == channels.MATCHES
    assert channels.group_of("deal_dispute") == channels.DEALS
    assert channels.group_of("auctions.deposit_paid") == channels.AUCTIONS
    assert channels.group_of("digest") == channels.DIGESTS
    assert channels.group_of("membership_request") == channels.SYSTEM
    assert channels.is_urgent("auctions.won") and not channels.is_urgent("auctions.deposit_paid")
