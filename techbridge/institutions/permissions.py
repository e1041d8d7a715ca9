"""Who may see and change what in the institutions app (one vocabulary: ``core/permissions.py``).

- Anyone sees listed institutions: profile, record of platform work, newest score and grade, credit
  grade, blacklist status and the credit events in force (公示: kind, date, severity).
- Members of an institution's organisation manage it: the application, designations, self-reports,
  appeals; they see their score inputs, the evidence of their credit events and the ratings they
  received — never who rated them.
- Platform reviewers and operators review applications, designations, self-reports and appeals and
  record credit events; operators set the scorecard weights, compute scores and publish standards.
  Department officials read the console.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from techbridge.core.permissions import signed_in
from techbridge.core.roles import is_console_user, is_operator, is_staff_reviewer
from techbridge.organizations.choices import OrgKind

from .models import Institution


def is_member(user: Any, institution: Institution) -> bool:
    return signed_in(user) and getattr(user, "organization_id", None) == institution.organization_id


def can_apply(user: Any) -> bool:
    """Members of an approved service organisation may apply for their organisation."""
    org = getattr(user, "organization", None) if signed_in(user) else None
    return bool(org is not None and org.kind == OrgKind.SERVICE and org.is_approved)


def can_see(user: Any, institution: Institution) -> bool:
    return institution.is_listed or is_member(user, institution) or is_console_user(user)


def can_see_inputs(user: Any, institution: Institution) -> bool:
    """Score inputs, self-reports and credit evidence: the institution itself and the console."""
    return is_member(user, institution) or is_console_user(user)


def can_see_raters(user: Any) -> bool:
    """Only platform staff see who rated an institution."""
    return is_staff_reviewer(user)


def institution_for(user: Any, pk: int) -> Institution:
    """The institution ``pk`` if ``user`` may see it, else 404 (we do not confirm it exists)."""
    inst = (
        Institution.objects.select_related(
            "organization", "organization__zone", "host", "current_score", "current_credit"
        )
        .filter(pk=pk)
        .first()
    )
    if inst is None or not can_see(user, inst):
        raise Http404
    return inst


def managed_institution_for(user: Any, pk: int) -> Institution:
    """The institution ``pk`` for one of its members, else 404 / 403."""
    inst = institution_for(user, pk)
    if not is_member(user, inst):
        raise PermissionDenied(_("Only members of the institution can do that."))
    return inst


def own_institution(user: Any) -> Institution | None:
    if not signed_in(user) or getattr(user, "organization_id", None) is None:
        return None
    return (
        Institution.objects.select_related("organization", "host", "current_score", "current_credit")
        .filter(organization_id=user.organization_id)
        .first()
    )


def require_reviewer(user: Any) -> None:
    if not is_staff_reviewer(user):
        raise PermissionDenied(_("Only platform reviewers and operators can do that."))


def require_operator(user: Any) -> None:
    if not is_operator(user):
        raise PermissionDenied(_("Only platform operators can do that."))


def require_member(user: Any, institution: Institution) -> None:
    if not is_member(user, institution):
        raise PermissionDenied(_("Only members of the institution can do that."))
