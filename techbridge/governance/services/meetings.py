"""Joint-conference (联席会议) meetings and their decisions, tracked to tasks until carried out."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.roles import is_operator
from techbridge.core.workflow import transition

from ..choices import DecisionStatus
from ..models import Decision, Meeting, Plan
from ..permissions import can_close_decision
from . import changed_fields, require

MEETING_FIELDS = ("title", "held_on", "location", "chair", "participants", "minutes")
MAX_ATTENDEES = 100


def _attendees(meeting: Meeting, orgs: Any) -> None:
    orgs = list(orgs or [])
    if len(orgs) > MAX_ATTENDEES:
        raise ValidationError({"attendees": _("At most %(n)s organisations.") % {"n": MAX_ATTENDEES}})
    meeting.attendees.set(orgs)


@transaction.atomic
def create_meeting(plan: Plan, *, actor: Any, attendees: Any = None, **data: Any) -> Meeting:
    require(is_operator(actor), _("Only platform operators record joint-conference meetings."))
    meeting = Meeting(plan=plan, created_by=actor, **{k: v for k, v in data.items() if k in MEETING_FIELDS})
    meeting.full_clean()
    meeting.save()
    _attendees(meeting, attendees)
    audit.record(meeting, "governance.meeting.created", actor=actor)
    return meeting


@transaction.atomic
def update_meeting(meeting: Meeting, *, actor: Any, attendees: Any = None, **data: Any) -> Meeting:
    require(is_operator(actor), _("Only platform operators record joint-conference meetings."))
    changes = changed_fields(meeting, {k: v for k, v in data.items() if k in MEETING_FIELDS})
    meeting.updated_at = timezone.now()
    meeting.full_clean()
    meeting.save()
    if attendees is not None:
        _attendees(meeting, attendees)
    audit.record(meeting, "governance.meeting.updated", actor=actor, data=changes)
    return meeting


@transaction.atomic
def add_decision(
    meeting: Meeting,
    *,
    actor: Any,
    text: str,
    task: Any = None,
    responsible: Any = None,
    due: dt.date | None = None,
) -> Decision:
    require(is_operator(actor), _("Only platform operators record joint-conference meetings."))
    if task is not None and task.plan_id != meeting.plan_id:
        raise ValidationError({"task": _("Choose a task of the meeting's plan.")})
    from techbridge.organizations.choices import OrgKind

    if responsible is not None and responsible.kind not in (
        OrgKind.GOVERNMENT,
        OrgKind.UNIVERSITY,
        OrgKind.INSTITUTE,
    ):
        raise ValidationError(
            {"responsible": _("A decision is given to a department, university or institute.")}
        )
    decision = Decision(meeting=meeting, text=text, task=task, responsible=responsible, due=due)
    decision.full_clean()
    decision.save()
    audit.record(
        decision,
        "governance.decision.created",
        actor=actor,
        data={"meeting": meeting.pk, "task": getattr(task, "number", None)},
    )
    if responsible is not None:
        _tell_responsible(decision)
    return decision


def _tell_responsible(decision: Decision) -> None:
    """The responsible organisation's officials and admins learn of the decision (once)."""
    from django.urls import reverse

    from techbridge.accounts.models import User
    from techbridge.core import notifications
    from techbridge.core.roles import Role

    due = _(" (due %(d)s)") % {"d": decision.due} if decision.due else ""
    recipients = User.objects.filter(organization_id=decision.responsible_id or 0, is_active=True).exclude(
        role=Role.MEMBER
    )
    for user in recipients:
        notifications.notify(
            user,
            kind="governance_decision",
            title=(_("A joint-conference decision for you: %(text)s") % {"text": decision.text[:80]}) + due,
            link=reverse("governance_console:meeting", args=[decision.meeting_id]),
            dedupe_key=f"governance:decision:{decision.pk}:{user.pk}",
        )


@transaction.atomic
def close_decision(decision: Decision, *, actor: Any, done: bool, outcome: str) -> None:
    """Mark a decision carried out (``done``) or dropped, with what came of it."""
    require(
        can_close_decision(actor, decision),
        _("Only operators and the responsible organisation close a decision."),
    )
    if not (outcome or "").strip():
        raise ValidationError({"outcome": _("Say what came of the decision.")})
    if len(outcome) > 1000:
        raise ValidationError({"outcome": _("At most 1000 characters.")})
    to = DecisionStatus.DONE if done else DecisionStatus.DROPPED
    transition(
        decision,
        to,
        actor=actor,
        action="governance.decision.completed" if done else "governance.decision.dropped",
        message=outcome,
        changes={"outcome": outcome, "closed_by": actor, "closed_at": timezone.now()},
    )


@transaction.atomic
def reopen_decision(decision: Decision, *, actor: Any) -> None:
    require(is_operator(actor), _("Only platform operators reopen a decision."))
    transition(
        decision,
        DecisionStatus.OPEN,
        actor=actor,
        action="governance.decision.reopened",
        changes={"closed_at": None},
    )
