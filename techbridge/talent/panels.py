"""Conflict-free expert panels from the one expert pool — the service every app uses to draw experts
(valuation panels today; fund reviews, challenge panels and disclosure assessments later).

    from techbridge.talent import panels

    experts = panels.eligible_experts(
        fields=[field.pk, ...],                 # industry fields the subject belongs to
        exclude_organizations={owner_org_id},   # organisations with a stake in the subject
        exclude_users={requester_id},           # people who may not judge it
    )
    chosen = panels.draw_panel(size=5, fields=..., exclude_organizations=..., exclude_users=...)

Rules (one place, deterministic — the same pool and arguments always give the same panel):

- eligible: active experts with an active account who share at least one of ``fields``; not a member
  of an excluded organisation; not an excluded user; not an expert who **declared a conflict** with an
  excluded organisation; not in ``exclude_experts`` (e.g. already seated or replaced);
- order: most shared fields first, then the lightest **workload** (open seats across every app that
  registered a workload), then the longest in the pool (lowest id).

An app whose panels keep experts busy registers its workload once, in its ``extensions.register()``:

    panels.register_workload("valuation", open_seats)   # open_seats(expert_ids) -> {expert_id: n}

so an expert sitting on three valuation panels is drawn after an idle one for a fund review.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from .models import Expert

Workload = Callable[[list[int]], dict[int, int]]
_workloads: dict[str, Workload] = {}

MAX_PANEL = 15


def register_workload(name: str, fn: Workload) -> None:
    """Declare how many open seats each expert has in your app (``fn(expert_ids) -> {id: count}``)."""
    _workloads[name] = fn


def workload(expert_ids: Iterable[int]) -> dict[int, int]:
    """Open seats of each expert across every registered app (0 when none)."""
    ids = list(expert_ids)
    total = dict.fromkeys(ids, 0)
    if not ids:
        return total
    for fn in _workloads.values():
        for pk, n in fn(ids).items():
            if pk in total:
                total[pk] += int(n)
    return total


def _ids(values: Iterable[Any] | None) -> set[int]:
    out = set()
    for v in values or ():
        pk = getattr(v, "pk", v)
        if pk is not None:
            out.add(int(pk))
    return out


def eligible_experts(
    *,
    fields: Iterable[Any],
    exclude_organizations: Iterable[Any] | None = None,
    exclude_users: Iterable[Any] | None = None,
    exclude_experts: Iterable[Any] | None = None,
) -> list[Expert]:
    """Every eligible expert, in the order a panel is drawn (see the module docstring).

    Each item has ``overlap`` (shared fields) and ``load`` (open seats) set. Arguments accept model
    instances or primary keys.
    """
    field_ids = _ids(fields)
    if not field_ids:
        return []
    orgs, users, experts = _ids(exclude_organizations), _ids(exclude_users), _ids(exclude_experts)
    qs = Expert.objects.filter(active=True, user__is_active=True, fields__in=field_ids)
    if orgs:
        conflicted = Expert.objects.filter(declared_conflicts__organization_id__in=orgs).values("pk")
        qs = qs.exclude(user__organization_id__in=orgs).exclude(pk__in=conflicted)
    if users:
        qs = qs.exclude(user_id__in=users)
    if experts:
        qs = qs.exclude(pk__in=experts)
    found: list[Any] = list(
        qs.annotate(overlap=Count("fields", filter=Q(fields__in=field_ids), distinct=True))
        .select_related("user__organization")
        .order_by("id")
    )
    loads = workload(e.pk for e in found)
    for e in found:
        e.load = loads[e.pk]  # type: ignore[attr-defined]
    found.sort(key=lambda e: (-e.overlap, e.load, e.pk))  # type: ignore[attr-defined]
    return found


def draw_panel(
    *,
    size: int,
    fields: Iterable[Any],
    exclude_organizations: Iterable[Any] | None = None,
    exclude_users: Iterable[Any] | None = None,
    exclude_experts: Iterable[Any] | None = None,
) -> list[Expert]:
    """The first ``size`` eligible experts; ``ValidationError`` (translated) when there are fewer."""
    if not 1 <= size <= MAX_PANEL:
        raise ValidationError(_("A panel has between 1 and %(max)s experts.") % {"max": MAX_PANEL})
    experts = eligible_experts(
        fields=fields,
        exclude_organizations=exclude_organizations,
        exclude_users=exclude_users,
        exclude_experts=exclude_experts,
    )
    if len(experts) < size:
        raise ValidationError(
            _(
                "Only %(found)s eligible experts (same field, no conflict of interest) for a panel of "
                "%(size)s. Add experts to the pool or choose a smaller panel."
            )
            % {"found": len(experts), "size": size}
        )
    return experts[:size]
