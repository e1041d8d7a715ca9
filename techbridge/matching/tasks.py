"""Background work of matching: follow the listings' changes (inline by default, on Celery in
production). Tasks take a kind and a primary key, and are idempotent."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="techbridge.matching.sync_listing_match")
def sync_listing_match(kind: str, pk: int, encode: bool = True) -> str:
    """Bring the listing's entry in both indexes up to date, then tell the owners of close matches.

    ``encode=False`` leaves a new text to ``rebuild_index`` (bulk changes); the listing is matched by
    keywords meanwhile, and no notification goes out before its vector exists.
    """
    from . import services

    result = services.index_listing(kind, pk, encode=encode)
    if result == "indexed":
        services.notify_matches(kind, pk)
    return result
