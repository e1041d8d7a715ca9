"""Choices of deals."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RoomStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("room status", "Open")
    AGREED = "agreed", _("Agreed")
    CLOSED = "closed", _("Closed")


ROOM_TRANSITIONS: dict[str, set[str]] = {
    RoomStatus.OPEN: {RoomStatus.AGREED, RoomStatus.CLOSED},
    # A contract that falls through reopens negotiation.
    RoomStatus.AGREED: {RoomStatus.OPEN, RoomStatus.CLOSED},
    RoomStatus.CLOSED: {RoomStatus.OPEN},
}


class RoomOrigin(models.TextChoices):
    LISTING = "listing", _("From a listing")
    MATCH = "match", _("From a match result")
    AUCTION = "auction", _("After an auction")
    BROKER = "broker", _("Arranged by a broker")


class OfferStatus(models.TextChoices):
    OPEN = "open", _("Awaiting answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    SUPERSEDED = "superseded", _("Superseded")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OFFER_TRANSITIONS: dict[str, set[str]] = {
    OfferStatus.OPEN: {
        OfferStatus.ACCEPTED,
        OfferStatus.DECLINED,
        OfferStatus.SUPERSEDED,
        OfferStatus.WITHDRAWN,
    },
    OfferStatus.ACCEPTED: set(),
    OfferStatus.DECLINED: set(),
    OfferStatus.SUPERSEDED: set(),
    OfferStatus.WITHDRAWN: set(),
}


class DisputeStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("dispute status", "Open")
    RESOLVED = "resolved", _("Resolved")


DISPUTE_TRANSITIONS: dict[str, set[str]] = {
    DisputeStatus.OPEN: {DisputeStatus.RESOLVED},
    DisputeStatus.RESOLVED: set(),
}
