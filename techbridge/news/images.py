"""Checks of uploaded article images: decoded with Pillow, never trusted by name."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "GIF": ("image/gif", "gif"),
    "WEBP": ("image/webp", "webp"),
}
MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class CheckedImage:
    content_type: str
    extension: str
    width: int
    height: int
    size: int
    sha256: str


def check_image(upload: Any) -> CheckedImage:
    """The image's real type and size, or a ValidationError saying what is wrong with it."""
    from PIL import Image, UnidentifiedImageError

    limit_mb = getattr(settings, "NEWS_IMAGE_MAX_MB", 5)
    size = int(getattr(upload, "size", 0) or 0)
    if size == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")
    if size > limit_mb * 1024 * 1024:
        raise ValidationError(_("The image is larger than %(mb)s MB.") % {"mb": limit_mb}, code="file_size")
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format or ""
            width, height = probe.size
            if fmt not in FORMATS:
                raise UnidentifiedImageError(fmt)
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _("The image has more than %(n)s million pixels.") % {"n": MAX_PIXELS // 1_000_000},
                    code="too_many_pixels",
                )
            probe.verify()
    except ValidationError:
        raise
    except Exception as exc:  # Pillow raises many kinds for broken or foreign files
        raise ValidationError(
            _("This is not a JPEG, PNG, GIF or WebP image, or the file is damaged."), code="not_an_image"
        ) from exc
    content_type, extension = FORMATS[fmt]
    return CheckedImage(content_type, extension, width, height, size, hashlib.sha256(data).hexdigest())
