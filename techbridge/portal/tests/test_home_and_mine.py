"""The home page, "my work" and the console home: assembled from what the apps register."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

from techbridge.core.workflow import ReviewStatus
from techbridge.demands.models import Demand
from techbridge.testing.factories.achievements import make_achievement
from techbridge.testing.factories.core import set_status
from techbridge.testing.factories.demands import DemandFactory
from techbridge.testing.pages import card

pytestmark = pytest.mark.django_db


def test_home_shows_counts_newest_listings_search_and_fields(client, cast):
    for n in range(8):
        make_achievement(cast, title=f"成果{n}")
    make_achievement(cast, published=False, title="草稿成果")
    DemandFactory(
        enterprise=cast.enterprise, created_by=cast.buyer, title="污泥减量需求", is_demo=True, published=True
    )

    response = client.get(reverse("portal:home"))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<a class="stat" href="/achievements/" data-figure="achievements.published"><b>8</b>' in html
    assert 'data-figure="demands.published"><b>1</b>' in html
    assert 'data-figure="organizations.approved"><b>6</b>' in html
    assert html.count('class="card listing') == 7  # the six newest achievements and the one demand
    assert "成果7" in html and "成果1" not in html
    assert "草稿成果" not in html
    assert _("Demo data") in card(html, "污泥减量需求")
    assert _("Demo data") not in card(html, "成果7")
    assert 'name="q"' in html
    assert f'formaction="{reverse("demands:list")}"' in html
    assert "?field=ic" in html


def test_home_query_count_is_pinned(client, cast, pinned_queries):
    for n in range(10):
        make_achievement(cast, title=f"成果{n}", fields=("ic", "nev"))
        DemandFactory(enterprise=cast.enterprise, created_by=cast.buyer, title=f"需求{n}", published=True)
    client.force_login(cast.buyer)

    with pinned_queries():
        html = client.get(reverse("portal:home")).content.decode()

    assert "成果9" in html and "需求9" in html


def test_mine_lists_every_state_with_reasons_and_next_moves(client, cast, pinned_queries):
    draft = make_achievement(cast, published=False, title="我的草稿")
    rejected = make_achievement(cast, published=False, title="被退回的成果")
    set_status(rejected, ReviewStatus.REJECTED, reject_reason="缺少技术指标")
    make_achievement(cast, title="已发布的成果")
    for n in range(3):  # more in every state, so a query per row would show
        make_achievement(cast, published=False, title=f"另一份草稿{n}")
        make_achievement(cast, title=f"另一项已发布成果{n}")
        set_status(make_achievement(cast, published=False), ReviewStatus.REJECTED, reject_reason=f"退回{n}")
    other = DemandFactory(enterprise=cast.enterprise, created_by=cast.buyer, title="别人的需求")
    client.force_login(cast.researcher)

    with pinned_queries("mine"):
        response = client.get(reverse("portal:mine"))

    html = response.content.decode()
    for text in ("我的草稿", "被退回的成果", "已发布的成果", "缺少技术指标"):
        assert text in html
    assert other.title not in html
    assert str(ReviewStatus.REJECTED.label) in html and "退回2" in html
    assert reverse("achievements:submit", args=[draft.pk]) in html
    assert reverse("achievements:edit", args=[rejected.pk]) in html


def test_buyer_sees_their_demands_in_mine(client, cast):
    DemandFactory(enterprise=cast.enterprise, created_by=cast.buyer, title="采购方的需求")
    client.force_login(cast.buyer)

    html = client.get(reverse("portal:mine")).content.decode()

    assert "采购方的需求" in html
    assert Demand.objects.count() == 1


def test_mine_explains_what_to_do_without_an_organisation(client, cast):
    client.force_login(cast.outsider)

    response = client.get(reverse("portal:mine"))

    explanation = _(
        "You are not a member of an organisation, so you cannot publish yet. Ask your organisation’s "
        "administrator to add you, or register your organisation."
    )
    assert explanation in response.content.decode()


def test_mine_needs_sign_in(client):
    response = client.get(reverse("portal:mine"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
