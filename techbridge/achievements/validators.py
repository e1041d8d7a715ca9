"""Validation of achievement fields, shared by forms, the API and imports (through ``full_clean``)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from techbridge.lib import patents
from techbridge.lib.pdf import active_content
from techbridge.lib.text import split_list


def validate_ipc_codes(value: str) -> None:
    bad = [c for c in split_list(value, slash=False) if not patents.is_ipc(c)]
    if bad:
        raise ValidationError(
            _("Not an IPC code: %(codes)s. Write codes like H04L or G06F 16/35.")
            % {"codes": "、".join(bad[:5])},
            code="ipc",
        )


def validate_patent_numbers(value: str) -> None:
    bad = [n for n in split_list(value) if not patents.is_patent_number(n)]
    if bad:
        raise ValidationError(
            _(
                "Not a Chinese patent number: %(numbers)s. "
                "Write numbers like CN202223220665.2 or CN218751475U."
            )
            % {"numbers": "、".join(bad[:5])},
            code="patent_number",
        )


def validate_upload(upload) -> None:
    """Refuse uploads that are too large or of a type the platform does not accept."""
    name = getattr(upload, "name", "") or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in settings.ATTACHMENT_EXTENSIONS:
        raise ValidationError(
            _("Files of type “%(ext)s” are not accepted. Allowed: %(allowed)s.")
            % {"ext": ext or "?", "allowed": ", ".join(settings.ATTACHMENT_EXTENSIONS)},
            code="file_type",
        )
    limit = settings.ATTACHMENT_MAX_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            _("The file is larger than %(mb)s MB.") % {"mb": settings.ATTACHMENT_MAX_MB}, code="file_size"
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")
    if ext == "pdf":
        validate_pdf_is_inert(upload)


def validate_pdf_is_inert(upload) -> None:
    """Refuse a PDF that carries scripts, automatic actions, launched programs or embedded files."""
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    try:
        found = active_content(upload.read())
    finally:
        upload.seek(position)
    if found:
        raise ValidationError(
            _(
                "This PDF contains active content (%(names)s: scripts, automatic actions or embedded "
                "files) and is not accepted. Print it to a new PDF or remove the active content, then "
                "upload it again."
            )
            % {"names": ", ".join(f"/{n}" for n in found)},
            code="pdf_active_content",
        )
