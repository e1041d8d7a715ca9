"""Background work of the talent app (takes primary keys; idempotent)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="techbridge.talent.route_demand")
def route_demand(pk: int) -> str:
    """Score a demand by the hard-demand rule and route it if it is hard (idempotent)."""
    from techbridge.demands.models import Demand

    from . import services

    demand = Demand.objects.filter(pk=pk).first()
    if demand is None:
        return "missing"
    routing = services.route_demand(demand)
    return "routed" if routing is not None else "not routed"


@shared_task(name="techbridge.talent.route_demands")
def route_demands(pks: list[int]) -> int:
    from techbridge.demands.models import Demand

    from . import services

    n = 0
    for demand in Demand.objects.filter(pk__in=pks).iterator(chunk_size=200):
        n += services.route_demand(demand) is not None
    return n
