"""Models of follows and saved searches: a user's favourites among listings, institutions and events,
and the searches they saved for a digest of new listings.

A follow names its record by kind and id (``targets`` knows each kind's model, who may see it and its
page); a user follows a record once (a database constraint), and what they follow is shown only while
they may still see it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import FollowKind, Frequency, SearchKind

MAX_FOLLOWS = 2000
MAX_SAVED_SEARCHES = 30


class Follow(models.Model):
    """A user's favourite: an achievement, a technology demand, a service institution or an event."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="follows"
    )
    kind = models.CharField(_("kind of record"), max_length=16, choices=FollowKind.choices)
    object_id = models.PositiveIntegerField(_("record number"))
    created_at = models.DateTimeField(_("followed"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "object_id"], name="follow_once"),
        ]
        indexes = [models.Index(fields=["kind", "object_id"], name="follow_target_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.object_id}"


class SavedSearch(models.Model):
    """A search of the achievement or demand list saved under a name: its filters as the list page's
    query string, normalised by the page's own filter form (``digests.normalise``), and how often its
    new listings are sent as a digest. ``last_digest_at`` is where the next digest starts."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="saved_searches",
    )
    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("searched"), max_length=16, choices=SearchKind.choices)
    query = models.CharField(_("filters"), max_length=1000, blank=True)
    frequency = models.CharField(
        _("digest"), max_length=8, choices=Frequency.choices, default=Frequency.DAILY
    )
    created_at = models.DateTimeField(_("saved"), default=timezone.now, editable=False)
    last_digest_at = models.DateTimeField(_("last digest"), null=True, blank=True)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="saved_search_name_once"),
        ]

    def __str__(self) -> str:
        return self.name


class DigestMention(models.Model):
    """A record of another app (a digest source: ``core.registry.digest_sources``) that a digest named
    to a user, kept so that the same record is never named to them twice, whichever of their saved
    searches finds it again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="digest_mentions",
    )
    source = models.CharField(_("digest source"), max_length=32)
    object_id = models.PositiveIntegerField(_("record number"))
    sent_at = models.DateTimeField(_("named in a digest"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("record named in a digest")
        verbose_name_plural = _("records named in digests")
        constraints = [
            models.UniqueConstraint(fields=["user", "source", "object_id"], name="digest_mention_once"),
        ]

    def __str__(self) -> str:
        return f"{self.source} #{self.object_id}"
