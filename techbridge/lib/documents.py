"""What a document really is, from its bytes: PDF by its ``%PDF-`` header, Word and Excel (Office Open
XML) by the main part their ``[Content_Types].xml`` declares. A name or a browser's content type is
never trusted.

``sniff`` knows the three kinds listing files accept; ``identify`` also knows the other office and
archive kinds older attachment fields accept: PowerPoint (.pptx), the legacy binary Word, Excel and
PowerPoint files (.doc, .xls, .ppt: an OLE2 compound file holding the program's main stream), other ZIP
archives, and plain text (UTF-8 or GB18030, no control bytes, not markup such as a renamed web page)."""

from __future__ import annotations

import io
import re
import zipfile

PDF, DOCX, XLSX = "pdf", "docx", "xlsx"
CONTENT_TYPES = {
    PDF: "application/pdf",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
PPTX, DOC, XLS, PPT, ZIP, TXT = "pptx", "doc", "xls", "ppt", "zip", "txt"
_MAIN_PARTS = {
    DOCX: b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    XLSX: b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
_PPTX_MAIN_PART = b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The main stream's name (UTF-16LE in the compound file's directory) tells which program wrote it.
_OLE2_STREAMS = (
    (DOC, "WordDocument".encode("utf-16-le")),
    (XLS, "Workbook".encode("utf-16-le")),
    (XLS, b"B\x00o\x00o\x00k\x00\x00\x00"),
    (PPT, "PowerPoint Document".encode("utf-16-le")),
)
_MARKUP_STARTS = (b"<!doctype", b"<html", b"<script", b"<?xml", b"<svg", b"<body", b"<head", b"<iframe")
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
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


def _main_part(data: bytes) -> str:
    """``docx``/``xlsx``/``pptx`` for an Office Open XML archive, ``zip`` for any other readable ZIP
    archive, ``""`` for a damaged one."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            try:
                info = archive.getinfo("[Content_Types].xml")
            except KeyError:
                archive.infolist()
                return ZIP
            if info.file_size > _MAX_CONTENT_TYPES_BYTES:
                return ""
            declared = archive.read(info)
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, EOFError):
        return ""
    for kind, marker in _MAIN_PARTS.items():
        if marker in declared:
            return kind
    return PPTX if _PPTX_MAIN_PART in declared else ZIP


def _is_text(data: bytes) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(_MARKUP_STARTS):
        return False
    if _CONTROL.search(data):
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def identify(data: bytes) -> str:
    """What ``sniff`` says, or ``pptx``, ``doc``, ``xls``, ``ppt``, ``zip``, ``txt``; ``""`` for anything
    else (executables, web pages, images, damaged files)."""
    if data[:5] == b"%PDF-":
        return PDF
    if data[:4] == b"PK\x03\x04":
        return _main_part(data)
    if data[:8] == _OLE2:
        for kind, stream in _OLE2_STREAMS:
            if stream in data:
                return kind
        return ""
    return TXT if data and _is_text(data) else ""
