"""The governance metrics: exactly the agreed codes, computed from the records, by district and by zone
(a zone includes its parks), "no data" (None) when nothing of the kind exists."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from techbridge.carriers.choices import CarrierKind, DesignationKind, Level
from techbridge.core import registry
from techbridge.core.registry import Period
from techbridge.testing.factories.carriers import DesignationFactory, make_carrier

pytestmark = pytest.mark.django_db

CODES = {
    "carriers.new_rd_institutions": True,
    "carriers.university_science_parks": True,
    "carriers.maker_spaces": True,
    "enterprises.demonstration": True,
    "enterprises.high_tech": True,
    "events.held": False,
}
Y2024 = Period.year(2024)


def test_the_agreed_metric_codes_are_registered():
    registered = {m.code: m for m in registry.metrics}
    for code, cumulative in CODES.items():
        assert code in registered, code
        assert registered[code].cumulative is cumulative
        assert str(registered[code].label)


def test_metrics_are_none_without_data_and_count_by_district_and_zone(cast, zones):
    for code in CODES:
        assert registry.metric(code).compute(Y2024) is None, code
    make_carrier(
        cast.university,
        kind=CarrierKind.MAKER_SPACE,
        level=Level.PROVINCIAL,
        district="pukou",
        zone=zones["jiangbei"],
    )
    make_carrier(
        cast.university,
        kind=CarrierKind.STAR_SPACE,
        level=Level.NATIONAL,
        district="qixia",
        zone=zones["park"],
    )
    # A municipal maker space does not count toward the provincial-or-national target.
    make_carrier(cast.university, kind=CarrierKind.MAKER_SPACE, level=Level.MUNICIPAL, district="qixia")
    maker = registry.metric("carriers.maker_spaces")
    assert maker.compute(Y2024) == 2
    assert maker.compute(Y2024, zone="jiangbei") == 1
    assert maker.compute(Y2024, zone=zones["hitech"]) == 1  # its park counts for the High-tech Zone
    assert maker.compute(Y2024, zone=zones["park"].pk) == 1
    assert maker.compute(Y2024, district="qixia") == 1
    assert maker.compute(Y2024, district="qixia", zone="jiangbei") == 0
    assert maker.compute(Y2024, zone="no-such-zone") == 0
    assert registry.metric("carriers.new_rd_institutions").compute(Y2024) is None  # none of that kind

    DesignationFactory(organization=cast.enterprise, kind=DesignationKind.DEMONSTRATION, year=2019)
    DesignationFactory(
        organization=cast.enterprise,
        kind=DesignationKind.DEMONSTRATION,
        year=2020,
        granted_on=dt.date(2020, 12, 1),
    )
    demo = registry.metric("enterprises.demonstration")
    assert demo.compute(Y2024) == 1  # one enterprise, designated twice
    assert demo.compute(Y2024, zone="jiangbei") == 0
    cast.enterprise.zone = zones["jiangbei"]
    cast.enterprise.save(update_fields=["zone"])
    assert demo.compute(Y2024, zone="jiangbei") == 1


def test_statistics_pages_show_zone_figures_beside_district_ones(client, cast, zones):
    make_carrier(
        cast.university,
        kind=CarrierKind.INCUBATOR,
        level=Level.NATIONAL,
        district="jiangning",
        zone=zones["park"],
    )
    DesignationFactory(organization=cast.enterprise)
    page = client.get(reverse("carriers:stats")).content.decode()
    assert 'id="carriers-by-district"' in page and 'id="carriers-by-zone"' in page
    assert "南京高新区 · 徐庄软件园" in page and "江北新区" in page
    assert 'id="designations-by-zone"' in page
    narrowed = client.get(reverse("carriers:stats"), {"zone": "hitech"})
    assert narrowed.context["carriers"]["total"] == 1
    assert client.get(reverse("carriers:stats"), {"zone": "jiangbei"}).context["carriers"]["total"] == 0
    api = client.get("/api/v1/carriers/stats/", {"district": "jiangning"}).json()
    assert api["carriers"]["total"] == 1 and any(
        r["key"] == "hitech" and r["total"] == 1 for r in api["carriers"]["by_zone"]
    )
    assert client.get("/api/v1/carriers/stats/", {"zone": "nowhere"}).status_code == 400
    client.force_login(cast.official)
    console = client.get(reverse("carriers_console:stats"))
    assert console.status_code == 200
    xlsx = client.get(reverse("carriers_console:stats_xlsx"))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
