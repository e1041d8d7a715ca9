"""Who may see and do what in governance.

* Dashboards, tasks, reports, meetings and the ranking are for console users (reviewers, operators,
  department officials); they only read other apps' records.
* A **department official** (role official, member of a government organisation) files progress
  reports for the tasks their department is responsible for, and adds milestones to tasks it leads.
* Platform staff (reviewers, operators) accept or return reports; operators manage the plan's
  settings, manual figures, meetings, the evaluation formula, policies and the monthly report.
* Report attachments are read by staff and by the department that filed the report.
* A university or institute sees its own evaluation; its admins submit figures no record gives yet.
* Published policies are public; "which policies apply to me" needs an organisation.
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from techbridge.core.permissions import deny, hide, signed_in
from techbridge.core.roles import Role, is_console_user, is_operator, is_staff_reviewer
from techbridge.organizations.choices import OrgKind

from .choices import EDITABLE_REPORT, PolicyStatus, ReportStatus
from .models import Decision, EvaluationFigure, Policy, ProgressReport, ReportAttachment, Task

EVALUATED_KINDS = (OrgKind.UNIVERSITY, OrgKind.INSTITUTE)


def is_department_official(user: Any) -> bool:
    """A department official: role official and a member of a government organisation (the role is
    checked first, so other users' menus cost no query)."""
    if not signed_in(user) or user.role != Role.OFFICIAL or not user.organization_id:
        return False
    return bool(user.organization.kind == OrgKind.GOVERNMENT)


def is_evaluated_member(user: Any) -> bool:
    """A member of a university or institute (they see their own evaluation)."""
    if not signed_in(user) or not user.organization_id:
        return False
    return bool(user.organization.kind in EVALUATED_KINDS)


def can_submit_evaluation_figure(user: Any, organization: Any) -> bool:
    if is_operator(user):
        return True
    return bool(
        signed_in(user)
        and user.organization_id == getattr(organization, "pk", None)
        and user.role == Role.ORG_ADMIN
        and organization.kind in EVALUATED_KINDS
    )


# ---- tasks and reports ---------------------------------------------------------------------------


def responsible_for(user: Any, task: Task) -> bool:
    """The user is an official of one of the task's departments."""
    return is_department_official(user) and any(
        a.organization_id == user.organization_id for a in task.assignments.all()
    )


def leads(user: Any, task: Task) -> bool:
    return is_department_official(user) and any(
        a.is_lead and a.organization_id == user.organization_id for a in task.assignments.all()
    )


def can_file_report(user: Any, task: Task) -> bool:
    return responsible_for(user, task)


def can_add_milestone(user: Any, task: Task) -> bool:
    return is_operator(user) or leads(user, task)


def task_for(user: Any, pk: int) -> Task:
    """A task for console users; anyone else: 404 (signed-in non-console users get 403 from the view)."""
    if not is_console_user(user):
        hide()
    return get_object_or_404(Task.objects.select_related("plan").prefetch_related("assignments"), pk=pk)


def report_for(user: Any, pk: int) -> ProgressReport:
    if not is_console_user(user):
        hide()
    return get_object_or_404(
        ProgressReport.objects.select_related(
            "task", "task__plan", "department", "submitted_by", "reviewed_by"
        ),
        pk=pk,
    )


def can_edit_report(user: Any, report: ProgressReport) -> bool:
    return (
        report.status in EDITABLE_REPORT
        and is_department_official(user)
        and user.organization_id == report.department_id
    )


def can_review_report(user: Any, report: ProgressReport) -> bool:
    return report.status == ReportStatus.SUBMITTED and is_staff_reviewer(user)


def can_read_attachments(user: Any, report: ProgressReport) -> bool:
    return is_staff_reviewer(user) or (
        is_department_official(user) and user.organization_id == report.department_id
    )


def attachment_for(user: Any, pk: int) -> ReportAttachment:
    attachment = get_object_or_404(ReportAttachment.objects.select_related("report"), pk=pk)
    if not is_console_user(user):
        hide()
    if not can_read_attachments(user, attachment.report):
        deny(_("Only platform staff and the department that filed the report can open its attachments."))
    return attachment


def editable_report(user: Any, pk: int) -> ProgressReport:
    report = report_for(user, pk)
    if not can_edit_report(user, report):
        deny(_("Only the filing department can change a report, and only while it is a draft or returned."))
    return report


# ---- decisions, figures, policies ----------------------------------------------------------------


def can_close_decision(user: Any, decision: Decision) -> bool:
    return is_operator(user) or (
        is_department_official(user) and decision.responsible_id == user.organization_id
    )


def evaluation_figure_for(user: Any, pk: int) -> EvaluationFigure:
    figure = get_object_or_404(EvaluationFigure.objects.select_related("organization"), pk=pk)
    if not (is_staff_reviewer(user) or (signed_in(user) and user.organization_id == figure.organization_id)):
        hide()
    return figure


def visible_policy(user: Any, pk: int) -> Policy:
    policy = get_object_or_404(Policy.objects.prefetch_related("conditions"), pk=pk)
    if policy.status != PolicyStatus.PUBLISHED and not is_operator(user):
        hide()
    return policy
