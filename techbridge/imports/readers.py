"""Read tabular files row by row: JSON Lines, CSV/TSV and XLSX behind one generator.

``read_rows(path)`` yields ``(line_no, row)`` pairs with bounded memory whatever the file size. A row
is a ``dict`` of column name → value. A line that cannot be read (malformed JSON) comes through as a
``BadLine`` — still a ``dict``, empty, carrying the reason — so the importer reports it with its line
number and carries on. A file that cannot be read at all raises ``ImportFileError``.

Line numbers are what a person opening the file sees: the physical line of a JSONL or CSV file (the
first line of a record that spans several), the row number of a spreadsheet (the header is row 1).
"""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

TEXT_ENCODINGS = ("utf-8-sig", "gb18030")
SUPPORTED_EXTENSIONS = (".jsonl", ".csv", ".tsv", ".xlsx")
_CHUNK = 1 << 16


class ImportFileError(Exception):
    """The file as a whole cannot be read: missing, of an unknown type, undecodable or corrupt."""


class BadLine(dict):
    """A line that could not be read as a row; empty, with ``reason`` saying why."""

    def __init__(self, reason: str):
        super().__init__()
        self.reason = reason


def read_rows(path: str | Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line_no, row)`` for every data row of a ``.jsonl``, ``.csv``, ``.tsv`` or ``.xlsx`` file.

    Blank lines and empty spreadsheet rows are skipped. Column names are stripped of spaces and of a
    byte-order mark. Raises ``ImportFileError`` when the file cannot be read.
    """
    path = Path(path)
    ext = path.suffix.lower()
    if ext not in SUPPORTED_EXTENSIONS:
        raise ImportFileError(
            _("Cannot read “%(name)s”: files of type “%(ext)s” are not supported. Use one of: %(allowed)s.")
            % {"name": path.name, "ext": ext or "?", "allowed": ", ".join(SUPPORTED_EXTENSIONS)}
        )
    if not path.is_file():
        raise ImportFileError(_("Cannot read “%(name)s”: no such file.") % {"name": str(path)})
    # Whole-file problems surface here, before the first row, not half-way through an import.
    if ext == ".jsonl":
        return _read_jsonl(path, detect_encoding(path))
    if ext in (".csv", ".tsv"):
        return _read_delimited(path, detect_encoding(path), delimiter="\t" if ext == ".tsv" else ",")
    return _read_xlsx(path, _open_workbook(path))


def count_rows(path: str | Path) -> int | None:
    """A cheap upper bound of the data rows (for a progress bar), or None when it is not cheap to know."""
    path = Path(path)
    ext = path.suffix.lower()
    try:
        if ext in (".jsonl", ".csv", ".tsv"):
            n = 0
            with path.open("rb") as fh:
                while chunk := fh.read(_CHUNK):
                    n += chunk.count(b"\n")
            return n if ext == ".jsonl" else max(n - 1, 0)
        if ext == ".xlsx":
            from xml.etree.ElementTree import ParseError
            from zipfile import BadZipFile

            from openpyxl import load_workbook

            try:
                wb = load_workbook(path, read_only=True, data_only=True)
            except (
                BadZipFile,
                KeyError,
                ValueError,
                ParseError,
                TypeError,
            ):  # not a workbook: read_rows says so clearly
                return None
            try:
                sheet = _data_sheet(wb)
                rows = sheet.max_row if sheet is not None else 0
            finally:
                wb.close()
            # The <dimension> tag may lie (read_rows reads the real rows); this is only for a progress bar.
            return max((rows or 1) - 1, 0)
    except OSError:
        return None
    return None


# ---- text files ------------------------------------------------------------------------------


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) when the whole file decodes as UTF-8, else GB18030, else an error.

    The file is decoded in chunks, so memory stays bounded however large it is.
    """
    for encoding in TEXT_ENCODINGS:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as fh:
                while chunk := fh.read(_CHUNK):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        except OSError as exc:
            raise ImportFileError(
                _("Cannot read “%(name)s”: %(error)s") % {"name": path.name, "error": exc}
            ) from exc
        return encoding
    raise ImportFileError(
        _(
            "Cannot read “%(name)s”: the text is neither UTF-8 nor GB18030. "
            "Save the file as UTF-8 and try again."
        )
        % {"name": path.name}
    )


def _read_jsonl(path: Path, encoding: str) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open(encoding=encoding, newline="") as fh:
        for line_no, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                yield line_no, BadLine(_("Not valid JSON (%(error)s).") % {"error": exc.msg})
                continue
            if not isinstance(value, dict):
                yield line_no, BadLine(_("Each line must be one JSON object {…}."))
                continue
            yield line_no, {_clean_header(k): v for k, v in value.items()}


def _read_delimited(path: Path, encoding: str, *, delimiter: str) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open(encoding=encoding, newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        header: list[str] | None = None
        last_line = 0
        try:
            for record in reader:
                start, last_line = last_line + 1, reader.line_num
                if header is None:
                    header = [_clean_header(h) for h in record]
                    if not any(header):
                        raise ImportFileError(
                            _("Cannot read “%(name)s”: the first line must name the columns.")
                            % {"name": path.name}
                        )
                    continue
                if not any(cell.strip() for cell in record):
                    continue
                if len(record) > len(header) and any(c.strip() for c in record[len(header) :]):
                    yield (
                        start,
                        BadLine(
                            _("The line has %(found)s values but the header names %(expected)s columns.")
                            % {"found": len(record), "expected": len(header)}
                        ),
                    )
                    continue
                yield start, {h: v for h, v in zip(header, record, strict=False) if h}
        except csv.Error as exc:
            raise ImportFileError(
                _("Cannot read “%(name)s” after line %(line)s: %(error)s")
                % {"name": path.name, "line": last_line, "error": exc}
            ) from exc
    if header is None:
        raise ImportFileError(_("Cannot read “%(name)s”: the file is empty.") % {"name": path.name})


# ---- spreadsheets ----------------------------------------------------------------------------


def _open_workbook(path: Path) -> Any:
    from xml.etree.ElementTree import ParseError
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError, ParseError, TypeError) as exc:
        raise ImportFileError(
            _("Cannot read “%(name)s”: it is not a valid Excel (.xlsx) workbook.") % {"name": path.name}
        ) from exc


def _data_sheet(wb: Any) -> Any:
    """The sheet a person sees on opening the workbook: the active sheet, or the first visible one.

    A hidden sheet (instructions, lookup lists, a crafted decoy) is never read as the data.
    """
    visible = [ws for ws in wb.worksheets if getattr(ws, "sheet_state", "visible") == "visible"]
    try:
        active = wb.active
    except (IndexError, AttributeError):  # an activeTab past the last sheet
        active = None
    if active is not None and active in visible:
        return active
    return visible[0] if visible else None


def _read_xlsx(path: Path, wb: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        if not wb.worksheets:
            raise ImportFileError(
                _("Cannot read “%(name)s”: the workbook has no sheet.") % {"name": path.name}
            )
        sheet = _data_sheet(wb)
        if sheet is None:
            raise ImportFileError(
                _(
                    "Cannot read “%(name)s”: every sheet of the workbook is hidden. "
                    "Show the sheet with the data."
                )
                % {"name": path.name}
            )
        # The <dimension> tag a program wrote may be wrong; rows and columns beyond it are still data.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True)
        header: list[str] | None = None
        for row_no, values in enumerate(rows, start=1):
            if header is None:
                header = [_clean_header("" if v is None else str(v)) for v in values]
                if not any(header):
                    raise ImportFileError(
                        _("Cannot read “%(name)s”: the first row of sheet “%(sheet)s” must name the columns.")
                        % {"name": path.name, "sheet": sheet.title}
                    )
                continue
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            yield row_no, {h: v for h, v in zip(header, values, strict=False) if h}
        if header is None:
            raise ImportFileError(
                _("Cannot read “%(name)s”: sheet “%(sheet)s” is empty.")
                % {"name": path.name, "sheet": sheet.title}
            )
    finally:
        wb.close()


def _clean_header(name: Any) -> str:
    return str(name).replace("\ufeff", "").strip()
