"""Zones on organisations (form, API, directory) and on listings (the owner's zone by default, editable)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from techbridge.achievements import services as achievement_services
from techbridge.core.workflow import Source
from techbridge.demands import services as demand_services
from techbridge.imports.importers.listings import AchievementImporter
from techbridge.organizations.models import Organization

pytestmark = pytest.mark.django_db


def test_an_organisation_sets_its_zone_and_the_directory_filters_by_zone_with_its_parks(client, cast, zones):
    client.force_login(cast.univ_admin)
    form = {
        "district": "qixia",
        "zone": "xuzhuang",
        "address": "仙林大道",
        "contact_phone": "025-1",
        "website": "",
        "description": "",
    }
    assert client.post(reverse("organizations:edit", args=[cast.university.pk]), form).status_code == 302
    assert Organization.objects.get(pk=cast.university.pk).zone == zones["park"]
    client.logout()
    listed = client.get(reverse("organizations:list"), {"zone": "hitech"}).context["page"]
    assert [o.name for o in listed] == ["示范大学"]
    assert (
        client.get(reverse("organizations:list"), {"zone": "jiangbei"}).context["page"].paginator.count == 0
    )
    detail = client.get(reverse("organizations:detail", args=[cast.university.pk])).content.decode()
    assert "徐庄软件园" in detail

    api = client.get("/api/v1/organizations/", {"zone": "hitech"}).json()
    assert [o["zone"] for o in api["results"]] == ["xuzhuang"]
    zones_api = client.get("/api/v1/taxonomy/zones/").json()
    assert {"code": "xuzhuang", "name": "徐庄软件园", "parent": "hitech"} in zones_api


def test_the_api_writes_an_organisations_zone_by_code(api, cast, zones):
    api.force_authenticate(cast.univ_admin)
    r = api.patch(f"/api/v1/organizations/{cast.university.pk}/", {"zone": "jiangbei"}, format="json")
    assert r.status_code == 200 and r.json()["zone"] == "jiangbei"
    bad = api.patch(f"/api/v1/organizations/{cast.university.pk}/", {"zone": "atlantis"}, format="json")
    assert bad.status_code == 400


def test_listings_take_the_owners_zone_and_the_owner_may_change_it(cast, zones):
    Organization.objects.filter(pk__in=[cast.university.pk, cast.enterprise.pk]).update(
        zone=zones["jiangbei"]
    )
    cast.researcher.organization.refresh_from_db()
    cast.buyer.organization.refresh_from_db()
    achievement = achievement_services.create_achievement(
        actor=cast.researcher,
        data={
            "title": "高通量油水分离陶瓷膜",
            "kind": "invention_patent",
            "trl": 5,
            "summary": "简介",
            "price_negotiable": True,
        },
    )
    assert achievement.zone == zones["jiangbei"]
    achievement_services.update_achievement(achievement, actor=cast.researcher, data={"zone": zones["park"]})
    achievement.refresh_from_db()
    assert achievement.zone == zones["park"]
    demand = demand_services.create_demand(
        actor=cast.buyer,
        data={
            "title": "污泥减量技术需求",
            "problem": "剩余污泥多",
            "budget_negotiable": True,
            "zone": zones["park"],
        },
    )
    assert demand.zone == zones["park"]  # an explicit zone is kept


def test_an_import_gives_new_listings_their_owners_zone(cast, zones):
    Organization.objects.filter(pk=cast.university.pk).update(zone=zones["hitech"])
    rows = [
        (
            2,
            {
                "成果名称": "一种北斗高精度定位方法",
                "所属单位": "示范大学",
                "成果类型": "发明专利",
                "简介": "定位",
            },
        )
    ]
    report = AchievementImporter(source=Source.MANUAL, actor=cast.operator).run(rows)
    assert report.created == 1, report.refused
    from techbridge.achievements.models import Achievement

    assert Achievement.objects.get(title="一种北斗高精度定位方法").zone == zones["hitech"]
