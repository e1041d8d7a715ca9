"""Models of follows: a user's favourites among listings, institutions and events.

A follow names its record by kind and id (``targets`` knows each kind's model, who may see it and its
page); a user follows a record once (a database constraint), and what they follow is shown only while
they may still see it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import FollowKind

MAX_FOLLOWS = 2000


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
