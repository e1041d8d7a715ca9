"""Domain-free models: the audit log, in-platform notifications and the full-text index rows."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One important change to one record: who did what, when, from which state to which.

    Entries are only ever added; nothing in the platform updates or deletes them.
    """

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("action"), max_length=64)
    from_state = models.CharField(_("from"), max_length=32, blank=True)
    to_state = models.CharField(_("to"), max_length=32, blank=True)
    message = models.TextField(_("message"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.content_type_id}:{self.object_id}"


class Notification(models.Model):
    """A message to one user inside the platform (and by e-mail when configured)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    kind = models.CharField(max_length=64)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=300, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Makes a notification idempotent: the same key is never sent twice to the same user.
    dedupe_key = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="notification_once_per_key",
            )
        ]

    def __str__(self) -> str:
        return self.title


class FullTextEntry(models.Model):
    """The jieba tokens of one searchable record.

    On SQLite an FTS5 table mirrors this one through triggers; on PostgreSQL a GIN index over
    ``to_tsvector('simple', tokens)`` serves the search. See ``techbridge.core.fulltext``.
    """

    kind = models.CharField(max_length=32)
    object_id = models.BigIntegerField()
    tokens = models.TextField()

    class Meta:
        verbose_name = _("full-text entry")
        verbose_name_plural = _("full-text entries")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="fulltext_one_per_object")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"


# The generated documents (PDFs made once, in the background) live in their own module, which needs the
# state machine of ``core.workflow`` — itself built on ``AuditEntry`` above.
from .generated import GeneratedDocument  # noqa: E402, F401
