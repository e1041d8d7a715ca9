"""What a user can follow."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class FollowKind(models.TextChoices):
    ACHIEVEMENT = "achievement", pgettext_lazy("followed record", "Achievement")
    DEMAND = "demand", pgettext_lazy("followed record", "Technology demand")
    INSTITUTION = "institution", pgettext_lazy("followed record", "Service institution")
    EVENT = "event", pgettext_lazy("followed record", "Event")


__all__ = ["FollowKind", "Frequency", "SearchKind", "_"]


class Frequency(models.TextChoices):
    DAILY = "daily", pgettext_lazy("digest frequency", "Daily")
    WEEKLY = "weekly", pgettext_lazy("digest frequency", "Weekly")
    OFF = "off", pgettext_lazy("digest frequency", "Off")


class SearchKind(models.TextChoices):
    ACHIEVEMENT = "achievement", pgettext_lazy("saved search", "Achievements")
    DEMAND = "demand", pgettext_lazy("saved search", "Technology demands")
