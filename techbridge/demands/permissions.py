"""Who may see and do what with technology demands: pages, the API, services and templates ask these.

The rules shared with achievements (who sees a listing, who edits, submits, withdraws, reopens and
reviews it) are ``core.listing_permissions``; this module adds who may publish a demand: members of
an organisation that may publish (not rejected or suspended), except government departments and the
platform operator, which state no demands of their own.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from techbridge.core import listing_permissions as listing
from techbridge.core.permissions import deny, signed_in
from techbridge.organizations.choices import OrgKind, OrgStatus

from .models import Demand
from .queries import visible_demands

# Organisations whose members publish no demands.
NON_PUBLISHING_KINDS = (OrgKind.GOVERNMENT, OrgKind.OPERATOR)


def _author_refusal(user: Any) -> str:
    """Why ``user`` may not create a demand, or ``""`` when they may."""
    org = getattr(user, "organization", None) if signed_in(user) else None
    if org is None:
        return _("Only members of an organisation can publish demands.")
    if org.status in (OrgStatus.REJECTED, OrgStatus.SUSPENDED):
        return _("Your organisation may not publish on the platform at the moment.")
    if org.kind in NON_PUBLISHING_KINDS:
        return _("Government departments and the platform operator do not publish demands.")
    return ""


def can_author(user: Any) -> bool:
    """Whether ``user`` may create a demand (the "publish a demand" button)."""
    return not _author_refusal(user)


def check_author(user: Any) -> None:
    """Refuse, with the reason, users who may not create a demand."""
    if reason := _author_refusal(user):
        deny(reason)


def demand_for(user: Any, pk: Any) -> Demand:
    """The demand ``pk`` if ``user`` may see it, else ``Http404`` (drafts do not leak)."""
    return listing.listing_for(visible_demands(user), pk)
