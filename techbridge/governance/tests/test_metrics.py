"""The figures other apps register for the dashboards agree with their records, by district and zone
(parks included), and say "no data" where the records do not reach."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from techbridge.core.registry import Period, metric
from techbridge.organizations.choices import District, OrgKind
from techbridge.organizations.models import Zone
from techbridge.testing.factories.governance import (
    make_dated_achievement,
    make_dated_contract,
    make_dated_demand,
    make_dated_room,
    make_org,
)

pytestmark = pytest.mark.django_db
Y2024 = Period.year(2024)


@pytest.fixture
def world(db):
    hitech = Zone.objects.get(code="hitech")
    park = Zone.objects.create(code="hitech-park", name="测试园区", parent=hitech)
    jiangbei = Zone.objects.get(code="jiangbei")
    w = {
        "u1": make_org("大学甲", OrgKind.UNIVERSITY, District.GULOU),
        "u2": make_org("大学乙", OrgKind.UNIVERSITY, District.JIANGNING, zone=park),
        "far": make_org("外地大学", OrgKind.UNIVERSITY, District.OUTSIDE),
        "e1": make_org("企业甲", OrgKind.ENTERPRISE, District.PUKOU, zone=jiangbei),
        "e2": make_org("外地企业", OrgKind.ENTERPRISE, District.OUTSIDE),
        "hitech": hitech,
        "park": park,
        "jiangbei": jiangbei,
    }
    return w


def test_contract_figures(world):
    w = world
    a = make_dated_achievement(w["u1"], dt.date(2023, 1, 1))
    make_dated_contract(
        w["u1"], w["e1"], "100", dt.date(2024, 2, 1), achievement=a, signed=dt.date(2023, 1, 11)
    )
    make_dated_contract(
        w["u1"],
        w["e2"],
        "300",
        dt.date(2024, 3, 1),
        contract_type="license",
        achievement=a,
        signed=dt.date(2023, 1, 31),
    )
    make_dated_contract(w["u2"], w["e1"], "50", dt.date(2024, 4, 1), contract_type="license")
    make_dated_contract(w["far"], w["e1"], "999", dt.date(2024, 4, 1))
    make_dated_contract(w["u1"], w["e1"], "999", dt.date(2023, 12, 31))
    make_dated_contract(w["u1"], w["e1"], "999", dt.date(2024, 5, 1), status="signed")

    turnover = metric("contracts.turnover")
    assert turnover.compute(Y2024) == Decimal("450")
    assert turnover.compute(Y2024, district=District.GULOU) == Decimal("400")
    assert turnover.compute(Y2024, zone=w["hitech"]) == Decimal(
        "50"
    )  # the park's contract counts for its zone
    assert turnover.compute(Y2024, zone=w["jiangbei"]) == Decimal("0")
    assert turnover.compute(Period.year(2020)) is None  # before the first registration: no data
    assert turnover.by_organization(Y2024) == {
        w["u1"].pk: Decimal("400"),
        w["u2"].pk: Decimal("50"),
        w["far"].pk: Decimal("999"),
    }
    assert metric("contracts.registered").compute(Y2024) == 3
    assert metric("contracts.licences").compute(Y2024) == 2
    assert metric("contracts.licensing_income").compute(Y2024) == Decimal("350")
    assert metric("contracts.licensing_income").by_organization(Y2024)[w["u1"].pk] == Decimal("300")
    # bought in Nanjing: 100 (e1) + 50 (e1) of 450
    assert metric("contracts.nanjing_share").compute(Y2024) == Decimal("33.33")
    assert metric("contracts.nanjing_share").by_organization(Y2024)[w["u1"].pk] == Decimal("25.00")
    # signed 10 and 30 days after the achievement was published (dated by signature: 2023)
    assert metric("contracts.days_to_contract").compute(Period.year(2023)) == Decimal("20.0")
    assert metric("contracts.days_to_contract").by_organization(Period.year(2023)) == {
        w["u1"].pk: Decimal("20.0")
    }
    assert turnover.count_metric == "contracts.registered" and turnover.min_count == 3


def test_listing_and_room_figures(world):
    w = world
    make_dated_achievement(w["u1"], dt.date(2024, 1, 5))
    make_dated_achievement(w["u1"], dt.date(2024, 6, 5))
    make_dated_achievement(w["u2"], dt.date(2024, 6, 5))
    make_dated_achievement(w["u2"], None)  # a draft
    make_dated_achievement(
        w["u1"], dt.date(2022, 1, 1), created_on=dt.date(2022, 1, 1), updated_on=dt.date(2024, 3, 3)
    )  # refreshed
    d1 = make_dated_demand(w["e1"], dt.date(2024, 2, 2))
    make_dated_demand(w["e2"], dt.date(2024, 2, 2))
    make_dated_room(w["u1"], w["e1"], dt.date(2024, 3, 1), demand=d1)
    make_dated_room(w["u1"], w["e1"], dt.date(2024, 4, 1), demand=d1)  # the same demand answered again
    make_dated_room(w["u2"], w["e1"], dt.date(2024, 4, 1))

    published = metric("achievements.published")
    assert published.compute(Y2024) == 3
    assert published.compute(Y2024, zone=w["hitech"]) == 1
    assert published.by_organization(Y2024) == {w["u1"].pk: 2, w["u2"].pk: 1}
    assert published.compute(Period.year(2019)) is None
    assert metric("achievements.refreshed").compute(Y2024) == 1
    assert metric("achievements.refreshed").by_organization(Y2024) == {w["u1"].pk: 1}
    assert metric("demands.published").compute(Y2024) == 2
    assert metric("demands.published").compute(Y2024, zone=w["jiangbei"]) == 1
    assert metric("deals.rooms_opened").compute(Y2024) == 3
    assert metric("deals.rooms_opened").by_organization(Y2024) == {w["u1"].pk: 2, w["u2"].pk: 1}
    assert metric("deals.demands_answered").compute(Y2024) == 1
    assert metric("deals.demands_answered").by_organization(Y2024) == {w["u1"].pk: 1}


def test_sums_by_place_agree_with_the_figure_of_each_district_and_zone(world):
    """Dashboards add up ``by_place`` instead of asking every district: both give the same figures."""
    from techbridge.core.registry import metrics
    from techbridge.governance import areas

    w = world
    a = make_dated_achievement(w["u2"], dt.date(2024, 1, 5))
    make_dated_achievement(w["u1"], dt.date(2024, 2, 5))
    make_dated_achievement(
        w["u1"], dt.date(2022, 1, 1), created_on=dt.date(2022, 1, 1), updated_on=dt.date(2024, 3, 3)
    )
    d = make_dated_demand(w["e1"], dt.date(2024, 2, 2))
    make_dated_room(w["u2"], w["e1"], dt.date(2024, 3, 1), demand=d)
    make_dated_room(w["u1"], w["e2"], dt.date(2024, 3, 1))
    for seller, amount, kind in (
        (w["u1"], "100", "transfer"),
        (w["u2"], "70", "license"),
        (w["far"], "5", "transfer"),
    ):
        make_dated_contract(seller, w["e1"], amount, dt.date(2024, 5, 1), contract_type=kind, achievement=a)
    chosen = areas.areas()
    additive = [m for m in metrics if m.by_place is not None]
    assert {m.code for m in additive} >= {
        "contracts.turnover",
        "contracts.registered",
        "achievements.published",
        "demands.published",
        "deals.rooms_opened",
        "deals.demands_answered",
    }
    for row in areas.table(Y2024, chosen, [m.code for m in additive]):
        for area, cell in zip(chosen, row.cells, strict=True):
            expected = row.metric.compute(Y2024, **area.place)
            assert cell.value == (None if expected is None else Decimal(str(expected))), (
                row.metric.code,
                area.key,
            )
