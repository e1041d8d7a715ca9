"""Fault: the worker generating a contract PDF is killed (SIGKILL) while it typesets. Its typesetting
child dies with it, the document is never served half-made, and once it is stale it is queued again
and made (issue 20)."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from techbridge.core import registry
from techbridge.core.documents import source_hash
from techbridge.core.models import AuditEntry, GeneratedDocument
from techbridge.testing.factories.contracts import make_signed_contract
from techbridge.testing.faults import kill_quietly, wait_gone


def test_a_pdf_worker_killed_while_typesetting_is_detected_as_stale_and_made_again(
    fault_worker, client, cast, achievement
):
    contract = make_signed_contract(cast, achievement)
    kind = registry.document_kind("contracts.contract")
    doc = GeneratedDocument(
        content_type=ContentType.objects.get_for_model(contract),
        object_id=contract.pk,
        kind=kind.key,
        source_hash=source_hash(kind, contract),
    )
    doc.save()  # queued, as ``documents.current`` leaves it for the task

    worker = fault_worker.start(
        "shell",
        "-c",
        f"from techbridge.core.documents import generate_document; generate_document({doc.pk})",
        pause="pdf.typesetting",
    )
    typesetter = fault_worker.paused_pid  # the forked child that typesets
    assert typesetter != worker.pid
    try:
        fault_worker.kill(worker)
        # The child dies with its worker instead of typesetting on, unwatched, for minutes.
        assert wait_gone(typesetter, timeout=10), "the typesetting child outlived its killed worker"
    finally:
        kill_quietly(typesetter)

    doc.refresh_from_db()
    assert doc.status == GeneratedDocument.Status.RUNNING and not doc.file and doc.attempts == 1
    url = reverse("contracts:pdf", args=[contract.pk])
    client.force_login(cast.buyer)
    # Still within the time a live worker may take: the page says it is being made; no file is served.
    waiting = client.get(url)
    assert waiting.status_code == 202 and "正在生成" in waiting.content.decode()

    # Past it, the worker is taken for dead: the next visitor's request queues it again (made at once
    # here: tasks run inline under tests) and the whole file is served.
    GeneratedDocument.objects.filter(pk=doc.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    client.get(url)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content)
    doc.refresh_from_db()
    assert doc.status == GeneratedDocument.Status.READY and doc.attempts == 2
    assert content.startswith(b"%PDF") and hashlib.sha256(content).hexdigest() == doc.sha256
    assert AuditEntry.objects.filter(action="core.document.recovered", object_id=str(doc.pk)).count() == 1
