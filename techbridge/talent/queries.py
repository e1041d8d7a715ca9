"""Reads of the talent app shared by pages, the API, the routing service and the plan's figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from techbridge.core.workflow import ReviewStatus
from techbridge.deals.models import BrokerInvitation
from techbridge.institutions.queries import blacklisted_org_ids, zone_ids

from . import rules
from .choices import (
    LEVEL_RANK,
    OPEN_ROUTING,
    CertificateKind,
    CertificateStatus,
    EnrolmentStatus,
    ManagerStatus,
)
from .models import Certificate, Enrolment, Expert, Routing, TalentEntry, TechnologyManager


def expert_of(user: Any) -> Expert | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Expert.objects.filter(user=user).first()


def manager_of(user: Any) -> TechnologyManager | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return TechnologyManager.objects.filter(user=user).select_related("institution__organization").first()


def listed_managers(
    *, q: str = "", level: str = "", field: str = "", institution: int | None = None
) -> QuerySet[TechnologyManager]:
    """The public directory of technology managers, with what a card shows, in a fixed number of queries."""
    qs = (
        TechnologyManager.objects.filter(status=ManagerStatus.APPROVED, user__is_active=True)
        .select_related("user__organization", "institution__organization")
        .prefetch_related(
            "fields",
            Prefetch(
                "user__talent_certificates",
                queryset=Certificate.objects.filter(status=CertificateStatus.VERIFIED).order_by("-issued_on"),
                to_attr="valid_certificates",
            ),
        )
        .annotate(rooms_brokered=Count("user__room_invitations", distinct=True))
        .order_by("user__real_name", "pk")
    )
    if q:
        qs = qs.filter(
            Q(user__real_name__icontains=q) | Q(bio__icontains=q) | Q(user__organization__name__icontains=q)
        )
    if level:
        qs = qs.filter(level=level)
    if field:
        qs = qs.filter(fields__code=field)
    if institution:
        qs = qs.filter(institution_id=institution)
    return qs.distinct()


def deals_brokered(user: Any) -> dict[str, Any]:
    """What a broker did, read from the negotiation rooms they were invited into (deals' records):
    rooms, rooms that reached an agreement, contracts signed and registered from them."""
    from techbridge.contracts.queries import registered
    from techbridge.deals.choices import OfferStatus
    from techbridge.deals.models import Offer

    invitations = BrokerInvitation.objects.filter(broker=user)
    room_ids = invitations.values("room_id")
    offers = Offer.objects.filter(room_id__in=room_ids, status=OfferStatus.ACCEPTED, contract__isnull=False)
    contract_ids = offers.values("contract_id")
    signed = offers.filter(contract__signed_at__isnull=False).values("contract_id").distinct().count()
    reg = registered().filter(pk__in=contract_ids).aggregate(n=Count("id"), amount=Sum("technology_amount"))
    rooms = invitations.select_related("room__seller", "room__buyer").order_by("-created_at")[:50]
    return {
        "rooms": invitations.count(),
        "agreed": Offer.objects.filter(room_id__in=room_ids, status=OfferStatus.ACCEPTED)
        .values("room_id")
        .distinct()
        .count(),
        "contracts_signed": signed,
        "contracts_registered": reg["n"],
        "registered_amount": reg["amount"] or Decimal("0"),
        "recent": list(rooms),
    }


def eligible_managers(demand: Any, score: int, *, exclude: set[int] | None = None) -> list[TechnologyManager]:
    """Managers a hard demand may go to, best first (``rules`` docstring): ``overlap`` and ``load`` set."""
    field_ids = list(demand.fields.values_list("pk", flat=True))
    qs = TechnologyManager.objects.filter(
        status=ManagerStatus.APPROVED, accepting_routes=True, user__is_active=True
    ).exclude(user__organization_id=demand.enterprise_id)
    blocked = blacklisted_org_ids()
    if blocked:
        qs = qs.exclude(institution__organization_id__in=blocked).exclude(user__organization_id__in=blocked)
    if exclude:
        qs = qs.exclude(pk__in=exclude)
    if field_ids:
        qs = qs.filter(fields__in=field_ids)
    need = rules.required_level(score)
    if need:
        qs = qs.filter(level__in=[lvl for lvl, rank in LEVEL_RANK.items() if rank >= LEVEL_RANK[need]])
    managers: list[Any] = list(
        qs.annotate(
            overlap=Count("fields", filter=Q(fields__in=field_ids), distinct=True)
            if field_ids
            else Count("pk", distinct=True),
            load=Count("routings", filter=Q(routings__status__in=OPEN_ROUTING), distinct=True),
        )
        .select_related("user")
        .order_by("id")
    )
    managers = [m for m in managers if m.load < m.max_load]  # type: ignore[attr-defined]
    managers.sort(key=lambda m: (-m.overlap, m.load, m.pk))  # type: ignore[attr-defined]
    return managers


def training_record(user: Any) -> dict[str, Any]:
    """A person's training: enrolments with hours and results, certificates, total hours of passed courses."""
    enrolments = list(
        Enrolment.objects.filter(user=user)
        .select_related("session__course__base", "certificate")
        .order_by("-session__starts_on")
    )
    certificates = list(Certificate.objects.filter(holder=user).order_by("-issued_on"))
    passed_hours = sum((e.hours for e in enrolments if e.status == EnrolmentStatus.PASSED), Decimal("0"))
    attended = sum((e.hours for e in enrolments if e.status != EnrolmentStatus.CANCELLED), Decimal("0"))
    return {
        "enrolments": enrolments,
        "certificates": certificates,
        "hours_attended": attended,
        "hours_passed": passed_hours,
    }


def _by_place(qs: QuerySet, prefix: str, district: str | None, zone: Any) -> QuerySet:
    if district:
        qs = qs.filter(**{f"{prefix}district": district})
    if zone is not None:
        qs = qs.filter(**{f"{prefix}zone_id__in": zone_ids(zone)})
    return qs


def trained_people(day: dt.date, *, district: str | None = None, zone: Any = None) -> int:
    """People holding a verified technology-transfer training certificate issued on or before ``day``
    and not revoked by then (the plan's 500); by the holder's organisation for a district or zone."""
    qs = Certificate.objects.filter(
        Q(revoked_on__isnull=True) | Q(revoked_on__gt=day),
        kind=CertificateKind.TRAINING,
        status__in=[CertificateStatus.VERIFIED, CertificateStatus.REVOKED],
        issued_on__lte=day,
    )
    qs = _by_place(qs, "holder__organization__", district, zone)
    return qs.values("holder_id").distinct().count()


def talent_entries(
    category: str, start_year: int, end_year: int, *, district: str | None = None, zone: Any = None
) -> int:
    qs = TalentEntry.objects.filter(category=category, year__gte=start_year, year__lte=end_year)
    return _by_place(qs, "organization__", district, zone).count()


def hard_demands_without_manager() -> QuerySet:
    """Published hard demands no manager could be found for (operators see them)."""
    from django.db.models import F

    from techbridge.demands.models import Demand

    return (
        Demand.objects.filter(
            status=ReviewStatus.PUBLISHED, talent_assessment__score__gte=F("talent_assessment__threshold")
        )
        .exclude(talent_routings__status__in=OPEN_ROUTING)
        .select_related("enterprise", "talent_assessment")
        .order_by("-talent_assessment__score", "pk")
    )


def open_routings() -> QuerySet[Routing]:
    return Routing.objects.filter(status__in=OPEN_ROUTING).select_related(
        "demand__enterprise", "manager__user"
    )
