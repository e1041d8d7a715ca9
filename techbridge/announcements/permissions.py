"""Who may see and do what with deal announcements.

- Announcements (成交公示) and the public list of announced contracts (成交公告) are public; so is the
  certificate verification page (anyone holding a code may check it, guesses are rate-limited).
- Any signed-in user who is not a party (not a member of the seller's or the buyer's organisation)
  may object while the notice is open; the parties are told.
- The objection's reason is read by the parties, the person who filed it and console users; the
  evidence file only by the person who filed it and console users (it may name people).
- Platform operators decide on objections and revoke certificates; console users read the queue.
- Each party of a registered contract consents (or withdraws consent) to announcing it.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from techbridge.core.permissions import deny, hide, signed_in
from techbridge.core.roles import is_console_user, is_operator

from .choices import AnnouncementStatus
from .models import Announcement, Certificate, Objection


def announcement_for(user: Any, pk: Any) -> Announcement:
    ann = Announcement.objects.select_related("seller", "buyer").filter(pk=pk).first()
    if ann is None:
        raise Http404
    return ann


def is_party(user: Any, ann: Announcement) -> bool:
    org_id = getattr(user, "organization_id", None) if signed_in(user) else None
    return org_id is not None and org_id in (ann.seller_id, ann.buyer_id)


def can_file_objection(user: Any, ann: Announcement) -> bool:
    return signed_in(user) and not is_party(user, ann) and ann.status == AnnouncementStatus.OPEN


def check_file_objection(user: Any, ann: Announcement) -> None:
    if not signed_in(user):
        deny(_("Sign in to file an objection."))
    if is_party(user, ann):
        deny(_("The parties to the deal cannot object to it."))


def can_read_objections(user: Any, ann: Announcement) -> bool:
    return is_console_user(user) or is_party(user, ann)


def objection_for(user: Any, pk: Any) -> Objection:
    """An objection, to console users and to the person who filed it (404 to anyone else)."""
    obj = Objection.objects.select_related("announcement", "filed_by").filter(pk=pk).first()
    if obj is None or not (is_console_user(user) or (signed_in(user) and obj.filed_by_id == user.pk)):
        hide()
    return obj


def can_resolve(user: Any) -> bool:
    return is_operator(user)


def check_resolve(user: Any) -> None:
    if not can_resolve(user):
        deny(_("Only platform operators decide on objections."))


def can_revoke(user: Any) -> bool:
    return is_operator(user)


def check_revoke(user: Any) -> None:
    if not can_revoke(user):
        deny(_("Only platform operators revoke certificates."))


def certificate_for_console(user: Any, pk: Any) -> Certificate:
    cert = Certificate.objects.select_related("announcement").filter(pk=pk).first()
    if cert is None:
        raise Http404
    return cert


def publication_side(user: Any, contract: Any) -> str:
    from techbridge.contracts.permissions import side_of

    return side_of(user, contract)


def can_consent(user: Any, contract: Any) -> bool:
    return bool(publication_side(user, contract)) and bool(contract.is_registered)


def check_publication(user: Any, contract: Any) -> str:
    side = publication_side(user, contract)
    if not side:
        deny(_("Only the parties to the contract decide whether it is announced."))
    return side
