"""Choices of the valuation app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting a panel")
    PANEL = "panel", _("With the expert panel")
    ISSUED = "issued", _("Issued")
    CANCELLED = "cancelled", _("Cancelled")


REQUEST_TRANSITIONS: dict[str, set[str]] = {
    RequestStatus.SUBMITTED: {RequestStatus.PANEL, RequestStatus.CANCELLED},
    RequestStatus.PANEL: {RequestStatus.ISSUED, RequestStatus.CANCELLED},
    RequestStatus.ISSUED: set(),
    RequestStatus.CANCELLED: set(),
}


class RequesterKind(models.TextChoices):
    OWNER = "owner", _("Rights holder (owner)")
    BUYER = "buyer", _("Buyer in a negotiation room")
    OPERATOR = "operator", _("Platform operator")


class Purpose(models.TextChoices):
    TRANSFER = "transfer", _("Pricing an assignment or licence")
    AUCTION = "auction", _("Setting an auction reserve")
    EQUITY = "equity", _("Contribution as equity (作价投资)")
    FINANCING = "financing", _("Pledge financing")
    MANAGEMENT = "management", _("Asset management and screening")


class LegalStatus(models.TextChoices):
    GRANTED = "granted", _("Granted and in force")
    PENDING = "pending", _("Application pending")
    LAPSED = "lapsed", _("Lapsed or invalidated")


class IncomeMethod(models.TextChoices):
    PROFIT_SHARE = "profit_share", _("Profit share (分成率法)")
    ROYALTY = "royalty", _("Relief from royalty")


class Conclusion(models.TextChoices):
    """What the appraiser's conclusion rests on (资产评估执业准则: the appraiser chooses and says why)."""

    INCOME = "income", _("Income approach")
    MARKET = "market", _("Market approach")
    COST = "cost", _("Cost approach")
    WEIGHTED = "weighted", _("Weighted suggestion of the approaches")


GRADES = ["A", "B", "C", "D"]
