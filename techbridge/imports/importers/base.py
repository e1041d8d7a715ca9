"""The importer every kind of record uses: rows → ``prepare`` → ``write`` in savepoints, batch by batch.

What an import guarantees:

- **Every row is checked** the way the platform checks a form (the model's ``full_clean``) plus the
  vocabularies; a row that fails is refused with its line number and a reason.
- **A bad row never stops the good ones and never leaves half a record**: each row is written in its
  own savepoint; rows commit in batches (500 by default).
- **Idempotent**: each importer says how a row is identified (``fetch_existing``); an unchanged row
  changes nothing — no write, no audit entry — and a changed row updates the record.
- **Audited**: every created record gets ``<app>.<model>.imported`` ("" → the state it is born in,
  through ``core.workflow.set_initial_state``/``record_created``), every changed one
  ``<app>.<model>.reimported``, with the batch; the entries of a chunk go in one INSERT.

Another app imports its own records by subclassing ``BaseImporter`` and registering it
(``techbridge.imports.registry.register_import_kind``); the console, the Excel template, the row report
and ``load_listings`` then work for it as for the listings."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from techbridge.core import audit
from techbridge.core.models import AuditEntry
from techbridge.core.workflow import ReviewStatus, Source, record_created, set_initial_state, transition
from techbridge.lib.faults import fault_point

from ..cells import (
    Cells,
    RowRefused,
    format_validation_error,
)
from ..columns import (
    Vocab,
    alias_table,
)
from ..models import ImportBatch
from ..owners import OwnerDirectory, OwnerSpec
from ..readers import BadLine, ImportFileError

BATCH_SIZE = 500

Row = tuple[int, dict[str, Any]]
Progress = Callable[[int], Any]


@dataclass(frozen=True)
class RefusedRow:
    line: int
    reason: str


@dataclass
class ImportReport:
    """What one import run did. ``refused`` lists every refused row with its line number and reason."""

    kind: str
    source: str
    file_name: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: list[RefusedRow] = field(default_factory=list)
    ignored_columns: set[str] = field(default_factory=set)
    indexed: int = 0
    batch_id: int | None = None

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged + len(self.refused)

    def summary(self) -> str:
        return _(
            "%(file)s: %(total)s rows — %(created)s created, %(updated)s updated, %(unchanged)s unchanged, "
            "%(refused)s refused."
        ) % {
            "file": self.file_name,
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "refused": len(self.refused),
        }


# ---- the importers ---------------------------------------------------------------------------


@dataclass
class Prepared:
    """A parsed row, ready to write: plain field values, many-to-many keys and its identity."""

    line: int
    key: Any
    values: dict[str, Any]
    m2m: dict[str, frozenset[int]] = field(default_factory=dict)
    owner: OwnerSpec | None = None


CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"

# The verbs of the audit codes an importer writes for its model (``achievements.achievement.imported``).
IMPORTED, REIMPORTED = "imported", "reimported"


def import_audit_labels(model: type[models.Model]) -> dict[str, Promise]:
    """The words of the codes importers write for ``model`` (registered with each import kind)."""
    return {
        audit.code(model, IMPORTED): gettext_lazy("Imported"),
        audit.code(model, REIMPORTED): gettext_lazy("Updated by an import"),
    }


class BaseImporter:
    """Runs rows through ``prepare`` → ``write`` in savepoints, batch by batch, and reports."""

    kind: ClassVar[str]
    model: ClassVar[type[models.Model]]
    columns: ClassVar[dict[str, tuple[str, ...]]]

    def __init__(
        self,
        *,
        source: str,
        publish: bool = False,
        actor: Any = None,
        batch_size: int = BATCH_SIZE,
        file_name: str = "",
    ):
        if source not in Source.values:
            raise ValueError(f"Unknown source {source!r}")
        self.source = source
        self.publish = publish
        self.actor = actor if getattr(actor, "is_authenticated", False) else None
        self.batch_size = max(1, batch_size)
        self.file_name = file_name
        self.is_demo = source == Source.DEMO
        self.aliases = alias_table(self.columns)
        self.vocab = Vocab()
        # Records this run created or changed, for the duplicate check after the run.
        self.changed_pks: list[int] = []

    # hooks -------------------------------------------------------------------------------------

    def prepare(self, line: int, cells: Cells) -> Prepared:
        raise NotImplementedError

    def fetch_existing(self, prepared: list[Prepared]) -> dict[Any, Any]:
        raise NotImplementedError

    def write(self, p: Prepared, existing: Any) -> tuple[str, Any]:
        raise NotImplementedError

    def after_commit(self, touched: list[int], unchanged: list[int], report: ImportReport) -> None:
        """Work for rows once their batch has committed (the search index)."""

    def _audit(self, obj: models.Model, verb: str, *, data: dict | None = None) -> None:
        """The entry ``<app>.<model>.<verb>`` for a written row, inserted with the rest of its chunk.

        Entries of a row that is refused after this call are dropped with the row (``_run_chunk``).
        """
        self._pending_audit.append(audit.entry(obj, audit.code(obj, verb), actor=self.actor, data=data))

    def _audit_created(self, obj: Any, data: dict | None = None) -> None:
        """The entry of a row just created in its initial state (``<app>.<model>.imported``)."""
        record_created(
            obj, actor=self.actor, action=audit.code(obj, IMPORTED), data=data, defer=self._pending_audit
        )

    _pending_audit: list[AuditEntry]

    # the run -----------------------------------------------------------------------------------

    def run(
        self, rows: Iterable[Row], *, progress: Progress | None = None, batch: ImportBatch | None = None
    ) -> ImportReport:
        """Import ``rows`` of ``(line_no, dict)``; returns the report. The run is kept as an ImportBatch.

        ``batch``: an ImportBatch already created (a console upload, status running); else one is made.
        A file that turns out unreadable half-way (``ImportFileError``) stops the run after the rows
        read so far were written; the batch is marked failed and the error raised again.
        """
        report = ImportReport(kind=self.kind, source=self.source, file_name=self.file_name)
        if batch is None:
            batch = ImportBatch(
                kind=self.kind,
                source=self.source,
                file_name=self.file_name[:300],
                publish=self.publish,
                created_by=self.actor,
            )
            set_initial_state(batch, ImportBatch.Status.RUNNING)  # a command-line run starts running
            batch.save(force_insert=True)
            record_created(batch, actor=self.actor, action="imports.batch.started")
        self.batch = batch
        report.batch_id = self.batch.pk
        self.owners = OwnerDirectory(create_missing=self.is_demo, actor=self.actor, batch=self.batch)
        self._seen: dict[Any, int] = {}
        try:
            for chunk in chunks(rows, self.batch_size):
                self._run_chunk(chunk, report, progress)
                self._save_batch(report)
        except ImportFileError as exc:
            report.refused.sort(key=lambda r: r.line)
            self._save_batch(report)
            self._end_batch(ImportBatch.Status.FAILED, "imports.batch.failed", message=str(exc))
            raise
        report.refused.sort(key=lambda r: r.line)
        self._save_batch(report)
        self._end_batch(ImportBatch.Status.FINISHED, "imports.batch.finished")
        return report

    def validate(self, rows: Iterable[Row], *, progress: Progress | None = None) -> ImportReport:
        """Check ``rows`` exactly as ``run`` would import them, and write nothing.

        Every row goes through the same parsing, look-ups and model validation inside a transaction
        that is rolled back, so the report (would-be created / updated / unchanged, refused rows with
        line and reason) is what a real run would give against the database as it is now. Raises
        ``ImportFileError`` for an unreadable file.
        """
        report = ImportReport(kind=self.kind, source=self.source, file_name=self.file_name)
        # An unsaved batch: audit entries written during the check carry no batch and are rolled back.
        self.batch = ImportBatch(kind=self.kind, source=self.source, file_name=self.file_name[:300])
        self.owners = OwnerDirectory(create_missing=self.is_demo, actor=self.actor, batch=self.batch)
        self._seen = {}
        self._dry_run = True
        try:
            # One short rolled-back transaction per chunk, never one for the whole file: on SQLite a
            # transaction holds the database's write lock, and a 15,000-row check once held it for a
            # minute while bids and messages failed with "database is locked".
            for chunk in chunks(rows, self.check_chunk_size):
                with transaction.atomic():
                    self._run_chunk(chunk, report, progress)
                    transaction.set_rollback(True)
        finally:
            self._dry_run = False
        report.refused.sort(key=lambda r: r.line)
        return report

    _dry_run = False
    # Rows checked per rolled-back transaction: short enough that other writers wait well under a second.
    check_chunk_size = 100

    def _every_problem(self, line: int, raw: Any, first: RowRefused) -> str:
        """Every bad value of a refused row, not only the first: the row is read again with the
        cells collecting their problems (a parser then returns its empty value and reading goes
        on). A later refusal that names a column already reported is a consequence, not news."""
        if isinstance(raw, BadLine):
            return first.reason
        cells = Cells(raw, self.aliases, set())
        cells.problems = []
        try:
            self.prepare(line, cells)
        except RowRefused as exc:
            if not any(label in exc.reason for label in cells.refused_labels):
                cells.problems.append(exc.reason)
        except Exception:  # an empty value tripped a later step: the first reason stands
            return first.reason
        problems = list(dict.fromkeys(cells.problems)) or [first.reason]
        return "；".join(problems)

    def _run_chunk(self, chunk: list[Row], report: ImportReport, progress: Progress | None) -> None:
        prepared: list[Prepared] = []
        for line, raw in chunk:
            try:
                if isinstance(raw, BadLine):
                    raise RowRefused(raw.reason)
                p = self.prepare(line, Cells(raw, self.aliases, report.ignored_columns))
                if p.key in self._seen:
                    raise RowRefused(
                        _("The same record already appeared on line %(line)s.") % {"line": self._seen[p.key]}
                    )
                self._seen[p.key] = line
                prepared.append(p)
            except RowRefused as exc:
                report.refused.append(RefusedRow(line, self._every_problem(line, raw, exc)))
                if progress:
                    progress(1)
        existing = self.fetch_existing(prepared)
        touched: list[int] = []
        unchanged: list[int] = []
        self._pending_audit = []
        with transaction.atomic():
            for p in prepared:
                audit_mark = len(self._pending_audit)
                try:
                    with transaction.atomic():
                        outcome, obj = self.write(p, existing.get(p.key))
                except RowRefused as exc:
                    del self._pending_audit[audit_mark:]
                    self._refuse(report, p.line, exc.reason)
                except ValidationError as exc:
                    del self._pending_audit[audit_mark:]
                    self._refuse(report, p.line, format_validation_error(self.model, exc))
                except (IntegrityError, DataError) as exc:
                    del self._pending_audit[audit_mark:]
                    self._refuse(
                        report, p.line, _("The database refused the row: %(error)s") % {"error": exc}
                    )
                else:
                    self.owners.commit()
                    if outcome == CREATED:
                        report.created += 1
                    elif outcome == UPDATED:
                        report.updated += 1
                    else:
                        report.unchanged += 1
                    if getattr(obj, "status", None) == ReviewStatus.PUBLISHED:
                        (unchanged if outcome == UNCHANGED else touched).append(obj.pk)
                    if outcome != UNCHANGED:
                        self.changed_pks.append(obj.pk)
                if progress:
                    progress(1)
            audit.record_many(self._pending_audit)
            self._pending_audit = []
            fault_point("imports/chunk/written")
        if not self._dry_run:
            self.after_commit(touched, unchanged, report)

    def _refuse(self, report: ImportReport, line: int, reason: str) -> None:
        self.owners.rollback()
        report.refused.append(RefusedRow(line, reason))

    def _save_batch(self, report: ImportReport) -> None:
        """Write the counts so far (the console polls them for progress)."""
        b = self.batch
        b.created_count, b.updated_count, b.unchanged_count = report.created, report.updated, report.unchanged
        b.refused_count = len(report.refused)
        b.refused_rows = [{"line": r.line, "reason": r.reason} for r in report.refused[: b.MAX_REFUSED_KEPT]]
        b.heartbeat_at = timezone.now()
        b.save(
            update_fields=[
                "heartbeat_at",
                "created_count",
                "updated_count",
                "unchanged_count",
                "refused_count",
                "refused_rows",
            ]
        )

    def _end_batch(self, status: str, action: str, *, message: str = "") -> None:
        transition(
            self.batch,
            status,
            actor=None,
            action=action,
            message=message,
            changes={"finished_at": timezone.now(), "message": message},
        )


def add_m2m(obj: models.Model, name: str, pks: Iterable[int]) -> None:
    """Link a new record to ``pks`` in one INSERT (a new record has no links yet)."""
    m2m = obj._meta.get_field(name)
    through = m2m.remote_field.through  # type: ignore[union-attr]
    src, dst = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()  # type: ignore[union-attr]
    through._default_manager.bulk_create([through(**{f"{src}_id": obj.pk, f"{dst}_id": pk}) for pk in pks])


def chunks(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    chunk: list[Row] = []
    try:
        for row in rows:
            chunk.append(row)
            if len(chunk) >= size:
                yield chunk
                chunk = []
    except ImportFileError:
        if chunk:
            yield chunk
        raise
    if chunk:
        yield chunk
