"""Governance reads whatever metrics the installed apps register: more of them (counts that exist at the
period's end, without grouped queries, with or without records) change no page into an error, and a
metric without any record shows "no data" in every district and zone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from techbridge.core.registry import Metric, Period
from techbridge.governance import areas
from techbridge.governance.choices import MonthlyStatus
from techbridge.governance.models import MonthlyReport
from techbridge.governance.services import monthly as monthly_services
from techbridge.organizations.choices import District, OrgKind
from techbridge.testing.factories.governance import make_dated_contract, make_org

pytestmark = pytest.mark.django_db


def _counting(days: list[dt.date]):
    def compute(period, district=None, zone=None):
        if not days:
            return None
        if district is not None and district != District.GULOU:
            return 0
        return sum(1 for d in days if d <= period.end)

    return compute


@pytest.fixture
def more_metrics(metrics):
    """What carriers, talent, instruments and ipservices register: cumulative counts computed place by
    place (no ``by_place``, no ``by_organization``); one of them has no records at all."""
    added = [
        Metric(
            "zz.with_records", "有记录的指标", "个", _counting([dt.date(2019, 3, 1)] * 4), cumulative=True
        ),
        Metric("zz.without_records", "无记录的指标", "家", _counting([]), cumulative=True, order=5),
        Metric(
            "talent.trained_staff",
            "技术转移人才",
            "名",
            _counting([dt.date(2018, 1, 1)] * 7),
            cumulative=True,
        ),
    ]
    for metric in added:
        metrics.stand_in(metric)
    return added


def test_every_page_answers_with_more_metrics(
    plan, cast, client, more_metrics, django_capture_on_commit_callbacks
):
    make_dated_contract(
        make_org("大学丁", OrgKind.UNIVERSITY, District.GULOU),
        cast.enterprise,
        "5000000",
        dt.date(2020, 5, 1),
    )
    client.force_login(cast.official)
    gulou = f"d:{District.GULOU}"
    for name, query in (
        ("governance_console:overview", ""),
        ("governance_console:areas", "?year=2020"),
        ("governance_console:areas", f"?year=2020&metric=zz.with_records&area={gulou}"),
        ("governance_console:areas", "?metric=zz.without_records&area=z:hitech"),
        ("governance_console:evaluation", "?year=2020"),
        ("governance_console:department", ""),
        ("governance_console:tasks", ""),
        ("governance:summary", ""),
    ):
        response = client.get(reverse(name) + query)
        assert response.status_code == 200, (name, query)
    page = client.get(reverse("governance_console:areas") + "?year=2020").content.decode()
    assert "有记录的指标" in page and "无记录的指标" in page
    talent = plan.targets.get(code="transfer-talent")
    assert client.get(reverse("governance_console:target", args=[talent.pk])).status_code == 200
    assert client.get(reverse("governance:target", args=[talent.pk])).status_code == 200

    client.force_login(cast.operator)
    with django_capture_on_commit_callbacks(execute=True):
        monthly_services.request_monthly_report(plan, actor=cast.operator, year=2020, month=12)
    report = MonthlyReport.objects.get(plan=plan, year=2020, month=12)
    assert report.status == MonthlyStatus.READY, report.error


def test_a_metric_without_records_is_no_data_everywhere_and_costs_one_reading(metrics, more_metrics):
    calls = []
    without = more_metrics[1]

    def compute(period, **place):
        calls.append(place)
        return without.compute(period, **place)

    metrics.stand_in(Metric(without.code, without.label, without.unit, compute, cumulative=True))
    chosen = areas.areas()
    (row,) = areas.table(Period(dt.date(2020, 1, 1), timezone.localdate()), chosen, [without.code])
    assert [c.value for c in row.cells] == [None] * len(chosen) and len(calls) == 1
    (row,) = areas.table(Period.year(2020), chosen, ["zz.with_records"])
    by_key = {a.key: c.value for a, c in zip(chosen, row.cells, strict=True)}
    assert by_key[f"d:{District.GULOU}"] == 4 and by_key[f"d:{District.QIXIA}"] == 0
