"""Hard-demand routing: score a published demand by the stated rule (``talent/rules.py``); a hard one
goes to a technology manager chosen by field, level and load; the manager and the demand's enterprise
are told; the manager accepts or declines (then the next manager is chosen)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit, notifications
from techbridge.core.roles import is_staff_reviewer
from techbridge.core.workflow import ReviewStatus, transition

from .. import rules
from ..choices import OPEN_ROUTING, RoutingStatus
from ..models import DemandAssessment, Routing
from ..queries import eligible_managers
from ._common import text


def assess_demand(demand: Any) -> DemandAssessment | None:
    """The demand's rule score, recomputed only when what the rule reads changed. Published only."""
    if demand.status != ReviewStatus.PUBLISHED:
        return None
    stamp = rules.content_stamp(demand)
    current = DemandAssessment.objects.filter(demand=demand).first()
    if current is not None and current.content_stamp == stamp:
        return current
    score, inputs = rules.assess(demand)
    values = {
        "score": score,
        "threshold": rules.THRESHOLD,
        "inputs": inputs,
        "rule_version": rules.RULE_VERSION,
        "content_stamp": stamp,
        "assessed_at": timezone.now(),
    }
    assessment, _created = DemandAssessment.objects.update_or_create(demand=demand, defaults=values)
    return assessment


def _enterprise_members(demand: Any):
    from techbridge.accounts.models import User

    return User.objects.filter(organization_id=demand.enterprise_id, is_active=True)


def route_demand(demand: Any, *, actor: Any = None) -> Routing | None:
    """Route a hard published demand to a manager (idempotent: an open routing is kept).

    Returns the open routing, or ``None`` when the demand is not hard or no manager is eligible (the
    console lists those for an operator).
    """
    assessment = assess_demand(demand)
    if assessment is None or not assessment.is_hard:
        return None
    existing = Routing.objects.filter(demand=demand, status__in=OPEN_ROUTING).first()
    if existing is not None:
        return existing
    if Routing.objects.filter(demand=demand, status=RoutingStatus.CLOSED).exists():
        return None  # taken up and closed: not routed again automatically
    declined = set(
        Routing.objects.filter(demand=demand, status=RoutingStatus.DECLINED).values_list(
            "manager_id", flat=True
        )
    )
    candidates = eligible_managers(demand, assessment.score, exclude=declined)
    if not candidates:
        return None
    manager = candidates[0]
    reason = {
        "shared_fields": manager.overlap,  # type: ignore[attr-defined]
        "open_routings": manager.load,  # type: ignore[attr-defined]
        "level": manager.level,
        "required_level": rules.required_level(assessment.score),
        "candidates": len(candidates),
    }
    try:
        with transaction.atomic():
            routing = Routing.objects.create(
                demand=demand, manager=manager, score=assessment.score, reason=reason
            )
            audit.record(
                routing,
                "talent.routing.assigned",
                actor=actor,
                to_state=routing.status,
                data={"demand": demand.pk, "manager": manager.pk, "score": assessment.score},
            )
            link = reverse("demands:detail", args=[demand.pk])
            notifications.notify(
                manager.user,
                kind="talent_routing",
                title=_("A hard demand was routed to you: %(title)s") % {"title": demand.title},
                body=_("Rule score %(score)s (threshold %(threshold)s).")
                % {"score": assessment.score, "threshold": assessment.threshold},
                link=reverse("talent:manager_mine"),
                dedupe_key=f"routing:{routing.pk}",
            )
            for user in _enterprise_members(demand):
                notifications.notify(
                    user,
                    kind="talent_routing",
                    title=_("Your demand was routed to technology manager %(name)s")
                    % {"name": manager.user.display_name},
                    link=link,
                    dedupe_key=f"routing:{routing.pk}:{user.pk}",
                )
    except IntegrityError:
        return Routing.objects.filter(demand=demand, status__in=OPEN_ROUTING).first()
    return routing


def answer_routing(routing: Routing, *, actor: Any, accept: bool, note: str = "") -> Routing:
    """The routed manager accepts the demand (the enterprise is told) or declines it (the next manager
    is chosen)."""
    if routing.manager.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Only the technology manager this demand was routed to can answer."))
    note = text(note, "note", 500)
    demand = routing.demand
    with transaction.atomic():
        transition(
            routing,
            RoutingStatus.ACCEPTED if accept else RoutingStatus.DECLINED,
            actor=actor,
            action="talent.routing.accepted" if accept else "talent.routing.declined",
            message=note,
            changes={"answered_at": timezone.now(), "note": note},
        )
        if accept:
            for user in _enterprise_members(demand):
                notifications.notify(
                    user,
                    kind="talent_routing",
                    title=_("Technology manager %(name)s takes up your demand")
                    % {"name": actor.display_name},
                    body=note,
                    link=reverse("demands:detail", args=[demand.pk]),
                )
    if not accept:
        route_demand(demand, actor=None)
    return routing


def close_routing(routing: Routing, *, actor: Any, note: str = "") -> Routing:
    """Close a routing (solved, or no longer needed): the manager, the enterprise or staff."""
    own = routing.manager.user_id == getattr(actor, "pk", None)
    owner = getattr(actor, "organization_id", None) == routing.demand.enterprise_id
    if not (own or owner or is_staff_reviewer(actor)):
        raise PermissionDenied(
            _("Only the manager, the enterprise or platform staff can close this routing.")
        )
    transition(
        routing,
        RoutingStatus.CLOSED,
        actor=actor,
        action="talent.routing.closed",
        message=text(note, "note", 500),
    )
    return routing


def route_pending_demands() -> int:
    """Daily: assess published demands whose content changed since their assessment (or never assessed)
    and route the hard ones; close routings of demands no longer published. Idempotent."""
    from techbridge.demands.models import Demand

    for routing in Routing.objects.filter(status__in=OPEN_ROUTING).exclude(
        demand__status=ReviewStatus.PUBLISHED
    ):
        transition(
            routing,
            RoutingStatus.CLOSED,
            actor=None,
            action="talent.routing.closed",
            message="demand not published",
        )
    stale = Demand.objects.filter(status=ReviewStatus.PUBLISHED).filter(
        Q(talent_assessment__isnull=True) | Q(talent_assessment__assessed_at__lt=F("content_updated_at"))
    )
    routed = 0
    for demand in stale.iterator(chunk_size=200):
        if route_demand(demand) is not None:
            routed += 1
    unrouted_hard = Demand.objects.filter(
        status=ReviewStatus.PUBLISHED, talent_assessment__score__gte=F("talent_assessment__threshold")
    ).exclude(talent_routings__status__in=[*OPEN_ROUTING, RoutingStatus.CLOSED])
    for demand in unrouted_hard.iterator(chunk_size=200):
        if route_demand(demand) is not None:
            routed += 1
    return routed
