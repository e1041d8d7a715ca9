"""Every list page and list endpoint of governance runs a fixed number of queries, whatever the rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from techbridge.governance.services import meetings, reports
from techbridge.governance.services.plans import add_milestone

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(plan, kw_official, fgw_official, cast, policies, django_capture_on_commit_callbacks):
    plan.reporting_starts = dt.date(2020, 1, 1)
    plan.save()
    for number in (2, 3, 4):
        task = plan.tasks.get(number=number)
        add_milestone(task, actor=cast.operator, title=f"里程碑{number}", due=dt.date(2020, 6, 30))
        report = reports.create_report(task, actor=kw_official, year=2020, quarter=4, summary="进展")
        reports.submit_report(report, actor=kw_official)
    report = reports.create_report(
        plan.tasks.get(number=2), actor=fgw_official, year=2020, quarter=4, summary="进展"
    )
    reports.submit_report(report, actor=fgw_official)
    for n in range(3):
        meeting = meetings.create_meeting(
            plan, actor=cast.operator, title=f"联席会议{n}", held_on=dt.date(2020, 3, n + 1)
        )
        meetings.add_decision(
            meeting,
            actor=cast.operator,
            text="决定",
            task=plan.tasks.get(number=n + 1),
            due=dt.date(2020, 5, 1),
        )
    return plan


PAGES = [
    ("governance_console:tasks", "official"),
    ("governance_console:review_queue", "reviewer"),
    ("governance_console:meetings", "official"),
    ("governance_console:monthly", "operator"),
    ("governance_console:policies", "operator"),
    ("governance_console:overview", "official"),
    ("governance_console:department", "official"),
    ("governance:policies", "anonymous"),
    ("governance:summary", "anonymous"),
]


@pytest.mark.parametrize(("name", "role"), PAGES, ids=[p[0] for p in PAGES])
def test_list_pages(busy, cast, client, pinned_queries, name, role):
    if role != "anonymous":
        client.force_login(cast.user(role))
    client.get(reverse(name))  # warm the figure cache: the pinned count is that of a warm dashboard
    with pinned_queries():
        assert client.get(reverse(name)).status_code == 200


ENDPOINTS = [
    ("/api/v1/governance/plans/", "anonymous"),
    ("/api/v1/governance/tasks/", "official"),
    ("/api/v1/governance/reports/", "official"),
    ("/api/v1/governance/meetings/", "official"),
    ("/api/v1/governance/policies/", "anonymous"),
    ("/api/v1/governance/evaluation/figures/", "reviewer"),
    ("/api/v1/governance/monthly-reports/", "official"),
]


@pytest.mark.parametrize(("url", "role"), ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_list_endpoints(busy, cast, pinned_queries, url, role):
    client = APIClient()
    if role != "anonymous":
        client.force_authenticate(cast.user(role))
    with pinned_queries():
        assert client.get(url).status_code == 200
