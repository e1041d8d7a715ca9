"""The public big screen (数据大屏): the market's public figures on one full-screen page, refreshed in
place from a JSON address and the API, cached so that many screens cost one computation a minute, and
bound by the same disclosure rules as the public statistics."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from techbridge.auctions.choices import LotStatus
from techbridge.core import registry
from techbridge.organizations.models import Organization
from techbridge.testing.factories.auctions import make_lot, make_session
from techbridge.testing.factories.contracts import ContractFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _charts(data):
    return {c["key"]: c for c in data["charts"]}


def test_the_screen_shows_the_market_in_chinese_and_follows_the_disclosure_rules(cast, client):
    university = Organization.objects.get(pk=cast.university.pk)
    this_month = timezone.now() - timedelta(days=1)
    for _ in range(3):  # three contracts of 示范大学 this month: their month's turnover may be shown
        ContractFactory(seller=university, registered_at=this_month, total_amount=Decimal("2000000"))
    ContractFactory(
        registered_at=this_month - timedelta(days=70),
        total_amount=Decimal("777777"),
        technology_amount=Decimal("700000"),
    )
    session = make_session(cast)
    make_lot(cast, session, title="在拍的隔膜专利")
    make_lot(cast, session, title="尚未审核的拍品", status=LotStatus.DRAFT)

    page = client.get(reverse("portal:screen"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "数据大屏" in text and "在拍的隔膜专利" in text and "尚未审核的拍品" not in text

    data = client.get(reverse("portal:screen-data")).json()
    charts = _charts(data)
    months = charts["contracts.by_month"]
    turnover = months["series"][1]["values"]
    assert turnover[-1] == 600.0  # 3 × 2,000,000 yuan = 600 万元
    assert None in turnover[:-1]  # the month with a single contract keeps its amount to itself
    assert "少于 3 份" in months["note"]
    assert charts["contracts.top_sellers"]["rows"] == [[university.name, 3]]
    assert [row[0] for row in charts["auctions.live"]["rows"]] == ["在拍的隔膜专利"]
    assert "777777" not in page.content.decode() and "77.8" not in str(data)


def test_many_screens_cost_one_computation_a_minute(cast, client, django_assert_num_queries):
    ContractFactory()
    first = client.get(reverse("portal:screen-data")).json()
    ContractFactory()  # registered after the screen was computed: shown at the next minute
    with django_assert_num_queries(0):
        again = client.get(reverse("portal:screen-data"))
    assert again.json() == first
    assert again["Cache-Control"].startswith("public")


def test_the_api_gives_the_same_figures(cast, api, client):
    ContractFactory()
    from_page = client.get(reverse("portal:screen-data")).json()
    assert api.get(reverse("api:screen")).json() == from_page


def test_one_broken_figure_does_not_blank_the_screen(cast, client):
    def broken():
        raise RuntimeError("boom")

    chart = registry.register_screen_chart(registry.ScreenChart("test.broken", "坏的图表", broken))
    try:
        ContractFactory()
        data = client.get(reverse("portal:screen-data")).json()
    finally:
        registry.screen_charts.unregister(chart)
    keys = _charts(data)
    assert "test.broken" not in keys and "contracts.by_month" in keys
