"""A document made once in the background and served from storage (issue 22, point 6).

One row per (owner record, kind, source hash): the catalogue's, contract's or report's PDF for one version
of its content. A changed source gives a new hash, hence a new row and a new file; the old ones stay as
they were issued. The status moves queued → running → ready (or failed → queued on a retry) through
``core.workflow.transition``, so every move is in the audit log.
"""

from __future__ import annotations

from typing import ClassVar

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .workflow import StateMachineMixin

KIND_MAX_LENGTH = 64


def document_path(instance: GeneratedDocument, filename: str) -> str:
    return f"documents/{instance.kind}/{instance.object_id}/{instance.source_hash[:16]}.pdf"


class GeneratedDocument(StateMachineMixin):
    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("document status", "Queued")
        RUNNING = "running", pgettext_lazy("document status", "Being generated")
        READY = "ready", pgettext_lazy("document status", "Ready")
        FAILED = "failed", pgettext_lazy("document status", "Failed")

    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        Status.QUEUED: {Status.RUNNING},
        # Back to the queue: its worker was killed part-way (``documents.revive_if_stale``).
        Status.RUNNING: {Status.READY, Status.FAILED, Status.QUEUED},
        Status.FAILED: {Status.QUEUED},
    }

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    owner = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("kind"), max_length=KIND_MAX_LENGTH)
    source_hash = models.CharField(_("source hash"), max_length=64)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(_("file"), upload_to=document_path, max_length=300, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)
    error = models.CharField(_("error"), max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("generated document")
        verbose_name_plural = _("generated documents")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind", "source_hash"],
                name="core_document_one_per_source",
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id", "kind", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} {self.source_hash[:12]} ({self.status})"

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY and bool(self.file)
