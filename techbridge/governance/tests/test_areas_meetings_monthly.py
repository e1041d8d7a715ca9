"""Figures by district and zone; joint-conference decisions tracked to tasks; the monthly report as PDF
and Excel, generated once in the background and served from storage."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from techbridge.core.models import AuditEntry
from techbridge.governance import standing
from techbridge.governance.choices import DecisionStatus, MonthlyStatus, Standing
from techbridge.governance.models import MonthlyReport
from techbridge.governance.services import meetings as meeting_services
from techbridge.governance.services import monthly as monthly_services
from techbridge.lib.pdf import pdf_text
from techbridge.organizations.choices import District, OrgKind
from techbridge.organizations.models import Zone
from techbridge.testing.factories.governance import department, make_dated_contract, make_org

pytestmark = pytest.mark.django_db
THIS_YEAR = timezone.localdate().year


def test_figures_by_district_and_zone_hide_small_contract_groups(plan, cast, client):
    hitech = Zone.objects.get(code="hitech")
    park = Zone.objects.create(code="hitech-park", name="测试园区", parent=hitech)
    gulou = make_org("鼓楼某大学", OrgKind.UNIVERSITY, District.GULOU)
    parked = make_org("园区某企业", OrgKind.ENTERPRISE, District.QIXIA, zone=park)
    on = dt.date(THIS_YEAR, 1, 2)
    for _ in range(3):
        make_dated_contract(gulou, cast.enterprise, "1000", on)
    make_dated_contract(parked, cast.enterprise, "777777", on)
    client.force_login(cast.official)
    page = client.get(reverse("governance_console:areas"), {"year": THIS_YEAR}).content.decode()
    row = page.split('data-metric="contracts.turnover"')[1].split("</tr>")[0]
    assert "3,000" in row  # 鼓楼: three contracts, shown
    assert "777,777" not in row and 'data-withheld="1"' in row  # one contract in the park (and so the zone)
    assert "南京高新区 · 测试园区" in page
    counts = page.split('data-metric="contracts.registered"')[1].split("</tr>")[0]
    assert ">3<" in counts and ">1<" in counts
    page = client.get(
        reverse("governance_console:areas"), {"year": THIS_YEAR, "area": "d:gulou"}
    ).content.decode()
    history = page.split('data-testid="area-history"')[1].split("</table>")[0]
    assert str(THIS_YEAR - 4) in history and "3,000" in history.split('data-metric="contracts.turnover"')[1]


def test_decisions_are_tracked_to_tasks_and_closed_by_the_responsible_department(
    plan, cast, kw_official, fgw_official, client
):
    task = plan.tasks.get(number=2)
    with pytest.raises(PermissionDenied):
        meeting_services.create_meeting(plan, actor=cast.official, title="x", held_on=dt.date(2020, 3, 1))
    meeting = meeting_services.create_meeting(
        plan,
        actor=cast.operator,
        title="2020年校地合作工作联席会议",
        held_on=dt.date(2020, 3, 1),
        attendees=[department("南京市科学技术委员会"), department("南京市教育局")],
        participants="南京大学、东南大学",
    )
    decision = meeting_services.add_decision(
        meeting,
        actor=cast.operator,
        text="建立高校科技成果转移转化绩效评价机制",
        task=task,
        responsible=department("南京市科学技术委员会"),
        due=dt.date(2020, 6, 30),
    )
    from techbridge.core.models import Notification

    assert Notification.objects.filter(recipient=kw_official, kind="governance_decision").count() == 1
    states = {s.task.number: s for s in standing.task_states(plan)}
    assert states[2].standing == Standing.ATTENTION and any("2020-06-30" in r for r in states[2].reasons)
    with pytest.raises(PermissionDenied):
        meeting_services.close_decision(decision, actor=fgw_official, done=True, outcome="x")
    with pytest.raises(ValidationError):
        meeting_services.close_decision(decision, actor=kw_official, done=True, outcome="")
    client.force_login(kw_official)
    client.post(
        reverse("governance_console:decision_close", args=[decision.pk]),
        {"action": "done", "outcome": "已印发评价办法"},
    )
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DONE and decision.closed_by == kw_official
    assert {s.task.number: s for s in standing.task_states(plan)}[2].standing == Standing.ON_TRACK
    page = client.get(reverse("governance_console:task", args=[task.pk])).content.decode()
    assert "建立高校科技成果转移转化绩效评价机制" in page
    assert AuditEntry.objects.filter(action="governance.decision.completed").exists()


def test_the_monthly_report_is_generated_once_and_downloads_as_pdf_and_excel(
    plan, cast, client, django_capture_on_commit_callbacks
):
    from openpyxl import load_workbook

    make_dated_contract(
        make_org("大学丙", OrgKind.UNIVERSITY, District.GULOU),
        cast.enterprise,
        "5000000000",
        dt.date(2020, 5, 1),
    )
    with pytest.raises(PermissionDenied):
        monthly_services.request_monthly_report(plan, actor=cast.official, year=2020, month=12)
    client.force_login(cast.operator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("governance_console:monthly") + f"?plan={plan.pk}", {"year": 2020, "month": 12})
    report = MonthlyReport.objects.get(plan=plan, year=2020, month=12)
    assert report.status == MonthlyStatus.READY, report.error
    assert len(report.pdf_sha256) == 64 and len(report.xlsx_sha256) == 64
    client.force_login(cast.official)
    pdf = b"".join(
        client.get(reverse("governance_console:monthly_download", args=[report.pk, "pdf"])).streaming_content
    )
    text = pdf_text(pdf)
    assert (
        "南京市促进科技成果转移转化行动方案" in text and "技术合同成交额" in text and "新型研发机构" in text
    )
    import hashlib

    assert hashlib.sha256(pdf).hexdigest() == report.pdf_sha256
    xlsx = b"".join(
        client.get(reverse("governance_console:monthly_download", args=[report.pk, "xlsx"])).streaming_content
    )
    wb = load_workbook(BytesIO(xlsx))
    assert len(wb.sheetnames) == 5
    rows = {r[0]: r for r in wb.worksheets[0].iter_rows(min_row=2, values_only=True)}
    withheld = rows["全市技术合同成交额"][5]  # one contract: its amount is not written, only the count
    assert isinstance(withheld, str) and "1" in withheld and "50" not in withheld
    assert AuditEntry.objects.filter(action="governance.monthlyreport.generated").count() == 1
    client.force_login(cast.buyer)
    assert (
        client.get(reverse("governance_console:monthly_download", args=[report.pk, "pdf"])).status_code == 403
    )


def test_the_daily_sweep_requests_last_month_while_the_plan_runs(plan, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert monthly_services.request_last_month(dt.date(2020, 7, 3)) == 1
    assert monthly_services.request_last_month(dt.date(2020, 7, 20)) == 0
    assert MonthlyReport.objects.get().label == "2020-06"
    assert monthly_services.request_last_month(dt.date(2026, 7, 3)) == 0  # the plan has ended


def test_warming_the_dashboards_fills_the_figure_cache(plan, cast, django_assert_max_num_queries):
    from techbridge.governance.tasks import warm_dashboards
    from techbridge.governance.views.console import platform_figures

    make_dated_contract(
        make_org("大学丁", OrgKind.UNIVERSITY, District.GULOU),
        cast.enterprise,
        "1000",
        dt.date(THIS_YEAR, 1, 2),
    )
    assert warm_dashboards()["targets"] == 15
    from techbridge.core.registry import Period
    from techbridge.governance import areas

    today = timezone.localdate()
    with django_assert_max_num_queries(2):  # the zones; every figure comes from the cache
        areas.table(Period(dt.date(THIS_YEAR, 1, 1), today))
    assert platform_figures(today)  # the platform figures still compute on demand
