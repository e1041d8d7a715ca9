"""Background work of the demands app."""

from __future__ import annotations

from celery import shared_task

from techbridge.core.fulltext import get_backend
from techbridge.core.signals import listing_changed
from techbridge.core.workflow import ReviewStatus

KIND = "demand"


@shared_task(name="techbridge.demands.sync_demand_search")
def sync_demand_search(pk: int) -> str:
    """Make the search index agree with the demand's current state. Idempotent."""
    from .models import Demand

    demand = Demand.objects.filter(pk=pk).select_related("enterprise").first()
    backend = get_backend()
    if demand is None or demand.status != ReviewStatus.PUBLISHED:
        backend.remove(KIND, pk)
        listing_changed.send(sender=Demand, pk=pk, published=False)
        return "removed"
    backend.index(KIND, pk, demand.search_document())
    listing_changed.send(sender=Demand, pk=pk, published=True)
    return "indexed"
