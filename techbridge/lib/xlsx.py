"""Excel (.xlsx) files: one or more sheets of headers and rows, written in memory.

``workbook_bytes([Sheet("成果目录", ["名称", "领域"], rows)])``; views serve them with
``core.downloads.xlsx_response``. Numbers and
``Decimal`` stay numbers in Excel; dates stay dates; everything else is written as text.

Text is never a formula: a cell whose text starts with ``= + - @``, a tab or a carriage return (what Excel,
LibreOffice and a CSV round trip would evaluate, e.g. ``=HYPERLINK("http://evil…")``) gets a leading
apostrophe, as OWASP recommends for CSV/formula injection. Plain signed numbers written as text (``-12.5``)
and a lone ``-`` are left as they are.

Phones and e-mails inside text cells are masked (``lib.privacy.mask_free_text``) unless the sheet says
``mask_contacts=False`` (a person's copy of their own data, the import templates' example rows).
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
    # Phones and e-mails written inside text cells are masked (个人信息保护法): free text a user typed
    # ("联系人 13912345678") never leaves in an export whole. Off only for a person's copy of their own
    # data and for the platform's own example rows.
    mask_contacts: bool = True


FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?%?|[+-]")


def safe_text(text: str) -> str:
    """Text that no spreadsheet will evaluate: a leading ``'`` before ``= + - @``, tab or CR."""
    if text.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def _cell(value: Any, mask: bool = False) -> Any:
    from datetime import date, datetime
    from decimal import Decimal

    from .privacy import mask_free_text

    if value is None or isinstance(value, (int, float, Decimal, date, datetime, bool)):
        if isinstance(value, datetime) and value.tzinfo is not None:
            from django.utils import timezone

            return timezone.localtime(value).replace(tzinfo=None)
        return value
    text = str(value)
    return safe_text(mask_free_text(text) if mask else text)


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """Write the sheets into an .xlsx file in memory (write-only mode: rows are not kept)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for sheet in sheets:
        ws = wb.create_sheet(title=sheet.title[:31] or "Sheet")
        ws.append([safe_text(str(h)) for h in sheet.headers])
        for row in sheet.rows:
            ws.append([_cell(v, sheet.mask_contacts) for v in row])
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
