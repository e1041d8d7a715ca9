"""Small, generated files for the listing-file tests: real PNGs, a PDF, Word and Excel documents, a
decompression bomb, and ``add_listing_file`` to store one as the service does."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Override PartName="/{part}" ContentType="application/vnd.openxmlformats-officedocument.'
    '{main}.main+xml"/></Types>'
)


def png_bytes(width: int = 640, height: int = 480, color: str = "teal") -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, format="PNG")
    return out.getvalue()


def bomb_png_bytes(side: int = 8000) -> bytes:
    """A PNG of a few kilobytes that decodes into ``side``² pixels (64 million by default)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("1", (side, side), 0).save(out, format="PNG", optimize=True)
    return out.getvalue()


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def office_bytes(kind: str) -> bytes:
    """A minimal Word (``docx``) or Excel (``xlsx``) package: enough for the content-type check."""
    part, main = {
        "docx": ("word/document.xml", "wordprocessingml.document"),
        "xlsx": ("xl/workbook.xml", "spreadsheetml.sheet"),
    }[kind]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES.format(part=part, main=main))
        archive.writestr(part, "<x/>")
    return out.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def add_listing_file(
    spec: Any,
    listing: Any,
    actor: Any,
    *,
    name: str = "样机照片.png",
    data: bytes | None = None,
    kind: str = "image",
    visibility: str = "public",
    caption: str = "",
    reviewed: bool = True,
) -> Any:
    """One file stored through the service (checked, audited, thumbnail made). On a published listing
    it is approved at once, as a reviewer would (``reviewed=False`` leaves it awaiting review)."""
    from techbridge.core.listing_files import add_file

    row = add_file(
        spec,
        listing,
        actor=actor,
        upload=upload(name, png_bytes() if data is None else data),
        kind=kind,
        visibility=visibility,
        caption=caption,
    )
    return approved(row) if reviewed else row


def approved(row: Any) -> Any:
    """A file or video link approved for the public (skipping the reviewer, as factories do)."""
    from techbridge.core.listing_files import FileReview

    type(row).objects.filter(pk=row.pk).update(review_status=FileReview.APPROVED)
    row.review_status = FileReview.APPROVED
    return row
