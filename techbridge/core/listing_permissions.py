"""Who may see and change a reviewable listing (achievements, demands): the rules every listing app
shares, used by the shared pages (``core.listing_views``), the shared API (``core.listing_api``), the
services (``core.listings``) and the buttons alike.

Each listing app's ``permissions.py`` adds what is particular to it (the confidential detail of an
achievement, who may publish a demand) on top of these.

- Everyone sees published listings; the owning organisation's members see its listings in every
  state; reviewers and operators see everything. Anything else is a 404 (drafts do not leak).
- The *editors* of a listing are its author and the admins of the owning organisation: they edit,
  submit, withdraw and reopen it. Other members of the organisation see it but do not change it.
- Operators may also withdraw any listing (take it off the portal); reviewers and operators
  approve and reject. Nobody on the platform's staff edits content.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from techbridge.lib.numbers import digits

from .permissions import deny, hide, signed_in
from .roles import Role, is_operator, is_staff_reviewer
from .workflow import ReviewableListing, ReviewStatus

# ---- who sees what ------------------------------------------------------------------------------


def visible_q(model: type[ReviewableListing], user: Any) -> Q:
    """Rows of ``model`` that ``user`` may see: published to everyone, the rest to owners and staff."""
    public = Q(status=ReviewStatus.PUBLISHED)
    if not signed_in(user):
        return public
    if is_staff_reviewer(user):
        return Q()
    if user.organization_id:
        return public | Q(**{f"{model.OWNER_FIELD}_id": user.organization_id})
    return public


def pickable(model: type[ReviewableListing], user: Any, *related: str) -> QuerySet:
    """The listings a form may offer ``user`` in a picker: what they may see, nothing when signed out."""
    if not signed_in(user):
        return model._default_manager.none()
    return model._default_manager.filter(visible_q(model, user)).select_related(*related)


def is_owner_member(user: Any, listing: ReviewableListing) -> bool:
    """Whether ``user`` belongs to the organisation that owns the listing."""
    return bool(
        signed_in(user)
        and user.organization_id is not None
        and user.organization_id == listing.owner_organization_id
    )


def is_editor(user: Any, listing: ReviewableListing) -> bool:
    """The listing's author, or an admin of the owning organisation (whatever the listing's state)."""
    return is_owner_member(user, listing) and (
        user.role == Role.ORG_ADMIN or listing.created_by_id == user.pk
    )


# ---- predicates for buttons (who *and* the state allow it) ---------------------------------------


def can_edit(user: Any, listing: ReviewableListing) -> bool:
    """Editors change a listing's content unless it is withdrawn (reopen it first)."""
    return is_editor(user, listing) and listing.status != ReviewStatus.WITHDRAWN


def can_submit(user: Any, listing: ReviewableListing) -> bool:
    return (
        can_edit(user, listing)
        and listing.status != ReviewStatus.PUBLISHED
        and listing.can_move_to(ReviewStatus.SUBMITTED)
    )


def may_withdraw(user: Any, listing: ReviewableListing) -> bool:
    """Who may take a listing off the portal, whatever its state: its editors and operators."""
    return is_editor(user, listing) or is_operator(user)


def can_withdraw(user: Any, listing: ReviewableListing) -> bool:
    return may_withdraw(user, listing) and listing.can_move_to(ReviewStatus.WITHDRAWN)


def can_reopen(user: Any, listing: ReviewableListing) -> bool:
    return listing.status == ReviewStatus.WITHDRAWN and is_editor(user, listing)


def can_review(user: Any) -> bool:
    """Reviewers and operators approve and reject listings."""
    return is_staff_reviewer(user)


# ---- checks that raise (pages, API and services) -------------------------------------------------


def listing_for(visible: QuerySet, pk: Any) -> Any:
    """The listing ``pk`` among ``visible`` (the caller's visible listings), or ``Http404``."""
    if not digits(str(pk)):
        hide()
    obj = visible.filter(pk=pk).first()
    if obj is None:
        hide()
    return obj


def check_editor(user: Any, listing: ReviewableListing) -> None:
    """Refuse anyone but the listing's author and the owning organisation's admins."""
    if not is_editor(user, listing):
        if is_owner_member(user, listing):
            deny(_("Only the author of this listing or an admin of your organisation can change it."))
        deny(_("Only the owner of this listing can do this."))


def check_edit(user: Any, listing: ReviewableListing) -> None:
    """Refuse an edit: not an editor, or a withdrawn listing (reopen it first)."""
    check_editor(user, listing)
    if listing.status == ReviewStatus.WITHDRAWN:
        deny(_("This listing is withdrawn: reopen it as a draft before editing it."))


def check_withdraw(user: Any, listing: ReviewableListing) -> None:
    if not may_withdraw(user, listing):
        check_editor(user, listing)


def check_review(user: Any) -> None:
    if not can_review(user):
        deny(_("Only platform reviewers and operators can review listings."))
