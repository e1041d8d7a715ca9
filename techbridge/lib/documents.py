"""What a document really is, from its bytes: PDF by its ``%PDF-`` header, Word and Excel (Office Open
XML) by the main part their ``[Content_Types].xml`` declares. A name or a browser's content type is
never trusted."""

from __future__ import annotations

import io
import zipfile

PDF, DOCX, XLSX = "pdf", "docx", "xlsx"
CONTENT_TYPES = {
    PDF: "application/pdf",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_MAIN_PARTS = {
    DOCX: b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    XLSX: b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
# A [Content_Types].xml larger than this is not an office document a person wrote.
_MAX_CONTENT_TYPES_BYTES = 1_000_000


def sniff(data: bytes) -> str:
    """``"pdf"``, ``"docx"``, ``"xlsx"`` or ``""`` for anything else (or a damaged archive)."""
    if data[:5] == b"%PDF-":
        return PDF
    if data[:4] != b"PK\x03\x04":
        return ""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > _MAX_CONTENT_TYPES_BYTES:
                return ""
            declared = archive.read(info)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, RuntimeError, EOFError):
        return ""
    for kind, marker in _MAIN_PARTS.items():
        if marker in declared:
            return kind
    return ""
