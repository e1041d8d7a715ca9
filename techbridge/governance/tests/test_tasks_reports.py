"""Departments file quarterly progress reports that staff review; a task turns from warning to on track
when its milestones and reports say so; overdue items alert the department once; all of it audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from techbridge.core.models import AuditEntry, Notification
from techbridge.governance import standing
from techbridge.governance.choices import ReportStatus, Standing
from techbridge.governance.models import Milestone, ProgressReport
from techbridge.governance.services import reports as services
from techbridge.governance.services.plans import add_milestone

pytestmark = pytest.mark.django_db


@pytest.fixture
def reporting(plan):
    """The 十三五 plan requiring quarterly reports from 2020: the 2020Q4 report was due on 2021-01-15."""
    plan.reporting_starts = dt.date(2020, 1, 1)
    plan.save()
    return plan


def state(plan, number):
    return next(s for s in standing.task_states(plan) if s.task.number == number)


def test_an_official_files_the_quarterly_report_and_the_task_turns_from_warning_to_on_track(
    reporting, kw_official, cast, client
):
    task = reporting.tasks.get(number=2)  # led by 市科委
    before = state(reporting, 2)
    assert before.standing == Standing.WARNING
    assert any("2020Q4" in r for r in before.reasons)

    client.force_login(kw_official)
    response = client.post(
        reverse("governance_console:report_new", args=[task.pk]),
        {
            "year": 2020,
            "quarter": 4,
            "summary": "组织高校梳理科技成果资源，发布成果目录。",
            "self_assessment": "on_track",
            "figure_0_label": "发布成果目录",
            "figure_0_value": "2",
            "figure_0_unit": "期",
        },
    )
    report = ProgressReport.objects.get(task=task)
    assert response.status_code == 302 and response["Location"] == reverse(
        "governance_console:report", args=[report.pk]
    )
    assert report.department.name == "南京市科学技术委员会" and report.figures.get().value == Decimal("2")
    upload = SimpleUploadedFile("成果目录.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    client.post(reverse("governance_console:report_attach", args=[report.pk]), {"file": upload})
    client.post(reverse("governance_console:report_submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.attachments.count() == 1
    assert state(reporting, 2).standing == Standing.ATTENTION  # filed, awaiting review
    assert Notification.objects.filter(recipient=cast.reviewer, kind="governance_report_submitted").exists()

    client.force_login(cast.reviewer)
    client.post(
        reverse("governance_console:report_review", args=[report.pk]),
        {"action": "accept", "note": "内容完整"},
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED and report.reviewed_by == cast.reviewer
    assert state(reporting, 2).standing == Standing.ON_TRACK
    assert Notification.objects.filter(recipient=kw_official, kind="governance_report_reviewed").exists()
    codes = list(
        AuditEntry.objects.filter(
            object_id=str(report.pk), action__startswith="governance.report"
        ).values_list("action", flat=True)
    )
    assert set(codes) == {
        "governance.report.created",
        "governance.report.attached",
        "governance.report.submitted",
        "governance.report.accepted",
    }
    page = client.get(reverse("governance_console:task", args=[task.pk])).content.decode()
    head = page.split('class="page-head"')[1].split("</div></div>")[0]
    assert 'data-standing="on_track"' in head


def test_a_milestone_is_done_when_an_accepted_report_says_so(reporting, kw_official, cast):
    task = reporting.tasks.get(number=4)
    milestone = add_milestone(
        task, actor=kw_official, title="上线科技成果网络信息服务系统", due=dt.date(2020, 9, 30)
    )
    assert any("上线" in r for r in state(reporting, 4).reasons)
    report = services.create_report(
        task,
        actor=kw_official,
        year=2020,
        quarter=4,
        summary="系统已上线。",
        milestones=[{"milestone": milestone.pk, "done_on": dt.date(2020, 9, 28)}],
    )
    services.submit_report(report, actor=kw_official)
    assert Milestone.objects.get(pk=milestone.pk).done_on is None  # not before acceptance
    services.accept_report(report, actor=cast.reviewer)
    milestone.refresh_from_db()
    assert milestone.done_on == dt.date(2020, 9, 28) and milestone.done_report == report
    assert state(reporting, 4).standing == Standing.ON_TRACK


def test_a_report_that_says_behind_keeps_the_warning_and_at_risk_is_attention(reporting, kw_official, cast):
    task = reporting.tasks.get(number=9)
    report = services.create_report(
        task, actor=kw_official, year=2020, quarter=4, summary="进度滞后。", self_assessment="behind"
    )
    services.submit_report(report, actor=kw_official)
    services.accept_report(report, actor=cast.reviewer)
    assert state(reporting, 9).standing == Standing.WARNING
    later = services.create_report(
        task, actor=kw_official, year=2020, quarter=3, summary="风险。", self_assessment="at_risk"
    )
    services.submit_report(later, actor=kw_official)
    services.accept_report(later, actor=cast.reviewer)
    assert state(reporting, 9).standing == Standing.WARNING  # the latest quarter (Q4) still says behind


def test_staff_return_a_report_with_a_note_and_the_department_revises_it(reporting, kw_official, cast):
    task = reporting.tasks.get(number=5)
    report = services.create_report(task, actor=kw_official, year=2020, quarter=4, summary="初稿")
    services.submit_report(report, actor=kw_official)
    with pytest.raises(ValidationError):
        services.return_report(report, actor=cast.reviewer, note=" ")
    services.return_report(report, actor=cast.reviewer, note="请补充数据")
    assert state(reporting, 5).standing == Standing.WARNING  # returned: the required report is not filed
    services.update_report(report, actor=kw_official, data={"summary": "补充了数据"})
    services.submit_report(report, actor=kw_official)
    report.refresh_from_db()
    assert (report.status, report.summary) == (ReportStatus.SUBMITTED, "补充了数据")


def test_who_may_file_edit_and_review(reporting, kw_official, fgw_official, cast):
    task2 = reporting.tasks.get(number=2)  # 发改委 is co-responsible
    task11 = reporting.tasks.get(number=11)  # 发改委 is not responsible
    with pytest.raises(PermissionDenied):
        services.create_report(task11, actor=fgw_official, year=2020, quarter=4, summary="x")
    with pytest.raises(PermissionDenied):
        services.create_report(
            task2, actor=cast.official, year=2020, quarter=4, summary="x"
        )  # 市科技局 (cast) is not named
    own = services.create_report(task2, actor=fgw_official, year=2020, quarter=4, summary="发改委的报告")
    with pytest.raises(PermissionDenied):
        services.update_report(own, actor=kw_official, data={"summary": "改写"})
    with pytest.raises(PermissionDenied):
        services.submit_report(own, actor=kw_official)
    services.submit_report(own, actor=fgw_official)
    with pytest.raises(PermissionDenied):
        services.accept_report(own, actor=cast.official)
    with pytest.raises(PermissionDenied):
        services.accept_report(own, actor=fgw_official)
    with pytest.raises(ValidationError):
        services.create_report(
            task2, actor=fgw_official, year=2020, quarter=4, summary="again"
        )  # one per quarter
    with pytest.raises(ValidationError):
        services.create_report(task2, actor=fgw_official, year=2015, quarter=4, summary="before the plan")
    with pytest.raises(PermissionDenied):
        add_milestone(task2, actor=fgw_official, title="x", due=dt.date(2020, 1, 1))  # not the lead


def test_attachments_are_read_by_staff_and_the_filing_department_only(
    reporting, kw_official, fgw_official, cast, client
):
    task = reporting.tasks.get(number=2)
    report = services.create_report(task, actor=kw_official, year=2020, quarter=4, summary="附件测试")
    attachment = services.add_attachment(
        report, actor=kw_official, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")
    )
    url = reverse("governance_console:attachment", args=[attachment.pk])
    for user, code in (
        (kw_official, 200),
        (cast.reviewer, 200),
        (fgw_official, 403),
        (cast.official, 403),
        (cast.buyer, 403),
    ):
        client.force_login(user)
        assert client.get(url).status_code == code, user
    client.force_login(fgw_official)
    page = client.get(reverse("governance_console:report", args=[report.pk])).content.decode()
    assert url not in page
    with pytest.raises(ValidationError):
        services.add_attachment(report, actor=kw_official, upload=SimpleUploadedFile("a.exe", b"MZ"))


def test_the_daily_sweep_alerts_the_lead_department_once_and_audits_it(reporting, kw_official, cast):
    sent = services.send_overdue_alerts()
    # 市科委 leads 12 of the 16 tasks (江北新区管委会, 知识产权局 and 人才办 lead the others); each
    # missing 2020Q4 report is one alert to its one official
    led = reporting.tasks.filter(
        assignments__is_lead=True, assignments__organization=kw_official.organization
    ).count()
    assert sent["reports"] == led == 12
    assert Notification.objects.filter(recipient=kw_official, kind="governance_overdue").count() == led
    assert services.send_overdue_alerts()["reports"] == 0  # once
    assert AuditEntry.objects.filter(action="governance.task.alerted").count() == led
    assert not Notification.objects.filter(recipient=cast.official, kind="governance_overdue").exists()
