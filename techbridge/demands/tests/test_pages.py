"""Demand list and detail pages: published only, search, filters, visibility, query counts."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from techbridge.organizations.choices import District
from techbridge.testing.factories.demands import make_demand
from techbridge.testing.factories.organizations import OrganizationFactory

pytestmark = pytest.mark.django_db

LIST = "/demands/"


def titles(response) -> list[str]:
    return [d.title for d in response.context["page"].object_list]


def test_list_shows_published_demands_only(client, cast, published, draft):
    client.force_login(cast.buyer)

    response = client.get(LIST)

    assert titles(response) == [published.title]
    assert draft.title not in response.content.decode()


def test_chinese_search_finds_and_highlights(client, cast, published):
    make_demand(cast, title="芯片散热需求", problem="大功率芯片散热不足。", keywords="散热")

    response = client.get(LIST, {"q": "污泥减量"})

    assert titles(response) == [published.title]
    assert "<mark>污泥</mark>" in response.content.decode()


@pytest.fixture
def three(cast):
    jiangbei = OrganizationFactory(name="江北制造公司", district=District.JIANGBEI)
    today = timezone.localdate()
    make_demand(
        cast,
        title="甲 污泥",
        fields=("environment",),
        modes=("development",),
        budget_negotiable=False,
        budget_min=Decimal("100000"),
        budget_max=Decimal("300000"),
        deadline=today + timedelta(days=30),
    )
    make_demand(
        cast,
        title="乙 芯片",
        fields=("ic",),
        modes=("consulting",),
        budget_negotiable=False,
        budget_min=Decimal("1000000"),
        budget_max=None,
        deadline=today - timedelta(days=1),
    )
    make_demand(cast, title="丙 江北", enterprise=jiangbei, fields=("manufacturing",), modes=("development",))


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"field": "ic"}, ["乙"]),
        ({"deal_mode": "development"}, ["甲", "丙"]),
        ({"district": District.JIANGBEI}, ["丙"]),
        ({"budget_min": "20", "budget_max": "50"}, ["甲"]),  # 20–50万 overlaps 10–30万 only
        ({"budget_min": "200"}, ["乙"]),  # open-ended "from 100万" reaches 200万
        ({"budget_max": "5"}, []),
        ({"open_only": "on"}, ["甲", "丙"]),
    ],
)
def test_each_filter_narrows_the_list(client, cast, three, params, expected):
    response = client.get(LIST, params)

    assert len(titles(client.get(LIST))) == 3
    assert sorted(t[0] for t in titles(response)) == sorted(expected)


def test_sorting_by_deadline_and_budget(client, cast, three):
    by_deadline = [t[0] for t in titles(client.get(LIST, {"sort": "deadline"}))]
    by_budget = [t[0] for t in titles(client.get(LIST, {"sort": "budget"}))]

    assert by_deadline == ["乙", "甲", "丙"]  # soonest first, open-ended last
    assert by_budget[-1] == "丙"  # 面议 last


@pytest.mark.parametrize(
    "params",
    [
        {"budget_min": "-1"},
        {"budget_min": "50", "budget_max": "10"},
        {"field": "nonexistent"},
        {"deal_mode": "barter"},
        {"district": "moon"},
        {"sort": "price_asc"},
    ],
)
def test_invalid_filter_values_show_a_message_not_an_error(client, published, params):
    response = client.get(LIST, params)

    assert response.status_code == 200
    html = response.content.decode()
    assert escape(response.context["filter_error"]) in html
    assert _("Correct the filter to see results.") in html
    assert response.context["result"] is None


def test_htmx_request_gets_only_the_results(client, published):
    response = client.get(LIST, {"field": "environment"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")

    assert "<html" not in response.content.decode()
    assert published.title in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [{}, {"q": "污泥"}, {"deal_mode": "development", "sort": "budget"}],
    ids=["all", "search", "mode-by-budget"],
)
def test_list_query_count_does_not_grow_with_results(client, cast, pinned_queries, params):
    for n in range(25):
        make_demand(
            cast, title=f"污泥处理需求{n}", fields=("environment", "iot"), modes=("development", "service")
        )
    client.force_login(cast.researcher)

    # The "publish" button asks whether the user's organisation may publish (one read of it).
    with pinned_queries("list"):
        response = client.get(LIST, params)

    assert len(response.context["page"].object_list) == 20


def test_detail_shows_the_public_fields(client, cast):
    d = make_demand(
        cast,
        title="大功率芯片散热",
        budget_negotiable=False,
        budget_min=Decimal("200000"),
        budget_max=Decimal("500000"),
        contact_name="张经理",
        keywords="散热,芯片",
        fields=("ic",),
        modes=("development",),
        is_demo=True,
    )

    html = client.get(reverse("demands:detail", args=[d.pk])).content.decode()

    for text in (
        "大功率芯片散热",
        "示范企业有限公司",
        "集成电路",
        "技术开发",
        "张经理",
        "20",
        "50",
        d.problem,
    ):
        assert text in html
    assert reverse("organizations:detail", args=[cast.enterprise.pk]) in html
    assert _("Demo data") in html


@pytest.mark.parametrize("who", [None, "outsider", "researcher", "broker"])
def test_drafts_are_not_found_by_people_outside_the_enterprise(client, cast, draft, who):
    if who:
        client.force_login(getattr(cast, who))

    assert client.get(reverse("demands:detail", args=[draft.pk])).status_code == 404


def test_owner_sees_the_draft_with_its_moves(client, cast, draft):
    client.force_login(cast.buyer)

    html = client.get(reverse("demands:detail", args=[draft.pk])).content.decode()

    assert reverse("demands:edit", args=[draft.pk]) in html
    assert reverse("demands:submit", args=[draft.pk]) in html
