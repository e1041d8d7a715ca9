"""A signed-in user chooses, per kind of notice and channel, how they hear of things, and quiet hours, on
/subscriptions/preferences/ or /api/v1/notification-preferences/; bad choices are refused in Chinese."""

from __future__ import annotations

import pytest
from django.urls import reverse

from techbridge.core import channels
from techbridge.core.models import AuditEntry, Delivery, NotificationPreference
from techbridge.core.notifications import notify, wants

pytestmark = pytest.mark.django_db

EVERYTHING_DEFAULT = {
    f"{g}:{c}": "on" for g in channels.GROUP_NAMES for c in channels.CHANNEL_NAMES if channels.DEFAULTS[c]
}


def test_the_page_shows_the_grid_and_turns_match_recommendations_off(cast, client):
    client.force_login(cast.buyer)
    html = client.get(reverse("subscriptions:preferences")).content.decode()
    assert "通知设置" in html and "匹配推荐" in html and "免打扰时段" in html and "短信" in html
    data = {k: v for k, v in EVERYTHING_DEFAULT.items() if k != "matches:in_app"}
    data |= {"events:sms": "on", "quiet_start": "22:00", "quiet_end": "07:00"}
    response = client.post(reverse("subscriptions:preferences"), data, follow=True)
    assert "通知设置已保存。" in response.content.decode()
    row = NotificationPreference.objects.get(user=cast.buyer)
    assert row.choices == {"matches:in_app": False, "events:sms": True}
    assert (row.quiet_start.hour, row.quiet_end.hour) == (22, 7)
    assert not wants(cast.buyer, "match_found") and wants(cast.buyer, "deal_message")
    assert AuditEntry.objects.filter(action="core.notificationpreference.updated").exists()


def test_half_given_quiet_hours_are_refused_on_the_page(cast, client):
    client.force_login(cast.buyer)
    response = client.post(
        reverse("subscriptions:preferences"), {**EVERYTHING_DEFAULT, "quiet_start": "22:00"}, follow=True
    )
    assert "请同时填写免打扰的开始和结束时间，或都不填。" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_the_page_lists_recent_deliveries_with_their_state(cast, client, run_on_commit):
    with run_on_commit(execute=True):
        notify(cast.buyer, kind="deal_message", title="洽谈室有新消息")
    assert Delivery.objects.get().state == Delivery.SENT
    client.force_login(cast.buyer)
    html = client.get(reverse("subscriptions:preferences")).content.decode()
    assert "洽谈室有新消息" in html and "已发送" in html and "邮件" in html


def test_the_api_reads_and_changes_preferences(cast, as_user):
    api = as_user(cast.buyer)
    url = reverse("api:notification-preferences")
    got = api.get(url).json()
    assert got["choices"]["matches:email"] is True and got["choices"]["matches:sms"] is False
    assert "auctions.won" in got["urgent_kinds"]
    changed = api.put(
        url,
        {"choices": {"matches:in_app": False}, "quiet_start": "21:30", "quiet_end": "08:00"},
        format="json",
    )
    assert changed.status_code == 200
    body = changed.json()
    assert body["choices"]["matches:in_app"] is False and body["choices"]["matches:email"] is False
    assert body["choices"]["deals:email"] is True and body["quiet_start"] == "21:30:00"
    assert not wants(cast.buyer, "match_found")


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"choices": {"system:in_app": False}}, "审核与账户通知的站内消息不能关闭。"),
        ({"choices": {"planets:email": True}}, "未知的通知类别或渠道：planets:email"),
        ({"choices": {}, "quiet_start": "22:00"}, "请同时填写免打扰的开始和结束时间，或都不填。"),
        (
            {"choices": {}, "quiet_start": "22:00", "quiet_end": "22:00"},
            "免打扰的结束时间不能与开始时间相同。",
        ),
    ],
)
def test_the_api_refuses_bad_preferences_with_a_message(cast, as_user, payload, message):
    response = as_user(cast.buyer).put(reverse("api:notification-preferences"), payload, format="json")
    assert response.status_code == 400 and message in response.content.decode()
    assert not NotificationPreference.objects.exists()
