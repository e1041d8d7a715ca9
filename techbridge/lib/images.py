"""Checks of uploaded images, decoded with Pillow and never trusted by name, and their thumbnails.

Used by news (article images) and by the listings' galleries (achievements and demands). The check
reads the header first (format, width × height) and refuses an image of more pixels than allowed before
decoding it, so a small file that unpacks into a huge bitmap (a decompression bomb) costs nothing.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "GIF": ("image/gif", "gif"),
    "WEBP": ("image/webp", "webp"),
}
MAX_PIXELS = 40_000_000
THUMBNAIL_WIDTH = 320


@dataclass(frozen=True)
class CheckedImage:
    content_type: str
    extension: str
    width: int
    height: int
    size: int
    sha256: str


def read_upload(upload: Any) -> bytes:
    """The whole content of an uploaded file, leaving it at its start for a later save."""
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return bytes(data)


def check_image(upload: Any, *, max_mb: int = 5, max_pixels: int = MAX_PIXELS) -> CheckedImage:
    """The image's real type and size, or a ValidationError saying what is wrong with it."""
    from PIL import Image, UnidentifiedImageError

    size = int(getattr(upload, "size", 0) or 0)
    if size == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")
    if size > max_mb * 1024 * 1024:
        raise ValidationError(_("The image is larger than %(mb)s MB.") % {"mb": max_mb}, code="file_size")
    data = read_upload(upload)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format or ""
            width, height = probe.size
            if fmt not in FORMATS:
                raise UnidentifiedImageError(fmt)
            if width * height > max_pixels:
                raise ValidationError(
                    _("The image has more than %(n)s million pixels.") % {"n": max_pixels // 1_000_000},
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


def thumbnail(data: bytes, *, width: int = THUMBNAIL_WIDTH) -> bytes:
    """A WebP ``width`` pixels wide (never wider than the original) of an image already checked."""
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as image:
        image.seek(0)  # the first frame of an animation
        picture = ImageOps.exif_transpose(image)
        picture = picture.convert("RGBA" if picture.mode in ("RGBA", "LA", "P") else "RGB")
        if picture.width > width:
            height = max(1, round(picture.height * width / picture.width))
            picture = picture.resize((width, height), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        picture.save(out, format="WEBP", quality=80, method=4)
    return out.getvalue()
