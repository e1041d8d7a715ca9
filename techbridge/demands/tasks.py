"""Background work of the demands app."""

from __future__ import annotations

from celery import shared_task

from techbridge.core import listings

KIND = "demand"


@shared_task(name="techbridge.demands.sync_demand_search")
def sync_demand_search(pk: int) -> str:
    """Make the search index agree with the demand's current state. Idempotent."""
    from .models import Demand

    return listings.sync_search(Demand, pk, kind=KIND, related=("enterprise",))


@shared_task(name="techbridge.demands.make_attachment_thumbnail")
def make_attachment_thumbnail(pk: int) -> None:
    """Store the thumbnail of one image file, once. Idempotent."""
    from techbridge.core.listing_files import make_thumbnail

    from .models import DemandAttachment

    make_thumbnail(DemandAttachment, pk)
