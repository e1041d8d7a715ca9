"""The console import flow: upload → check every row without writing → confirm → import → de-duplicate.

Each step is a service here; the long ones (check, import) run as tasks (``tasks.py``) inline on the
embedded default and on a worker in production, and report their progress through the batch's
counters, which the console polls.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core.tasks import enqueue
from techbridge.core.workflow import Source, TransitionError, record_created, set_initial_state, transition

from . import dedup
from .models import ImportBatch
from .permissions import check_import
from .readers import SUPPORTED_EXTENSIONS, ImportFileError, count_rows, read_rows
from .registry import import_kind

log = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
# Sources an operator may name for an upload (demo data comes only from ``load_demo``).
UPLOAD_SOURCES = (Source.NATIONAL, Source.PROVINCIAL, Source.UNIVERSITY, Source.MANUAL)


def start_upload(
    upload: UploadedFile,
    *,
    kind: str,
    source: str,
    publish: bool,
    actor: Any,
    find_duplicates: bool = True,
) -> ImportBatch:
    """Store an uploaded file as a new batch and queue the check of its rows.

    Raises ``ValidationError`` for an unknown kind or source, a file type the readers do not know,
    or a file over ``MAX_UPLOAD_BYTES``.
    """
    check_import(actor)
    import_kind(kind)  # an unknown kind is refused with a message
    check_import(actor, kind)
    if source not in UPLOAD_SOURCES:
        raise ValidationError(_("Choose where the records come from."))
    name = Path(upload.name or "").name
    ext = Path(name).suffix.lower()
    if ext not in SUPPORTED_EXTENSIONS:
        raise ValidationError(
            _("Files of type “%(ext)s” are not supported. Use one of: %(allowed)s.")
            % {"ext": ext or "?", "allowed": ", ".join(SUPPORTED_EXTENSIONS)}
        )
    if upload.size and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is larger than %(mb)s MB; import it with manage.py load_listings.")
            % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    with transaction.atomic():
        batch = ImportBatch(
            kind=kind,
            source=source,
            file_name=name[:300],
            publish=publish,
            created_by=actor,
            find_duplicates=find_duplicates,
        )
        set_initial_state(batch, ImportBatch.Status.UPLOADED)
        batch.file.save(name, upload, save=False)
        batch.save()
        try:
            batch.total_rows = count_rows(batch.file.path)
        except ImportFileError as exc:
            raise ImportFileError(as_uploaded(batch, exc)) from exc
        batch.save(update_fields=["total_rows"])
        record_created(batch, actor=actor, action="imports.batch.uploaded", data={"file": name})
        transition(batch, ImportBatch.Status.VALIDATING, actor=actor, action="imports.batch.check_started")
        from .tasks import check_batch

        enqueue(check_batch, batch.pk)
    return batch


def as_uploaded(batch: ImportBatch, exc: Exception) -> str:
    """The reader's message about the stored file, naming the file as the user uploaded it.

    Stored files carry a time prefix and a folder (``imports/2026/12/20261206…-成果.xlsx``); the user
    knows the file by the name they chose, and the storage path is nobody's business.
    """
    message = str(exc)
    name = batch.file.name or ""
    if name:
        # The absolute path first, then the storage name, then the bare file name.
        for form in (batch.file.path, name, Path(name).name):
            message = message.replace(form, batch.file_name)
    return message


def check(batch_pk: int) -> ImportBatch:
    """Check every row of a batch's file against the database as it is now; write nothing.

    Idempotent: a batch no longer being checked is returned unchanged.
    """
    batch = ImportBatch.objects.get(pk=batch_pk)
    if batch.status != ImportBatch.Status.VALIDATING:
        return batch
    beat(batch.pk)
    importer = import_kind(batch.kind).importer(
        source=batch.source, publish=batch.publish, actor=batch.created_by, file_name=batch.file_name
    )
    try:
        report = importer.validate(_beating(batch.pk, read_rows(batch.file.path)))
    except (ImportFileError, OSError) as exc:
        _fail(batch, "imports.batch.check_failed", as_uploaded(batch, exc))
        return batch
    except Exception as exc:  # a bug must not leave the batch "checking" for ever
        log.exception("import check of batch %s failed", batch.pk)
        _fail(
            batch,
            "imports.batch.check_failed",
            _("The check stopped unexpectedly: %(error)s") % {"error": exc},
        )
        raise
    preview = {
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "refused": len(report.refused),
        "refused_rows": [
            {"line": r.line, "reason": r.reason} for r in report.refused[: batch.MAX_REFUSED_KEPT]
        ],
        "ignored_columns": sorted(report.ignored_columns),
        "checked_at": timezone.now().isoformat(),
    }
    transition(
        batch,
        ImportBatch.Status.PREVIEWED,
        actor=None,
        action="imports.batch.checked",
        changes={"preview": preview},
    )
    return batch


def confirm(batch: ImportBatch, *, actor: Any) -> None:
    """Queue the import of a checked batch (exactly once, even if confirmed twice at the same time).

    Returns at once: the import runs in a background task and the batch page follows its progress.
    """
    check_import(actor, batch.kind)
    if batch.is_active and batch.status != ImportBatch.Status.VALIDATING:
        raise TransitionError(_("This import is already running; its page shows the progress."))
    if batch.status == ImportBatch.Status.FINISHED:
        raise TransitionError(_("This import has already finished; upload the file again to re-import it."))
    with transaction.atomic():
        transition(batch, ImportBatch.Status.QUEUED, actor=actor, action="imports.batch.confirmed")
        from .tasks import run_batch

        enqueue(run_batch, batch.pk)


def cancel(batch: ImportBatch, *, actor: Any) -> None:
    """Drop a batch that was not imported; its file is deleted."""
    check_import(actor, batch.kind)
    with transaction.atomic():
        transition(
            batch,
            ImportBatch.Status.CANCELLED,
            actor=actor,
            action="imports.batch.cancelled",
            changes={"finished_at": timezone.now()},
        )
        if batch.file:
            batch.file.delete(save=False)
            ImportBatch.objects.filter(pk=batch.pk).update(file="")


def run(batch_pk: int) -> ImportBatch:
    """Import a confirmed batch, then look for duplicates of what it created or changed.

    Claimed by a conditional UPDATE (queued → running), so a retried task never imports twice.
    """
    batch = ImportBatch.objects.get(pk=batch_pk)
    if batch.status != ImportBatch.Status.QUEUED:
        return batch
    now = timezone.now()
    transition(
        batch,
        ImportBatch.Status.RUNNING,
        actor=None,
        action="imports.batch.started",
        changes={"started_at": now, "heartbeat_at": now},
    )
    importer = import_kind(batch.kind).importer(
        source=batch.source, publish=batch.publish, actor=batch.created_by, file_name=batch.file_name
    )
    try:
        importer.run(read_rows(batch.file.path), batch=batch)
    except (ImportFileError, OSError) as exc:
        _stop(batch, as_uploaded(batch, exc))
        return batch
    except Exception as exc:  # rows committed so far stay; the batch says where it stopped
        log.exception("import of batch %s failed", batch.pk)
        _stop(batch, _("The import stopped unexpectedly: %(error)s") % {"error": exc})
        raise
    after_import(batch, importer.changed_pks)
    return batch


def resume(batch: ImportBatch, *, actor: Any) -> None:
    """Queue an interrupted import again from its stored file.

    Rows imported before the interruption are found unchanged on the second pass (imports are
    idempotent), so nothing is created twice; the counts start again from zero.
    """
    check_import(actor, batch.kind)
    if not is_resumable(batch):
        raise TransitionError(
            _("Only an interrupted import whose file is still stored can be resumed; upload the file again.")
        )
    with transaction.atomic():
        transition(
            batch,
            ImportBatch.Status.QUEUED,
            actor=actor,
            action="imports.batch.resumed",
            changes={
                "finished_at": None,
                "message": "",
                "created_count": 0,
                "updated_count": 0,
                "unchanged_count": 0,
                "refused_count": 0,
                "refused_rows": [],
                "preview": {k: v for k, v in batch.preview.items() if k != "interrupted_at"},
            },
        )
        from .tasks import run_batch

        enqueue(run_batch, batch.pk)


# ---- interrupted batches ---------------------------------------------------------------------


def is_resumable(batch: ImportBatch) -> bool:
    """A console import interrupted while running, whose file is still stored."""
    return (
        batch.status == ImportBatch.Status.FAILED
        and bool(batch.file)
        and bool((batch.preview or {}).get("interrupted_at"))
    )


def beat(batch_pk: int) -> None:
    """Record that a batch is making progress (one UPDATE, outside any rolled-back check transaction)."""
    ImportBatch.objects.filter(pk=batch_pk).update(heartbeat_at=timezone.now())


def _beating(batch_pk: int, rows: Any, every: int = 200) -> Any:
    for n, row in enumerate(rows, start=1):
        if n % every == 0:
            beat(batch_pk)
        yield row


def stale_after() -> timedelta:
    return timedelta(minutes=settings.IMPORT_STALE_MINUTES)


def is_stale(batch: ImportBatch, now: datetime | None = None) -> bool:
    """An active batch that has shown no progress for ``IMPORT_STALE_MINUTES``: its process is gone."""
    if not batch.is_active:
        return False
    last = batch.heartbeat_at or batch.started_at
    return last < (now or timezone.now()) - stale_after()


def revive_if_stale(batch: ImportBatch, now: datetime | None = None) -> bool:
    """Recover a batch whose process was killed; returns whether anything was done.

    A check writes nothing, so it simply runs again; a queued import whose task was lost is queued
    again; an import killed while running is marked failed with a message, and the operator resumes it
    (``resume``) from the stored file. Conditional updates make two concurrent recoveries act once.
    """
    if not is_stale(batch, now):
        return False
    cutoff = (now or timezone.now()) - stale_after()
    alive = Q(heartbeat_at__gte=cutoff) | Q(heartbeat_at__isnull=True, started_at__gte=cutoff)
    claimed = (
        ImportBatch.objects.filter(pk=batch.pk, status=batch.status)
        .exclude(alive)
        .update(heartbeat_at=timezone.now())
    )
    if not claimed:
        return False
    batch.refresh_from_db()
    if batch.status == ImportBatch.Status.VALIDATING:
        from .tasks import check_batch

        enqueue(check_batch, batch.pk)
        log.warning("import batch %s: check interrupted, checking again", batch.pk)
    elif batch.status == ImportBatch.Status.QUEUED:
        from .tasks import run_batch

        enqueue(run_batch, batch.pk)
        log.warning("import batch %s: queued task lost, queued again", batch.pk)
    else:
        resumable = bool(batch.file and batch.preview)
        if resumable:
            batch.preview = {**batch.preview, "interrupted_at": timezone.now().isoformat()}
            ImportBatch.objects.filter(pk=batch.pk).update(preview=batch.preview)
        message = (
            _(
                "The import was interrupted after %(done)s rows (the process running it stopped). "
                "The rows imported so far are kept; resume it to import the rest."
            )
            if resumable
            else _(
                "The import was interrupted after %(done)s rows (the process running it stopped). "
                "The rows imported so far are kept; run the import again to finish it."
            )
        ) % {"done": batch.processed_count}
        _fail(batch, "imports.batch.interrupted", message)
        log.warning("import batch %s: interrupted while running", batch.pk)
    return True


def recover_stale() -> int:
    """Recover every interrupted batch (daily sweep; every 5 minutes on a worker); returns how many."""
    cutoff = timezone.now() - stale_after()
    active = (ImportBatch.Status.VALIDATING, ImportBatch.Status.QUEUED, ImportBatch.Status.RUNNING)
    stale = ImportBatch.objects.filter(status__in=active).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
    )
    return sum(revive_if_stale(batch) for batch in stale)


def _fail(batch: ImportBatch, action: str, message: str) -> None:
    transition(
        batch,
        ImportBatch.Status.FAILED,
        actor=None,
        action=action,
        message=message,
        changes={"message": message, "finished_at": timezone.now()},
    )


def _stop(batch: ImportBatch, message: str) -> None:
    """Mark a running import failed (the importer may have done so already for an unreadable file)."""
    try:
        _fail(batch, "imports.batch.failed", message[:2000])
    except TransitionError:
        pass  # no longer running: the importer recorded the failure itself


def after_import(batch: ImportBatch, changed_pks: list[int]) -> int:
    """Look for duplicates of the records an import created or changed; returns new pairs."""
    kind = dedup.kind_of_import(batch.kind)
    if not batch.find_duplicates or kind is None or not changed_pks:
        return 0
    return dedup.scan(kind, only=changed_pks, batch=batch)
