"""Who may see and do what in valuation: pages, the API, services and templates ask these.

- **Requesting** a valuation: the owner organisation of the achievement, a party of a negotiation room
  about it (from the room), or a platform operator for a published achievement.
- **A request** is seen by its requester, the requesting and the owning organisations, the experts on
  its panel and platform staff; to anyone else it does not exist (404). Its requester and the owner
  change the assumptions until the panel is drawn; operators until it is issued. The requester or an
  operator cancels it.
- **Operators** run the valuation desk: the console queue, the expert pool, panels, issue, weights.
- **An expert** scores only on their own panel seat.
- **Issued figures and reports** follow the achievement's NDA rule (``achievements.permissions``).
- **The scorecard** of an achievement: anyone who sees the achievement reads it; its owner or an
  operator enters the inputs.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from techbridge.achievements.models import Achievement
from techbridge.achievements.permissions import achievement_for, can_see_detail
from techbridge.core.listing_permissions import is_owner_member
from techbridge.core.permissions import deny, hide, signed_in
from techbridge.core.roles import is_operator
from techbridge.core.workflow import ReviewStatus

from .choices import RequesterKind, RequestStatus
from .models import PanelMember, Valuation, ValuationRequest

DESK = gettext_lazy("Only platform operators can open this page.")


# ---- the valuation desk (operators) ---------------------------------------------------------------


def can_run_desk(user: Any) -> bool:
    """Operators: the queue, the expert pool, panels, issuing, the scorecard weights."""
    return is_operator(user)


def check_run_desk(user: Any, message: Any = None) -> None:
    if not can_run_desk(user):
        deny(message or DESK)


# ---- requests ------------------------------------------------------------------------------------


def requester_role(user: Any, achievement: Any, room: Any | None) -> tuple[str, Any, Any]:
    """(kind, requester organisation, counterparty organisation) of a would-be requester.

    Raises ``PermissionDenied`` with a message for anyone who may not request.
    """
    if not signed_in(user):
        deny(_("Sign in to request a valuation."))
    if room is not None:
        if room.achievement_id != achievement.pk:
            raise ValidationError(_("That negotiation room is not about this achievement."))
        if user.organization_id == room.buyer_id:
            return RequesterKind.BUYER, user.organization, room.seller
        if user.organization_id == room.seller_id:
            return RequesterKind.OWNER, user.organization, room.buyer
        deny(_("Only the parties of this negotiation can request a valuation from it."))
    if is_owner_member(user, achievement):
        return RequesterKind.OWNER, user.organization, None
    if is_operator(user):
        return RequesterKind.OPERATOR, user.organization, None
    deny(_("Only the owner, a buyer in a negotiation room or an operator can request a valuation."))


def can_request(user: Any, achievement: Achievement) -> bool:
    """Whether the achievement page offers the "request a valuation" button (owners and operators;
    buyers request from their negotiation room)."""
    if not signed_in(user) or achievement.status == ReviewStatus.WITHDRAWN:
        return False
    if is_owner_member(user, achievement):
        return True
    return is_operator(user) and achievement.status == ReviewStatus.PUBLISHED


def request_for(user: Any, pk: Any) -> ValuationRequest:
    """The request ``pk`` if ``user`` may see it, else ``Http404``."""
    from .queries import visible_requests  # the reads build on the rules of this module

    req = visible_requests(user).filter(pk=pk).first()
    if req is None:
        hide()
    return req


def can_edit_assumptions(user: Any, req: ValuationRequest) -> bool:
    """The requester and the owner organisation until the panel is drawn (experts then score a stable
    basis); operators until the valuation is issued."""
    if not signed_in(user) or not req.is_open:
        return False
    if is_operator(user):
        return True
    if req.status != RequestStatus.SUBMITTED:
        return False
    return req.requested_by_id == user.pk or is_owner_member(user, req.achievement)


def check_edit_assumptions(user: Any, req: ValuationRequest) -> None:
    if not can_edit_assumptions(user, req):
        deny(_("You cannot change the assumptions of this valuation."))


def may_cancel(user: Any, req: ValuationRequest) -> bool:
    """Who may withdraw a request, whatever its state: its requester or an operator."""
    return req.requested_by_id == getattr(user, "pk", None) or is_operator(user)


def can_cancel(user: Any, req: ValuationRequest) -> bool:
    return req.is_open and may_cancel(user, req)


def check_cancel(user: Any, req: ValuationRequest) -> None:
    if not may_cancel(user, req):
        deny(_("Only the requester or an operator can cancel this request."))


# ---- experts ---------------------------------------------------------------------------------------


def seat_for(user: Any, request_pk: Any) -> PanelMember:
    """The signed-in expert's own seat on the panel of request ``request_pk``, else ``Http404``."""
    member = (
        PanelMember.objects.select_related("request__achievement__owner", "expert__user")
        .filter(request_id=request_pk, expert__user_id=getattr(user, "pk", None) or 0)
        .first()
    )
    if member is None:
        hide()
    return member


def check_score(user: Any, member: PanelMember) -> None:
    if member.expert.user_id != getattr(user, "pk", None):
        deny(_("Only the assigned expert can score."))


# ---- issued valuations -----------------------------------------------------------------------------


def can_see_report(user: Any, valuation: Valuation) -> bool:
    """Issued figures and reports follow the listing's NDA rule (owner, reviewers, NDA acceptors)."""
    return can_see_detail(user, valuation.achievement)


def valuation_for(user: Any, pk: Any) -> Valuation:
    """An issued valuation: 404 unless its achievement is visible, 403 (with the way in) unless the
    user may see the achievement's confidential part."""
    valuation = Valuation.objects.select_related("achievement__owner", "request").filter(pk=pk).first()
    if valuation is None:
        hide()
    achievement_for(user, valuation.achievement_id)
    if not can_see_report(user, valuation):
        deny(
            _(
                "Valuations follow the achievement's non-disclosure terms: "
                "accept them on the achievement page first."
            )
        )
    return valuation


# ---- scorecards ------------------------------------------------------------------------------------


def can_manage_scorecard(user: Any, achievement: Achievement) -> bool:
    return bool(is_owner_member(user, achievement) or is_operator(user))


def check_manage_scorecard(user: Any, achievement: Achievement) -> None:
    if not can_manage_scorecard(user, achievement):
        deny(_("Only the owner of this achievement or an operator can edit its scorecard."))
