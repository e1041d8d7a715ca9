"""Who may see and do what in a negotiation room: pages, the API, services and templates ask these.

- **Opening** a negotiation is for users who trade: members and admins of an organisation (platform
  staff and officials do not negotiate; users without an organisation join one first).
- **Reading** a room: its participants — members of the seller and the buyer organisations and the
  brokers they invited — and, while a participant's dispute is open, platform reviewers and
  operators. To anyone else the room does not exist (404).
- **The parties** (seller and buyer) accept the NDA, make and answer offers, invite brokers, close and
  reopen; an **invited broker** reads, writes messages and may raise a dispute; a **reviewer** reads a
  disputed room and resolves the dispute, but takes no part in the negotiation.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from techbridge.core.permissions import deny, has_organization, hide, is_organization_member, signed_in
from techbridge.core.roles import Role, is_staff_reviewer

from .choices import DisputeStatus
from .models import BrokerInvitation, Offer, Room

PARTIES = ("seller", "buyer")
TRADE = gettext_lazy("Platform staff and department officials do not negotiate; members of organisations do.")


# ---- opening -------------------------------------------------------------------------------------


def can_trade(user: Any) -> bool:
    """Members and admins of an organisation negotiate; staff, officials and users without one do not."""
    return is_organization_member(user)


def check_trade(user: Any) -> None:
    if not can_trade(user):
        if signed_in(user) and user.role == Role.MEMBER and not has_organization(user):
            deny(_("Join an organisation to negotiate on the platform."))
        deny(TRADE)


def can_negotiate_about(user: Any, listing: Any) -> bool:
    """Whether the "negotiate" button shows on a published listing of another organisation."""
    return (
        can_trade(user)
        and getattr(listing, "is_public", False)
        and getattr(listing, "owner_organization_id", None) != user.organization_id
    )


# ---- reading a room --------------------------------------------------------------------------------


def side_of(user: Any, room: Room) -> str:
    """``"seller"``/``"buyer"`` for members of either organisation, ``"broker"`` for invited brokers."""
    if not signed_in(user):
        return ""
    if user.organization_id and user.organization_id == room.seller_id:
        return "seller"
    if user.organization_id and user.organization_id == room.buyer_id:
        return "buyer"
    if BrokerInvitation.objects.filter(room=room, broker=user).exists():
        return "broker"
    return ""


def is_participant(user: Any, room: Room) -> bool:
    return bool(side_of(user, room))


def can_read(user: Any, room: Room) -> bool:
    """Participants read their rooms; a reviewer reads one only while a participant's dispute is open."""
    if is_participant(user, room):
        return True
    return is_staff_reviewer(user) and room.disputes.filter(status=DisputeStatus.OPEN).exists()


def broker_accepted_nda(user: Any, room: Room) -> bool:
    """Whether an invited broker accepted the achievement's non-disclosure terms himself."""
    from techbridge.achievements.models import NdaAcceptance

    if room.achievement_id is None:
        return False
    return NdaAcceptance.objects.filter(achievement_id=room.achievement_id, user_id=user.pk).exists()


def can_see_confidential_detail(user: Any, room: Room) -> bool:
    """The achievement's NDA-gated detail shows in the room once both sides accepted the NDA, to those who
    accepted it: the seller's and the buyer's sides (each accepted for itself) and a broker who accepted
    personally (issue 20 point 10: an invited broker saw it without accepting anything)."""
    if room.achievement_id is None or not room.nda_complete:
        return False
    side = side_of(user, room)
    if side in PARTIES:
        return True
    return side == "broker" and broker_accepted_nda(user, room)


def room_for(user: Any, pk: Any) -> Room:
    """The room ``pk`` if ``user`` may read it, else ``Http404`` (its existence is not confirmed)."""
    room = (
        Room.objects.select_related("seller", "buyer", "achievement", "demand", "package")
        .filter(pk=pk)
        .first()
    )
    if room is None or not can_read(user, room):
        hide()
    return room


# ---- acting in a room ------------------------------------------------------------------------------


def check_participant(user: Any, room: Room) -> str:
    """The user's side, or ``PermissionDenied`` for a reader who takes no part (a reviewer)."""
    side = side_of(user, room)
    if not side:
        deny(_("Only participants of this negotiation can do that."))
    return side


def is_party(user: Any, room: Room) -> bool:
    return side_of(user, room) in PARTIES


def check_party(user: Any, room: Room, message: Any = None) -> str:
    """The user's side if it is the seller's or the buyer's; brokers and reviewers are refused."""
    side = check_participant(user, room)
    if side not in PARTIES:
        deny(message or _("Only the seller or the buyer can do that; brokers advise."))
    return side


def can_answer(user: Any, offer: Offer) -> bool:
    """The other side accepts or declines an offer."""
    side = side_of(user, offer.room)
    return side in PARTIES and side != offer.side


def check_answer(user: Any, offer: Offer) -> str:
    side = check_participant(user, offer.room)
    if side not in PARTIES or side == offer.side:
        deny(_("Only the other side can answer this offer."))
    return side


def can_withdraw_offer(user: Any, offer: Offer) -> bool:
    return side_of(user, offer.room) == offer.side


def check_withdraw_offer(user: Any, offer: Offer) -> str:
    side = check_participant(user, offer.room)
    if side != offer.side:
        deny(_("Only the side that made the offer can withdraw it."))
    return side


def can_resolve(user: Any) -> bool:
    """Platform reviewers and operators resolve disputes (of rooms they may read: a dispute is open)."""
    return is_staff_reviewer(user)


def check_resolve(user: Any) -> None:
    if not can_resolve(user):
        deny(_("Only platform reviewers resolve disputes."))
