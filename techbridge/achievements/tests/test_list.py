"""The achievement list: published only, Chinese full-text search, filters, htmx, query counts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

from techbridge.organizations.choices import District, OrgKind
from techbridge.testing.factories.achievements import make_achievement
from techbridge.testing.factories.organizations import OrganizationFactory
from techbridge.testing.pages import card

pytestmark = pytest.mark.django_db

LIST = "/achievements/"


def titles(response) -> list[str]:
    return [a.title for a in response.context["page"].object_list]


def test_list_shows_published_achievements_only(client, cast, published, draft):
    client.force_login(cast.researcher)  # even the owner finds drafts under "my listings", not here

    response = client.get(reverse("achievements:list"))

    assert response.status_code == 200
    assert titles(response) == [published.title]
    assert draft.title not in response.content.decode()


def test_chinese_search_finds_and_highlights(client, cast, published):
    make_achievement(cast, title="污水处理新工艺", summary="一种高效的污水生物处理工艺。", keywords="污水")

    response = client.get(LIST, {"q": "锂电池隔膜"})

    html = response.content.decode()
    assert titles(response) == [published.title]
    assert "<mark>锂电池</mark>" in html
    assert "<mark>隔膜</mark>" in html


def test_search_does_not_look_into_the_confidential_detail(client, cast):
    make_achievement(cast, title="一种膜材料", detail="核心配方含有稀有元素钪钇复合催化剂")

    response = client.get(LIST, {"q": "钪钇复合催化剂"})

    assert titles(response) == []
    assert "一种膜材料" not in response.content.decode()


def test_search_text_is_escaped(client, published):
    response = client.get(LIST, {"q": "<script>alert(1)</script>"})

    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"field": "ic"}, ["芯片"]),
        ({"trl_min": "6", "trl_max": "9"}, ["芯片"]),
        ({"trl_max": "4"}, ["污泥"]),
        ({"deal_mode": "equity"}, ["污泥"]),
        ({"district": District.JIANGNING}, ["江宁"]),
        ({"price_min": "10", "price_max": "100"}, ["芯片"]),
        ({"price_max": "5"}, ["污泥"]),
        ({"type": "software"}, ["江宁"]),
        ({"dual_use": "on"}, ["芯片"]),
    ],
)
def test_each_filter_narrows_the_list(client, cast, params, expected):
    jiangning = OrganizationFactory(name="江宁研究院", kind=OrgKind.INSTITUTE, district=District.JIANGNING)
    make_achievement(
        cast,
        title="芯片封装",
        fields=("ic",),
        trl=8,
        price_negotiable=False,
        price=Decimal("500000"),
        dual_use=True,
    )
    make_achievement(
        cast,
        title="污泥减量",
        fields=("environment",),
        trl=3,
        deal_modes=("equity",),
        price_negotiable=False,
        price=Decimal("20000"),
    )
    make_achievement(cast, title="江宁软件", owner=jiangning, kind="software", trl=5, fields=("software",))

    everything = client.get(LIST)
    response = client.get(LIST, params)

    assert len(titles(everything)) == 3
    assert [t[:2] for t in titles(response)] == expected


@pytest.mark.parametrize(
    "params",
    [
        {"trl_min": "12"},
        {"price_min": "-1"},
        {"field": "nonexistent"},
        {"trl_min": "7", "trl_max": "3"},
        {"deal_mode": "barter"},
        {"sort": "random"},
    ],
)
def test_invalid_filter_values_show_a_message_not_an_error(client, published, params):
    response = client.get(LIST, params)

    html = response.content.decode()
    assert response.status_code == 200
    assert escape(response.context["filter_error"]) in html
    assert _("Correct the filter to see results.") in html
    assert response.context["result"] is None
    assert published.title not in html.split('id="results"')[1]


def test_sorting_by_price(client, cast):
    make_achievement(cast, title="低价", price_negotiable=False, price=Decimal("10000"))
    make_achievement(cast, title="高价", price_negotiable=False, price=Decimal("900000"))

    assert titles(client.get(LIST, {"sort": "price_desc"})) == ["高价", "低价"]
    assert titles(client.get(LIST, {"sort": "price_asc"})) == ["低价", "高价"]


def test_pages_of_twenty(client, cast):
    for n in range(23):
        make_achievement(cast, title=f"成果{n:02d}")

    first = client.get(LIST)
    second = client.get(LIST, {"page": "2"})

    assert first.context["result"].total == 23
    assert len(titles(first)) == 20
    assert len(titles(second)) == 3
    assert 'rel="next"' in first.content.decode()


@pytest.mark.parametrize("page", ["0", "abc", "999"])
def test_a_garbled_page_number_falls_back_quietly(client, published, page):
    response = client.get(LIST, {"page": page})

    assert response.status_code == 200
    assert titles(response) == [published.title]


def test_htmx_request_gets_only_the_results(client, published):
    response = client.get(LIST, {"q": "隔膜"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")

    html = response.content.decode()
    assert "<html" not in html
    assert published.title in html.replace("<mark>", "").replace("</mark>", "")
    assert "HX-Request" in response["Vary"]


def test_plain_get_form_renders_the_whole_page(client, published):
    html = client.get(LIST, {"q": "隔膜"}).content.decode()

    assert "<html" in html
    assert 'hx-get="/achievements/"' in html
    assert 'id="results"' in html


def test_demo_records_are_tagged_in_the_list(client, cast):
    make_achievement(cast, is_demo=True, title="演示用的隔膜成果")
    make_achievement(cast, title="真实的隔膜成果")

    html = client.get(LIST).content.decode()

    assert _("Demo data") in card(html, "演示用的隔膜成果")
    assert _("Demo data") not in card(html, "真实的隔膜成果")


@pytest.mark.parametrize(
    "params",
    [{}, {"q": "锂电池"}, {"field": "materials", "sort": "price_desc"}],
    ids=["all", "search", "field-by-price"],
)
def test_list_query_count_does_not_grow_with_results(client, cast, pinned_queries, params):
    for n in range(25):
        make_achievement(
            cast, title=f"锂电池隔膜{n}", fields=("materials", "nev"), deal_modes=("assignment", "equity")
        )
    client.force_login(cast.buyer)

    # The "publish" button asks whether the user's organisation may publish (one read of it).
    with pinned_queries("list"):
        response = client.get(LIST, params)

    assert len(response.context["page"].object_list) == 20
