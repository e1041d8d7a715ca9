"""Choices and state machines of auctions."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SessionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


SESSION_TRANSITIONS: dict[str, set[str]] = {
    SessionStatus.DRAFT: {SessionStatus.PUBLISHED, SessionStatus.CANCELLED},
    SessionStatus.PUBLISHED: {SessionStatus.CLOSED, SessionStatus.CANCELLED},
    SessionStatus.CLOSED: set(),
    SessionStatus.CANCELLED: set(),
}


class LicenceType(models.TextChoices):
    """Licence scope; the values are ``taxonomy.DealMode`` codes so contracts classify them."""

    EXCLUSIVE = "license-exclusive", _("Exclusive licence (独占)")
    SOLE = "license-sole", _("Sole licence (排他)")
    ORDINARY = "license-ordinary", _("Ordinary licence (普通)")


class LotFormat(models.TextChoices):
    ENGLISH = "english", _("English ascending")
    DUTCH = "dutch", _("Dutch descending")
    SEALED_FIRST = "sealed_first", _("Sealed bid, first price")
    SEALED_SECOND = "sealed_second", _("Sealed bid, second price")


SEALED_FORMATS = frozenset({LotFormat.SEALED_FIRST, LotFormat.SEALED_SECOND})


class SaleKind(models.TextChoices):
    ASSIGNMENT = "assignment", _("Assignment (转让)")
    LICENCE = "licence", _("Licence (许可)")


class LotStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCREENING = "screening", _("Awaiting legal screening")
    REJECTED = "rejected", _("Rejected in screening")
    LISTED = "listed", _("Listed")
    SOLD = "sold", _("Sold")
    UNSOLD = "unsold", _("Not sold")
    WITHDRAWN = "withdrawn", _("Withdrawn")


CLOSED_LOT_STATUSES = frozenset({LotStatus.SOLD, LotStatus.UNSOLD, LotStatus.WITHDRAWN})

LOT_TRANSITIONS: dict[str, set[str]] = {
    LotStatus.DRAFT: {LotStatus.SCREENING, LotStatus.WITHDRAWN},
    LotStatus.SCREENING: {LotStatus.LISTED, LotStatus.REJECTED, LotStatus.WITHDRAWN},
    LotStatus.REJECTED: {LotStatus.DRAFT, LotStatus.WITHDRAWN},
    LotStatus.LISTED: {LotStatus.SOLD, LotStatus.UNSOLD, LotStatus.WITHDRAWN},
    LotStatus.SOLD: set(),
    LotStatus.UNSOLD: set(),
    LotStatus.WITHDRAWN: set(),
}


class CloseOutcome(models.TextChoices):
    SOLD = "sold", _("Sold to the highest bidder")
    RESERVE_NOT_MET = "reserve_not_met", _("Reserve not met: post-auction negotiation offered")
    NO_BIDS = "no_bids", _("No bids")


class RegistrationStatus(models.TextChoices):
    QUALIFIED = "qualified", _("Qualified")
    REJECTED = "rejected", _("Not qualified")


class DepositStatus(models.TextChoices):
    REQUIRED = "required", _("Deposit required")
    PAID = "paid", _("Deposit paid")
    REFUNDED = "refunded", _("Deposit refunded")
    FORFEITED = "forfeited", _("Deposit forfeited")
    NOT_REQUIRED = "not_required", _("No deposit required")


DEPOSIT_TRANSITIONS: dict[str, set[str]] = {
    DepositStatus.REQUIRED: {DepositStatus.PAID},
    DepositStatus.PAID: {DepositStatus.REFUNDED, DepositStatus.FORFEITED},
    DepositStatus.REFUNDED: set(),
    DepositStatus.FORFEITED: set(),
    DepositStatus.NOT_REQUIRED: set(),
}

# Who may bid: a qualified registration whose deposit is settled this way.
BIDDABLE_DEPOSIT = frozenset({DepositStatus.PAID, DepositStatus.NOT_REQUIRED})


class BidKind(models.TextChoices):
    MANUAL = "manual", _("Bid")
    PROXY = "proxy", _("Proxy bid")
    SEALED = "sealed", _("Sealed bid")
    DUTCH = "dutch", _("Accepted clock price")


# ---- deposits paid by bank transfer (deposits.py) ----------------------------------------------------


class LineStatus(models.TextChoices):
    """A bank-statement line: matched to a deposit automatically, or waiting for an operator."""

    MATCHED = "matched", _("Matched automatically")
    UNMATCHED = "unmatched", pgettext_lazy("statement line", "Unmatched")
    ASSIGNED = "assigned", _("Assigned by an operator")
    DISMISSED = "dismissed", pgettext_lazy("statement line", "Dismissed")


LINE_TRANSITIONS: dict[str, set[str]] = {
    LineStatus.MATCHED: set(),
    LineStatus.UNMATCHED: {LineStatus.ASSIGNED, LineStatus.DISMISSED},
    LineStatus.ASSIGNED: set(),
    LineStatus.DISMISSED: set(),
}


class UnmatchedReason(models.TextChoices):
    """Why a statement line did not confirm a deposit by itself."""

    NONE = "", pgettext_lazy("statement line", "Matched")
    NO_REFERENCE = "no_reference", _("No payment reference in the remark")
    BAD_CHECK = "bad_check", _("Payment reference mistyped (check character does not match)")
    UNKNOWN_REFERENCE = "unknown_reference", _("No registration has this payment reference")
    PARTIAL = "partial", _("Less than the deposit due")
    EXCESS = "excess", _("More than the deposit due")
    ALREADY_PAID = "already_paid", _("Deposit already paid or settled")
    NOT_DUE = "not_due", _("No deposit is due for this registration")
    OUTGOING = "outgoing", _("Outgoing payment or refund, not a deposit")
