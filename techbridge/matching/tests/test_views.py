"""The match page and the 匹配推荐 block of detail pages, per role, with bad input and query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from techbridge.matching import services
from techbridge.organizations.choices import OrgStatus
from techbridge.testing.factories.matching import (
    BATTERY,
    BATTERY_NEED,
    SECRET,
    SLUDGE,
)
from techbridge.testing.factories.organizations import OrganizationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_indexes")]

MATCH = "/match/"


def result_titles(response) -> list[str]:
    result = response.context["result"]
    return [m.obj.title for m in result.items] if result else []


# ---- the match page ----------------------------------------------------------------------------------


def test_a_need_typed_in_chinese_gets_ranked_explained_achievements(client, catalogue):
    response = client.post(MATCH, {"q": "我们需要耐高温的动力锂电池隔膜，提高电池安全性"})

    assert response.status_code == 200
    assert result_titles(response)[0] == BATTERY["title"]
    html = response.content.decode()
    assert "<mark>隔膜</mark>" in html  # shared terms highlighted
    assert "BM25" in html and "<meter" in html  # the parts of the score are shown
    assert catalogue["draft"].title not in html


def test_the_match_page_answers_a_get_link_too(client, catalogue):
    response = client.get(MATCH, {"q": "污泥减量"})

    assert result_titles(response)[0] == SLUDGE["title"]


def test_the_empty_match_page_shows_the_form_without_an_error(client):
    response = client.get(MATCH)

    assert response.status_code == 200
    assert response.context["error"] == ""
    assert 'name="q"' in response.content.decode()


def test_filters_narrow_the_matches_and_steer_the_explanation(client, catalogue):
    response = client.post(MATCH, {"q": "锂电池隔膜 污泥", "field": "environment", "trl_min": "3"})

    assert result_titles(response) == [SLUDGE["title"]]
    explanation = response.context["result"].items[0].explanation
    assert explanation["fields"]["shared"] == ["environment"]
    assert explanation["trl"] == {"wanted": 3, "listing": 3, "fit": 1.0}


def test_mixed_chinese_and_english_query_matches(client, catalogue):
    response = client.post(MATCH, {"q": "lithium battery 隔膜 separator for EV"})

    assert response.status_code == 200
    assert result_titles(response)[0] == BATTERY["title"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"q": ""}, "Enter a few words"),
        ({"q": "   "}, "Enter a few words"),
        ({"q": "🔋🔋🚗💡"}, "only emoji or symbols"),
        ({"q": "锂电池", "field": "no-such-field"}, "Industry field"),
        ({"q": "锂电池", "trl_min": "12"}, "TRL"),
        ({"q": "锂电池", "type": "spaceship"}, "Type"),
    ],
)
def test_bad_input_gets_a_clear_message_not_an_error(client, catalogue, settings, data, message):
    settings.LANGUAGE_CODE = "en"

    response = client.post(MATCH, data, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert message in response.context["error"]
    assert response.context["result"] is None


def test_a_20000_character_query_is_matched_and_the_cut_is_announced(client, catalogue):
    text = ("锂电池隔膜耐高温" * 2500)[:20000] + "🔋" * 5

    response = client.post(MATCH, {"q": text}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert result_titles(response)[0] == BATTERY["title"]
    assert any("20,000" in n for n in response.context["result"].notices)


def test_htmx_gets_only_the_results(client, catalogue):
    response = client.post(MATCH, {"q": "锂电池隔膜"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="match-results")

    html = response.content.decode()
    assert "<html" not in html
    assert reverse("achievements:detail", args=[catalogue["battery"].pk]) in html


def test_the_match_page_says_when_it_matches_by_keywords_only(client, catalogue):
    services.plan_rebuild(["achievement", "demand"], reset=True)  # vectors being rebuilt from scratch

    response = client.post(MATCH, {"q": "锂电池隔膜"}, HTTP_ACCEPT_LANGUAGE="en")

    result = response.context["result"]
    assert result.mode == "bm25"
    assert result_titles(response)[0] == BATTERY["title"]
    assert any("keywords only" in n for n in result.notices)


def test_the_confidential_detail_is_never_shown_nor_matched(client, cast, catalogue):
    response = client.post(MATCH, {"q": f"{SECRET} 锂电池隔膜"})

    results = response.content.decode().split('id="match-results"')[1]  # past the echoed query
    assert SECRET not in results
    assert all(SECRET not in t for m in response.context["result"].items for t in m.terms)
    client.force_login(cast.buyer)
    block = client.get(reverse("matching:demand", args=[catalogue["demand"].pk])).content.decode()
    assert SECRET not in block


def test_match_page_query_count_is_pinned(client, larger_catalogue, pinned_queries):
    client.post(MATCH, {"q": "锂电池隔膜"})  # loads this process's indexes and the field names
    client.post(MATCH, {"q": "锂电池隔膜", "field": "nev"})

    # Index version check; the listings with owner, their fields and deal modes (3); the form's field
    # and deal-mode choices (2); on pgvector the dense search, its setting and the savepoint around
    # them. A filter adds its lookup and the query of the listings it allows.
    with pinned_queries("match"):
        response = client.post(MATCH, {"q": "锂电池隔膜 污泥"})
    assert len(result_titles(response)) == 4 and SLUDGE["title"] in result_titles(response)
    with pinned_queries("match in a field"):
        response = client.post(MATCH, {"q": "锂电池隔膜", "field": "nev"})
    assert len(result_titles(response)) == 3 and SLUDGE["title"] not in result_titles(response)


# ---- the detail pages --------------------------------------------------------------------------------


def test_detail_pages_load_the_matches_block_with_a_plain_link(client, catalogue):
    achievement_page = client.get(reverse("achievements:detail", args=[catalogue["battery"].pk]))
    demand_page = client.get(reverse("demands:detail", args=[catalogue["demand"].pk]))

    a_url = reverse("matching:achievement", args=[catalogue["battery"].pk])
    d_url = reverse("matching:demand", args=[catalogue["demand"].pk])
    assert f'hx-get="{a_url}"' in achievement_page.content.decode()
    assert f'href="{a_url}"' in achievement_page.content.decode()
    assert f'hx-get="{d_url}"' in demand_page.content.decode()


def test_an_achievement_shows_the_demands_and_enterprises_it_matches(client, cast, catalogue):
    cast.enterprise.description = "动力电池与储能系统制造商，关注锂电池隔膜、电解液等关键材料。"
    cast.enterprise.save()

    response = client.get(
        reverse("matching:achievement", args=[catalogue["battery"].pk]), HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert [m.obj.title for m in response.context["listings"]] == [BATTERY_NEED["title"]]
    [enterprise] = response.context["groups"]
    assert enterprise.organization == cast.enterprise
    assert len(enterprise.demands) == 1 and enterprise.profile_terms


def test_a_demand_shows_achievements_and_the_people_behind_them(client, cast, catalogue):
    catalogue["battery"].team = "李研究教授团队"
    catalogue["battery"].save()
    cast.service.description = "技术转移服务机构，专注新能源与动力电池领域的成果转化与技术经纪。"
    cast.service.save()
    client.force_login(cast.buyer)

    response = client.get(reverse("matching:demand", args=[catalogue["demand"].pk]))

    assert response.status_code == 200  # the plain link: a page of its own
    assert "<html" in response.content.decode()
    assert response.context["listings"][0].obj.title == BATTERY["title"]
    people = response.context["groups"]
    team = next(p for p in people if p.role == "team")
    assert team.name == "李研究教授团队" and team.organization == cast.university
    assert "similar achievement" in " ".join(team.reasons) or "相似" in " ".join(team.reasons)
    manager = next(p for p in people if p.role == "manager")
    assert manager.organization == cast.service
    assert manager.names == ["赵经理"]  # signed in: the managers' names


def test_managers_names_are_not_shown_to_anonymous_visitors(client, cast, catalogue):
    cast.service.description = "专注动力电池领域的技术经纪。"
    cast.service.save()

    response = client.get(reverse("matching:demand", args=[catalogue["demand"].pk]))

    manager = next(p for p in response.context["groups"] if p.role == "manager")
    assert manager.names == []
    assert "赵经理" not in response.content.decode()


def test_someone_elses_draft_has_no_matches_page(client, cast, catalogue):
    client.force_login(cast.buyer)

    response = client.get(reverse("matching:achievement", args=[catalogue["draft"].pk]))

    assert response.status_code == 404


def test_the_owner_sees_matches_of_their_draft_but_only_published_results(client, cast, catalogue):
    client.force_login(cast.researcher)

    response = client.get(reverse("matching:achievement", args=[catalogue["draft"].pk]))

    assert response.status_code == 200
    assert [m.obj.title for m in response.context["listings"]] == [BATTERY_NEED["title"]]


def test_unapproved_enterprises_are_not_suggested(client, cast, catalogue):
    OrganizationFactory(name="未审核电池公司", status=OrgStatus.PENDING, description="锂电池隔膜 动力电池")

    response = client.get(reverse("matching:achievement", args=[catalogue["battery"].pk]))

    assert "未审核电池公司" not in response.content.decode()


ROLES = ["researcher", "univ_admin", "buyer", "broker", "reviewer", "operator", "official", "outsider"]


@pytest.mark.parametrize("role", [None, *ROLES])
def test_every_role_gets_published_listings_only(client, cast, catalogue, role):
    # The draft belongs to the researcher's university and the reviewers may open it, yet matching
    # shows published listings only, to everyone.
    if role:
        client.force_login(getattr(cast, role))

    response = client.post(MATCH, {"q": "固态锂电池隔膜涂层"})

    assert response.status_code == 200
    assert catalogue["draft"].title not in result_titles(response)
    assert set(result_titles(response)) <= {BATTERY["title"], SLUDGE["title"]}


def test_a_reviewer_sees_the_matches_of_a_listing_under_review(client, cast, catalogue):
    client.force_login(cast.reviewer)

    response = client.get(
        reverse("matching:achievement", args=[catalogue["draft"].pk]), HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert [m.obj.title for m in response.context["listings"]] == [BATTERY_NEED["title"]]


def test_detail_blocks_query_counts_are_pinned(client, cast, larger_catalogue, pinned_queries):
    catalogue = larger_catalogue
    cast.enterprise.description = "动力电池制造商，关注锂电池隔膜。"
    cast.enterprise.save()
    achievement_url = reverse("matching:achievement", args=[catalogue["battery"].pk])
    demand_url = reverse("matching:demand", args=[catalogue["demand"].pk])
    client.get(achievement_url, HTTP_HX_REQUEST="true")
    client.get(demand_url, HTTP_HX_REQUEST="true")

    # The listing, its fields and deal modes (3); the index version (1); the matches with their owner,
    # fields and second m2m (3); the organisations' profile check (1); the dense search (pgvector).
    with pinned_queries("achievement"):
        response = client.get(achievement_url, HTTP_HX_REQUEST="true")
    assert sum(BATTERY_NEED["title"] in m.obj.title for m in response.context["listings"]) == 2
    with pinned_queries("demand"):
        response = client.get(demand_url, HTTP_HX_REQUEST="true")
    assert sum(BATTERY["title"] in m.obj.title for m in response.context["listings"]) == 3


def test_an_achievement_page_explains_the_two_listings_not_the_visitors_text(client, catalogue):
    """A visitor on an achievement's page described nothing: the reasons speak of the two listings."""
    response = client.get(
        reverse("matching:achievement", args=[catalogue["battery"].pk]), HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert "Both listings mention" in html
    assert "your text" not in html
    typed = client.post(MATCH, {"q": "我们需要耐高温的动力锂电池隔膜，提高电池安全性"}).content.decode()
    assert "with your text" in typed
