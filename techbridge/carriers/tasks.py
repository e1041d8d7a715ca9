"""Background work of carriers: keeping the typical-case search index in step. Idempotent, takes pks."""

from __future__ import annotations

from celery import shared_task

from techbridge.core.fulltext import get_backend

KIND = "case"


@shared_task(name="techbridge.carriers.tasks.sync_case_search")
def sync_case_search(pk: int) -> str:
    """Index a published case, remove any other from the index."""
    from .choices import CaseStatus
    from .models import TypicalCase

    case = TypicalCase.objects.filter(pk=pk).first()
    backend = get_backend()
    if case is None or case.status != CaseStatus.PUBLISHED:
        backend.remove(KIND, pk)
        return "removed"
    backend.index(KIND, pk, case.document())
    return "indexed"
