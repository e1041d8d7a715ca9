"""Excel (.xlsx) files: one or more sheets of headers and rows, written in memory.

``workbook_bytes([Sheet("成果目录", ["名称", "领域"], rows)])``; views serve them with
``core.downloads.xlsx_response``. Numbers and
``Decimal`` stay numbers in Excel; dates stay dates; everything else is written as text.

Text is never a formula: a cell whose text starts with ``= + - @``, a tab or a carriage return (what Excel,
LibreOffice and a CSV round trip would evaluate, e.g. ``=HYPERLINK("http://evil…")``) gets a leading
apostrophe, as OWASP recommends for CSV/formula injection. Plain signed numbers written as text (``-12.5``)
and a lone ``-`` are left as they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Sheet:
    """One worksheet: a title (≤31 characters), column headers and rows of cell values."""

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]] = field(default_factory=list)


FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?%?|[+-]")


def safe_text(text: str) -> str:
    """Text that no spreadsheet will evaluate: a leading ``'`` before ``= + - @``, tab or CR."""
    if text.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def _cell(value: Any) -> Any:
    from datetime import date, datetime
    from decimal import Decimal

    if value is None or isinstance(value, (int, float, Decimal, date, datetime, bool)):
        if isinstance(value, datetime) and value.tzinfo is not None:
            from django.utils import timezone

            return timezone.localtime(value).replace(tzinfo=None)
        return value
    return safe_text(str(value))


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """Write the sheets into an .xlsx file in memory (write-only mode: rows are not kept)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for sheet in sheets:
        ws = wb.create_sheet(title=sheet.title[:31] or "Sheet")
        ws.append([safe_text(str(h)) for h in sheet.headers])
        for row in sheet.rows:
            ws.append([_cell(v) for v in row])
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
