"""Issue 22 point 5: the lot form and the roadshow form stay small with thousands of achievements, and
the search-as-you-type picker finds what the form may accept (and nothing else)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from techbridge.achievements.choices import AchievementType
from techbridge.achievements.models import Achievement
from techbridge.auctions.models import Lot
from techbridge.core.workflow import ReviewStatus
from techbridge.testing.factories.achievements import make_achievement
from techbridge.testing.factories.auctions import make_session

pytestmark = pytest.mark.django_db

MANY = 2000


def _many_achievements(cast):
    Achievement.objects.bulk_create(
        Achievement(
            owner=cast.university,
            title=f"批量成果第{i}号",
            kind=AchievementType.INVENTION_PATENT,
            status=ReviewStatus.PUBLISHED,
            summary="用于测试表单大小的成果。",
        )
        for i in range(MANY)
    )


def _options(html: str) -> int:
    return len(re.findall(r"<option\b", html))


def test_the_lot_form_stays_small_with_2000_achievements(client, cast):
    _many_achievements(cast)
    session = make_session(cast)
    client.force_login(cast.operator)
    r = client.get(reverse("auctions_console:lot_create", args=[session.pk]))
    assert r.status_code == 200
    assert len(r.content) < 100_000
    assert _options(r.content.decode()) < 100
    assert 'data-pick="achievements"' in r.content.decode()


def test_the_roadshow_form_stays_small_with_2000_achievements(client, cast):
    _many_achievements(cast)
    client.force_login(cast.operator)
    r = client.get(reverse("events_console:create") + "?kind=roadshow")
    assert r.status_code == 200
    assert len(r.content) < 100_000
    assert _options(r.content.decode()) < 100


def test_the_lot_form_saves_the_achievement_typed_as_its_number_or_picked(client, cast):
    achievement = make_achievement(cast, title="石墨烯散热膜量产工艺")
    session = make_session(cast)
    client.force_login(cast.operator)
    url = reverse("auctions_console:lot_create", args=[session.pk])
    data = {
        "title": "石墨烯散热膜转让",
        "sale_kind": "assignment",
        "format": "english",
        "starting_price": "100000",
        "increment": "5000",
        "soft_close_minutes": "5",
        "extension_minutes": "5",
        "extension_cap_minutes": "60",
        "dutch_interval_seconds": "60",
        "starts_at": (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
        "scheduled_end_at": (timezone.localtime() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
    }
    r = client.post(url, {**data, "achievement": "不存在的成果"})
    assert r.status_code == 200
    assert Lot.objects.count() == 0
    assert "不存在的成果" in r.content.decode()
    r = client.post(url, {**data, "achievement": f"#{achievement.pk} 石墨烯散热膜量产工艺（示范大学）"})
    assert r.status_code == 302, r.context["form"].errors
    lot = Lot.objects.get()
    assert lot.achievement == achievement
    edit = client.get(reverse("auctions_console:lot_edit", args=[lot.pk])).content.decode()
    assert f'value="#{achievement.pk} 石墨烯散热膜量产工艺' in edit


def test_the_picker_finds_by_chinese_keyword(client, as_user, cast):
    wanted = make_achievement(cast, title="基于深度学习的桥梁裂缝检测系统")
    make_achievement(cast, title="一种高效锂电池隔膜制备方法")
    client.force_login(cast.operator)
    html = client.get(reverse("pick", args=["achievements"]), {"q": "裂缝检测"}).content.decode()
    assert "桥梁裂缝检测系统" in html and "锂电池" not in html
    body = as_user(cast.buyer).get(reverse("api:pick", args=["achievements"]), {"q": "桥梁裂缝"}).json()
    assert [r["id"] for r in body["results"]] == [wanted.pk]
    assert body["results"][0]["value"].startswith(f"#{wanted.pk} ")


def test_the_picker_refuses_other_organisations_drafts_and_anonymous(client, api, as_user, cast):
    draft = make_achievement(cast, published=False, title="未公开的量子点显示材料")
    url = reverse("api:pick", args=["achievements"])
    assert [r["id"] for r in as_user(cast.researcher).get(url, {"q": "量子点"}).json()["results"]] == [
        draft.pk
    ]
    assert as_user(cast.buyer).get(url, {"q": "量子点"}).json()["results"] == []
    assert as_user(cast.buyer).get(url, {"q": f"#{draft.pk}"}).json()["results"] == []
    assert api.get(url, {"q": "量子点"}).status_code in (401, 403)
    r = client.get(reverse("pick", args=["achievements"]), {"q": "量子点"})
    assert r.status_code == 302 and "量子点显示材料" not in r.content.decode()


def test_the_picker_answers_bad_input_with_400_or_an_empty_list(client, as_user, cast):
    make_achievement(cast)
    url = reverse("api:pick", args=["achievements"])
    buyer = as_user(cast.buyer)
    assert buyer.get(url, {"q": ""}).json() == {"results": []}
    r = buyer.get(url, {"q": "锂" * 5000})
    assert r.status_code == 400
    assert r.json()["message"] == gettext("Type at most %(n)s characters to search.") % {"n": 100}
    assert buyer.get(url, {"q": "#abc"}).json() == {"results": []}
    assert buyer.get(url, {"q": "99999999999999999999"}).json() == {"results": []}
    assert buyer.get(reverse("api:pick", args=["nothing"]), {"q": "x"}).status_code == 404
    client.force_login(cast.buyer)
    assert client.get(reverse("pick", args=["achievements"]), {"q": "锂" * 5000}).status_code == 400


def test_organisations_and_users_are_found_by_name_and_code(as_user, cast):
    org = cast.enterprise
    found = as_user(cast.buyer).get(reverse("api:pick", args=["organizations"]), {"q": org.name[:3]}).json()
    assert org.pk in [r["id"] for r in found["results"]]
    # A member finds only the people of their own organisation; the operator finds anyone.
    url = reverse("api:pick", args=["users"])
    assert as_user(cast.buyer).get(url, {"q": cast.researcher.username}).json()["results"] == []
    hits = as_user(cast.operator).get(url, {"q": cast.researcher.username}).json()["results"]
    assert cast.researcher.pk in [r["id"] for r in hits]


def test_the_loan_form_picks_patents_by_typing_and_finds_only_the_organisations_own(client, as_user, cast):
    from techbridge.testing.factories.ipservices import PatentFactory

    own = PatentFactory(applicant_org=cast.university, title="一种柔性钙钛矿太阳能电池")
    other = PatentFactory(
        applicant_org=cast.enterprise, applicants=cast.enterprise.name, title="钙钛矿涂布设备"
    )
    client.force_login(cast.researcher)
    html = client.get(reverse("finance:loan_apply")).content.decode()
    assert 'data-pick="patents"' in html and 'type="checkbox" name="patents"' not in html
    url = reverse("api:pick", args=["patents"])
    found = as_user(cast.researcher).get(url, {"q": "钙钛矿"}).json()["results"]
    assert [r["id"] for r in found] == [own.pk] and other.pk not in [r["id"] for r in found]
