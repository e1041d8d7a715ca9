"""Who may open governance's pages and endpoints (see techbridge.testing.access).

The cast's department (市科技局, the ``official``'s organisation) is made a co-responsible department
of task 2 of the seed plan, so the official files, edits and submits its report; platform staff
review; operators manage the plan, meetings, formula, monthly reports and policies; universities see
their own evaluation; published policies and the plan's targets are public.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile

from techbridge.testing.access import BAD, DENY, HIDE, LOGIN, OK, Route
from techbridge.testing.cast import Cast

CONSOLE: dict[str, Any] = {"reviewer": OK, "operator": OK, "official": OK}
STAFF: dict[str, Any] = {"reviewer": OK, "operator": OK}
MEMBERS: dict[str, Any] = {"researcher": OK, "univ_admin": OK, "stranger": OK}
WITH_ORG: dict[str, Any] = {
    r: OK
    for r in ("researcher", "univ_admin", "buyer", "broker", "reviewer", "operator", "official", "stranger")
}


def _plan(cast: Cast) -> Any:
    from techbridge.governance.models import Plan, TaskDepartment
    from techbridge.governance.services.plans import load_plan_file

    plan = Plan.objects.filter(code="nanjing-tech-transfer-13th").first() or load_plan_file().plan
    task = plan.tasks.get(number=2)
    TaskDepartment.objects.get_or_create(
        task=task, organization=cast.department, defaults={"listed_as": "测试", "order": 99}
    )
    return plan


def a_target(cast: Cast) -> dict[str, Any]:
    return {"pk": _plan(cast).targets.get(code="contract-turnover").pk}


def a_task(cast: Cast) -> dict[str, Any]:
    return {"pk": _plan(cast).tasks.get(number=2).pk}


def _report(cast: Cast, *, submitted: bool = False) -> Any:
    from techbridge.governance.models import ProgressReport
    from techbridge.governance.services import reports

    task = _plan(cast).tasks.get(number=2)
    quarter = 3 if submitted else 4
    report = ProgressReport.objects.filter(
        task=task, department=cast.department, year=2020, quarter=quarter
    ).first()
    if report is None:
        report = reports.create_report(
            task, actor=cast.official, year=2020, quarter=quarter, summary="矩阵测试报告"
        )
        if submitted:
            reports.submit_report(report, actor=cast.official)
    return report


def a_report(cast: Cast) -> dict[str, Any]:
    return {"pk": _report(cast).pk}


def a_submitted_report(cast: Cast) -> dict[str, Any]:
    return {"pk": _report(cast, submitted=True).pk}


def an_attachment(cast: Cast) -> dict[str, Any]:
    from techbridge.governance.models import ReportAttachment

    report = _report(cast)
    attachment = ReportAttachment(report=report, name="进展材料.pdf", size=8, uploaded_by=cast.official)
    attachment.file.save("progress.pdf", ContentFile(b"%PDF-1.4"), save=False)
    attachment.save()
    return {"pk": attachment.pk}


def a_university(cast: Cast) -> dict[str, Any]:
    return {"pk": cast.university.pk}


def a_figure(cast: Cast) -> dict[str, Any]:
    from techbridge.governance.models import EvaluationFigure
    from techbridge.governance.services.evaluation import submit_figure

    figure = EvaluationFigure.objects.filter(organization=cast.university).first() or submit_figure(
        cast.university,
        actor=cast.univ_admin,
        year=2024,
        input="spinoffs",
        value=Decimal("1"),
        evidence="工商登记",
    )
    return {"pk": figure.pk}


def a_monthly_report(cast: Cast) -> dict[str, Any]:
    from techbridge.governance.models import MonthlyReport

    report = MonthlyReport.objects.create(plan=_plan(cast), year=2020, month=12, status="ready")
    report.pdf.save("m.pdf", ContentFile(b"%PDF-1.4"), save=False)
    report.xlsx.save("m.xlsx", ContentFile(b"PK"), save=False)
    report.save()
    return {"pk": report.pk, "fmt": "pdf"}


def _meeting(cast: Cast) -> Any:
    from techbridge.governance.models import Meeting
    from techbridge.governance.services import meetings

    plan = _plan(cast)
    meeting = Meeting.objects.filter(plan=plan).first()
    if meeting is None:
        meeting = meetings.create_meeting(
            plan, actor=cast.operator, title="联席会议", held_on=dt.date(2020, 3, 1)
        )
        meetings.add_decision(
            meeting,
            actor=cast.operator,
            text="推进校地合作",
            task=plan.tasks.get(number=2),
            responsible=cast.department,
        )
    return meeting


def a_meeting(cast: Cast) -> dict[str, Any]:
    return {"pk": _meeting(cast).pk}


def a_decision(cast: Cast) -> dict[str, Any]:
    return {"pk": _meeting(cast).decisions.get().pk}


def _policy(cast: Cast) -> Any:
    from techbridge.governance.models import Policy
    from techbridge.governance.services import policies

    return Policy.objects.filter(title="矩阵测试政策").first() or policies.create_policy(
        actor=cast.operator,
        title="矩阵测试政策",
        level="district",
        issuer="某区人民政府",
        summary="测试",
        publish=True,
    )


def a_policy(cast: Cast) -> dict[str, Any]:
    return {"pk": _policy(cast).pk}


def a_plan(cast: Cast) -> dict[str, Any]:
    return {"pk": _plan(cast).pk}


def console(name: str, **kw: Any) -> Route:
    return Route(name, anonymous=LOGIN, default=DENY, **CONSOLE, **kw)


def operator(name: str, **kw: Any) -> Route:
    return Route(name, anonymous=LOGIN, default=DENY, operator=OK, **kw)


ROUTES = [
    # public pages
    Route("governance:summary", default=OK),
    Route("governance:target", kwargs=a_target, default=OK),
    Route("governance:policies", default=OK),
    Route("governance:policy", kwargs=a_policy, default=OK),
    Route("governance:mine", anonymous=LOGIN, default=DENY, **WITH_ORG),
    Route("governance:mine", method="POST", anonymous=LOGIN, default=DENY, **WITH_ORG),
    Route("governance:university", anonymous=LOGIN, default=DENY, **MEMBERS),
    Route("governance:university", method="POST", anonymous=LOGIN, default=DENY, univ_admin=OK),
    # console: dashboards
    console("governance_console:overview"),
    console("governance_console:target", kwargs=a_target),
    console("governance_console:tasks"),
    console("governance_console:task", kwargs=a_task),
    console("governance_console:review_queue"),
    console("governance_console:department"),
    console("governance_console:areas"),
    console("governance_console:evaluation"),
    console("governance_console:evaluation_org", kwargs=a_university),
    console("governance_console:formula"),
    console("governance_console:monthly"),
    console("governance_console:monthly_download", kwargs=a_monthly_report),
    console("governance_console:meetings"),
    console("governance_console:meeting", kwargs=a_meeting),
    # console: the plan's settings and figures (operators)
    operator("governance_console:plan_settings", kwargs=a_plan),
    operator("governance_console:plan_settings", kwargs=a_plan, method="POST"),
    operator("governance_console:target_figure", kwargs=a_target, method="POST"),
    operator("governance_console:formula", method="POST"),
    operator("governance_console:monthly", method="POST"),
    # milestones and reports: the lead department / operators; the filing department; staff review
    operator("governance_console:add_milestone", kwargs=a_task, method="POST"),
    Route("governance_console:report_new", kwargs=a_task, anonymous=LOGIN, default=DENY, official=OK),
    Route(
        "governance_console:report_new",
        kwargs=a_task,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        official=OK,
    ),
    console("governance_console:report", kwargs=a_report),
    Route("governance_console:report_edit", kwargs=a_report, anonymous=LOGIN, default=DENY, official=OK),
    Route(
        "governance_console:report_edit",
        kwargs=a_report,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        official=OK,
    ),
    Route(
        "governance_console:report_attach",
        kwargs=a_report,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        official=OK,
    ),
    Route(
        "governance_console:report_submit",
        kwargs=a_report,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        official=OK,
    ),
    Route(
        "governance_console:report_review",
        kwargs=a_submitted_report,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        **STAFF,
    ),
    Route(
        "governance_console:attachment",
        kwargs=an_attachment,
        anonymous=LOGIN,
        default=DENY,
        official=OK,
        **STAFF,
    ),
    Route(
        "governance_console:attachment_delete",
        kwargs=an_attachment,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        official=OK,
    ),
    # evaluation figures
    operator("governance_console:evaluation_figure", kwargs=a_university, method="POST"),
    Route(
        "governance_console:evaluation_figure_review",
        kwargs=a_figure,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        **STAFF,
    ),
    # joint conference
    operator("governance_console:meeting_new"),
    operator("governance_console:meeting_new", method="POST"),
    operator("governance_console:meeting_edit", kwargs=a_meeting),
    operator("governance_console:decision_add", kwargs=a_meeting, method="POST"),
    Route(
        "governance_console:decision_close",
        kwargs=a_decision,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        operator=OK,
        official=OK,
    ),
    operator("governance_console:decision_reopen", kwargs=a_decision, method="POST"),
    # policy library (operators)
    operator("governance_console:policies"),
    operator("governance_console:policy_new"),
    operator("governance_console:policy_new", method="POST"),
    operator("governance_console:policy_edit", kwargs=a_policy),
    operator("governance_console:policy_publish", kwargs=a_policy, method="POST"),
]

API = [
    Route("api:governance-plan-list", default=OK),
    Route("api:governance-plan-detail", kwargs=a_plan, default=OK),
    Route("api:governance-target", kwargs=a_target, default=OK),
    console("api:governance-overview"),
    console("api:governance-areas"),
    Route("api:governance-evaluation", anonymous=LOGIN, default=DENY, **CONSOLE, **MEMBERS),
    console("api:governance-formulas"),
    Route("api:governance-formulas", method="POST", anonymous=LOGIN, default=DENY, operator=BAD),
    console("api:governance-monthly"),
    Route("api:governance-monthly", method="POST", anonymous=LOGIN, default=DENY, operator=BAD),
    Route(
        "api:governance-decision-close",
        kwargs=a_decision,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        operator=BAD,
        official=BAD,
    ),
    console("api:governance-task-list"),
    console("api:governance-task-detail", kwargs=a_task),
    Route(
        "api:governance-task-milestones",
        kwargs=a_task,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        operator=BAD,
    ),
    console("api:governance-report-list"),
    Route(
        "api:governance-report-list",
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        reviewer=BAD,
        operator=BAD,
        official=BAD,
    ),
    console("api:governance-report-detail", kwargs=a_report),
    Route(
        "api:governance-report-detail",
        kwargs=a_report,
        method="PATCH",
        anonymous=LOGIN,
        default=DENY,
        official=OK,
    ),
    Route(
        "api:governance-report-submit",
        kwargs=a_report,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        official=OK,
    ),
    Route(
        "api:governance-report-accept",
        kwargs=a_submitted_report,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        **STAFF,
    ),
    Route(
        "api:governance-report-return",
        kwargs=a_submitted_report,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        reviewer=BAD,
        operator=BAD,
    ),
    Route(
        "api:governance-report-attachments",
        kwargs=a_report,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        official=BAD,
    ),
    Route("api:governance-evaluation-figure-list", anonymous=LOGIN, default=OK),
    Route("api:governance-evaluation-figure-list", method="POST", anonymous=LOGIN, default=BAD),
    Route(
        "api:governance-evaluation-figure-review",
        kwargs=a_figure,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        researcher=DENY,
        univ_admin=DENY,
        reviewer=BAD,
        operator=BAD,
    ),
    console("api:governance-meeting-list"),
    Route("api:governance-meeting-list", method="POST", anonymous=LOGIN, default=DENY, operator=BAD),
    console("api:governance-meeting-detail", kwargs=a_meeting),
    Route(
        "api:governance-meeting-decisions",
        kwargs=a_meeting,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        operator=BAD,
    ),
    Route("api:governance-policy-list", default=OK),
    Route("api:governance-policy-list", method="POST", anonymous=LOGIN, default=DENY, operator=BAD),
    Route("api:governance-policy-detail", kwargs=a_policy, default=OK),
    Route(
        "api:governance-policy-detail",
        kwargs=a_policy,
        method="PATCH",
        anonymous=LOGIN,
        default=DENY,
        operator=OK,
    ),
    Route("api:governance-policy-applicable", anonymous=LOGIN, default=DENY, **WITH_ORG),
    Route(
        "api:governance-policy-publish",
        kwargs=a_policy,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        operator=BAD,
    ),
    Route(
        "api:governance-policy-withdraw",
        kwargs=a_policy,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        operator=OK,
    ),
]
ROUTES += API
