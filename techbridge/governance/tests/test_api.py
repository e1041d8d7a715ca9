"""The same through the API: targets (public), overview, reports, evaluation, monthly reports, meetings."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from techbridge.governance.models import ProgressReport
from techbridge.organizations.choices import District, OrgKind
from techbridge.testing.factories.governance import make_dated_contract, make_org

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    c = APIClient()
    if user is not None:
        c.force_authenticate(user)
    return c


def test_plans_and_targets_are_public(plan, cast):
    seller = make_org("南京某高校", OrgKind.UNIVERSITY, District.XUANWU)
    for _ in range(3):
        make_dated_contract(seller, cast.enterprise, "10000000000", dt.date(2020, 6, 1))
    plans = api().get("/api/v1/governance/plans/").json()
    assert plans["results"][0]["name"] == "南京市促进科技成果转移转化行动方案"
    detail = api().get(f"/api/v1/governance/plans/{plan.pk}/").json()
    targets = {t["code"]: t for t in detail["targets"]}
    assert len(targets) == 15
    turnover = targets["contract-turnover"]
    assert turnover["actual"] == {"value": "300.00", "withheld": False, "count": 3}
    assert (turnover["status"], turnover["percent"], turnover["period_start"]) == (
        "on_track",
        "100.0",
        "2020-01-01",
    )
    # talent registers the trained-staff metric; with no certificate yet the target reads 'no data'.
    assert (
        targets["transfer-talent"]["status"] == "no_data"
        and targets["transfer-talent"]["actual"]["value"] is None
    )
    assert "0.95" in detail["thresholds"]
    one = api().get(f"/api/v1/governance/targets/{turnover['id']}/", {"granularity": "quarter"}).json()
    assert one["trend"][0]["label"] == "2016Q1"
    assert (
        api().get(f"/api/v1/governance/targets/{turnover['id']}/", {"granularity": "week"}).status_code == 400
    )
    assert (
        api().get(f"/api/v1/governance/targets/{turnover['id']}/", {"grain": "year"}).status_code == 400
    )  # undocumented


def test_the_overview_is_for_console_users(plan, cast):
    assert api().get("/api/v1/governance/overview/").status_code in (401, 403)
    assert api(cast.buyer).get("/api/v1/governance/overview/").status_code == 403
    body = api(cast.official).get("/api/v1/governance/overview/").json()
    assert len(body["tasks"]) == 16 and body["task_counts"]["on_track"] == 16
    assert {f["metric"] for f in body["platform"]} >= {"contracts.turnover", "achievements.published"}


def test_a_department_reports_through_the_api(plan, kw_official, cast):
    plan.reporting_starts = dt.date(2020, 1, 1)
    plan.save()
    task = plan.tasks.get(number=12)
    client = api(kw_official)
    assert client.get(f"/api/v1/governance/tasks/{task.pk}/").json()["status"] == "warning"
    bad = client.post(
        "/api/v1/governance/reports/", {"task": task.pk, "year": 2020, "quarter": 4}, format="json"
    )
    assert bad.status_code == 400 and "summary" in bad.json()["errors"]
    unknown = client.post(
        "/api/v1/governance/reports/",
        {"task": task.pk, "year": 2020, "quarter": 4, "summary": "x", "status": "accepted"},
        format="json",
    )
    assert unknown.status_code == 400
    created = client.post(
        "/api/v1/governance/reports/",
        {
            "task": task.pk,
            "year": 2020,
            "quarter": 4,
            "summary": "技术转移示范机构培育进展",
            "figures": [{"label": "新增示范机构", "value": "3", "unit": "个"}],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    report = created.json()
    assert (
        report["status"] == "draft"
        and report["figures"][0]["value"] == "3.00"
        and report["attachments"] == []
    )
    assert client.post(f"/api/v1/governance/reports/{report['id']}/submit/").json()["status"] == "submitted"
    assert (
        client.post(f"/api/v1/governance/reports/{report['id']}/accept/", {}, format="json").status_code
        == 403
    )
    staff = api(cast.reviewer)
    returned = staff.post(f"/api/v1/governance/reports/{report['id']}/return/", {"note": ""}, format="json")
    assert returned.status_code == 400
    accepted = staff.post(f"/api/v1/governance/reports/{report['id']}/accept/", {"note": "好"}, format="json")
    assert accepted.json()["status"] == "accepted"
    assert client.get(f"/api/v1/governance/tasks/{task.pk}/").json()["status"] == "on_track"
    other = api(cast.official).get(f"/api/v1/governance/reports/{report['id']}/").json()
    assert other["attachments"] is None  # not the filing department
    listed = api(cast.official).get("/api/v1/governance/reports/", {"status": "accepted"}).json()
    assert [r["id"] for r in listed["results"]] == [report["id"]]
    assert ProgressReport.objects.get().submitted_by == kw_official


def test_evaluation_full_for_console_and_own_row_for_members(plan, cast):
    year = dt.date.today().year - 1
    make_dated_contract(cast.university, cast.enterprise, "100", dt.date(year, 3, 1))
    full = api(cast.official).get("/api/v1/governance/evaluation/", {"year": year}).json()
    assert full["evaluated"] == 2 and len(full["rows"]) == 2
    own = api(cast.researcher).get("/api/v1/governance/evaluation/", {"year": year}).json()
    assert [r["organization"]["name"] for r in own["rows"]] == ["示范大学"]
    assert own["rows"][0]["inputs"]["turnover"]["value"] == "100.00"  # its own single contract
    assert full_row(full, "示范大学")["inputs"]["turnover"]["withheld"] is True
    assert api(cast.buyer).get("/api/v1/governance/evaluation/").status_code == 403


def full_row(body, name):
    return next(r for r in body["rows"] if r["organization"]["name"] == name)


def test_meetings_and_monthly_reports_through_the_api(plan, cast, django_capture_on_commit_callbacks):
    op = api(cast.operator)
    meeting = op.post(
        "/api/v1/governance/meetings/",
        {"plan": plan.pk, "title": "联席会议", "held_on": "2020-04-01", "attendees": []},
        format="json",
    )
    assert meeting.status_code == 201
    task = plan.tasks.get(number=3)
    decision = op.post(
        f"/api/v1/governance/meetings/{meeting.json()['id']}/decisions/",
        {"text": "设立成果转化基金", "task": task.pk, "due": "2020-12-31"},
        format="json",
    )
    assert decision.status_code == 201
    assert (
        api(cast.official)
        .post(
            "/api/v1/governance/meetings/",
            {"plan": plan.pk, "title": "x", "held_on": "2020-04-01"},
            format="json",
        )
        .status_code
        == 403
    )
    closed = op.post(
        f"/api/v1/governance/decisions/{decision.json()['id']}/close/",
        {"done": True, "outcome": "基金已设立"},
        format="json",
    )
    assert closed.json()["status"] == "done"
    with django_capture_on_commit_callbacks(execute=True):
        made = op.post(
            "/api/v1/governance/monthly-reports/", {"plan": plan.pk, "year": 2020, "month": 6}, format="json"
        )
    assert made.status_code == 202
    listed = api(cast.official).get("/api/v1/governance/monthly-reports/").json()
    assert listed[0]["status"] == "ready" and listed[0]["pdf_url"].endswith("/pdf/")
    assert (
        op.post(
            "/api/v1/governance/monthly-reports/", {"plan": plan.pk, "year": 2999, "month": 6}, format="json"
        ).status_code
        == 400
    )
