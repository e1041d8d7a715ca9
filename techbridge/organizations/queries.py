"""Reads of organisations that pages share, with the visibility rule of the caller applied."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from techbridge.core.roles import is_staff_reviewer
from techbridge.core.workflow import ReviewStatus
from techbridge.lib.numbers import digits

from .choices import District, MembershipStatus, OrgStatus
from .models import MembershipRequest, Organization, Zone


def _published_count(related_model: Any, owner_field: str) -> Coalesce:
    counts = (
        related_model._default_manager.filter(**{owner_field: OuterRef("pk")}, status=ReviewStatus.PUBLISHED)
        .order_by()
        .values(owner_field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def with_published_counts(qs: QuerySet[Organization]) -> QuerySet[Organization]:
    """Annotate ``published_achievements`` and ``published_demands`` (one query, no row fan-out)."""
    achievements = Organization._meta.get_field("achievements").related_model
    demands = Organization._meta.get_field("demands").related_model
    return qs.annotate(
        published_achievements=_published_count(achievements, "owner"),
        published_demands=_published_count(demands, "enterprise"),
    )


def zone_ids(zone: Any) -> list[int]:
    """The ids a zone filter covers: the zone (a ``Zone``, its id or its code) and every park under it.

    An unknown zone covers nothing (``[]``), so a filter on it finds no rows rather than all of them.
    Every statistic by zone uses this, so a figure for the 高新区 includes its parks.
    """
    if zone is None or zone == "":
        return []
    if not isinstance(zone, Zone):
        lookup = {"pk": zone} if isinstance(zone, int) or digits(str(zone)) else {"code": str(zone)}
        zone = Zone.objects.filter(**lookup).first()
        if zone is None:
            return []
    return zone.with_parks()


def public_organizations(
    *, q: str = "", kind: str = "", district: str = "", zone: Any = None
) -> QuerySet[Organization]:
    """Approved organisations, the only ones the public directory shows, filtered and with counts."""
    qs = Organization.objects.filter(status=OrgStatus.APPROVED)
    if q:
        qs = qs.filter(name__icontains=q)
    if kind:
        qs = qs.filter(kind=kind)
    if district:
        qs = qs.filter(district=district)
    if zone:
        qs = qs.filter(zone_id__in=zone_ids(zone))
    return with_published_counts(qs).select_related("zone").order_by("name", "pk")


def visible_organizations(user: Any) -> QuerySet[Organization]:
    """Organisations whose profile ``user`` may open: approved ones, plus their own and all for staff."""
    qs = Organization.objects.all()
    if is_staff_reviewer(user):
        return qs
    visible = Q(status=OrgStatus.APPROVED)
    if getattr(user, "is_authenticated", False) and user.organization_id:
        visible |= Q(pk=user.organization_id)
    return qs.filter(visible)


def review_queue(status: str = OrgStatus.PENDING) -> QuerySet[Organization]:
    """Organisations for the console, oldest registration first; ``status=""`` means every status."""
    qs = Organization.objects.annotate(member_count=Count("members"))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("created_at", "pk")


def status_counts() -> dict[str, int]:
    """How many organisations are in each status (one query), for the console's tabs."""
    rows = Organization.objects.order_by().values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


def pending_request_of(user: Any) -> MembershipRequest | None:
    """The user's own join request that waits for an answer, if any (with its organisation)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        MembershipRequest.objects.select_related("organization")
        .filter(user=user, status=MembershipStatus.PENDING)
        .first()
    )


def members_of(org: Organization) -> QuerySet:
    """The organisation's members, admins first."""
    from techbridge.core.roles import Role

    return org.members.order_by(  # type: ignore[attr-defined]
        models.Case(models.When(role=Role.ORG_ADMIN, then=0), default=1), "username"
    )


def join_requests_of(org: Organization) -> QuerySet[MembershipRequest]:
    """Requests to join ``org`` that wait for a decision, oldest first, with the applicants (and the
    organisation, which the API shows on every request)."""
    return (
        MembershipRequest.objects.select_related("user", "organization")
        .filter(organization=org, status=MembershipStatus.PENDING)
        .order_by("created_at", "pk")
    )


# ---- where an organisation is (the metrics of every app filter by it) --------------------------------

NANJING_DISTRICTS = tuple(d for d in District.values if d != District.OUTSIDE)


def located_in(prefix: str = "", *, district: str | None = None, zone: Any = None) -> Q:
    """A filter on records whose organisation (reached by ``prefix``, e.g. ``"seller__"``) lies in
    ``district`` and/or ``zone`` (parks included); no argument → no restriction."""
    q = Q()
    if district:
        q &= Q(**{f"{prefix}district": district})
    if zone is not None:
        q &= Q(**{f"{prefix}zone_id__in": zone_ids(zone)})
    return q


def in_nanjing(prefix: str = "") -> Q:
    """Records whose organisation is located in one of Nanjing's districts (a blank district is unknown
    and does not count)."""
    return Q(**{f"{prefix}district__in": NANJING_DISTRICTS})


def by_place(qs: QuerySet, prefix: str, value: Any) -> dict[tuple[str, int | None], Any]:
    """``value`` (an aggregate) of ``qs`` grouped by its organisation's (district, zone id)."""
    rows = qs.order_by().values(f"{prefix}district", f"{prefix}zone_id").annotate(v=value)
    return {(r[f"{prefix}district"], r[f"{prefix}zone_id"]): r["v"] for r in rows}
