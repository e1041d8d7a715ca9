"""Background work of the achievements app."""

from __future__ import annotations

from celery import shared_task

from techbridge.core.fulltext import get_backend
from techbridge.core.signals import listing_changed
from techbridge.core.workflow import ReviewStatus

KIND = "achievement"


@shared_task(name="techbridge.achievements.sync_achievement_search")
def sync_achievement_search(pk: int) -> str:
    """Make the search index agree with the achievement's current state. Idempotent."""
    from .models import Achievement

    achievement = Achievement.objects.filter(pk=pk).select_related("owner", "discipline").first()
    backend = get_backend()
    if achievement is None or achievement.status != ReviewStatus.PUBLISHED:
        backend.remove(KIND, pk)
        listing_changed.send(sender=Achievement, pk=pk, published=False)
        return "removed"
    backend.index(KIND, pk, achievement.search_document())
    listing_changed.send(sender=Achievement, pk=pk, published=True)
    return "indexed"
