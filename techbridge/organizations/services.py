"""Writes to organisations: registration, review, and membership (join requests, members, admins)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.roles import Role
from techbridge.core.workflow import TransitionError, record_created, transition
from techbridge.lib import credit_code as cc

from .choices import MembershipStatus, OrgStatus
from .models import MembershipRequest, Organization
from .permissions import can_manage_organization, check_review, membership_refusal


def register_organization(*, actor: Any = None, **fields: Any) -> Organization:
    """Create an organisation awaiting review. The credit code is normalised and validated."""
    code = fields.get("credit_code")
    fields["credit_code"] = cc.normalise(code) if code else None
    org = Organization(**fields)
    org.full_clean()
    with transaction.atomic():
        org.save()
        record_created(org, actor=actor, action="organizations.organization.registered")
    return org


def attach_first_admin(user: Any, organization: Organization) -> None:
    """Make ``user``, who belongs to no organisation yet, the first admin of ``organization``.

    Claimed with a conditional UPDATE, so a user who registers two organisations at once ends up in one.
    Raises ``PermissionDenied`` for staff and for users who already belong to an organisation.
    """
    if user.role != Role.MEMBER:
        raise PermissionDenied(_("Platform staff and officials cannot register an organisation."))
    rows = (
        get_user_model()
        .objects.filter(pk=user.pk, organization__isnull=True)
        .update(organization=organization, role=Role.ORG_ADMIN)
    )
    if rows != 1:
        raise PermissionDenied(_("You already belong to an organisation."))
    user.organization, user.role = organization, Role.ORG_ADMIN
    audit.record(organization, "organizations.organization.first_admin_joined", actor=user)


def register_own_organization(user: Any, *, organization: dict) -> Organization:
    """Register a new organisation (awaiting review) with the signed-in ``user`` as its first admin.

    Both happen or neither does.
    """
    with transaction.atomic():
        org = register_organization(actor=user, **organization)
        attach_first_admin(user, org)
    return org


def approve_organization(org: Organization, *, actor: Any) -> None:
    """Approve an organisation so its members can publish."""
    check_review(actor)
    transition(
        org,
        OrgStatus.APPROVED,
        actor=actor,
        action="organizations.organization.approved",
        changes={"reject_reason": ""},
    )
    _notify_members(org, _("Your organisation %(name)s was approved.") % {"name": org.name})


def reject_organization(org: Organization, *, actor: Any, reason: str) -> None:
    """Reject a registration with a reason the applicant can act on."""
    check_review(actor)
    if not (reason or "").strip():
        raise TransitionError(_("Give the applicant a reason for the rejection."))
    transition(
        org,
        OrgStatus.REJECTED,
        actor=actor,
        action="organizations.organization.rejected",
        message=reason,
        changes={"reject_reason": reason},
    )
    _notify_members(org, _("Your organisation %(name)s was not approved.") % {"name": org.name}, body=reason)


def update_organization(org: Organization, *, actor: Any, **fields: Any) -> Organization:
    """Change an organisation's profile (its admins only); the change is audited.

    An approved organisation keeps its name but may add or correct its credit code (contract
    registration needs one); a change of code is audited on its own with the old and the new code,
    and a code cannot be removed once given.
    """
    old_code = org.credit_code or None
    if "credit_code" in fields:
        code = cc.normalise(fields["credit_code"] or "")
        fields["credit_code"] = code or None
        if old_code and not code:
            raise ValidationError(
                {"credit_code": _("A credit code cannot be removed; enter the corrected code instead.")}
            )
        if code and code != old_code:
            if Organization.objects.filter(credit_code=code).exclude(pk=org.pk).exists():
                raise ValidationError(
                    {
                        "credit_code": _(
                            "An organisation with this unified social credit code is already registered."
                        )
                    }
                )
    changed = [k for k, v in fields.items() if getattr(org, k) != v]
    for key, value in fields.items():
        setattr(org, key, value)
    if org.credit_code:
        org.credit_code = cc.normalise(org.credit_code)
    org.full_clean()
    with transaction.atomic():
        org.save()
        audit.record(org, "organizations.organization.edited", actor=actor, data={"fields": sorted(changed)})
        if (org.credit_code or None) != old_code:
            audit.record(
                org,
                "organizations.organization.credit_code_changed",
                actor=actor,
                data={"from": old_code or "", "to": org.credit_code or ""},
            )
    return org


def _notify_members(org: Organization, title: str, body: str = "") -> None:
    from techbridge.core.notifications import notify

    for user in org.members.all():  # type: ignore[attr-defined]
        notify(user, kind="organization_review", title=title, body=body)


def resubmit_organization(org: Organization, *, actor: Any, **fields: Any) -> Organization:
    """Correct a rejected registration and send it back to the reviewers, in one step.

    Only the organisation's admins may; the edit and the move are both audited, or neither happens.
    """
    if not can_manage_organization(actor, org):
        raise TransitionError(_("Only an administrator of this organisation can resubmit it."))
    with transaction.atomic():
        if fields:
            update_organization(org, actor=actor, **fields)
        transition(org, OrgStatus.PENDING, actor=actor, action="organizations.organization.resubmitted")
    return org


# ---- membership: joining an existing organisation ------------------------------------------------


class MembershipError(Exception):
    """A membership change that is not allowed; ``message`` says why, in the user's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _admins(org: Organization) -> Any:
    from techbridge.core.roles import Role

    return org.members.filter(role=Role.ORG_ADMIN, is_active=True)  # type: ignore[attr-defined]


def request_membership(org: Organization, *, actor: Any, message: str = "") -> MembershipRequest:
    """Ask to join ``org``; its admins are notified. One pending request per user at a time."""
    from django.db import IntegrityError

    from techbridge.core.notifications import notify

    if reason := membership_refusal(actor, org):
        raise MembershipError(reason)
    already = _("You already have a request waiting for an answer; withdraw it to ask another organisation.")
    if MembershipRequest.objects.filter(user=actor, status=MembershipStatus.PENDING).exists():
        raise MembershipError(already)
    request = MembershipRequest(organization=org, user=actor, message=(message or "").strip())
    request.full_clean(
        validate_constraints=False
    )  # the one-pending rule is checked above, and by the database
    try:
        with transaction.atomic():
            request.save()
            record_created(request, actor=actor, action="organizations.membership_request.sent")
    except IntegrityError as exc:  # a second request sent at the same moment
        raise MembershipError(already) from exc
    name = actor.get_full_name() or actor.username
    for admin in _admins(org):
        notify(
            admin,
            kind="membership_request",
            title=_("%(name)s asks to join %(org)s") % {"name": name, "org": org.name},
            body=request.message,
            link=f"/organizations/{org.pk}/members/",
            dedupe_key=f"membership-request:{request.pk}:{admin.pk}",
        )
    return request


# The audit code of each decision on a join request.
_DECISIONS: dict[str, str] = {
    MembershipStatus.APPROVED: "organizations.membership_request.approved",
    MembershipStatus.REJECTED: "organizations.membership_request.rejected",
    MembershipStatus.CANCELLED: "organizations.membership_request.cancelled",
}


def _decide(request: MembershipRequest, to: str, *, actor: Any, reason: str = "") -> bool:
    """Move a pending request to ``to`` (a conditional UPDATE); False when it was no longer pending."""
    from django.utils import timezone

    try:
        transition(
            request,
            to,
            actor=actor,
            action=_DECISIONS[to],
            message=reason,
            changes={
                "reason": reason,
                "decided_by": actor if to != MembershipStatus.CANCELLED else None,
                "decided_at": timezone.now(),
            },
        )
    except TransitionError:
        return False
    return True


def approve_membership(request: MembershipRequest, *, actor: Any) -> None:
    """An admin of the organisation accepts the applicant, who becomes a member.

    Both the decision and the membership happen, or neither: an applicant who joined another
    organisation in the meantime cannot be accepted.
    """
    from django.contrib.auth import get_user_model

    from techbridge.core.notifications import notify
    from techbridge.core.roles import Role

    org = request.organization
    if not can_manage_organization(actor, org):
        raise MembershipError(_("Only the admins of this organisation can decide on join requests."))
    with transaction.atomic():
        if not _decide(request, MembershipStatus.APPROVED, actor=actor):
            raise MembershipError(_("This request was already decided or withdrawn."))
        rows = (
            get_user_model()
            .objects.filter(pk=request.user_id, organization__isnull=True, role=Role.MEMBER)
            .update(organization=org)
        )
        if rows != 1:
            raise MembershipError(_("The applicant has joined another organisation meanwhile."))
        audit.record(
            org, "organizations.organization.member_added", actor=actor, data={"user": request.user_id}
        )
    notify(
        request.user,
        kind="membership_decision",
        title=_("You are now a member of %(org)s") % {"org": org.name},
        link=f"/organizations/{org.pk}/",
        dedupe_key=f"membership-decision:{request.pk}",
    )


def reject_membership(request: MembershipRequest, *, actor: Any, reason: str = "") -> None:
    """An admin of the organisation declines the request, optionally with a reason the applicant sees."""
    from techbridge.core.notifications import notify

    org = request.organization
    if not can_manage_organization(actor, org):
        raise MembershipError(_("Only the admins of this organisation can decide on join requests."))
    with transaction.atomic():
        if not _decide(request, MembershipStatus.REJECTED, actor=actor, reason=(reason or "").strip()[:500]):
            raise MembershipError(_("This request was already decided or withdrawn."))
    notify(
        request.user,
        kind="membership_decision",
        title=_("%(org)s declined your request to join") % {"org": org.name},
        body=request.reason,
        dedupe_key=f"membership-decision:{request.pk}",
    )


def cancel_membership_request(request: MembershipRequest, *, actor: Any) -> None:
    """The applicant withdraws their own pending request."""
    if not getattr(actor, "is_authenticated", False) or request.user_id != actor.pk:
        raise MembershipError(_("Only the applicant can withdraw this request."))
    with transaction.atomic():
        if not _decide(request, MembershipStatus.CANCELLED, actor=actor):
            raise MembershipError(_("This request was already decided or withdrawn."))


def _other_active_admins(org: Organization, user: Any) -> int:
    return _admins(org).exclude(pk=user.pk).count()


def remove_member(org: Organization, member: Any, *, actor: Any) -> None:
    """An admin removes a member from the organisation. The last admin cannot be removed.

    The member's listings stay with the organisation; the member keeps their account.
    """
    from django.contrib.auth import get_user_model

    from techbridge.core.roles import Role

    if not can_manage_organization(actor, org):
        raise MembershipError(_("Only the admins of this organisation can manage its members."))
    if member.organization_id != org.pk:
        raise MembershipError(_("This user is not a member of the organisation."))
    if member.role == Role.ORG_ADMIN and _other_active_admins(org, member) == 0:
        raise MembershipError(_("The organisation needs at least one admin; appoint another admin first."))
    with transaction.atomic():
        rows = (
            get_user_model()
            .objects.filter(pk=member.pk, organization=org)
            .update(organization=None, role=Role.MEMBER)
        )
        if rows != 1:
            raise MembershipError(_("This user is not a member of the organisation."))
        audit.record(org, "organizations.organization.member_removed", actor=actor, data={"user": member.pk})
    member.organization, member.role = None, Role.MEMBER


def set_member_admin(org: Organization, member: Any, *, actor: Any, admin: bool) -> None:
    """Make a member an admin of the organisation, or an admin an ordinary member again."""
    from django.contrib.auth import get_user_model

    from techbridge.core.roles import Role

    if not can_manage_organization(actor, org):
        raise MembershipError(_("Only the admins of this organisation can manage its members."))
    if member.organization_id != org.pk:
        raise MembershipError(_("This user is not a member of the organisation."))
    if member.role not in (Role.MEMBER, Role.ORG_ADMIN):
        raise MembershipError(_("Platform staff and officials cannot join an organisation."))
    if not admin and member.role == Role.ORG_ADMIN and _other_active_admins(org, member) == 0:
        raise MembershipError(_("The organisation needs at least one admin; appoint another admin first."))
    role = Role.ORG_ADMIN if admin else Role.MEMBER
    with transaction.atomic():
        get_user_model().objects.filter(pk=member.pk, organization=org).update(role=role)
        audit.record(
            org,
            "organizations.organization.admin_granted"
            if admin
            else "organizations.organization.admin_revoked",
            actor=actor,
            data={"user": member.pk},
        )
    member.role = role
