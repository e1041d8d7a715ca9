"""An institution's record of platform work, read from the lower apps' own records.

- **Rooms brokered**: negotiation rooms into which a member of the institution was invited as broker
  (``deals.BrokerInvitation``).
- **Contracts served**: technology service and consulting contracts (技术服务、技术咨询) the institution
  signed as the provider (the contract's seller side); those of sub-type technical intermediation
  (技术中介) are its **intermediated** contracts.
- **Contracts brokered**: contracts that came out of a room (the accepted offer's contract) into which a
  member of the institution had been invited before the contract was signed; they count as
  intermediated too.
- **Registered turnover**: the certified technology transaction amount of those contracts that the
  registry registered (``contracts.queries.registered``: registration stands, also once performed).
- **Time to deal**: days from a brokered room's opening to the offer accepted in it.

A contract counts once per institution even when it is both served and brokered. Drafts, cancelled and
superseded versions never count (an amendment's signed version does). Every function reads many
institutions at once (a handful of queries whatever their number), so the quarterly scoring of a
thousand institutions costs the same few queries as one.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Q
from django.utils import timezone

from techbridge.contracts.choices import ContractStatus, ContractType, SubType
from techbridge.contracts.models import Contract
from techbridge.contracts.queries import registered
from techbridge.deals.choices import OfferStatus
from techbridge.deals.models import BrokerInvitation, Offer

SERVICE_TYPES = (ContractType.SERVICE, ContractType.CONSULTING)
NOT_COUNTED = (ContractStatus.DRAFT, ContractStatus.CANCELLED, ContractStatus.SUPERSEDED)


@dataclass
class Activity:
    """What one institution did on the platform in a period (or ever)."""

    rooms: set[int] = field(default_factory=set)
    served: set[int] = field(default_factory=set)
    intermediated: set[int] = field(default_factory=set)
    brokered: set[int] = field(default_factory=set)
    clients: set[int] = field(default_factory=set)
    registered: dict[int, Decimal] = field(default_factory=dict)
    deal_days: list[float] = field(default_factory=list)

    @property
    def contracts(self) -> set[int]:
        return self.served | self.intermediated | self.brokered

    @property
    def registered_count(self) -> int:
        return len(self.registered)

    @property
    def registered_amount(self) -> Decimal:
        return sum(self.registered.values(), Decimal("0"))

    @property
    def median_days_to_deal(self) -> float | None:
        return round(statistics.median(self.deal_days), 1) if self.deal_days else None


def day_range(start: dt.date | None, end: dt.date | None) -> tuple[dt.datetime | None, dt.datetime | None]:
    """Aware datetimes from the start of ``start`` to the start of the day after ``end`` (local time)."""
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz) if start else None
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz) if end else None
    return lo, hi


def _between(prefix: str, lo: dt.datetime | None, hi: dt.datetime | None) -> Q:
    q = Q()
    if lo is not None:
        q &= Q(**{f"{prefix}__gte": lo})
    if hi is not None:
        q &= Q(**{f"{prefix}__lt": hi})
    return q


def activity(
    org_ids: Iterable[int], start: dt.date | None = None, end: dt.date | None = None
) -> dict[int, Activity]:
    """Activity per organisation id of ``org_ids`` between ``start`` and ``end`` (both included; open
    when ``None``): rooms by invitation date, contracts by signing date, registrations by registration
    date, deals by the date the offer was accepted."""
    ids = sorted(set(org_ids))
    out = {i: Activity() for i in ids}
    if not ids:
        return out
    lo, hi = day_range(start, end)

    # Rooms brokered.
    for org_id, room_id in BrokerInvitation.objects.filter(
        _between("created_at", lo, hi), broker__organization_id__in=ids
    ).values_list("broker__organization_id", "room_id"):
        out[org_id].rooms.add(room_id)

    # Contracts served (as the provider), signed in the period.
    served = Contract.objects.filter(
        seller_id__in=ids, contract_type__in=SERVICE_TYPES, signed_at__isnull=False
    ).exclude(status__in=NOT_COUNTED)
    for seller_id, pk, buyer_id, sub_type in served.filter(_between("signed_at", lo, hi)).values_list(
        "seller_id", "pk", "buyer_id", "sub_type"
    ):
        a = out[seller_id]
        (a.intermediated if sub_type == SubType.INTERMEDIATION else a.served).add(pk)
        a.clients.add(buyer_id)

    # Contracts brokered: the contract of an accepted offer in a room the institution was invited into
    # before the contract was signed.
    brokered = (
        _brokered_offers(ids)
        .filter(contract__signed_at__isnull=False)
        .exclude(contract__status__in=NOT_COUNTED)
    )
    for org_id, pk, seller_id, buyer_id in brokered.filter(
        _between("contract__signed_at", lo, hi)
    ).values_list(
        "room__broker_invitations__broker__organization_id",
        "contract_id",
        "contract__seller_id",
        "contract__buyer_id",
    ):
        a = out[org_id]
        a.brokered.add(pk)
        a.clients.update(c for c in (seller_id, buyer_id) if c != org_id)

    # Registrations in the period of any contract served or brokered (whenever it was signed).
    reg = registered().filter(_between("registered_at", lo, hi))
    for seller_id, pk, amount in reg.filter(seller_id__in=ids, contract_type__in=SERVICE_TYPES).values_list(
        "seller_id", "pk", "technology_amount"
    ):
        out[seller_id].registered[pk] = amount or Decimal("0")
    reg_ids = reg.values("pk")
    for org_id, pk, amount in (
        _brokered_offers(ids)
        .filter(contract_id__in=reg_ids)
        .values_list(
            "room__broker_invitations__broker__organization_id", "contract_id", "contract__technology_amount"
        )
    ):
        out[org_id].registered[pk] = amount or Decimal("0")

    # Time to deal in brokered rooms: opening of the room → the accepted offer.
    for org_id, opened, answered in (
        Offer.objects.filter(
            _between("answered_at", lo, hi),
            status=OfferStatus.ACCEPTED,
            room__broker_invitations__broker__organization_id__in=ids,
            room__broker_invitations__created_at__lte=F("answered_at"),
        )
        .values_list("room__broker_invitations__broker__organization_id", "room__created_at", "answered_at")
        .distinct()
    ):
        if opened and answered:
            out[org_id].deal_days.append(max(0.0, (answered - opened).total_seconds() / 86400))
    return out


def _brokered_offers(ids: list[int]):
    return Offer.objects.filter(
        contract__isnull=False,
        room__broker_invitations__broker__organization_id__in=ids,
        room__broker_invitations__created_at__lte=F("contract__signed_at"),
    ).distinct()


def brokered_contract_ids(org_id: int) -> set[int]:
    """Contracts the institution of ``org_id`` brokered (signed ones, any time)."""
    return set(
        _brokered_offers([org_id])
        .filter(contract__signed_at__isnull=False)
        .values_list("contract_id", flat=True)
    )


def broker_orgs_of_contract(contract: Contract) -> set[int]:
    """Organisations whose members were invited into the room a contract came from, before signing."""
    if contract.signed_at is None:
        return set()
    return set(
        BrokerInvitation.objects.filter(
            room__offers__contract=contract,
            created_at__lte=contract.signed_at,
            broker__organization__isnull=False,
        ).values_list("broker__organization_id", flat=True)
    )
