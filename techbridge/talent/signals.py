"""Receivers: a published demand is scored by the hard-demand rule and, if hard, routed to a technology
manager (``core.signals.listing_changed``; the catalogue never imports talent)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from techbridge.core.signals import listing_changed, listings_changed_in_bulk


@receiver(listing_changed, dispatch_uid="talent.listing_changed")
def route_on_publish(sender: Any, pk: int, published: bool = True, **kwargs: Any) -> None:
    from techbridge.demands.models import Demand

    if sender is not Demand or not published or kwargs.get("bulk"):
        return
    from . import tasks

    tasks.route_demand(pk)


@receiver(listings_changed_in_bulk, dispatch_uid="talent.listings_changed_in_bulk")
def route_imported(sender: Any, pks: list[int], **kwargs: Any) -> None:
    from techbridge.core.tasks import enqueue
    from techbridge.demands.models import Demand

    if sender is Demand and pks:
        from . import tasks

        enqueue(tasks.route_demands, list(pks))
