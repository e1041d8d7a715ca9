"""Background work of the achievements app."""

from __future__ import annotations

from celery import shared_task

from techbridge.core import listings

KIND = "achievement"


@shared_task(name="techbridge.achievements.sync_achievement_search")
def sync_achievement_search(pk: int) -> str:
    """Make the search index agree with the achievement's current state. Idempotent."""
    from .models import Achievement

    return listings.sync_search(Achievement, pk, kind=KIND, related=("owner", "discipline"))


@shared_task(name="techbridge.achievements.make_attachment_thumbnail")
def make_attachment_thumbnail(pk: int) -> None:
    """Store the thumbnail of one image file, once. Idempotent."""
    from techbridge.core.listing_files import make_thumbnail

    from .models import AchievementAttachment

    make_thumbnail(AchievementAttachment, pk)
