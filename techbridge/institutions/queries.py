"""Reads of institutions shared by pages, the API, other apps (talent) and the metrics."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Prefetch, Q, QuerySet
from django.utils import timezone

from techbridge.contracts.choices import ContractStatus, ContractType
from techbridge.contracts.queries import PUBLIC_MIN_CELL

from . import records
from .choices import (
    PROVINCIAL_OR_ABOVE,
    BlacklistStatus,
    CreditEventStatus,
    DesignationStatus,
    InstitutionStatus,
    RatingRelation,
)
from .models import (
    Blacklisting,
    CreditEvent,
    Designation,
    Institution,
    InstitutionService,
    Rating,
    ScorecardWeights,
)


def listed() -> QuerySet[Institution]:
    """Listed (approved) institutions with what the directory shows, in a fixed number of queries."""
    return (
        Institution.objects.filter(status=InstitutionStatus.APPROVED)
        .select_related(
            "organization", "organization__zone", "host", "current_score__weights", "current_credit"
        )
        .prefetch_related(
            "fields",
            Prefetch("services", queryset=InstitutionService.objects.order_by("code")),
            Prefetch(
                "designations",
                queryset=Designation.objects.filter(status=DesignationStatus.VERIFIED),
                to_attr="verified_designations",
            ),
            Prefetch(
                "blacklistings",
                queryset=Blacklisting.objects.filter(status=BlacklistStatus.LISTED),
                to_attr="listings_in_force",
            ),
        )
        .order_by("organization__name", "pk")
    )


def directory(
    *,
    q: str = "",
    service: str = "",
    field: str = "",
    level: str = "",
    district: str = "",
    zone: Any = None,
    alliance: bool = False,
) -> QuerySet[Institution]:
    """The public directory with its filters (all optional)."""
    qs = listed()
    if q:
        qs = qs.filter(Q(organization__name__icontains=q) | Q(summary__icontains=q))
    if service:
        qs = qs.filter(services__code=service)
    if field:
        qs = qs.filter(fields__code=field)
    if level:
        today = timezone.localdate()
        qs = qs.filter(
            pk__in=Designation.objects.filter(
                Q(valid_until__isnull=True) | Q(valid_until__gte=today),
                status=DesignationStatus.VERIFIED,
                level=level,
            ).values("institution_id")
        )
    if district:
        qs = qs.filter(organization__district=district)
    if zone is not None:
        qs = qs.filter(organization__zone_id__in=zone_ids(zone))
    if alliance:
        qs = qs.exclude(alliance_role="")
    return qs.distinct()


def institution_of_org(org_id: int | None) -> Institution | None:
    if org_id is None:
        return None
    return Institution.objects.filter(organization_id=org_id).first()


def listing_in_force(institution: Institution) -> Blacklisting | None:
    return (
        Blacklisting.objects.filter(institution=institution, status=BlacklistStatus.LISTED)
        .select_related("event")
        .first()
    )


def is_blacklisted_org(org_id: int | None) -> bool:
    """Whether the organisation's institution is on the blacklist now."""
    if org_id is None:
        return False
    return Blacklisting.objects.filter(
        institution__organization_id=org_id, status=BlacklistStatus.LISTED
    ).exists()


def blacklisted_org_ids() -> set[int]:
    return set(
        Blacklisting.objects.filter(status=BlacklistStatus.LISTED).values_list(
            "institution__organization_id", flat=True
        )
    )


def events_in_force(institution: Institution) -> QuerySet[CreditEvent]:
    return CreditEvent.objects.filter(institution=institution, status=CreditEventStatus.IN_FORCE)


def current_weights() -> ScorecardWeights | None:
    return ScorecardWeights.objects.order_by("-version").first()


def work_record(institution: Institution) -> dict[str, Any]:
    """The institution's platform work, all time: rooms, contracts served / intermediated / brokered,
    registrations and registered turnover, clients, median time to deal."""
    a = records.activity([institution.organization_id])[institution.organization_id]
    return {
        "rooms": len(a.rooms),
        "contracts": len(a.contracts),
        "served": len(a.served),
        "intermediated": len(a.intermediated | a.brokered),
        "brokered": len(a.brokered),
        "registered": a.registered_count,
        "turnover": a.registered_amount,
        # A turnover of fewer contracts than the public statistics' smallest cell is not shown in
        # public (contracts.queries.PUBLIC_MIN_CELL), so no single price can be read off it.
        "turnover_public": a.registered_count >= PUBLIC_MIN_CELL,
        "clients": len(a.clients),
        "median_days": a.median_days_to_deal,
    }


def rating_summary(institution: Institution) -> dict[str, Any]:
    agg = Rating.objects.filter(institution=institution).aggregate(n=Count("id"), mean=Avg("score"))
    mean = agg["mean"]
    return {
        "count": agg["n"],
        "mean": Decimal(str(mean)).quantize(Decimal("0.1")) if mean is not None else None,
    }


# ---- ratings ----------------------------------------------------------------------------------


def rating_candidates(contract: Any) -> list[tuple[Institution, str, set[int]]]:
    """Institutions a client may rate on a performed contract: ``(institution, relation, rater org ids)``.

    The provider of a service or consulting contract (rated by the buyer), and every institution whose
    member was invited as broker into the room the contract came from (rated by either side).
    """
    if contract.status != ContractStatus.PERFORMED:
        return []
    parties = {contract.seller_id, contract.buyer_id}
    found: dict[int, tuple[Institution, str, set[int]]] = {}
    if contract.contract_type in (ContractType.SERVICE, ContractType.CONSULTING):
        inst = Institution.objects.filter(
            organization_id=contract.seller_id, status=InstitutionStatus.APPROVED
        ).first()
        if inst is not None:
            found[inst.organization_id] = (inst, RatingRelation.SERVED, {contract.buyer_id})
    for inst in Institution.objects.filter(
        organization_id__in=records.broker_orgs_of_contract(contract), status=InstitutionStatus.APPROVED
    ).select_related("organization"):
        if inst.organization_id not in found:
            found[inst.organization_id] = (inst, RatingRelation.BROKERED, parties - {inst.organization_id})
    return list(found.values())


def rateable_for(user: Any, contract: Any) -> list[tuple[Institution, str]]:
    """What ``user`` (a member of a party) may still rate on ``contract``."""
    org_id = getattr(user, "organization_id", None) if getattr(user, "is_authenticated", False) else None
    if org_id is None:
        return []
    rated = set(
        Rating.objects.filter(contract=contract, rater_org_id=org_id).values_list("institution_id", flat=True)
    )
    return [
        (inst, relation)
        for inst, relation, raters in rating_candidates(contract)
        if org_id in raters and inst.pk not in rated and inst.organization_id != org_id
    ]


# ---- the plan's figures -----------------------------------------------------------------------


def zone_ids(zone: Any) -> list[int]:
    """A zone (a ``Zone``, its code or its id) and its parks, as ids; unknown → an empty list."""
    from techbridge.organizations.models import Zone

    if hasattr(zone, "with_parks"):
        return list(zone.with_parks())
    found = (
        Zone.objects.filter(pk=zone).first()
        if isinstance(zone, int)
        else Zone.objects.filter(code=str(zone)).first()
    )
    return list(found.with_parks()) if found else []


def demonstration_institutions(day: dt.date, *, district: str | None = None, zone: Any = None) -> int:
    """Institutions holding a verified provincial-or-national designation valid on ``day``."""
    qs = Designation.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=day),
        Q(revoked_on__isnull=True) | Q(revoked_on__gt=day),
        status__in=[DesignationStatus.VERIFIED, DesignationStatus.REVOKED],
        level__in=PROVINCIAL_OR_ABOVE,
        designated_on__lte=day,
    )
    if district:
        qs = qs.filter(institution__organization__district=district)
    if zone is not None:
        qs = qs.filter(institution__organization__zone_id__in=zone_ids(zone))
    return qs.values("institution_id").distinct().count()
