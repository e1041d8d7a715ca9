"""Background work of imports: checking and running console uploads, scanning for duplicates."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="techbridge.imports.check_batch")
def check_batch(pk: int) -> str:
    """Check every row of an uploaded batch without writing. Idempotent."""
    from . import batches

    return batches.check(pk).status


@shared_task(name="techbridge.imports.run_batch")
def run_batch(pk: int) -> str:
    """Import a confirmed batch, then look for duplicates. Runs once per batch."""
    from . import batches

    return batches.run(pk).status


@shared_task(name="techbridge.imports.scan_duplicates")
def scan_duplicates(kind: str) -> int:
    """Look for duplicate pairs among all active listings of ``kind``; returns new pairs."""
    from . import dedup

    return dedup.scan(kind)


@shared_task(name="techbridge.imports.recover_stale")
def recover_stale() -> int:
    """Recover imports interrupted by a killed process; returns how many."""
    from . import batches

    return batches.recover_stale()
