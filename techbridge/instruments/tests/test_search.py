"""An enterprise finds an instrument by describing its testing need in Chinese; a demand page lists the
instruments and platform services that fit, loaded apart so the page stays fast."""

from __future__ import annotations

import pytest
from django.urls import reverse

from techbridge.testing.factories import DemandFactory, publish
from techbridge.testing.factories.instruments import make_offer, make_platform

pytestmark = pytest.mark.django_db


def test_a_testing_need_in_plain_words_finds_the_instrument_and_says_why(client, searchable):
    response = client.get(reverse("instruments:list"), {"q": "我们想测一下新型陶瓷材料的导热性能"})
    assert response.status_code == 200
    rows = response.context["rows"]
    assert rows[0]["object"] == searchable["thermal"]
    assert "导热" in rows[0]["shared_terms"]
    assert rows[0]["similarity"] is not None
    html = response.content.decode()
    assert "激光导热仪" in html and 'data-testid="match-why"' in html


def test_filters_narrow_the_search(client, searchable):
    response = client.get(reverse("instruments:list"), {"q": "材料表面形貌观察", "category": "analysis"})
    names = [r["object"].name for r in response.context["rows"]]
    assert names[0] == "场发射扫描电子显微镜" and "激光导热仪" not in names


def test_an_empty_or_symbol_only_query_says_what_to_do(client, searchable):
    response = client.get(reverse("instruments:list"), {"q": "😀😀"})
    assert response.status_code == 200 and response.context["query_error"]


def test_the_api_search_returns_the_explanation(api_client, searchable):
    response = api_client.get("/api/v1/instruments/", {"q": "药物代谢产物定量分析"})
    assert response.status_code == 200
    first = response.json()["results"][0]
    assert first["instrument"]["name"] == "液相色谱质谱联用仪"
    assert first["match"]["shared_terms"] and first["match"]["sentences"]


def test_a_demand_page_loads_matching_instruments_and_services_apart(cast, client, searchable):
    platform = make_platform(cast.university)
    make_offer(
        platform, title="新材料热物性检测", description="导热系数、比热容、热膨胀系数检测，出具检测报告。"
    )
    demand = DemandFactory(
        enterprise=cast.enterprise,
        created_by=cast.buyer,
        title="陶瓷基板导热性能测试需求",
        problem="我公司研发的氮化铝陶瓷基板需要测定导热系数，评估散热性能。",
    )
    publish(demand)
    page = client.get(reverse("demands:detail", args=[demand.pk]))
    html = page.content.decode()
    url = reverse("instruments:demand_matches", args=[demand.pk])
    assert f'hx-get="{url}"' in html and "激光导热仪" not in html  # the page itself does not search
    fragment = client.get(url)
    text = fragment.content.decode()
    assert "激光导热仪" in text and "新材料热物性检测" in text
    assert next(r["object"].name for r in fragment.context["instruments"]) == "激光导热仪"


def test_matching_from_a_demand_through_the_api(cast, api_client, searchable):
    demand = DemandFactory(
        enterprise=cast.enterprise,
        created_by=cast.buyer,
        title="药物代谢研究检测需求",
        problem="需要对候选药物在大鼠血浆中的代谢产物进行定性定量分析。",
    )
    publish(demand)
    response = api_client.get("/api/v1/instruments/match/", {"demand": demand.pk, "k": 2})
    assert response.status_code == 200
    assert response.json()["instruments"][0]["instrument"]["name"] == "液相色谱质谱联用仪"


def test_a_draft_demand_is_not_matched_for_strangers(cast, client, searchable):
    demand = DemandFactory(enterprise=cast.enterprise, created_by=cast.buyer)
    client.force_login(cast.stranger)
    assert client.get(reverse("instruments:demand_matches", args=[demand.pk])).status_code == 404
