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
