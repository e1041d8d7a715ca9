"""Choices of events: kinds, statuses, registration statuses and the allowed moves."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EventKind(models.TextChoices):
    """The offline activities of the plan's task 4: 展览发布, 交易洽谈, 拍卖路演, 咨询培训."""

    EXHIBITION = "exhibition", _("Exhibition and release")
    MATCHMAKING = "matchmaking", _("Matchmaking")
    ROADSHOW = "roadshow", _("Roadshow")
    TRAINING = "training", pgettext_lazy("event kind", "Training")
    CONSULTING = "consulting", pgettext_lazy("event kind", "Consulting")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")
    CLOSED = "closed", _("Concluded")


EVENT_TRANSITIONS: dict[str, set[str]] = {
    EventStatus.DRAFT: {EventStatus.PUBLISHED, EventStatus.CANCELLED},
    EventStatus.PUBLISHED: {EventStatus.CANCELLED, EventStatus.CLOSED},
    EventStatus.CANCELLED: set(),
    EventStatus.CLOSED: set(),
}
# What the portal shows: a cancelled event stays visible (with its notice) for those who registered.
PUBLIC_STATUSES = (EventStatus.PUBLISHED, EventStatus.CLOSED, EventStatus.CANCELLED)
HELD_STATUSES = (EventStatus.PUBLISHED, EventStatus.CLOSED)


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Seat confirmed")
    WAITLISTED = "waitlisted", _("On the waitlist")
    CANCELLED = "cancelled", _("Cancelled")


REGISTRATION_TRANSITIONS: dict[str, set[str]] = {
    RegistrationStatus.CONFIRMED: {RegistrationStatus.CANCELLED},
    RegistrationStatus.WAITLISTED: {RegistrationStatus.CONFIRMED, RegistrationStatus.CANCELLED},
    RegistrationStatus.CANCELLED: {RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED},
}


class CheckInOutcome(models.TextChoices):
    """What the door sees after scanning or typing a ticket code."""

    CHECKED_IN = "checked_in", _("Checked in")
    DUPLICATE = "duplicate", _("Already checked in")
    WRONG_EVENT = "wrong_event", _("Ticket for another event")
    UNKNOWN = "unknown", _("Unknown ticket")
    NOT_CONFIRMED = "not_confirmed", _("No confirmed seat")
    CLOSED = "closed", _("Check-in is not open")
