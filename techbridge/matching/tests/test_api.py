"""The matching API: ranked, explained results; visibility; bad input answered with a message."""

from __future__ import annotations

import pytest

from techbridge.testing.factories.matching import (
    BATTERY,
    BATTERY_NEED,
    SECRET,
    SLUDGE,
    new_achievement,
    new_demand,
    publish_achievement,
    publish_demand,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_indexes")]

MATCH = "/api/v1/match/"


def test_free_text_match_returns_ranked_explained_achievements(client, catalogue):
    response = client.get(MATCH, {"q": "动力锂电池隔膜 耐高温", "k": "5"})

    assert response.status_code == 200
    body = response.json()
    assert body["mode"] == "hybrid"
    top = body["results"][0]
    assert top["title"] == BATTERY["title"]
    assert top["kind"] == "achievement" and top["url"] == f"/achievements/{catalogue['battery'].pk}/"
    assert "隔膜" in top["explanation"]["shared_terms"]
    assert set(top["explanation"]["parts"]) >= {"bm25", "dense", "fused", "rerank"}
    assert top["explanation"]["sentences"]
    assert catalogue["draft"].title not in response.content.decode()


def test_filters_apply_and_an_unknown_value_is_a_400_with_a_message(client, catalogue):
    narrowed = client.get(MATCH, {"q": "锂电池隔膜", "field": "environment"}).json()
    unknown = client.get(MATCH, {"q": "锂电池隔膜", "field": "no-such-field"}, HTTP_ACCEPT_LANGUAGE="en")

    assert [r["title"] for r in narrowed["results"]] == [SLUDGE["title"]]
    assert unknown.status_code == 400
    assert unknown.json()["message"].startswith("Industry field")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, "Enter a few words"),
        ({"q": ""}, "Enter a few words"),
        ({"q": "🚗🔋✨"}, "only emoji or symbols"),
        ({"q": "锂电池", "k": "0"}, "Results"),
        ({"q": "锂电池", "trl_min": "abc"}, "trl_min"),
    ],
)
def test_bad_queries_are_400_with_a_message(client, catalogue, params, expected):
    response = client.get(MATCH, params, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert expected in response.json()["message"]


def test_long_and_mixed_queries_are_answered(client, catalogue):
    long = client.get(MATCH, {"q": "锂电池隔膜" * 4001}, HTTP_ACCEPT_LANGUAGE="en")
    mixed = client.get(MATCH, {"q": "separator 隔膜 for lithium 电池 😀"})

    assert long.status_code == 200
    assert any("20,000" in n for n in long.json()["notices"])
    assert mixed.status_code == 200 and mixed.json()["results"][0]["title"] == BATTERY["title"]


def test_achievement_matches_list_demands_and_enterprises(client, cast, catalogue):
    response = client.get(f"/api/v1/achievements/{catalogue['battery'].pk}/matches/")

    assert response.status_code == 200
    body = response.json()
    assert body["source"]["title"] == BATTERY["title"]
    assert [d["title"] for d in body["demands"]] == [BATTERY_NEED["title"]]
    assert body["enterprises"][0]["organization"]["name"] == cast.enterprise.name


def test_demand_matches_list_achievements_and_people(client, cast, catalogue):
    response = client.get(f"/api/v1/demands/{catalogue['demand'].pk}/matches/", {"k": "3"})

    body = response.json()
    assert body["achievements"][0]["title"] == BATTERY["title"]
    assert len(body["achievements"]) <= 3
    assert body["people"][0]["organization"]["name"] == cast.university.name
    assert SECRET not in response.content.decode()


def test_someone_elses_draft_is_a_404_and_an_owner_sees_theirs(client, cast, catalogue):
    url = f"/api/v1/achievements/{catalogue['draft'].pk}/matches/"

    assert client.get(url).status_code == 404
    assert client.get(url).json()["message"]
    client.force_login(cast.researcher)
    assert client.get(url).status_code == 200


def test_withdrawn_listings_never_come_back_from_the_api(client, cast, run_on_commit):
    from techbridge.achievements import services

    demand = publish_demand(cast, new_demand(cast, **BATTERY_NEED))
    achievement = publish_achievement(cast, new_achievement(cast, **BATTERY))
    with run_on_commit(execute=True):
        services.withdraw_achievement(achievement, actor=cast.researcher)

    body = client.get(f"/api/v1/demands/{demand.pk}/matches/").json()

    assert body["achievements"] == []
    assert client.get(f"/api/v1/achievements/{achievement.pk}/matches/").status_code == 404


def test_match_endpoint_query_count_is_pinned(client, larger_catalogue, pinned_queries):
    client.get(MATCH, {"q": "锂电池隔膜"})

    # Index version check; the listings with owner (and discipline), fields and deal modes; on pgvector
    # the vector search itself (in a savepoint, with its search setting).
    with pinned_queries("match"):
        response = client.get(MATCH, {"q": "锂电池隔膜 污泥"})
    titles = [r["title"] for r in response.json()["results"]]
    assert len(titles) == 4 and SLUDGE["title"] in titles
