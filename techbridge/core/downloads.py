"""Files as HTTP downloads: PDF and Excel documents under (possibly Chinese) file names.

``lib.pdf`` and ``lib.xlsx`` make the bytes and know nothing of HTTP; a view hands them here:
``pdf_response(render_pdf(...), "合同.pdf")``, ``xlsx_response([Sheet(...)], "目录.xlsx")``.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpResponse
from django.utils.encoding import escape_uri_path

from techbridge.lib.pdf import PDF_CONTENT_TYPE
from techbridge.lib.xlsx import XLSX_CONTENT_TYPE, Sheet, workbook_bytes


def download_response(
    content: bytes, filename: str, *, content_type: str, fallback: str, inline: bool = False
) -> HttpResponse:
    """``content`` as a download (or shown in the browser, ``inline``) named ``filename``.

    The name goes in RFC 6266's UTF-8 form for browsers that read it and as ASCII (``fallback`` when
    nothing ASCII is left) for those that do not.
    """
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    ascii_name = filename.encode("ascii", "ignore").decode() or fallback
    response["Content-Disposition"] = (
        f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{escape_uri_path(filename)}"
    )
    return response


def pdf_response(content: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    """A PDF to download (or to show, ``inline``)."""
    return download_response(
        content, filename, content_type=PDF_CONTENT_TYPE, fallback="document.pdf", inline=inline
    )


def xlsx_response(sheets: Sequence[Sheet], filename: str) -> HttpResponse:
    """The sheets as an .xlsx download."""
    return download_response(
        workbook_bytes(sheets), filename, content_type=XLSX_CONTENT_TYPE, fallback="export.xlsx"
    )
