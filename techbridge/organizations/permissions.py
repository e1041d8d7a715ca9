"""Who may see and do what with organisations: pages, the API, services and templates ask these.

- The directory and profiles of **approved** organisations are public; an organisation's own members
  also see it before approval, reviewers and operators see all. To anyone else it does not exist.
- An organisation's **admins** edit its profile, resubmit a rejected registration, answer join
  requests and manage its members.
- **Reviewers** (and operators) approve and reject registrations.
- A signed-in **member without an organisation** asks to join an approved one (one pending request
  at a time); platform staff and officials join none. The applicant alone withdraws the request.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from techbridge.core.permissions import deny, hide, signed_in
from techbridge.core.roles import Role, is_staff_reviewer

from .choices import OrgStatus
from .models import MembershipRequest, Organization

REVIEW = gettext_lazy("Only platform reviewers can review organisations.")


def organization_for(user: Any, pk: Any) -> Organization:
    """The organisation ``pk`` if ``user`` may see it, else ``Http404``."""
    from .queries import visible_organizations  # the reads build on the rules of this module

    org = visible_organizations(user).filter(pk=pk).first()
    if org is None:
        hide()
    return org


# ---- its admins ----------------------------------------------------------------------------------


def can_manage_organization(user: Any, org: Organization) -> bool:
    """Whether ``user`` administers ``org``: its organisation admins, nobody else."""
    return bool(signed_in(user) and user.organization_id == org.pk and user.role == Role.ORG_ADMIN)


def check_manage(user: Any, org: Organization, message: Any = None) -> None:
    if not can_manage_organization(user, org):
        deny(message or _("Only the admins of this organisation can change its profile."))


def managed_organization(user: Any, pk: Any, message: Any = None) -> Organization:
    """The organisation ``pk`` for its admins: 404 if not visible, 403 with the reason if not theirs."""
    org = organization_for(user, pk)
    check_manage(user, org, message)
    return org


# ---- review --------------------------------------------------------------------------------------


def can_review(user: Any) -> bool:
    """Reviewers and operators approve and reject registrations."""
    return is_staff_reviewer(user)


def check_review(user: Any) -> None:
    if not can_review(user):
        deny(REVIEW)


# ---- joining -------------------------------------------------------------------------------------


def membership_refusal(user: Any, org: Organization) -> str:
    """Why ``user`` may not ask to join ``org``, or ``""`` when they may."""
    if not signed_in(user):
        return _("Sign in to ask to join an organisation.")
    if user.organization_id:
        return _("You already belong to an organisation.")
    if user.role != Role.MEMBER or user.is_superuser:
        return _("Platform staff and officials cannot join an organisation.")
    if org.status != OrgStatus.APPROVED:
        return _("Only approved organisations accept members.")
    return ""


def can_request_membership(user: Any, org: Organization) -> bool:
    """Signed-in ordinary users without an organisation may ask to join an approved organisation."""
    return not membership_refusal(user, org)


def check_request_membership(user: Any, org: Organization) -> None:
    if reason := membership_refusal(user, org):
        deny(reason)


def own_join_request(user: Any, pk: Any) -> MembershipRequest:
    """The user's own join request ``pk`` (the applicant withdraws it), else ``Http404``."""
    join = MembershipRequest.objects.filter(pk=pk, user_id=getattr(user, "pk", None) or 0).first()
    if join is None:
        hide()
    return join
