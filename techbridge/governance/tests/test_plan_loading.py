"""The plan as data: the seed loads every target, task and department of the plan text; a successor
plan loads the same way; a bad file changes nothing."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from techbridge.core.models import AuditEntry
from techbridge.governance.models import Plan, Target, Task, TaskDepartment
from techbridge.governance.services.plans import load_plan_file
from techbridge.organizations.choices import OrgKind, OrgStatus
from techbridge.organizations.models import Organization

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"

# (task number, departments in the plan's order) — straight from the 责任部门 of each task.
PLAN_DEPARTMENTS = {
    1: ["江北新区管委会", "市人才办", "发改委", "经信委", "科委"],
    4: ["市科委", "发改委", "财政局", "金融办", "国税局", "地税局"],
    6: ["市科委", "发改委", "经信委", "人社局", "财政局", "农委", "相关区政府", "园区管委会"],
    11: ["市知识产权局", "科委", "工商局", "文广新局"],
    15: ["市人才办", "科委", "经信委", "人社局", "财政局"],
}


def test_seed_plan_has_every_target_task_and_department(plan):
    assert (plan.name, plan.period_label, plan.start, plan.end) == (
        "南京市促进科技成果转移转化行动方案",
        "十三五",
        dt.date(2016, 1, 1),
        dt.date(2020, 12, 31),
    )
    assert plan.is_current and "国办发〔2016〕28号" in plan.basis and "苏政办发〔2016〕76号" in plan.basis
    assert Task.objects.filter(plan=plan).count() == 16
    for number, listed in PLAN_DEPARTMENTS.items():
        rows = TaskDepartment.objects.filter(task__plan=plan, task__number=number).order_by("order")
        assert [r.listed_as for r in rows] == listed
        assert rows[0].is_lead and not any(r.is_lead for r in rows[1:])
    departments = Organization.objects.filter(governance_assignments__task__plan=plan).distinct()
    assert departments.count() == 17
    assert set(departments.values_list("kind", "status").distinct()) == {
        (OrgKind.GOVERNMENT, OrgStatus.APPROVED)
    }
    # 市科委 and 科委 are one department.
    assert (
        Task.objects.filter(plan=plan, assignments__organization__name="南京市科学技术委员会").count() == 16
    )

    quantified = {t.code: t for t in Target.objects.filter(plan=plan, value__isnull=False)}
    expected = {
        "contract-turnover": ("300", "亿元", "annual", "contracts.turnover"),
        "new-rd-institutions": ("20", "个", "cumulative", "carriers.new_rd_institutions"),
        "demonstration-enterprises": ("200", "家", "cumulative", "enterprises.demonstration"),
        "transfer-demonstration-institutions": ("15", "个", "cumulative", "institutions.demonstration"),
        "public-service-platforms": ("10", "个", "cumulative", "instruments.service_platforms"),
        "transfer-talent": ("500", "名", "cumulative", "talent.trained_staff"),
        "university-science-parks": ("10", "个", "cumulative", "carriers.university_science_parks"),
        "maker-spaces": ("100", "家", "cumulative", "carriers.maker_spaces"),
        "top-experts": ("100", "名", "cumulative", "talent.top_experts"),
        "innovative-entrepreneurs": ("200", "名", "cumulative", "talent.innovative_entrepreneurs"),
        "high-level-founders": ("3000", "名", "cumulative", "talent.high_level_founders"),
        "student-founders": ("20000", "名", "cumulative", "talent.student_founders"),
    }
    assert set(quantified) == set(expected)
    for code, (value, unit, comparison, metric) in expected.items():
        t = quantified[code]
        assert (t.value, t.unit, t.comparison, t.metric_code, t.deadline) == (
            Decimal(value),
            unit,
            comparison,
            metric,
            dt.date(2020, 12, 31),
        )
    turnover = quantified["contract-turnover"]
    assert turnover.scale == Decimal("100000000")
    assert [t.number for t in turnover.tasks.all()] == [4]
    assert "南京市国家税务局" in set(turnover.departments.values_list("name", flat=True))
    monitored = set(
        Target.objects.filter(plan=plan, value__isnull=True).values_list("metric_code", flat=True)
    )
    assert monitored == {"enterprises.high_tech", "ipservices.ip_intensive_enterprises", "events.held"}
    assert AuditEntry.objects.filter(action="governance.plan.loaded").count() == 1


def test_loading_again_changes_nothing(plan):
    counts = (
        Task.objects.count(),
        Target.objects.count(),
        TaskDepartment.objects.count(),
        Organization.objects.count(),
    )
    call_command("load_plan", verbosity=0)
    assert (
        Task.objects.count(),
        Target.objects.count(),
        TaskDepartment.objects.count(),
        Organization.objects.count(),
    ) == counts


def test_a_successor_plan_loads_the_same_way_and_becomes_current(plan, client):
    result = load_plan_file(DATA / "plan_successor.json")
    successor = result.plan
    assert result.created and result.departments_created == 1  # 市科委 is reused
    assert list(Plan.objects.filter(is_current=True)) == [successor]
    assert successor.reporting_starts == dt.date(2021, 1, 1)
    assert successor.tasks.get().assignments.first().organization == Organization.objects.get(
        name="南京市科学技术委员会"
    )
    assert Target.objects.get(plan=successor, code="manual").source == "manual"
    page = client.get("/governance/").content.decode()
    assert "测试用后续行动方案" in page and "人工填报指标" in page
    # the earlier plan stays, and can be chosen
    page = client.get(f"/governance/?plan={plan.pk}").content.decode()
    assert "新型研发机构" in page


def test_a_bad_plan_file_is_refused_and_writes_nothing(plan, tmp_path):
    data = json.loads((DATA / "plan_successor.json").read_text(encoding="utf-8"))
    data["targets"][1]["deadline"] = "2025-13-45"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    before = (Plan.objects.count(), Organization.objects.count(), Task.objects.count())
    with pytest.raises(ValidationError, match="2025-13-45"):
        load_plan_file(bad)
    assert (Plan.objects.count(), Organization.objects.count(), Task.objects.count()) == before
    unreadable = tmp_path / "x.json"
    unreadable.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValidationError):
        load_plan_file(unreadable)


def test_dashboards_say_when_no_plan_is_loaded(cast, client):
    client.force_login(cast.official)
    for url in ("/console/governance/", "/console/governance/tasks/", "/console/governance/monthly/"):
        response = client.get(url)
        assert response.status_code == 200 and "load_plan" in response.content.decode()
    assert "load_plan" not in client.get("/governance/").content.decode()  # the public page just says none


def test_operators_change_the_thresholds_and_reporting_rules(plan, cast, client):
    url = f"/console/governance/plans/{plan.pk}/settings/"
    data = {
        "on_track_ratio": "0.90",
        "attention_ratio": "0.70",
        "forecast_periods": "6",
        "report_grace_days": "20",
        "reporting_starts": "2020-01-01",
    }
    client.force_login(cast.official)
    assert client.post(url, data).status_code == 403
    client.force_login(cast.operator)
    bad = client.post(url, {**data, "attention_ratio": "0.95"})
    assert bad.status_code == 200 and not Plan.objects.filter(attention_ratio=Decimal("0.95")).exists()
    assert client.post(url, data).status_code == 302
    plan.refresh_from_db()
    assert (plan.on_track_ratio, plan.forecast_periods, plan.reporting_starts) == (
        Decimal("0.90"),
        6,
        dt.date(2020, 1, 1),
    )
    entry = AuditEntry.objects.get(action="governance.plan.updated")
    assert entry.actor == cast.operator and entry.data["on_track_ratio"] == ["0.95", "0.90"]
