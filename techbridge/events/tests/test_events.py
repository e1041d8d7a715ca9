"""Operators set events up (programme, venue or live link, linked listings and lots) in the console and
through the API; the portal lists them, exports iCal, and the listing and auction pages link to them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from techbridge.auctions.choices import LotFormat, LotStatus, SaleKind, SessionStatus
from techbridge.auctions.models import AuctionSession, Lot
from techbridge.core import registry
from techbridge.core.registry import Period
from techbridge.events import services
from techbridge.events.choices import EventKind, EventStatus
from techbridge.events.forms import parse_programme
from techbridge.events.models import Event
from techbridge.testing.factories import AchievementFactory, DemandFactory, publish
from techbridge.testing.factories.auctions import make_lot, make_session
from techbridge.testing.factories.events import EventFactory

pytestmark = pytest.mark.django_db


def _achievement(cast):
    a = AchievementFactory(
        owner=cast.university, created_by=cast.researcher, title="高安全锂电池隔膜制备技术"
    )
    publish(a)
    return a


def _lot(cast, achievement):
    now = timezone.now()
    session = AuctionSession.objects.create(
        title="2026年高校专利拍卖专场",
        starts_at=now,
        status=SessionStatus.PUBLISHED,
        created_by=cast.operator,
    )
    return Lot.objects.create(
        session=session,
        seller=cast.university,
        achievement=achievement,
        title="锂电池隔膜专利转让",
        sale_kind=SaleKind.ASSIGNMENT,
        format=LotFormat.ENGLISH,
        starting_price=100000,
        starts_at=now,
        scheduled_end_at=now + dt.timedelta(days=3),
        ends_at=now + dt.timedelta(days=3),
        status=LotStatus.LISTED,
    )


def test_an_operator_sets_up_a_roadshow_with_its_programme_and_publishes_it(client, cast):
    achievement = _achievement(cast)
    lot = _lot(cast, achievement)
    demand = DemandFactory(enterprise=cast.enterprise, created_by=cast.buyer)
    publish(demand)
    start = timezone.localtime() + dt.timedelta(days=5)
    client.force_login(cast.operator)
    form = client.get(reverse("events_console:create") + "?kind=roadshow").content.decode()
    assert 'value="roadshow" selected' in form
    r = client.post(
        reverse("events_console:create"),
        {
            "title": "集成电路专利拍卖路演",
            "kind": "roadshow",
            "summary": "高校专利包现场路演，会后在线竞拍。",
            "organizer": "示范企业有限公司",
            "starts_at": start.strftime("%Y-%m-%dT14:00"),
            "ends_at": start.strftime("%Y-%m-%dT17:00"),
            "registration_closes_at": "",
            "venue": "南京国际博览中心",
            "address": "建邺区江东中路",
            "live_url": "https://live.example.cn/ic",
            "district": "jianye",
            "zone": "",
            "capacity": "80",
            "waitlist": "on",
            "achievements": str(achievement.pk),
            "demands": str(demand.pk),
            "lots": str(lot.pk),
            "auction_session": str(lot.session_id),
            "programme": "14:00-14:10 开场致辞 | 平台运营中心\n"
            "14:10 拍品路演：锂电池隔膜专利 | 李研究 | 一号厅",
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    event = Event.objects.get(title="集成电路专利拍卖路演")
    assert event.status == EventStatus.DRAFT and event.organizer == cast.enterprise
    sessions = list(event.sessions.all())
    assert [s.title for s in sessions] == ["开场致辞", "拍品路演：锂电池隔膜专利"]
    assert sessions[1].speaker == "李研究" and sessions[1].room == "一号厅"
    assert timezone.localtime(sessions[0].ends_at).strftime("%H:%M") == "14:10"
    client.post(reverse("events_console:move", args=[event.pk]), {"action": "publish"})
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED

    client.logout()
    page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "live.example.cn" in page and "14:10" in page and reverse("auctions:lot", args=[lot.pk]) in page
    assert "高安全锂电池隔膜制备技术" in page
    # The listing, lot, session and auction pages link to it (panels of the events app).
    for url in (
        reverse("achievements:detail", args=[achievement.pk]),
        reverse("demands:detail", args=[demand.pk]),
        reverse("auctions:lot", args=[lot.pk]),
        reverse("auctions:session", args=[lot.session_id]),
        reverse("auctions:index"),
    ):
        assert reverse("events:detail", args=[event.pk]) in client.get(url).content.decode(), url


def test_bad_input_saves_nothing_and_says_why(client, cast):
    client.force_login(cast.operator)
    r = client.post(
        reverse("events_console:create"),
        {
            "title": "无地点的培训",
            "kind": "training",
            "starts_at": "2030-05-01T09:00",
            "ends_at": "2030-05-01T08:00",
            "capacity": "0",
            "programme": "开场",
        },
    )
    assert r.status_code == 200 and not Event.objects.exists()
    errors = r.context["form"].errors
    assert {"capacity", "programme"} <= set(errors) or "ends_at" in errors
    with pytest.raises(ValidationError):
        parse_programme("25:00 不存在的时刻", dt.date(2030, 5, 1))


def test_the_api_creates_an_event_with_its_sessions(api, cast):
    start = timezone.now() + dt.timedelta(days=10)
    body = {
        "title": "技术经理人培训班",
        "kind": "training",
        "live_url": "https://live.example.cn/tm",
        "starts_at": start.isoformat(),
        "ends_at": (start + dt.timedelta(hours=6)).isoformat(),
        "capacity": 200,
        "sessions": [
            {"title": "技术合同认定登记实务", "starts_at": (start + dt.timedelta(hours=1)).isoformat()}
        ],
    }
    api.force_authenticate(cast.buyer)
    assert api.post("/api/v1/events/", body, format="json").status_code == 403
    api.force_authenticate(cast.operator)
    r = api.post("/api/v1/events/", body, format="json")
    assert r.status_code == 201, r.json()
    pk = r.json()["id"]
    assert r.json()["sessions"][0]["title"] == "技术合同认定登记实务" and r.json()["status"] == "draft"
    assert api.post(f"/api/v1/events/{pk}/publish/").json()["status"] == "published"
    bad = api.patch(f"/api/v1/events/{pk}/", {"capacity": 0}, format="json")
    assert bad.status_code == 400
    api.force_authenticate(None)
    listed = api.get("/api/v1/events/", {"kind": "training"}).json()
    assert [e["id"] for e in listed["results"]] == [pk]
    assert api.get("/api/v1/events/", {"kinds": "training"}).status_code == 400  # undocumented parameter


def test_ical_export_of_an_event_and_the_feed(client, cast):
    event = EventFactory(title="长三角技术交易洽谈会", venue="南京国际博览中心")
    EventFactory(status=EventStatus.DRAFT, title="未发布的活动")
    services.set_sessions(
        event,
        actor=cast.operator,
        sessions=[{"title": "项目对接", "starts_at": event.starts_at + dt.timedelta(minutes=30)}],
    )
    r = client.get(reverse("events:ical", args=[event.pk]))
    assert r["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(r.content)
    (vevent,) = [c for c in cal.walk("VEVENT")]
    assert str(vevent["SUMMARY"]) == "长三角技术交易洽谈会" and "南京国际博览中心" in str(vevent["LOCATION"])
    assert vevent.decoded("DTSTART") == event.starts_at.replace(microsecond=0)
    assert "项目对接" in str(vevent["DESCRIPTION"])
    feed = Calendar.from_ical(client.get(reverse("events:calendar")).content)
    titles = [str(c["SUMMARY"]) for c in feed.walk("VEVENT")]
    assert "长三角技术交易洽谈会" in titles and "未发布的活动" not in titles


def test_events_held_count_by_kind_district_and_zone(client, cast):
    from techbridge.organizations.models import Zone

    jiangbei = Zone.objects.get(code="jiangbei")
    past = timezone.now() - dt.timedelta(days=30)
    EventFactory(
        kind=EventKind.TRAINING,
        starts_at=past,
        ends_at=past + dt.timedelta(hours=2),
        district="pukou",
        zone=jiangbei,
    )
    EventFactory(
        kind=EventKind.ROADSHOW, starts_at=past, ends_at=past + dt.timedelta(hours=2), district="jianye"
    )
    EventFactory(
        kind=EventKind.ROADSHOW,
        starts_at=past,
        ends_at=past + dt.timedelta(hours=2),
        status=EventStatus.CANCELLED,
    )
    EventFactory()  # not held yet
    held = registry.metric("events.held")
    year = Period.year(past.year)
    assert held.compute(year) == 2
    assert held.compute(year, zone="jiangbei") == 1 and held.compute(year, district="jianye") == 1
    client.force_login(cast.official)
    page = client.get(reverse("events_console:stats"), {"year": past.year})
    assert page.context["total"] == 2
    body = page.content.decode()
    assert 'id="events-by-district"' in body and 'id="events-by-zone"' in body and "江北新区" in body


def test_event_list_pins_its_queries(client, cast, pinned_queries):
    for _n in range(25):
        EventFactory()
    with pinned_queries("page"):
        assert len(client.get(reverse("events:list")).context["page"]) == 20
    with pinned_queries("api"):
        assert client.get("/api/v1/events/").json()["count"] == 25


def test_roadshow_list_with_lots_and_achievements_pins_its_queries(api, cast, pinned_queries):
    """Roadshows moved here from auctions: each presents its session's lot and that lot's achievement;
    three of them cost what one costs."""
    for n in range(3):
        session = make_session(cast, title=f"路演专场{n}")
        lot = make_lot(cast, session)
        show = EventFactory(title=f"路演{n}", kind=EventKind.ROADSHOW, auction_session=session)
        show.lots.add(lot)
        show.achievements.add(lot.achievement)

    with pinned_queries("roadshows"):
        body = api.get("/api/v1/events/", {"kind": EventKind.ROADSHOW}).json()

    assert {r["title"] for r in body["results"]} == {"路演0", "路演1", "路演2"}
    assert all(len(r["lots"]) == 1 and len(r["achievements"]) == 1 for r in body["results"])
