"""Generated documents: made once, in a background task, stored with their SHA-256, served from storage.

An app registers a ``registry.DocumentKind`` (how to render, what the document shows, its file name) and
its download view hands the owner to ``serve``:

- the file of the current version exists → it is served (``FileResponse``), nothing is rendered;
- it does not → a row is queued once (``core.tasks.enqueue``: embedded task thread in server processes,
  inline under tests, Celery in production) and the page says it is being made, polling a small status
  fragment (htmx) until it is ready; the API answers 202 with the URL to ask again;
- it failed → the page says so in Chinese and a POST to the same URL queues it again.

A change of the source (a new contract version, new catalogue content) hashes differently, so it makes a
new version; anonymous visitors downloading the same catalogue a hundred times make it once.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta
from typing import Any

from celery import shared_task
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.http import FileResponse, HttpRequest, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.encoding import escape_uri_path
from django.utils.translation import gettext as _
from rest_framework import serializers

from . import registry, tasks
from .generated import GeneratedDocument
from .workflow import TransitionError, record_created, set_initial_state, transition

log = logging.getLogger(__name__)

ERROR_MAX_LENGTH = 500


def source_hash(kind: registry.DocumentKind, owner: models.Model) -> str:
    text = f"{kind.key}\n{owner.pk}\n{kind.source(owner)}"
    return hashlib.sha256(text.encode()).hexdigest()


def current(owner: models.Model, key: str, *, actor: Any = None) -> GeneratedDocument:
    """The document of ``owner``'s current content, queued for generation if it has never been asked for."""
    kind = registry.document_kind(key)
    ct = ContentType.objects.get_for_model(owner, for_concrete_model=True)
    digest = source_hash(kind, owner)
    lookup = {"content_type": ct, "object_id": owner.pk, "kind": key, "source_hash": digest}
    found = GeneratedDocument.objects.filter(**lookup).first()
    if found is not None:
        revive_if_stale(found)
        return found
    doc = GeneratedDocument(**lookup)
    set_initial_state(doc, GeneratedDocument.Status.QUEUED)
    try:
        with transaction.atomic():
            doc.save(force_insert=True)
            record_created(doc, actor=_real(actor), action="core.document.queued")
            tasks.enqueue(generate_document, doc.pk)
    except IntegrityError:  # two visitors asked at the same moment: the other one queued it
        return GeneratedDocument.objects.get(**lookup)
    return doc


def retry(doc: GeneratedDocument, *, actor: Any = None) -> GeneratedDocument:
    """Queue a failed document again."""
    with transaction.atomic():
        transition(
            doc,
            GeneratedDocument.Status.QUEUED,
            actor=_real(actor),
            action="core.document.requeued",
            changes={"error": ""},
        )
        tasks.enqueue(generate_document, doc.pk)
    return doc


def stale_after() -> timedelta:
    """How long a document may stay queued or being generated before its worker is taken for dead:
    ``DOCUMENT_STALE_SECONDS``, by default twice the PDF time limit and a minute."""
    seconds = getattr(settings, "DOCUMENT_STALE_SECONDS", None)
    if seconds is None:
        seconds = 2 * float(getattr(settings, "PDF_TIMEOUT_SECONDS", 60)) + 60
    return timedelta(seconds=float(seconds))


def revive_if_stale(doc: GeneratedDocument) -> bool:
    """Queue again a document whose worker died (killed while generating: it would say "being
    generated" for ever) or whose task was lost (queued, never started). Returns whether it did.

    No query unless the document is stale; a conditional UPDATE on the time it last moved makes two
    visitors who notice at once queue it once. No half file is ever served: a document is served only
    once ``generate_document`` has stored the whole file and moved it to ready.
    """
    if doc.status not in (GeneratedDocument.Status.QUEUED, GeneratedDocument.Status.RUNNING):
        return False
    now = timezone.now()
    if doc.updated_at > now - stale_after():
        return False
    try:
        with transaction.atomic():
            if doc.status == GeneratedDocument.Status.RUNNING:
                transition(
                    doc,
                    GeneratedDocument.Status.QUEUED,
                    actor=None,
                    action="core.document.recovered",
                    guard=Q(updated_at=doc.updated_at),
                    changes={"updated_at": now, "error": ""},
                )
            elif not GeneratedDocument.objects.filter(
                pk=doc.pk, status=doc.status, updated_at=doc.updated_at
            ).update(updated_at=now):
                return False
            tasks.enqueue(generate_document, doc.pk)
    except TransitionError:  # someone else noticed first
        return False
    log.warning("document %s was left %s by a stopped worker: queued again", doc.pk, doc.status)
    doc.refresh_from_db()
    return True


def _real(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


@shared_task(name="techbridge.core.documents.generate_document")
def generate_document(pk: int) -> str:
    """Render one queued document and store it; idempotent (a document already started is left alone)."""
    doc = GeneratedDocument.objects.filter(pk=pk).first()
    if doc is None or doc.status != GeneratedDocument.Status.QUEUED:
        return "skipped"
    try:
        transition(
            doc,
            GeneratedDocument.Status.RUNNING,
            actor=None,
            action="core.document.started",
            changes={"attempts": doc.attempts + 1},
        )
    except TransitionError:  # another worker took it
        return "skipped"
    kind = registry.document_kind(doc.kind)
    try:
        owner = doc.owner
        if owner is None:
            raise LookupError(doc.object_id)
        with translation.override("zh-hans"):  # the platform's documents are Chinese documents
            content = kind.render(owner)
    except Exception as exc:
        log.exception("generating document %s failed", doc)
        with translation.override("zh-hans"):
            message = _failure_message(exc)
        transition(
            doc,
            GeneratedDocument.Status.FAILED,
            actor=None,
            action="core.document.failed",
            changes={"error": message[:ERROR_MAX_LENGTH]},
        )
        return "failed"
    digest = hashlib.sha256(content).hexdigest()
    doc.file.save(f"{doc.source_hash[:16]}.pdf", ContentFile(content), save=False)
    transition(
        doc,
        GeneratedDocument.Status.READY,
        actor=None,
        action="core.document.generated",
        changes={"file": doc.file.name, "sha256": digest, "size": len(content)},
    )
    if kind.on_ready is not None:
        kind.on_ready(owner, doc)
    return "ready"


def _failure_message(exc: Exception) -> str:
    from techbridge.lib.pdf import PdfRefused, PdfUnavailable

    if isinstance(exc, PdfRefused | PdfUnavailable):
        return str(exc)
    return ""  # the page says it could not be generated; the details are in the log


# ---- HTTP ------------------------------------------------------------------------------------------------


def file_response(doc: GeneratedDocument, filename: str) -> FileResponse:
    response = FileResponse(doc.file.open("rb"), content_type="application/pdf")
    ascii_name = filename.encode("ascii", "ignore").decode() or "document.pdf"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{escape_uri_path(filename)}"
    )
    response["X-Document-SHA256"] = doc.sha256
    return response


def serve(request: HttpRequest, owner: models.Model, key: str) -> HttpResponseBase:
    """The download view's answer, once the caller has checked that ``request.user`` may see ``owner``.

    GET: the stored file, or (while it is made) a page that polls; the htmx poll gets the status fragment.
    POST: queue a failed document again.
    """
    kind = registry.document_kind(key)
    actor = request.user
    doc = current(owner, key, actor=actor)
    if request.method == "POST" and doc.status == GeneratedDocument.Status.FAILED:
        try:
            retry(doc, actor=actor)
        except TransitionError:
            pass
        doc.refresh_from_db()
    if doc.is_ready and request.method == "GET" and request.headers.get("HX-Request") != "true":
        return file_response(doc, kind.filename(owner))
    context = {"doc": doc, "url": request.path, "filename": kind.filename(owner)}
    if request.headers.get("HX-Request") == "true":
        response = render(request, "core/documents/status.html", context)
        if doc.is_ready:
            response["HX-Redirect"] = request.path
        return response
    status = 200 if doc.status == GeneratedDocument.Status.FAILED else 202
    return render(request, "core/documents/wait.html", context, status=status)


class DocumentStatusSerializer(serializers.Serializer):
    """What the API says while a document is being made (202) or after it failed (409)."""

    status = serializers.ChoiceField(choices=GeneratedDocument.Status.choices)
    status_display = serializers.CharField()
    detail = serializers.CharField()
    status_url = serializers.URLField()


def api_serve(request: Any, owner: models.Model, key: str) -> HttpResponseBase:
    """The API's answer: the file when ready, else 202 with the status and the URL to ask again."""
    kind = registry.document_kind(key)
    doc = current(owner, key, actor=request.user)
    if doc.is_ready:
        return file_response(doc, kind.filename(owner))
    body = {
        "status": doc.status,
        "status_display": doc.get_status_display(),
        "detail": (
            (doc.error or _("The document could not be generated."))
            if doc.status == GeneratedDocument.Status.FAILED
            else _("The document is being generated. Ask again in a few seconds.")
        ),
        "status_url": request.build_absolute_uri(request.path),
    }
    return JsonResponse(body, status=202 if doc.status != GeneratedDocument.Status.FAILED else 409)
