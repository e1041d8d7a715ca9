"""One record per import run: what was read, from where, by whom, and what came of it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techbridge.core.workflow import Source


class ImportBatch(models.Model):
    """One run of an importer over one file (or one demo source).

    The counts are final once ``finished_at`` is set; a run that stopped on an unreadable file is
    ``failed`` and keeps the counts of the rows committed before it stopped. ``refused_rows`` holds the
    first refused rows (line and reason) so an operator can fix the file without re-running.
    """

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")
        FAILED = "failed", _("Failed")

    MAX_REFUSED_KEPT = 1000

    kind = models.CharField(_("kind of record"), max_length=32)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    file_name = models.CharField(_("file name"), max_length=300)
    publish = models.BooleanField(_("publish imported rows"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    refused_count = models.PositiveIntegerField(_("refused"), default=0)
    refused_rows = models.JSONField(_("refused rows"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} · {self.file_name} · {self.started_at:%Y-%m-%d %H:%M}"
