"""Files and video links of listings (achievements and demands): images, documents and patent-certificate
scans, each public or restricted; the checks, the writes and who may see each file.

Each listing app declares its concrete models on the abstract bases here and describes them with a
``ListingFiles`` (its models, how a restricted file is gated, its thumbnail task). Every file is checked
by its bytes (``lib.images`` decodes images, ``lib.documents`` recognises PDF, Word and Excel), counted
per listing and kind, stored under a generated name and served only through a permission-checked view
(``core.listing_file_views``). Restricted means NDA-gated on achievements, signed-in organisation
members on demands. Thumbnails are made once, in the background, for every image.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import Max, Prefetch
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from techbridge.lib import documents, limits
from techbridge.lib.images import check_image, read_upload, thumbnail
from techbridge.lib.pdf import active_content

from . import audit, notifications
from .listing_permissions import can_edit, can_review, check_edit, check_review
from .tasks import enqueue
from .workflow import StateMachineMixin, TransitionError, set_initial_state, transition

PUBLIC = "public"
CAPTION_MAX = 200
VIDEO_TITLE_MAX = 120
VIDEO_URL_MAX = 500


class FileKind(models.TextChoices):
    IMAGE = "image", pgettext_lazy("listing file kind", "Image")
    DOCUMENT = "document", pgettext_lazy("listing file kind", "Document")
    PATENT_SCAN = "patent_scan", gettext_lazy("Patent certificate scan")


class FileReview(models.TextChoices):
    """Whether a file or video link shows to the public. Added to a published listing, it waits for a
    reviewer (``pending``); added while the listing is a draft or under review, it rides with the
    listing's own review (``approved`` from the start)."""

    APPROVED = "approved", pgettext_lazy("listing file review", "Approved")
    PENDING = "pending", pgettext_lazy("listing file review", "Awaiting review")
    REJECTED = "rejected", pgettext_lazy("listing file review", "Not approved")


FILE_REVIEW_TRANSITIONS: dict[str, set[str]] = {
    FileReview.APPROVED: {FileReview.PENDING},
    FileReview.PENDING: {FileReview.APPROVED, FileReview.REJECTED},
    FileReview.REJECTED: {FileReview.PENDING},
}


class ReviewedItem(StateMachineMixin):
    """A file or video link of a listing, shown to the public only once approved."""

    TRANSITIONS = FILE_REVIEW_TRANSITIONS
    STATUS_FIELD = "review_status"
    INITIAL_STATES = frozenset({FileReview.APPROVED, FileReview.PENDING})

    review_status = models.CharField(
        pgettext_lazy("listing file", "review"),
        max_length=16,
        choices=FileReview.choices,
        default=FileReview.APPROVED,
        db_index=True,
    )
    review_reason = models.TextField(
        gettext_lazy("reason for rejection"), blank=True, max_length=limits.REASON
    )

    class Meta:
        abstract = True

    @property
    def is_approved(self) -> bool:
        return self.review_status == FileReview.APPROVED


def thumbnail_path(instance: Any, filename: str) -> str:
    """Thumbnails sit next to their file, in ``thumbs/``."""
    return f"{os.path.dirname(instance.file.name or 'listings')}/thumbs/{filename}"


class ListingFile(ReviewedItem):
    """One file of a listing: its kind, who may see it (``visibility``), caption and place in the gallery.

    The concrete model adds ``file``, the listing's foreign key and ``visibility`` with its choices;
    ``content_type`` and the size come from the checked bytes, never from the browser.
    """

    name = models.CharField(gettext_lazy("file name"), max_length=200)
    size = models.PositiveIntegerField(gettext_lazy("size (bytes)"))
    kind = models.CharField(
        gettext_lazy("kind of file"), max_length=20, choices=FileKind.choices, default=FileKind.DOCUMENT
    )
    content_type = models.CharField(gettext_lazy("content type"), max_length=100, blank=True)
    caption = models.CharField(gettext_lazy("caption"), max_length=CAPTION_MAX, blank=True)
    order = models.PositiveSmallIntegerField(gettext_lazy("position"), default=0)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    thumbnail = models.FileField(upload_to=thumbnail_path, max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["order", "created_at", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_public(self) -> bool:
        return self.visibility == PUBLIC  # type: ignore[attr-defined]

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class ListingVideo(ReviewedItem):
    """A link to a video on an allowed host (``LISTING_VIDEO_HOSTS`` or the owner's own site), shown
    as a link with its title, never embedded."""

    url = models.URLField(gettext_lazy("video address"), max_length=VIDEO_URL_MAX)
    title = models.CharField(gettext_lazy("title"), max_length=VIDEO_TITLE_MAX)
    order = models.PositiveSmallIntegerField(gettext_lazy("position"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["order", "created_at", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "").lower()


@dataclass(frozen=True)
class ListingFiles:
    """What the shared code needs to know about one app's listing files."""

    app: str  # URL namespace: "achievements"
    listing_model: Any
    file_model: Any
    video_model: Any
    fk: str  # the file's and the video's foreign key to the listing: "achievement"
    visible: Callable[[Any], Any]  # the caller's visible listings
    can_see_restricted: Callable[[Any, Any], bool]  # (user, listing)
    restricted_refusal: Callable[[], str]  # why a restricted file is refused
    restricted_hint: Any  # the gallery's line about restricted files, lazily translated
    thumbnail_task: Any  # a task taking the file's pk
    owner_site: Callable[[Any], str] = lambda listing: ""  # the owner organisation's website
    # Restricted files shown apart from the gallery (achievements: in the confidential part).
    restricted_apart: bool = False

    @property
    def visibilities(self) -> list[tuple[str, str]]:
        return list(self.file_model._meta.get_field("visibility").choices)

    def files_of(self, listing: Any) -> models.QuerySet:
        return self.file_model.objects.filter(**{self.fk: listing})

    def videos_of(self, listing: Any) -> models.QuerySet:
        return self.video_model.objects.filter(**{self.fk: listing})


# ---- who sees which file ------------------------------------------------------------------------------


def sees_unreviewed(user: Any, listing: Any) -> bool:
    """The listing's editors and the platform's reviewers see files that wait for review (or were
    not approved); everyone else sees approved files only."""
    return can_review(user) or can_edit(user, listing)


def can_see_file(spec: ListingFiles, user: Any, listing: Any, file: Any) -> bool:
    """Approved public files show to whoever sees the listing, restricted ones per the app's gate;
    files awaiting review only to the listing's editors and reviewers."""
    if not file.is_approved and not sees_unreviewed(user, listing):
        return False
    return file.is_public or spec.can_see_restricted(user, listing)


def shown_rows(rows: list[Any], user: Any, listing: Any) -> list[Any]:
    """``rows`` (files or video links) without those the caller may not see before review."""
    if all(r.is_approved for r in rows) or sees_unreviewed(user, listing):
        return rows
    return [r for r in rows if r.is_approved]


def visible_files(spec: ListingFiles, user: Any, listing: Any) -> list[Any]:
    """The listing's files ``user`` may open, in gallery order."""
    rows = shown_rows(list(spec.files_of(listing)), user, listing)
    if any(not f.is_public for f in rows) and not spec.can_see_restricted(user, listing):
        return [f for f in rows if f.is_public]
    return rows


def visible_videos(spec: ListingFiles, user: Any, listing: Any) -> list[Any]:
    """The listing's video links ``user`` may see."""
    return shown_rows(list(spec.videos_of(listing)), user, listing)


def cover_prefetch(file_model: Any, fk_related: str = "attachments") -> Prefetch:
    """One query for the first public image of every listing on a page (``obj.cover_images``)."""
    return Prefetch(
        fk_related,
        queryset=file_model.objects.filter(
            visibility=PUBLIC, kind=FileKind.IMAGE, review_status=FileReview.APPROVED
        ).exclude(thumbnail=""),
        to_attr="cover_images",
    )


# ---- checks ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    size: int
    width: int | None = None
    height: int | None = None


_SAME_EXTENSION = {"jpeg": "jpg"}


def _extension(name: str) -> str:
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return _SAME_EXTENSION.get(ext, ext)


def check_name(name: str, real: str) -> None:
    """Refuse a file whose name's extension disagrees with what its bytes are (``real``)."""
    ext = _extension(name)
    if ext != real:
        raise ValidationError(
            _("The file name ends in “.%(ext)s” but the file is a %(real)s file. Upload the right file.")
            % {"ext": ext or "?", "real": real.upper()},
            code="file_type_mismatch",
        )


def check_size(upload: Any, limit_mb: int) -> int:
    """The upload's size in bytes, or a refusal when it is empty or larger than ``limit_mb``."""
    size = int(getattr(upload, "size", 0) or 0)
    if size == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")
    if size > limit_mb * 1024 * 1024:
        raise ValidationError(_("The file is larger than %(mb)s MB.") % {"mb": limit_mb}, code="file_size")
    return size


def check_pdf_inert(data: bytes) -> None:
    """Refuse a PDF with active content (scripts, automatic actions, embedded files)."""
    if found := active_content(data):
        raise ValidationError(
            _(
                "This PDF contains active content (%(names)s: scripts, automatic actions or embedded "
                "files) and is not accepted. Print it to a new PDF, then upload it again."
            )
            % {"names": ", ".join(f"/{n}" for n in found)},
            code="pdf_active_content",
        )


def _check_document(upload: Any, *, pdf_only: bool = False) -> CheckedFile:
    size = check_size(upload, settings.LISTING_DOCUMENT_MAX_MB)
    data = read_upload(upload)
    real = documents.sniff(data)
    if not real or (pdf_only and real != documents.PDF):
        if pdf_only:
            message = _("A patent certificate scan must be a JPEG, PNG, GIF or WebP image or a PDF.")
        else:
            message = _(
                "Only PDF, Word (.docx) and Excel (.xlsx) documents are accepted, recognised by content."
            )
        raise ValidationError(message, code="file_type")
    check_name(upload.name or "", real)
    if real == documents.PDF:
        check_pdf_inert(data)
    return CheckedFile(documents.CONTENT_TYPES[real], real, size)


def _check_picture(upload: Any) -> CheckedFile:
    image = check_image(upload, max_mb=settings.LISTING_IMAGE_MAX_MB)
    check_name(upload.name or "", image.extension)
    return CheckedFile(image.content_type, image.extension, image.size, image.width, image.height)


def check_file(upload: Any, kind: str) -> CheckedFile:
    """What the upload really is, or a ValidationError in the user's language saying why it is refused."""
    if kind == FileKind.IMAGE:
        return _check_picture(upload)
    if kind == FileKind.DOCUMENT:
        return _check_document(upload)
    if kind == FileKind.PATENT_SCAN:
        head = read_upload(upload)[:5] if getattr(upload, "size", 0) else b""
        if head == b"%PDF-":
            return _check_document(upload, pdf_only=True)
        try:
            return _check_picture(upload)
        except ValidationError as exc:
            if exc.code != "not_an_image":
                raise
            raise ValidationError(
                _("A patent certificate scan must be a JPEG, PNG, GIF or WebP image or a PDF."),
                code="file_type",
            ) from exc
    raise ValidationError(
        _("Choose the kind of file: image, document or patent certificate scan."), code="kind"
    )


_IMAGE_EXTENSIONS = frozenset({"jpg", "png", "gif", "webp"})


def check_attachment(upload: Any) -> tuple[str, CheckedFile]:
    """A file of the listing form's attachment field, by the rules of the rich upload: an image (by its
    name) decoded with Pillow, anything else a PDF, Word or Excel document recognised by its bytes.
    Returns the kind of file and what it really is."""
    if _extension(getattr(upload, "name", "") or "") in _IMAGE_EXTENSIONS:
        return FileKind.IMAGE, _check_picture(upload)
    return FileKind.DOCUMENT, _check_document(upload)


def _check_visibility(spec: ListingFiles, visibility: str) -> None:
    if visibility not in {value for value, _label in spec.visibilities}:
        raise ValidationError(_("Choose who may see the file."), code="visibility")


def _check_caption(caption: str) -> str:
    caption = (caption or "").strip()
    if len(caption) > CAPTION_MAX:
        raise ValidationError(
            _("The caption is longer than %(n)s characters.") % {"n": CAPTION_MAX}, code="caption"
        )
    return caption


def _check_count(spec: ListingFiles, listing: Any, kind: str) -> None:
    limit = settings.LISTING_MAX_FILES[kind]
    if spec.files_of(listing).filter(kind=kind).count() >= limit:
        raise ValidationError(
            _("A listing holds at most %(n)s files of the kind “%(kind)s”. Remove one first.")
            % {"n": limit, "kind": FileKind(kind).label},
            code="too_many_files",
        )


def check_video_url(url: str, *, owner_site: str = "") -> str:
    """An https address on an allowed video host (or the owner organisation's own site), else refused."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise ValidationError(_("Give the video's address starting with https://."), code="video_https")
    if len(url) > VIDEO_URL_MAX:
        raise ValidationError(
            _("The address is longer than %(n)s characters.") % {"n": VIDEO_URL_MAX}, code="video_length"
        )
    host = parts.hostname.lower()
    allowed = [h.lower().lstrip(".") for h in settings.LISTING_VIDEO_HOSTS]
    own = (urlsplit(owner_site).hostname or "").lower() if owner_site else ""
    if own:
        allowed.append(own.removeprefix("www."))
    if not any(host == h or host.endswith("." + h) for h in allowed):
        raise ValidationError(
            _("Videos are accepted from %(hosts)s or your organisation’s own website only.")
            % {"hosts": "、".join(settings.LISTING_VIDEO_HOSTS)},
            code="video_host",
        )
    return url


# ---- writes ---------------------------------------------------------------------------------------------


def needs_review(listing: Any) -> bool:
    """A file or link added to a listing the public already sees waits for a reviewer; one added to a
    draft or a listing under review is reviewed with the listing."""
    return bool(listing.is_public)


def add_file(
    spec: ListingFiles,
    listing: Any,
    *,
    actor: Any,
    upload: Any,
    kind: str,
    visibility: str,
    caption: str = "",
) -> Any:
    """Store one checked file for the listing (its editors); the stored file goes if the row fails."""
    check_edit(actor, listing)
    if upload is None:
        raise ValidationError(_("Choose a file to upload."), code="file_missing")
    checked = check_file(upload, kind)
    _check_visibility(spec, visibility)
    caption = _check_caption(caption)
    _check_count(spec, listing, kind)
    last = spec.files_of(listing).aggregate(last=Max("order"))["last"]
    row = spec.file_model(
        **{spec.fk: listing},
        name=os.path.basename(upload.name or "")[:200] or f"file.{checked.extension}",
        size=checked.size,
        kind=kind,
        visibility=visibility,
        caption=caption,
        order=0 if last is None else min(last + 1, 32767),
        content_type=checked.content_type,
        width=checked.width,
        height=checked.height,
        uploaded_by=actor,
    )
    if needs_review(listing):
        set_initial_state(row, FileReview.PENDING)
    upload.seek(0)
    row.file.save(f"{uuid.uuid4().hex}.{checked.extension}", upload, save=False)
    stored, storage = row.file.name, row.file.storage
    try:
        with transaction.atomic():
            row.save()
            audit.record(
                listing,
                audit.code(listing, "attachment_added"),
                actor=actor,
                data={
                    "name": row.name,
                    "size": row.size,
                    "kind": kind,
                    "visibility": visibility,
                    "review": row.review_status,
                },
            )
    except Exception:
        storage.delete(stored)
        raise
    if row.is_image:
        enqueue(spec.thumbnail_task, row.pk)
    return row


def update_file(
    spec: ListingFiles,
    file: Any,
    *,
    actor: Any,
    caption: str | None = None,
    visibility: str | None = None,
    order: int | None = None,
) -> Any:
    """Change a file's caption, who may see it, or its place in the gallery (its listing's editors)."""
    listing = getattr(file, spec.fk)
    check_edit(actor, listing)
    changes: dict[str, Any] = {}
    if caption is not None:
        changes["caption"] = _check_caption(caption)
    if visibility is not None:
        _check_visibility(spec, visibility)
        changes["visibility"] = visibility
    if order is not None:
        if not 0 <= order <= 32767:
            raise ValidationError(_("The position must be a whole number from 0 to 32767."), code="order")
        changes["order"] = order
    changed = {k: v for k, v in changes.items() if getattr(file, k) != v}
    if not changed:
        return file
    with transaction.atomic():
        for key, value in changed.items():
            setattr(file, key, value)
        file.save(update_fields=list(changed))
        audit.record(
            listing,
            audit.code(listing, "attachment_changed"),
            actor=actor,
            data={"name": file.name, **{k: str(v) for k, v in changed.items()}},
        )
        shown_more = "caption" in changed or changed.get("visibility") == PUBLIC
        if needs_review(listing) and file.review_status != FileReview.PENDING and shown_more:
            transition(file, FileReview.PENDING, actor=actor, action=audit.code(file, "sent_to_review"))
    return file


def move_file(spec: ListingFiles, file: Any, *, actor: Any, up: bool) -> Any:
    """Swap the file with its neighbour in the gallery (renumbering the listing's files 0, 1, 2 …)."""
    listing = getattr(file, spec.fk)
    check_edit(actor, listing)
    rows = list(spec.files_of(listing))
    index = next(i for i, f in enumerate(rows) if f.pk == file.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(rows):
        return file
    rows[index], rows[other] = rows[other], rows[index]
    with transaction.atomic():
        for position, row in enumerate(rows):
            if row.order != position:
                spec.file_model.objects.filter(pk=row.pk).update(order=position)
        audit.record(
            listing,
            audit.code(listing, "attachment_changed"),
            actor=actor,
            data={"name": file.name, "order": str(other)},
        )
    return file


def delete_file(spec: ListingFiles, file: Any, *, actor: Any) -> None:
    """Remove one file and its thumbnail (the listing's editors); the bytes go after the commit."""
    listing = getattr(file, spec.fk)
    check_edit(actor, listing)
    storage = file.file.storage
    paths = [p for p in (file.file.name, file.thumbnail.name) if p]
    with transaction.atomic():
        audit.record(
            listing, audit.code(listing, "attachment_removed"), actor=actor, data={"name": file.name}
        )
        file.delete()
        transaction.on_commit(lambda: [storage.delete(p) for p in paths])


def add_video(spec: ListingFiles, listing: Any, *, actor: Any, url: str, title: str) -> Any:
    """Link a video on an allowed host to the listing (its editors)."""
    check_edit(actor, listing)
    url = check_video_url(url, owner_site=spec.owner_site(listing))
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Give the video a title."), code="video_title")
    if len(title) > VIDEO_TITLE_MAX:
        raise ValidationError(
            _("The title is longer than %(n)s characters.") % {"n": VIDEO_TITLE_MAX}, code="video_title"
        )
    if spec.videos_of(listing).count() >= settings.LISTING_MAX_VIDEOS:
        raise ValidationError(
            _("A listing holds at most %(n)s video links. Remove one first.")
            % {"n": settings.LISTING_MAX_VIDEOS},
            code="too_many_videos",
        )
    last = spec.videos_of(listing).aggregate(last=Max("order"))["last"]
    video = spec.video_model(
        **{spec.fk: listing},
        url=url,
        title=title,
        order=0 if last is None else min(last + 1, 32767),
        created_by=actor,
    )
    if needs_review(listing):
        set_initial_state(video, FileReview.PENDING)
    with transaction.atomic():
        video.save()
        audit.record(
            listing,
            audit.code(listing, "video_added"),
            actor=actor,
            data={"title": title, "url": url, "review": video.review_status},
        )
    return video


def delete_video(spec: ListingFiles, video: Any, *, actor: Any) -> None:
    listing = getattr(video, spec.fk)
    check_edit(actor, listing)
    with transaction.atomic():
        audit.record(listing, audit.code(listing, "video_removed"), actor=actor, data={"title": video.title})
        video.delete()


# ---- review of files added after publication ---------------------------------------------------------


def approve_item(spec: ListingFiles, item: Any, *, actor: Any) -> Any:
    """Show a file or video link that waited for review to everyone who sees the listing (reviewers)."""
    check_review(actor)
    transition(
        item,
        FileReview.APPROVED,
        actor=actor,
        action=audit.code(item, "approved"),
        changes={"review_reason": ""},
    )
    return item


def reject_item(spec: ListingFiles, item: Any, *, actor: Any, reason: str) -> Any:
    """Keep a file or video link from the public with a reason the owner sees and is told (reviewers)."""
    check_review(actor)
    reason = (reason or "").strip()
    if not reason:
        raise TransitionError(_("Give the owner a reason for the rejection."))
    if len(reason) > limits.REASON:
        raise ValidationError(
            _("The reason is longer than %(n)s characters.") % {"n": limits.REASON}, code="reason"
        )
    listing = getattr(item, spec.fk)
    transition(
        item,
        FileReview.REJECTED,
        actor=actor,
        action=audit.code(item, "rejected"),
        message=reason,
        changes={"review_reason": reason},
    )
    recipient = getattr(item, "uploaded_by", None) or getattr(item, "created_by", None) or listing.created_by
    if recipient is not None:
        from django.urls import reverse

        notifications.notify(
            recipient,
            kind="listing_file_rejected",
            title=_("A file of your listing was not approved: %(name)s (%(title)s)")
            % {"name": str(item), "title": listing.title},
            body=reason,
            link=reverse(f"{spec.app}:edit", args=[listing.pk]) + "#files",
        )
    return item


def pending_count(spec: ListingFiles) -> int:
    """Files and video links of the app's listings waiting for a reviewer."""
    return (
        spec.file_model.objects.filter(review_status=FileReview.PENDING).count()
        + spec.video_model.objects.filter(review_status=FileReview.PENDING).count()
    )


def make_thumbnail(file_model: Any, pk: int) -> None:
    """Store the thumbnail of one image file, once (a task: idempotent, takes the pk)."""
    row = file_model.objects.filter(pk=pk).first()
    if row is None or row.thumbnail or not row.is_image:
        return
    with row.file.open("rb") as handle:
        data = handle.read()
    row.thumbnail.save(f"{row.pk}-{uuid.uuid4().hex[:8]}.webp", ContentFile(thumbnail(data)), save=False)
    file_model.objects.filter(pk=pk, thumbnail="").update(thumbnail=row.thumbnail.name)


def file_audit_labels(model: Any, *, with_attachment_codes: bool = True) -> dict[str, Promise]:
    """The words of the file codes of ``model``, for its app's ``extensions.py``."""
    labels = {
        "attachment_changed": gettext_lazy("File changed (caption, visibility or position)"),
        "video_added": gettext_lazy("Video link added"),
        "video_removed": gettext_lazy("Video link removed"),
    }
    if with_attachment_codes:
        labels["attachment_added"] = gettext_lazy("File added")
        labels["attachment_removed"] = gettext_lazy("File removed")
    return {audit.code(model, verb): label for verb, label in labels.items()}


def file_review_labels(spec: ListingFiles) -> dict[str, Promise]:
    """The words of the review codes of the app's file and video models (``<app>.<model>.approved`` …)."""
    labels = {
        "approved": gettext_lazy("Approved for the public after review"),
        "rejected": gettext_lazy("Not approved for the public"),
        "sent_to_review": gettext_lazy("Changed after publication: back to review"),
    }
    return {
        audit.code(model, verb): label
        for model in (spec.file_model, spec.video_model)
        for verb, label in labels.items()
    }
