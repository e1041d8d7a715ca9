"""The 300亿元 target lives in the plan's data: the contract statistics page compares the chosen year with
the annual target through governance's panel, with the period on every figure."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from techbridge.contracts import queries
from techbridge.organizations.choices import District, OrgKind
from techbridge.testing.factories.governance import make_dated_contract, make_org

pytestmark = pytest.mark.django_db


def test_the_statistics_page_compares_the_chosen_year_with_the_annual_target(plan, cast, client):
    assert not hasattr(queries, "TURNOVER_TARGET")
    seller = make_org("南京某高校", OrgKind.UNIVERSITY, District.XUANWU)
    for _ in range(3):
        make_dated_contract(seller, cast.enterprise, "5000000000", dt.date(2020, 6, 1))  # 150 亿元 in 2020
    make_dated_contract(seller, cast.enterprise, "1000", dt.date(2019, 6, 1))

    page = client.get(reverse("contracts:stats"), {"year": 2020}).content.decode()
    panel = page.split('data-testid="plan-target-panel"')[1].split("</section>")[0]
    assert "2020-01-01" in panel and "2020-12-31" in panel
    assert 'data-testid="plan-target-pct">50.0%' in panel  # 150 of 300 亿元 in the target's own year
    assert "300" in panel and "2020" in panel
    period = page.split('data-testid="stats-period"')[1].split("</p>")[0]
    assert "2020-01-01" in period and "2020-12-31" in period

    # another year is compared too, and the page says the target belongs to 2020
    page = client.get(reverse("contracts:stats"), {"year": 2019}).content.decode()
    panel = page.split('data-testid="plan-target-panel"')[1].split("</section>")[0]
    assert 'data-withheld="1"' in panel  # one contract in 2019: the count only
    assert "plan-target-pct" not in panel

    # all years: the period runs from the first registration
    page = client.get(reverse("contracts:stats")).content.decode()
    assert "2019-06-01" in page.split('data-testid="stats-period"')[1].split("</p>")[0]
    api = client.get("/api/v1/contracts/statistics/", {"year": 2020}).json()
    assert api["period_start"] == "2020-01-01" and "target" not in api
