"""Models of events: the event, its sessions and its registrations (tickets).

Seats are contested: ``Event.registered_count`` (confirmed seats) is only changed by conditional
UPDATEs in ``services``, and the database refuses more confirmed seats than ``capacity``. A ticket is
checked in once: the first conditional UPDATE of ``checked_in_at`` wins, every later scan is reported
as a duplicate.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techbridge.core.workflow import StateMachineMixin
from techbridge.organizations.choices import District

from .choices import EVENT_TRANSITIONS, REGISTRATION_TRANSITIONS, EventKind, EventStatus, RegistrationStatus

MAX_CAPACITY = 100_000
MAX_LINKS = 100


class Event(StateMachineMixin):
    """An event the platform runs or hosts: exhibition/release, matchmaking, roadshow, training, consulting.

    Held at a venue, online (``live_url``), or both. Registration is open while the event is published,
    until ``registration_closes_at`` (default: the start); beyond ``capacity`` people join the waitlist
    when ``waitlist`` is on. Roadshows migrated from auctions keep their old number in
    ``legacy_roadshow_id`` so old addresses lead here.
    """

    TRANSITIONS = EVENT_TRANSITIONS

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind of event"), max_length=16, choices=EventKind.choices, db_index=True)
    summary = models.TextField(_("summary"), max_length=5000, blank=True)
    organizer = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organiser"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events_organized",
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    live_url = models.URLField(_("live link"), max_length=300, blank=True)
    district = models.CharField(_("district"), max_length=16, choices=District.choices, blank=True)
    zone = models.ForeignKey(
        "organizations.Zone",
        verbose_name=_("zone"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    registration_closes_at = models.DateTimeField(
        _("registration closes"),
        null=True,
        blank=True,
        help_text=_("Leave empty to close registration at the start."),
    )
    capacity = models.PositiveIntegerField(
        _("seats"), validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)]
    )
    waitlist = models.BooleanField(_("waitlist when full"), default=True)
    registered_count = models.PositiveIntegerField(_("confirmed seats"), default=0)
    auction_session = models.ForeignKey(
        "auctions.AuctionSession",
        verbose_name=_("auction session"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    achievements = models.ManyToManyField(
        "achievements.Achievement",
        verbose_name=_("achievements presented"),
        blank=True,
        related_name="events",
    )
    demands = models.ManyToManyField(
        "demands.Demand", verbose_name=_("demands presented"), blank=True, related_name="events"
    )
    lots = models.ManyToManyField(
        "auctions.Lot", verbose_name=_("lots presented"), blank=True, related_name="events"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=EventStatus.choices, default=EventStatus.DRAFT, db_index=True
    )
    cancel_reason = models.TextField(_("reason for cancellation"), max_length=2000, blank=True)
    outcome = models.TextField(
        _("after the event"),
        max_length=5000,
        blank=True,
        help_text=_("What happened: attendance, agreements signed on the spot, follow-ups."),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    closed_at = models.DateTimeField(_("concluded"), null=True, blank=True)
    legacy_roadshow_id = models.PositiveIntegerField(
        _("former roadshow number"), null=True, blank=True, unique=True
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(registered_count__lte=F("capacity")), name="event_seats_within_capacity"
            ),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="event_has_a_seat"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The event must end after it starts.")
        if self.registration_closes_at and self.ends_at and self.registration_closes_at > self.ends_at:
            errors["registration_closes_at"] = _("Registration must close before the event ends.")
        if not self.venue and not self.live_url:
            errors["venue"] = _("Give a venue, a live link, or both.")
        if self.capacity is not None and self.capacity < self.registered_count:
            errors["capacity"] = _("Fewer seats than people already confirmed (%(n)s).") % {
                "n": self.registered_count
            }
        if errors:
            raise ValidationError(errors)

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.registered_count, 0)

    @property
    def closes_at(self) -> dt.datetime:
        return self.registration_closes_at or self.starts_at

    @property
    def is_online(self) -> bool:
        return bool(self.live_url)

    @property
    def has_ended(self) -> bool:
        return self.ends_at <= timezone.now()

    def registration_open(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.status == EventStatus.PUBLISHED and now < self.closes_at


class EventSession(models.Model):
    """One item of an event's programme (a talk, a pitch, a workshop), in order of time."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    room = models.CharField(_("room"), max_length=100, blank=True)
    speaker = models.CharField(_("speaker"), max_length=200, blank=True)
    description = models.TextField(_("description"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="event_session_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Registration(StateMachineMixin):
    """A person's registration for an event, and their ticket (``code``).

    ``confirmed`` holds a seat (counted in ``Event.registered_count``); ``waitlisted`` waits for one in
    the order of ``created_at``; ``cancelled`` gave it up (the row stays, so a person registers again
    into the same row). ``checked_in_at`` is set once, at the door.
    """

    TRANSITIONS = REGISTRATION_TRANSITIONS
    INITIAL_STATES = frozenset({RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED})

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="event_registrations",
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    code = models.CharField(_("ticket code"), max_length=16, unique=True)
    status = models.CharField(_("status"), max_length=12, choices=RegistrationStatus.choices, db_index=True)
    note = models.CharField(_("note to the organiser"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("seat confirmed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="event_registration_once_per_person"),
            models.CheckConstraint(
                condition=Q(checked_in_at__isnull=True) | Q(status="confirmed"),
                name="event_checked_in_holds_a_seat",
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "created_at"], name="event_registration_queue")]

    def __str__(self) -> str:
        return f"{self.event_id}:{self.user_id}"

    @property
    def display_code(self) -> str:
        """The code in groups of four, as printed on the ticket."""
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))
