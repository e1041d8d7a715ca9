"""Domain-free models: the audit log, in-platform notifications and the full-text index rows."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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


class NotificationPreference(models.Model):
    """One user's choices of how they hear of things: per kind group and channel on or off
    (``choices`` holds only what differs from ``core.channels.DEFAULTS``), quiet hours in Asia/Shanghai
    local time, and an optional WeChat account. A user without a row has the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    choices = models.JSONField(_("channel choices"), default=dict, blank=True)
    quiet_start = models.TimeField(_("quiet hours from"), null=True, blank=True)
    quiet_end = models.TimeField(_("quiet hours until"), null=True, blank=True)
    wechat_openid = models.CharField(_("WeChat account"), max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user_id)


class Delivery(models.Model):
    """One notification on one outside channel (e-mail, SMS, WeChat): where it went (phone numbers
    masked), whether it went, how often it was tried and why it failed. ``state`` is the work queue of
    the delivery machinery (like the matching index queue), not a business state: ``pending`` rows are
    sent once ``not_before`` has passed (quiet hours, back-off after a failure)."""

    PENDING, SENT, FAILED, SKIPPED = "pending", "sent", "failed", "skipped"
    STATES = [
        (PENDING, pgettext_lazy("delivery state", "Waiting")),
        (SENT, pgettext_lazy("delivery state", "Sent")),
        (FAILED, pgettext_lazy("delivery state", "Failed for good")),
        (SKIPPED, pgettext_lazy("delivery state", "Not sent")),
    ]

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=16)
    address = models.CharField(_("delivery address"), max_length=200, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=STATES, default=PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.CharField(_("error"), max_length=500, blank=True)
    not_before = models.DateTimeField(_("not before"), db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once_per_channel")
        ]
        indexes = [models.Index(fields=["state", "not_before"], name="delivery_due_idx")]

    def __str__(self) -> str:
        return f"{self.channel} {self.state}"

    @property
    def channel_label(self) -> str:
        from .channels import CHANNELS

        return str(dict(CHANNELS).get(self.channel, self.channel))


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
