"""The files governance accepts (report attachments, evidence of manual figures and of evaluation
figures), checked by their content with the rules and messages of the listing upload
(``core.listing_files``): the bytes say what a file is (``lib.documents.identify``, images decoded with
Pillow), the name must agree with them (a program or web page renamed ``.pdf`` or ``.xlsx`` is refused),
a PDF must carry no active content. The kinds stay those these uploads accepted before
(``settings.ATTACHMENT_EXTENSIONS``), up to ``settings.ATTACHMENT_MAX_MB``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from techbridge.core.listing_files import check_name, check_pdf_inert, check_size
from techbridge.lib import documents
from techbridge.lib.images import check_image, read_upload

_SAME_EXTENSION = {"jpeg": "jpg"}


def allowed_kinds() -> set[str]:
    return {_SAME_EXTENSION.get(e, e) for e in settings.ATTACHMENT_EXTENSIONS}


def _refuse_type() -> ValidationError:
    return ValidationError(
        _(
            "Only PDF, Word, Excel, PowerPoint, plain-text and ZIP files and JPEG or PNG images are"
            " accepted, recognised by content."
        ),
        code="file_type",
    )


def check_upload(upload: Any) -> str:
    """The upload's real kind (``pdf``, ``docx``, ``jpg`` …), or a ValidationError in the user's language
    saying why it is refused. Nothing is stored here: call it before touching the record."""
    limit_mb = settings.ATTACHMENT_MAX_MB
    check_size(upload, limit_mb)
    data = read_upload(upload)
    real = documents.identify(data)
    if not real:
        try:
            real = check_image(upload, max_mb=limit_mb).extension
        except ValidationError as exc:
            if exc.code != "not_an_image":
                raise
            raise _refuse_type() from exc
    if real not in allowed_kinds():
        raise _refuse_type()
    check_name(getattr(upload, "name", "") or "", real)
    if real == documents.PDF:
        check_pdf_inert(data)
    return real
