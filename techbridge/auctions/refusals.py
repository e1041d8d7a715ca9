"""Bid attempts for disputes: who sent what, when, with which nonce, and why it was refused.

Operators and reviewers see every attempt on a lot (the console's attempts table and the API); a
bidder sees only their own. Bidders are named by paddle number; the console adds the organisation.
The reason codes are those of ``services.BidRefused``; :data:`REASONS` gives each its label.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import BidAttempt, Lot, Registration
from .permissions import can_use_console

#: Reason codes of kept attempts and their labels (the filter's choices).
REASONS: dict[str, Any] = {
    "too_low": _("Below the minimum bid"),
    "leading": _("Already the highest bidder"),
    "closed": pgettext_lazy("bid refusal", "Lot closed"),
    "not_started": _("Bidding not open yet"),
    "not_registered": _("Not registered for the session"),
    "not_qualified": _("Registration not qualified"),
    "deposit_unpaid": _("Deposit not confirmed"),
    "own_lot": _("Own organisation's lot"),
    "already_bid": _("Sealed bid already submitted"),
    "replayed": _("Bid form already used"),
    "busy": _("Lost a simultaneous race"),
    "format": _("Not available in this format"),
}

MAX_BIDDER_NUMBER = 99999


def reason_label(code: str) -> Any:
    if not code:
        return ""
    return REASONS.get(code, code)


def attempts_on(lot: Lot, user: Any, *, reason: str = "", bidder: int | None = None) -> QuerySet[BidAttempt]:
    """Attempts on ``lot`` that ``user`` may see (all for staff, else their own), newest first, each with
    ``bidder_number`` (the paddle number in the lot's session; ``None`` when not registered) and
    ``organization_name``."""
    qs = BidAttempt.objects.filter(lot=lot)
    if not can_use_console(user):
        qs = qs.filter(user_id=getattr(user, "pk", None) or 0)
    number = Registration.objects.filter(session_id=lot.session_id, user_id=OuterRef("user_id")).values(
        "number"
    )[:1]
    qs = qs.annotate(bidder_number=Subquery(number), organization_name=F("user__organization__name"))
    if reason:
        qs = qs.filter(reason=reason)
    if bidder is not None:
        qs = qs.filter(bidder_number=bidder)
    return qs.select_related("bid").order_by("-created_at", "-id")
