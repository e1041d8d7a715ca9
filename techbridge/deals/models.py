"""Negotiation rooms (洽谈室): messages, the NDA step, offers and counter-offers, brokers and disputes.

Only participants read a room: members of the seller (listing owner for an achievement) and buyer
organisations, and invited brokers. A platform reviewer reads a room only while a participant's
dispute is open.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techbridge.contracts.choices import DURATION_LIMIT, INSTALMENTS_LIMIT, Exclusivity, PaymentTerms
from techbridge.core.workflow import StateMachineMixin
from techbridge.lib import limits

from .choices import (
    DISPUTE_TRANSITIONS,
    OFFER_TRANSITIONS,
    ROOM_TRANSITIONS,
    DisputeStatus,
    OfferStatus,
    RoomOrigin,
    RoomStatus,
)

# Texts of system events in a room's timeline (``Message.event``).
EVENT_TEXTS: dict[str, Any] = {
    "opened": _("Negotiation opened."),
    "nda": _("%(org)s accepted the NDA."),
    "offer": _("%(org)s offered %(price)s yuan."),
    "accepted": _("Offer accepted; a draft contract was created."),
    "declined": _("Offer declined."),
    "broker": _("%(name)s was invited as broker."),
    "dispute": _("A dispute was raised; a platform reviewer can now read this room."),
    "resolved": _("Dispute resolved: %(text)s"),
    "closed": _("Negotiation closed."),
    "reopened": _("Negotiation reopened."),
}

MONEY: dict[str, Any] = {"max_digits": 16, "decimal_places": 2}


class Room(StateMachineMixin):
    """A negotiation between a seller (technology side) and a buyer about one subject.

    The subject is an achievement, a demand or an achievement package (``subject_key`` names it, e.g.
    ``"achievement:12"``); at most one open room exists per subject and pair of organisations. For an
    achievement or package the owner is the seller; for a demand the enterprise is the buyer.
    """

    TRANSITIONS = ROOM_TRANSITIONS

    subject_key = models.CharField(max_length=40, db_index=True)
    achievement = models.ForeignKey(
        "achievements.Achievement", null=True, blank=True, on_delete=models.PROTECT, related_name="rooms"
    )
    demand = models.ForeignKey(
        "demands.Demand", null=True, blank=True, on_delete=models.PROTECT, related_name="rooms"
    )
    # Automatic package proposals may be regrouped by mining; the room (and its history) stays.
    package = models.ForeignKey(
        "mining.AchievementPackage", null=True, blank=True, on_delete=models.SET_NULL, related_name="rooms"
    )
    title = models.CharField(_("title"), max_length=200)
    seller = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("seller"),
        on_delete=models.PROTECT,
        related_name="rooms_as_seller",
    )
    buyer = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("buyer"),
        on_delete=models.PROTECT,
        related_name="rooms_as_buyer",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=RoomStatus.choices, default=RoomStatus.OPEN, db_index=True
    )
    origin = models.CharField(
        _("origin"), max_length=12, choices=RoomOrigin.choices, default=RoomOrigin.LISTING
    )
    origin_ref = models.CharField(_("origin reference"), max_length=100, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("opened"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("last activity"), default=timezone.now, db_index=True)
    seller_nda_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    seller_nda_at = models.DateTimeField(_("seller accepted the NDA"), null=True, blank=True)
    buyer_nda_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    buyer_nda_at = models.DateTimeField(_("buyer accepted the NDA"), null=True, blank=True)

    class Meta:
        verbose_name = _("negotiation room")
        verbose_name_plural = _("negotiation rooms")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_key", "seller", "buyer"],
                condition=models.Q(status="open"),
                name="room_one_open_per_subject_and_pair",
            ),
            models.CheckConstraint(condition=~models.Q(seller=models.F("buyer")), name="room_two_sides"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def nda_complete(self) -> bool:
        return bool(self.seller_nda_at and self.buyer_nda_at)

    @property
    def subject(self):
        return self.achievement or self.demand or self.package


def message_path(instance: Message, filename: str) -> str:
    return f"deals/{instance.room_id}/{timezone.now():%Y%m%d%H%M%S}-{filename}"


class Message(models.Model):
    """A message in a room, optionally with one attachment (served only to participants)."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("message"), blank=True, max_length=limits.MESSAGE)
    attachment = models.FileField(_("attachment"), upload_to=message_path, max_length=300, blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)
    is_system = models.BooleanField(default=False)
    # System events (offer made, NDA accepted …) keep a code and parameters, translated when shown.
    event = models.CharField(max_length=16, blank=True)
    params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def text(self) -> str:
        """What the timeline shows: the body, or a system event in the reader's language."""
        if not self.event:
            return self.body
        template = EVENT_TEXTS.get(self.event)
        if template is None:
            return self.body
        text = str(template) % dict(self.params)
        extra = self.params.get("reason", "") if self.event in ("declined", "closed", "reopened") else ""
        return f"{text} {extra}".strip()


class Offer(StateMachineMixin):
    """A structured offer or counter-offer; answering it accepts, declines, or supersedes it."""

    TRANSITIONS = OFFER_TRANSITIONS

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="offers")
    side = models.CharField(_("side"), max_length=8)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    deal_mode = models.CharField(_("deal mode"), max_length=32)
    price = models.DecimalField(_("price (yuan)"), **MONEY)
    payment_terms = models.CharField(_("payment terms"), max_length=24, choices=PaymentTerms.choices)
    entry_fee = models.DecimalField(_("entry fee (yuan)"), null=True, blank=True, **MONEY)
    royalty_rate = models.DecimalField(
        _("royalty rate (%)"), max_digits=6, decimal_places=3, null=True, blank=True
    )
    instalments = models.PositiveSmallIntegerField(
        _("number of instalments"), null=True, blank=True, validators=[INSTALMENTS_LIMIT]
    )
    equity_share = models.DecimalField(
        _("equity share (%)"), max_digits=6, decimal_places=3, null=True, blank=True
    )
    duration_months = models.PositiveIntegerField(
        _("duration (months)"), null=True, blank=True, validators=[DURATION_LIMIT]
    )
    territory = models.CharField(_("territory"), max_length=100, blank=True)
    exclusivity = models.CharField(
        _("exclusivity"), max_length=16, choices=Exclusivity.choices, blank=True, default=""
    )
    note = models.TextField(_("note"), blank=True, max_length=limits.REASON)
    status = models.CharField(
        _("status"), max_length=12, choices=OfferStatus.choices, default=OfferStatus.OPEN, db_index=True
    )
    replaces = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    contract = models.ForeignKey(
        "contracts.Contract", null=True, blank=True, on_delete=models.SET_NULL, related_name="offers"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(price__gte=0), name="offer_price_not_negative"),
            # Only one offer is on the table at a time: a new one supersedes the last.
            models.UniqueConstraint(
                fields=["room"], condition=models.Q(status="open"), name="offer_one_open_per_room"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.room_id} {self.price}"


class BrokerInvitation(models.Model):
    """A technology manager (broker) invited into a room by a participant; they then participate."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="broker_invitations")
    broker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="room_invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("broker invitation")
        verbose_name_plural = _("broker invitations")
        constraints = [models.UniqueConstraint(fields=["room", "broker"], name="room_broker_once")]

    def __str__(self) -> str:
        return f"{self.room_id} {self.broker_id}"


class Dispute(StateMachineMixin):
    """A participant's call for a platform reviewer; while open, reviewers may read the room."""

    TRANSITIONS = DISPUTE_TRANSITIONS

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="disputes")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("what is disputed"), max_length=limits.MESSAGE)
    status = models.CharField(
        _("status"), max_length=12, choices=DisputeStatus.choices, default=DisputeStatus.OPEN
    )
    resolution = models.TextField(_("resolution"), blank=True, max_length=limits.MESSAGE)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["room"], condition=models.Q(status="open"), name="dispute_one_open_per_room"
            )
        ]

    def __str__(self) -> str:
        return self.reason[:40]
