"""Background work of mining: classify a listing after it changed (inline by default, Celery in
production). Tasks take a kind and a primary key and are idempotent."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="techbridge.mining.classify_listing")
def classify_listing(kind: str, pk: int) -> str:
    """Bring one listing's predicted classification up to date; reviewers' corrections stay."""
    from . import services

    return services.classify_listing(kind, pk)


@shared_task(name="techbridge.mining.classify_listings")
def classify_listings(kind: str, pks: list[int]) -> dict[str, int]:
    """Classify a batch of listings (an import batch) in one pass; corrections stay."""
    from . import services

    return services.classify_listings(kind, pks)


# The supply–demand snapshot task lives beside its computation; importing it here registers it with
# the Celery worker, which discovers ``tasks`` modules.
from .analysis import compute_unmatched_task  # noqa: E402, F401
