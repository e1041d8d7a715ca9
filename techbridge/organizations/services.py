"""Writes to organisations: registration and review."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.roles import is_staff_reviewer
from techbridge.core.workflow import TransitionError, transition
from techbridge.lib import credit_code as cc

from .choices import OrgStatus
from .models import Organization


def register_organization(*, actor: Any = None, **fields: Any) -> Organization:
    """Create an organisation awaiting review. The credit code is normalised and validated."""
    code = fields.get("credit_code")
    fields["credit_code"] = cc.normalise(code) if code else None
    org = Organization(**fields)
    org.full_clean()
    with transaction.atomic():
        org.save()
        audit.record(org, "register", actor=actor, to_state=org.status)
    return org


def approve_organization(org: Organization, *, actor: Any) -> None:
    """Approve an organisation so its members can publish."""
    if not is_staff_reviewer(actor):
        raise TransitionError(_("Only platform reviewers can approve organisations."))
    transition(org, OrgStatus.APPROVED, actor=actor, action="approve", changes={"reject_reason": ""})
    _notify_members(org, _("Your organisation %(name)s was approved.") % {"name": org.name})


def reject_organization(org: Organization, *, actor: Any, reason: str) -> None:
    """Reject a registration with a reason the applicant can act on."""
    if not is_staff_reviewer(actor):
        raise TransitionError(_("Only platform reviewers can reject organisations."))
    if not (reason or "").strip():
        raise TransitionError(_("Give the applicant a reason for the rejection."))
    transition(
        org,
        OrgStatus.REJECTED,
        actor=actor,
        action="reject",
        message=reason,
        changes={"reject_reason": reason},
    )
    _notify_members(org, _("Your organisation %(name)s was not approved.") % {"name": org.name}, body=reason)


def update_organization(org: Organization, *, actor: Any, **fields: Any) -> Organization:
    """Change an organisation's profile (its admins only); the change is audited."""
    changed = [k for k, v in fields.items() if getattr(org, k) != v]
    for key, value in fields.items():
        setattr(org, key, value)
    if org.credit_code:
        org.credit_code = cc.normalise(org.credit_code)
    org.full_clean()
    with transaction.atomic():
        org.save()
        audit.record(org, "edit", actor=actor, data={"fields": sorted(changed)})
    return org


def _notify_members(org: Organization, title: str, body: str = "") -> None:
    from techbridge.core.notifications import notify

    for user in org.members.all():  # type: ignore[attr-defined]
        notify(user, kind="organization_review", title=title, body=body)


def can_manage_organization(user: Any, org: Organization) -> bool:
    """Whether ``user`` administers ``org``: its organisation admins, nobody else."""
    from techbridge.core.roles import Role

    return bool(
        getattr(user, "is_authenticated", False)
        and user.organization_id == org.pk
        and user.role == Role.ORG_ADMIN
    )


def resubmit_organization(org: Organization, *, actor: Any, **fields: Any) -> Organization:
    """Correct a rejected registration and send it back to the reviewers, in one step.

    Only the organisation's admins may; the edit and the move are both audited, or neither happens.
    """
    if not can_manage_organization(actor, org):
        raise TransitionError(_("Only an administrator of this organisation can resubmit it."))
    with transaction.atomic():
        if fields:
            update_organization(org, actor=actor, **fields)
        transition(org, OrgStatus.PENDING, actor=actor, action="resubmit")
    return org
