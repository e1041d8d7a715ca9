"""Writes to technology demands. Every change is validated, atomic and audited; the search index
follows after the transaction commits."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import listings
from techbridge.core.tasks import enqueue
from techbridge.core.workflow import ReviewStatus, TransitionError
from techbridge.organizations.choices import OrgStatus
from techbridge.taxonomy.models import DealMode, IndustryField

from . import tasks
from .models import Demand
from .permissions import check_author

EDITABLE_FIELDS = (
    "title",
    "problem",
    "setting",
    "indicators",
    "budget_negotiable",
    "budget_min",
    "budget_max",
    "deadline",
    "keywords",
    "contact_name",
    "contact_phone",
    "contact_email",
    "zone",
)


def _sync_index(demand: Demand) -> None:
    enqueue(tasks.sync_demand_search, demand.pk)


def create_demand(
    *,
    actor: Any,
    data: dict[str, Any],
    fields: Iterable[IndustryField] = (),
    cooperation_modes: Iterable[DealMode] = (),
) -> Demand:
    """Create a draft demand owned by the actor's organisation.

    Without a zone it takes the enterprise's zone; the enterprise may change it afterwards.
    """
    check_author(actor)
    if not data.get("zone"):
        data = {**data, "zone": actor.organization.zone}
    return listings.create_listing(
        Demand,
        actor=actor,
        data=data,
        editable=EDITABLE_FIELDS,
        m2m={"fields": fields, "cooperation_modes": cooperation_modes},
    )


def update_demand(
    demand: Demand,
    *,
    actor: Any,
    data: dict[str, Any],
    fields: Iterable[IndustryField] | None = None,
    cooperation_modes: Iterable[DealMode] | None = None,
) -> Demand:
    """Apply an owner's edit. A published demand goes back to review after an edit."""
    listings.update_listing(
        demand,
        actor=actor,
        data=data,
        editable=EDITABLE_FIELDS,
        m2m={"fields": fields, "cooperation_modes": cooperation_modes},
    )
    _sync_index(demand)
    return demand


def submit_demand(demand: Demand, *, actor: Any) -> None:
    """Send a demand for review; the enterprise must have been approved and the deadline not passed."""
    if demand.enterprise.status != OrgStatus.APPROVED:
        raise TransitionError(
            _("Your organisation is still awaiting review; you can submit once it is approved.")
        )
    if demand.deadline and demand.deadline < timezone.localdate():
        raise TransitionError(_("The deadline has passed; set a new deadline before submitting."))
    listings.submit(demand, actor=actor)


def approve_demand(demand: Demand, *, actor: Any) -> None:
    listings.approve(demand, actor=actor)
    _sync_index(demand)


def reject_demand(demand: Demand, *, actor: Any, reason: str) -> None:
    listings.reject(demand, actor=actor, reason=reason)


def withdraw_demand(demand: Demand, *, actor: Any, reason: str = "") -> None:
    listings.withdraw(demand, actor=actor, reason=reason)
    _sync_index(demand)


def reopen_demand(demand: Demand, *, actor: Any) -> None:
    listings.reopen(demand, actor=actor)


def expire_overdue_demands() -> int:
    """Expire published demands whose deadline has passed. Idempotent."""
    count = 0
    today = timezone.localdate()
    for demand in Demand.objects.filter(status=ReviewStatus.PUBLISHED, deadline__lt=today).select_related(
        "created_by"
    ):
        try:
            listings.expire(demand, reason=_("The deadline %(date)s has passed.") % {"date": demand.deadline})
        except TransitionError:
            continue  # someone changed it meanwhile; the next sweep looks again
        _sync_index(demand)
        count += 1
    return count


def sweep_demands() -> dict[str, int]:
    """Daily: expire overdue demands, then flag stale ones."""
    return {
        "expired": expire_overdue_demands(),
        "stale": listings.mark_stale(Demand, link_name="demands:edit"),
    }
