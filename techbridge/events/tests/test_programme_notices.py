"""Sessions added to a followed event reach its followers once per batch (console programme, API list);
a session moved or cancelled reaches the followers and the people registered; each change is audited
with what changed; channels, preferences and quiet hours apply (``events.programme``)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from techbridge.core.models import AuditEntry, Delivery, Notification, NotificationPreference
from techbridge.events import services
from techbridge.subscriptions import services as subscriptions
from techbridge.testing.factories.events import EventFactory, register_all

pytestmark = pytest.mark.django_db


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def day() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=3)


@pytest.fixture
def fair(cast, day):
    """A published event, 09:00-17:00 in three days, with one session; the buyer follows it."""
    event = EventFactory(title="集成电路技术交易洽谈会", starts_at=_at(day, 9), ends_at=_at(day, 17))
    services.set_sessions(
        event,
        actor=cast.operator,
        sessions=[{"title": "开幕致辞", "starts_at": _at(day, 9), "room": "一号厅"}],
    )
    subscriptions.follow(cast.buyer, kind="event", pk=event.pk)
    return event


def _notices(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind="event_programme"))


def test_followers_get_one_notice_for_two_sessions_pasted_in_the_console(
    cast, client, fair, day, run_on_commit
):
    client.force_login(cast.operator)
    data = {
        "title": fair.title,
        "kind": fair.kind,
        "summary": fair.summary,
        "venue": fair.venue,
        "district": fair.district,
        "starts_at": f"{day:%Y-%m-%d}T09:00",
        "ends_at": f"{day:%Y-%m-%d}T17:00",
        "capacity": "50",
        "waitlist": "on",
        "programme": "09:00 开幕致辞 | | 一号厅\n10:00-10:30 项目路演：集成电路专利包 | 张教授 | 二号厅\n"
        "14:00 校企对接洽谈 | | 三号厅",
    }
    with run_on_commit(execute=True):
        response = client.post(reverse("events_console:event", args=[fair.pk]), data, follow=True)
    assert "已保存" in response.content.decode()
    (notice,) = _notices(cast.buyer)
    assert notice.title == "集成电路技术交易洽谈会：新增 2 个日程"
    assert "项目路演：集成电路专利包" in notice.body and "校企对接洽谈" in notice.body
    assert "二号厅" in notice.body and "开幕致辞" not in notice.body
    assert notice.link == reverse("events:detail", args=[fair.pk])
    assert _notices(cast.operator) == []  # who made the change is not told
    entry = AuditEntry.objects.filter(action="events.event.programme_changed").latest("pk")
    assert [s["title"] for s in entry.data["added"]] == ["项目路演：集成电路专利包", "校企对接洽谈"]
    assert entry.data["moved"] == [] and entry.data["cancelled"] == []
    # Saving the same programme again changes nothing: no audit entry, nobody told.
    with run_on_commit(execute=True):
        client.post(reverse("events_console:event", args=[fair.pk]), data, follow=True)
    assert AuditEntry.objects.filter(action="events.event.programme_changed").count() == 2
    assert len(_notices(cast.buyer)) == 1


def test_sessions_added_through_the_api_reach_followers_once_with_e_mail(
    cast, as_user, fair, day, run_on_commit
):
    api = as_user(cast.operator)
    sessions = [
        {"title": "开幕致辞", "starts_at": _at(day, 9).isoformat(), "room": "一号厅"},
        {"title": "成果发布", "starts_at": _at(day, 10).isoformat(), "room": "二号厅"},
        {"title": "圆桌对话", "starts_at": _at(day, 15).isoformat()},
    ]
    with run_on_commit(execute=True):
        r = api.patch(f"/api/v1/events/{fair.pk}/", {"sessions": sessions}, format="json")
    assert r.status_code == 200, r.content
    (notice,) = _notices(cast.buyer)
    assert "新增 2 个日程" in notice.title and "成果发布" in notice.body and "圆桌对话" in notice.body
    (delivery,) = Delivery.objects.filter(notification=notice)
    assert delivery.channel == "email" and delivery.state == Delivery.SENT
    assert [m.to for m in mail.outbox if "新增 2 个日程" in m.subject] == [["buyer@example.cn"]]


def test_a_moved_or_cancelled_session_reaches_followers_and_the_people_registered(
    cast, fair, day, run_on_commit
):
    register_all(fair, cast.researcher)
    services.set_sessions(
        fair,
        actor=cast.operator,
        sessions=[
            {"title": "开幕致辞", "starts_at": _at(day, 9), "room": "一号厅"},
            {"title": "项目路演", "starts_at": _at(day, 10), "room": "二号厅"},
        ],
    )
    with run_on_commit(execute=True):
        services.set_sessions(
            fair,
            actor=cast.operator,
            sessions=[
                {"title": "项目路演", "starts_at": _at(day, 11), "room": "三号厅"},
            ],
        )
    (registered,) = _notices(cast.researcher)
    assert registered.title == "集成电路技术交易洽谈会：日程有变"
    assert "项目路演" in registered.body and "三号厅" in registered.body and "二号厅" in registered.body
    assert "取消" in registered.body and "开幕致辞" in registered.body
    (follower,) = _notices(cast.buyer)  # the first change ran without its on-commit work: untold
    assert follower.title == "集成电路技术交易洽谈会：日程有变" and follower.body == registered.body
    entry = AuditEntry.objects.filter(action="events.event.programme_changed").latest("pk")
    assert [s["title"] for s in entry.data["moved"]] == ["项目路演"]
    assert [s["title"] for s in entry.data["cancelled"]] == ["开幕致辞"]
    assert entry.data["moved"][0]["was_room"] == "二号厅"


def test_only_a_speaker_changed_is_audited_and_nobody_is_told(cast, fair, day, run_on_commit):
    register_all(fair, cast.researcher)
    with run_on_commit(execute=True):
        services.set_sessions(
            fair,
            actor=cast.operator,
            sessions=[{"title": "开幕致辞", "starts_at": _at(day, 9), "room": "一号厅", "speaker": "周处长"}],
        )
    entry = AuditEntry.objects.filter(action="events.event.programme_changed").latest("pk")
    assert [s["title"] for s in entry.data["edited"]] == ["开幕致辞"]
    assert Notification.objects.filter(kind="event_programme").count() == 0


def test_a_draft_event_tells_nobody(cast, day, run_on_commit):
    draft = EventFactory(status="draft", starts_at=_at(day, 9), ends_at=_at(day, 17))
    with run_on_commit(execute=True):
        services.set_sessions(
            draft, actor=cast.operator, sessions=[{"title": "闭门研讨", "starts_at": _at(day, 10)}]
        )
    assert Notification.objects.filter(kind="event_programme").count() == 0


def test_preferences_and_quiet_hours_apply(cast, fair, day, run_on_commit):
    subscriptions.follow(cast.researcher, kind="event", pk=fair.pk)
    # The buyer turned e-mail for events off; the researcher is in quiet hours now (for three hours).
    NotificationPreference.objects.create(user=cast.buyer, choices={"events:email": False})
    now = timezone.localtime()
    NotificationPreference.objects.create(
        user=cast.researcher,
        choices={},
        quiet_start=(now - dt.timedelta(hours=1)).time().replace(second=0, microsecond=0),
        quiet_end=(now + dt.timedelta(hours=2)).time().replace(second=0, microsecond=0),
    )
    with run_on_commit(execute=True):
        services.set_sessions(
            fair,
            actor=cast.operator,
            sessions=[
                {"title": "开幕致辞", "starts_at": _at(day, 9), "room": "一号厅"},
                {"title": "成果发布", "starts_at": _at(day, 10)},
            ],
        )
    (buyer,) = _notices(cast.buyer)
    assert not Delivery.objects.filter(notification=buyer).exists()
    (researcher,) = _notices(cast.researcher)
    (held,) = Delivery.objects.filter(notification=researcher)
    assert held.state == Delivery.PENDING and held.not_before > timezone.now()
    assert mail.outbox == []


def test_cancelling_the_event_tells_its_followers_as_well_as_the_people_registered(cast, client, fair):
    register_all(fair, cast.researcher)
    subscriptions.follow(cast.researcher, kind="event", pk=fair.pk)  # registered and following: told once
    client.force_login(cast.operator)
    response = client.post(
        reverse("events_console:move", args=[fair.pk]),
        {"action": "cancel", "reason": "场馆检修"},
        follow=True,
    )
    assert "活动已取消，已通知 2 人。" in response.content.decode()
    told = Notification.objects.filter(kind="event_cancelled").order_by("recipient_id")
    assert [n.recipient for n in told] == sorted([cast.buyer, cast.researcher], key=lambda u: u.pk)
    assert {n.title for n in told} == {"活动取消：集成电路技术交易洽谈会"}


def test_a_new_time_or_place_through_the_api_reaches_the_registered_and_the_followers(
    cast, as_user, fair, day, run_on_commit
):
    register_all(fair, cast.researcher)
    api = as_user(cast.operator)
    with run_on_commit(execute=True):
        r = api.patch(
            f"/api/v1/events/{fair.pk}/",
            {"venue": "南京国际博览中心5号馆", "ends_at": _at(day, 18).isoformat()},
            format="json",
        )
    assert r.status_code == 200, r.content
    told = Notification.objects.filter(kind="event_moved").order_by("recipient_id")
    assert sorted(n.recipient_id for n in told) == sorted([cast.buyer.pk, cast.researcher.pk])
    notice = told[0]
    assert notice.title == "集成电路技术交易洽谈会：时间或地点有变"
    assert "南京国际博览中心5号馆" in notice.body and "09:00-18:00" in notice.body
    # A change of capacity or summary tells nobody.
    with run_on_commit(execute=True):
        api.patch(f"/api/v1/events/{fair.pk}/", {"capacity": 80}, format="json")
    assert Notification.objects.filter(kind="event_moved").count() == 2


def test_seconds_lost_by_the_console_form_are_not_a_move(cast, fair, day, run_on_commit):
    services.set_sessions(
        fair,
        actor=cast.operator,
        sessions=[
            {"title": "开幕致辞", "starts_at": _at(day, 9) + dt.timedelta(seconds=42), "room": "一号厅"}
        ],
    )
    before = AuditEntry.objects.filter(action="events.event.programme_changed").count()
    with run_on_commit(execute=True):
        services.set_sessions(
            fair,
            actor=cast.operator,
            sessions=[{"title": "开幕致辞", "starts_at": _at(day, 9), "room": "一号厅"}],
        )
    assert AuditEntry.objects.filter(action="events.event.programme_changed").count() == before
    assert Notification.objects.filter(kind="event_programme").count() == 0
