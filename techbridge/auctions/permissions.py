"""Who may see and do what in auctions: pages, the API, services and templates ask these.

- Published and closed sessions and their listed (and closed) lots are public; drafts, lots in
  screening and rejected lots exist only for reviewers and operators.
- **Operators** run auctions: sessions, lots, deposits. **Reviewers** (and operators)
  screen lots and read the auctions console.
- **Bidders** are signed-in members of an approved organisation, never platform staff or officials;
  they register for a session, and bid once qualified with their deposit confirmed, never on a lot
  their own organisation sells.
(Roadshows are events: ``techbridge.events.permissions``.)
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from techbridge.core.permissions import deny, hide, signed_in
from techbridge.core.roles import Role, is_operator, is_staff_reviewer

from .choices import BIDDABLE_DEPOSIT, RegistrationStatus
from .models import AuctionSession, Lot, Registration

RUN = gettext_lazy("Only platform operators run auctions.")
CONSOLE = gettext_lazy("Only platform reviewers and operators can open the auctions console.")


# ---- staff ---------------------------------------------------------------------------------------


def can_run_auctions(user: Any) -> bool:
    """Operators create and publish sessions and lots and settle deposits."""
    return is_operator(user)


def check_run_auctions(user: Any) -> None:
    if not can_run_auctions(user):
        deny(RUN)


def can_use_console(user: Any) -> bool:
    """Reviewers and operators read the auctions console (and see sessions and lots not yet public)."""
    return is_staff_reviewer(user)


def can_screen_lots(user: Any) -> bool:
    return is_staff_reviewer(user)


def check_screen_lots(user: Any) -> None:
    if not can_screen_lots(user):
        deny(_("Only platform reviewers screen lots."))


# ---- look-ups ------------------------------------------------------------------------------------


def session_for(user: Any, pk: Any) -> AuctionSession:
    from .queries import visible_sessions  # the reads apply the predicates above

    return _first(visible_sessions(user), pk)


def lot_for(user: Any, pk: Any) -> Lot:
    from .queries import visible_lots

    return _first(visible_lots(user), pk)


def _first(qs: Any, pk: Any) -> Any:
    obj = qs.filter(pk=pk).first()
    if obj is None:
        hide()
    return obj


# ---- bidders -------------------------------------------------------------------------------------


def bidder_refusal(user: Any) -> str:
    """Why ``user`` may not register as a bidder (and so not bid) at all, or ``""`` when they may."""
    if not signed_in(user):
        return _("Sign in to register as a bidder.")
    if user.role in (Role.REVIEWER, Role.OPERATOR, Role.OFFICIAL) or user.is_superuser:
        return _("Platform staff and officials may not bid.")
    org = user.organization
    if org is None or not org.is_approved:
        return _("Only members of an approved organisation can register as bidders.")
    return ""


def can_bid(user: Any) -> bool:
    """Whether ``user`` may register as a bidder and bid (once registered and qualified)."""
    return not bidder_refusal(user)


def check_bidder(user: Any) -> None:
    if reason := bidder_refusal(user):
        deny(reason)


def registration_refusal(registration: Registration) -> tuple[str, str] | None:
    """Why a registration does not allow bidding (a code and a message), or ``None`` when it does."""
    if registration.status != RegistrationStatus.QUALIFIED:
        return "not_qualified", _("Your registration was not qualified for this session.")
    if registration.deposit_status not in BIDDABLE_DEPOSIT:
        return "deposit_unpaid", _("Your deposit has not been confirmed yet, so you cannot bid.")
    return None


def registration_may_bid(registration: Registration | None) -> bool:
    return registration is not None and registration_refusal(registration) is None


# ---- deposits paid by bank transfer (deposits.py) ----------------------------------------------------


def registration_page_for(user: Any, pk: Any) -> Registration:
    """A registration its bidder (or an operator) may open: bank details, payment reference, refund
    account. Anyone else: 404 (not confirming it exists)."""
    qs = Registration.objects.select_related("session", "organization")
    if not can_run_auctions(user):
        qs = qs.filter(user_id=getattr(user, "pk", None) or 0)
    return _first(qs, pk)


def check_bidder_owns(user: Any, registration: Registration) -> None:
    """Only the bidder changes their own registration's refund account."""
    if registration.user_id != getattr(user, "pk", None):
        deny(_("Only the bidder who registered can change the refund account."))
