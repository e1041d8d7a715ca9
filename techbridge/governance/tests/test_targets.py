"""Each target's computed value agrees with the records behind it; annual and cumulative targets compare
different figures; a target without a source or without data says so, never zero."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from techbridge.core.registry import Metric, Period
from techbridge.governance import measures
from techbridge.governance.choices import Standing
from techbridge.governance.models import Target
from techbridge.governance.services.plans import load_plan_file, record_figure
from techbridge.organizations.choices import District, OrgKind
from techbridge.testing.factories.governance import make_dated_contract, make_org

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 1)


@pytest.fixture
def parties(db):
    return {
        "nj": make_org("南京某大学", OrgKind.UNIVERSITY, District.GULOU),
        "nj2": make_org("南京某研究所", OrgKind.INSTITUTE, District.JIANGNING),
        "out": make_org("外地大学", OrgKind.UNIVERSITY, District.OUTSIDE),
        "buyer": make_org("买方企业", OrgKind.ENTERPRISE, District.QIXIA),
    }


def turnover_target(plan) -> Target:
    return plan.targets.get(code="contract-turnover")


def test_the_turnover_target_compares_the_deadline_year_with_the_annual_300_yi(plan, parties):
    p = parties
    for amount in ("5000000000", "5000000000", "5000000000"):
        make_dated_contract(p["nj"], p["buyer"], amount, dt.date(2019, 5, 1))
    for amount in ("10000000000", "10000000000", "10000000000"):
        make_dated_contract(p["nj2"], p["buyer"], amount, dt.date(2020, 7, 1))
    make_dated_contract(p["out"], p["buyer"], "10000000000", dt.date(2020, 7, 1))  # seller outside Nanjing
    make_dated_contract(
        p["nj"], p["buyer"], "10000000000", dt.date(2020, 7, 1), status="signed"
    )  # not registered
    make_dated_contract(p["nj"], p["buyer"], "10000000000", dt.date(2021, 1, 2))  # after the deadline year

    reading = measures.read(turnover_target(plan), today=TODAY)

    assert reading.period == Period.year(2020)
    assert reading.actual.value == Decimal("300")  # 亿元: only 2020, only sellers in Nanjing, only registered
    assert (reading.pct, reading.ratio, reading.standing) == (
        Decimal("100.0"),
        Decimal("1.000"),
        Standing.ON_TRACK,
    )
    assert reading.forecast is None and reading.ended
    trend = {p.label: p.cell.value for p in reading.trend}
    assert trend == {"2016": None, "2017": None, "2018": None, "2019": Decimal("150"), "2020": Decimal("300")}


def test_thresholds_are_data_on_the_plan(plan, parties):
    for _ in range(3):
        make_dated_contract(parties["nj"], parties["buyer"], "8500000000", dt.date(2020, 3, 1))  # 255 亿元
    target = turnover_target(plan)
    assert measures.read(target, today=TODAY).standing == Standing.ATTENTION  # 0.85: between 0.80 and 0.95
    plan.attention_ratio = Decimal("0.90")
    plan.save()
    target.refresh_from_db()
    assert measures.read(target, today=TODAY).standing == Standing.WARNING
    assert "0.90" in measures.thresholds_text(plan)


def test_a_target_whose_metric_is_not_registered_says_no_data_source(plan, client, metrics):
    target = plan.targets.get(code="transfer-talent")
    metrics.withdraw("talent.trained_staff")  # registered by talent once that app is installed
    reading = measures.read(target, today=TODAY)
    assert reading.standing == Standing.NO_SOURCE and reading.actual.value is None
    page = client.get(reverse("governance:summary")).content.decode()
    row = page.split('data-target="transfer-talent"')[1].split("</tr>")[0]
    assert 'data-nosource="1"' in row and ">0<" not in row


def test_a_registered_metric_without_records_says_no_data(plan, client):
    reading = measures.read(turnover_target(plan), today=TODAY)
    assert reading.standing == Standing.NO_DATA and reading.actual.value is None
    page = client.get(reverse("governance:summary")).content.decode()
    row = page.split('data-target="contract-turnover"')[1].split("</tr>")[0]
    assert 'data-nodata="1"' in row


def test_fewer_than_three_contracts_show_the_count_only(plan, parties, client):
    make_dated_contract(parties["nj"], parties["buyer"], "1234567.89", dt.date(2020, 3, 1))
    make_dated_contract(parties["nj"], parties["buyer"], "1000000", dt.date(2020, 4, 1))
    reading = measures.read(turnover_target(plan), today=TODAY)
    assert reading.actual.withheld and reading.actual.count == 2 and reading.pct is None
    page = client.get(reverse("governance:target", args=[turnover_target(plan).pk])).content.decode()
    assert 'data-withheld="1"' in page and "0.0223" not in page and "1,234,567" not in page


@pytest.fixture
def rd_events(metrics):
    """A stand-in for ``carriers.new_rd_institutions`` (registered by another branch): two institutions
    established at the end of every quarter from 2017Q1 to 2019Q2."""
    days = []
    for year in (2017, 2018, 2019):
        for month, day in ((3, 31), (6, 30), (9, 30), (12, 31)):
            if dt.date(year, month, day) <= dt.date(2019, 6, 30):
                days += [dt.date(year, month, day)] * 2

    def compute(period, district=None, zone=None):
        if not days or days[0] > period.end:
            return None
        return sum(1 for d in days if period.start <= d <= period.end)

    metrics.stand_in(Metric("carriers.new_rd_institutions", "新型研发机构", "个", compute))
    return days


def test_a_cumulative_target_compares_the_running_total_and_forecasts_the_deadline(plan, rd_events):
    target = plan.targets.get(code="new-rd-institutions")
    reading = measures.read(target, today=dt.date(2019, 6, 30))
    assert reading.period == Period(dt.date(2016, 1, 1), dt.date(2019, 6, 30))
    assert reading.actual.value == Decimal("20")  # every institution since the plan began
    assert {p.label: p.cell.value for p in reading.trend} == {
        "2016": None,
        "2017": Decimal("8"),
        "2018": Decimal("16"),
        "2019": Decimal("20"),
    }
    # Running totals at the last four quarter ends are 14, 16, 18, 20: two more a quarter, six quarters
    # to go → about 32 at the deadline.
    assert abs(reading.forecast - Decimal("32")) < Decimal("0.5")
    assert reading.standing == Standing.ON_TRACK
    assert reading.basis and "4" in reading.forecast_method  # the method is stated with its span
    quarters = measures.read(target, today=dt.date(2019, 6, 30), granularity="quarter")
    assert [p.label for p in quarters.trend][:2] == ["2016Q1", "2016Q2"] and quarters.trend[
        -1
    ].cell.value == Decimal("20")


def test_the_comparison_is_data_annual_counts_only_the_year(plan, rd_events):
    target = plan.targets.get(code="new-rd-institutions")
    target.comparison = "annual"
    target.save()
    reading = measures.read(target, today=dt.date(2019, 6, 30))
    assert reading.period == Period(dt.date(2019, 1, 1), dt.date(2019, 6, 30))
    assert reading.actual.value == Decimal("4")
    assert {p.label: p.cell.value for p in reading.trend}["2018"] == Decimal("8")


def test_a_manual_target_reads_its_figures_and_forecasts_through_them(plan, cast):
    successor = load_plan_file(Path(__file__).parent / "data" / "plan_successor.json").plan
    target = successor.targets.get(code="manual")
    assert measures.read(target, today=dt.date(2023, 6, 30)).standing == Standing.NO_DATA
    record_figure(
        target, actor=cast.operator, as_of=dt.date(2021, 12, 31), value=Decimal("20"), evidence="统计公报"
    )
    record_figure(
        target, actor=cast.operator, as_of=dt.date(2022, 12, 31), value=Decimal("40"), evidence="统计公报"
    )
    target = Target.objects.get(pk=target.pk)
    reading = measures.read(target, today=dt.date(2023, 6, 30))
    assert reading.actual.value == Decimal("40")
    assert abs(reading.forecast - Decimal("100")) < Decimal("0.5")  # +20 a year, three more years
    assert reading.standing == Standing.ON_TRACK
    assert {p.label: p.cell.value for p in reading.trend} == {
        "2021": Decimal("20"),
        "2022": Decimal("40"),
        "2023": Decimal("40"),
    }


def test_only_operators_enter_figures_and_only_for_manual_targets(plan, cast):
    from django.core.exceptions import PermissionDenied, ValidationError

    target = turnover_target(plan)
    with pytest.raises(PermissionDenied):
        record_figure(
            target, actor=cast.official, as_of=dt.date(2020, 1, 1), value=Decimal("1"), evidence="x"
        )
    with pytest.raises(ValidationError):
        record_figure(
            target, actor=cast.operator, as_of=dt.date(2020, 1, 1), value=Decimal("1"), evidence="x"
        )


def test_every_seed_target_reads_its_metric_with_its_own_comparison(plan, parties, metrics):
    """Each of the 15 targets, fed by a stand-in for the metrics other branches will register: the value
    shown is the stand-in's figure for the target's period — the year 2020 for annual targets, 2016–2020
    for cumulative ones — in the target's unit."""
    events = (
        [dt.date(2017, 5, 1)] * 3
        + [dt.date(2019, 5, 1)] * 4
        + [dt.date(2020, 5, 1)] * 5
        + [dt.date(2021, 5, 1)] * 9
    )

    def compute(period, district=None, zone=None):
        return sum(1 for d in events if period.start <= d <= period.end)

    for target in plan.targets.exclude(metric_code="contracts.turnover"):
        metrics.stand_in(Metric(target.metric_code, target.indicator, target.unit, compute))
    for _ in range(3):
        make_dated_contract(
            parties["nj"], parties["buyer"], "4000000000", dt.date(2020, 5, 1)
        )  # 120 亿元 in 2020
    make_dated_contract(parties["nj"], parties["buyer"], "4000000000", dt.date(2019, 5, 1))
    readings = {r.target.code: r for r in measures.plan_readings(plan, today=TODAY)}
    assert len(readings) == 15
    for code, r in readings.items():
        if code == "contract-turnover":
            expected = Decimal("120")
        elif r.target.comparison == "annual":
            expected = Decimal("5")
        else:
            expected = Decimal("12")  # 2017, 2019 and 2020; 2021 is after the deadline
        assert r.actual.value == expected, code
        if r.target.value is not None:
            assert r.pct == (Decimal("100") * expected / r.target.value).quantize(Decimal("0.1")), code
            assert r.standing in (Standing.ON_TRACK, Standing.ATTENTION, Standing.WARNING), code
        else:
            assert r.standing == Standing.MONITORED, code
