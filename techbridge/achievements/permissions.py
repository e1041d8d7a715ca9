"""Who may see and do what with achievements: pages, the API, services and templates ask these.

The rules shared with demands (who sees a listing, who edits, submits, withdraws, reopens and
reviews it) are ``core.listing_permissions``; this module adds what only achievements have:

- **Authors**: members of an organisation that may publish (not rejected or suspended); government
  departments and the platform operator publish no achievements (they review and promote them).
- **The confidential part** (``detail`` and the attachments) shows to the owning organisation,
  reviewers and operators, and to signed-in users who accepted the NDA of the published achievement.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from techbridge.core import listing_permissions as listing
from techbridge.core.permissions import deny, signed_in
from techbridge.core.roles import is_staff_reviewer
from techbridge.organizations.choices import OrgKind, OrgStatus

from .models import Achievement, NdaAcceptance
from .queries import visible_achievements

# Organisations whose members publish no achievements.
NON_PUBLISHING_KINDS = (OrgKind.GOVERNMENT, OrgKind.OPERATOR)


def _author_refusal(user: Any) -> str:
    """Why ``user`` may not create an achievement, or ``""`` when they may."""
    org = getattr(user, "organization", None) if signed_in(user) else None
    if org is None:
        return _("Only members of an organisation can publish achievements.")
    if org.status in (OrgStatus.REJECTED, OrgStatus.SUSPENDED):
        return _("Your organisation may not publish on the platform at the moment.")
    if org.kind in NON_PUBLISHING_KINDS:
        return _("Government departments and the platform operator do not publish achievements.")
    return ""


def can_author(user: Any) -> bool:
    """Whether ``user`` may create an achievement (the "publish an achievement" button)."""
    return not _author_refusal(user)


def check_author(user: Any) -> None:
    """Refuse, with the reason, users who may not create an achievement."""
    if reason := _author_refusal(user):
        deny(reason)


def achievement_for(user: Any, pk: Any) -> Achievement:
    """The achievement ``pk`` if ``user`` may see it, else ``Http404`` (drafts do not leak)."""
    return listing.listing_for(visible_achievements(user), pk)


def editable_achievement(user: Any, pk: Any) -> Achievement:
    """The achievement ``pk`` for its editors; 404 if not visible, 403 with the reason if not theirs."""
    achievement = achievement_for(user, pk)
    listing.check_edit(user, achievement)
    return achievement


def can_see_detail(user: Any, achievement: Achievement) -> bool:
    """The confidential detail: owner organisation, reviewers, and users who accepted the NDA."""
    if not signed_in(user):
        return False
    if listing.is_owner_member(user, achievement) or is_staff_reviewer(user):
        return True
    if not achievement.is_public:
        return False
    return NdaAcceptance.objects.filter(achievement=achievement, user=user).exists()


def check_see_detail(user: Any, achievement: Achievement) -> None:
    if not can_see_detail(user, achievement):
        deny(_("Accept the non-disclosure terms of this achievement to download its files."))


def can_accept_nda(user: Any, achievement: Achievement) -> bool:
    """The NDA box: signed-in users who do not see the detail yet, on a published achievement."""
    return signed_in(user) and achievement.is_public and not can_see_detail(user, achievement)
