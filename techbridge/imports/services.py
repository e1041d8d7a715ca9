"""Importing a file in one call (commands, tests, the demo); the console goes through ``batches``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .importers.base import BATCH_SIZE, ImportReport, Progress
from .readers import read_rows
from .registry import import_kind


def import_file(
    path: str | Path,
    *,
    kind: str,
    source: str,
    publish: bool = False,
    actor: Any = None,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
) -> ImportReport:
    """Import one file of a registered ``kind`` (``registry``) and return the report.

    Raises ``ImportFileError`` when the file cannot be read; refused rows are in the report.
    """
    rows = read_rows(path)
    importer = import_kind(kind).importer(
        source=source, publish=publish, actor=actor, batch_size=batch_size, file_name=Path(path).name
    )
    return importer.run(rows, progress=progress)
