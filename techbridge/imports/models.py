"""One record per import run: what was read, from where, by whom, and what came of it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techbridge.core.workflow import Source, StateMachineMixin


def upload_path(instance: ImportBatch, filename: str) -> str:
    return f"imports/{timezone.now():%Y/%m}/{timezone.now():%Y%m%d%H%M%S}-{filename}"


class ImportBatch(StateMachineMixin):
    """One run of an importer over one file (or one demo source).

    The counts are final once ``finished_at`` is set; a run that stopped on an unreadable file is
    ``failed`` and keeps the counts of the rows committed before it stopped. ``refused_rows`` holds the
    first refused rows (line and reason) so an operator can fix the file without re-running.
    """

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        VALIDATING = "validating", _("Checking rows")
        PREVIEWED = "previewed", _("Checked, awaiting confirmation")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    # The console flow: upload → check (no writes) → confirm → import. Command-line runs start RUNNING.
    TRANSITIONS = {
        Status.UPLOADED: {Status.VALIDATING, Status.CANCELLED, Status.FAILED},
        Status.VALIDATING: {Status.PREVIEWED, Status.FAILED},
        Status.PREVIEWED: {Status.QUEUED, Status.CANCELLED, Status.VALIDATING},
        Status.QUEUED: {Status.RUNNING, Status.FAILED},
        Status.RUNNING: {Status.FINISHED, Status.FAILED},
        # An import that was interrupted (its process killed) is resumed from its stored file.
        Status.FAILED: {Status.QUEUED},
    }
    # A console upload starts uploaded; a command-line run (load_listings, load_demo) starts running.
    INITIAL_STATES = frozenset({Status.UPLOADED, Status.RUNNING})

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
    # Console uploads keep their file until the import has run (MEDIA_ROOT/imports/).
    file = models.FileField(_("file"), upload_to=upload_path, max_length=300, blank=True)
    total_rows = models.PositiveIntegerField(_("rows in the file (estimate)"), null=True, blank=True)
    find_duplicates = models.BooleanField(_("look for duplicates after the import"), default=True)
    # The check before confirmation: would-be counts, refused rows (line, reason) and ignored columns.
    preview = models.JSONField(_("check result"), default=dict, blank=True)
    # Written with every chunk while the batch is checked or imported; an active batch whose heartbeat
    # stopped was interrupted (its process killed) and is recovered (``batches.revive_if_stale``).
    heartbeat_at = models.DateTimeField(_("last sign of progress"), null=True, blank=True)

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} · {self.file_name} · {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def kind_label(self) -> str:
        from .registry import import_kinds

        labels = {k.code: k.label for k in import_kinds()}
        return str(labels.get(self.kind, self.kind))

    @property
    def processed_count(self) -> int:
        return self.created_count + self.updated_count + self.unchanged_count + self.refused_count

    @property
    def percent(self) -> int:
        """How far the import has got (0–100), for the progress bar."""
        if self.status == self.Status.FINISHED:
            return 100
        if not self.total_rows:
            return 0
        return min(99, int(100 * self.processed_count / self.total_rows))

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.VALIDATING, self.Status.QUEUED, self.Status.RUNNING)


class DuplicatePair(StateMachineMixin):
    """Two listings of the same kind that look like one record entered twice (across sources).

    ``left_id < right_id`` always, so a pair is proposed once. A pair found again after a reviewer
    decided on it is not proposed again: the decision (merged or dismissed) stays on the row.
    """

    class Kind(models.TextChoices):
        ACHIEVEMENT = "achievement", _("Achievement")
        DEMAND = "demand", _("Demand")

    class Reason(models.TextChoices):
        PATENT = "patent", _("Same patent number")
        TEXT = "text", _("Very similar title and text")

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting decision")
        MERGED = "merged", _("Merged")
        DISMISSED = "dismissed", _("Not duplicates")

    TRANSITIONS = {Status.OPEN: {Status.MERGED, Status.DISMISSED}}

    kind = models.CharField(_("kind of record"), max_length=16, choices=Kind.choices)
    left_id = models.PositiveBigIntegerField(_("first record"))
    right_id = models.PositiveBigIntegerField(_("second record"))
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    score = models.FloatField(_("similarity"), default=0.0)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    found_at = models.DateTimeField(_("found"), default=timezone.now)
    batch = models.ForeignKey(
        ImportBatch,
        verbose_name=_("import batch"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )
    survivor_id = models.PositiveBigIntegerField(_("kept record"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        ordering = ["-score", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "left_id", "right_id"], name="duplicate_pair_once"),
            models.CheckConstraint(
                condition=models.Q(left_id__lt=models.F("right_id")), name="duplicate_pair_ordered"
            ),
        ]
        indexes = [models.Index(fields=["status", "kind"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.left_id} ~ {self.right_id}"
