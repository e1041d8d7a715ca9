"""The contract figures other apps read through ``core.registry.metrics`` (governance dashboards).

Every figure counts **registered** contracts (技术合同认定登记) by registration date, except the time
from listing to contract, which is dated by signature. City figures (``compute``) count contracts whose
seller — the technology side — is located in Nanjing, filtered by the seller's district and zone;
per-organisation figures (``by_organization``) group by seller wherever it is. ``None`` means the
platform has no registered contract at all, or none before the period ended (its records do not cover
the period), so a dashboard shows "no data" rather than zero.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db.models import Count, Min, Q, QuerySet, Sum

from techbridge.core.registry import Period
from techbridge.organizations.queries import NANJING_DISTRICTS, by_place, in_nanjing, located_in

from .choices import ContractStatus, ContractType
from .models import Contract
from .parties import PartyKind

HUNDRED = Decimal("100")
# Contracts that stand (not drafts, cancelled ones or versions an amendment replaced).
STANDING = (ContractStatus.SIGNED, ContractStatus.SUBMITTED, ContractStatus.REGISTERED)


def _covers(period: Period) -> bool:
    """Whether the records reach back into ``period``: a registration on or before its end exists."""
    first = Contract.objects.filter(status=ContractStatus.REGISTERED).aggregate(m=Min("registered_at"))["m"]
    return first is not None and first < period.datetimes()[1]


def _registered(period: Period) -> QuerySet[Contract]:
    start, end = period.datetimes()
    return Contract.objects.filter(
        status=ContractStatus.REGISTERED, registered_at__gte=start, registered_at__lt=end
    )


ORG_SELLER = Q(seller_party_kind=PartyKind.ORGANIZATION)


def seller_in_city(district: str | None = None, zone: Any = None) -> Q:
    """The seller is located in Nanjing (and in ``district``/``zone``): an organisation by its own
    location; a natural person (an individual inventor, 认定规则 art. 4) by the district declared on the
    contract, never by the organisation acting for him; a seller abroad never. A person lies in no zone."""
    org = ORG_SELLER & in_nanjing("seller__") & located_in("seller__", district=district, zone=zone)
    if zone is not None:
        return org
    person = Q(seller_party_kind=PartyKind.PERSON, seller_district__in=NANJING_DISTRICTS)
    if district:
        person &= Q(seller_district=district)
    return org | person


def _city(qs: QuerySet[Contract], district: str | None, zone: Any) -> QuerySet[Contract]:
    return qs.filter(seller_in_city(district, zone))


def _sum(qs: QuerySet[Contract]) -> Decimal:
    return qs.aggregate(s=Sum("total_amount"))["s"] or Decimal("0")


def _by_seller(qs: QuerySet[Contract], value: Any) -> dict[int, Any]:
    """Per seller organisation: a natural person's or a foreign seller's contract is not the figure of
    the organisation that acted for it."""
    rows = qs.filter(ORG_SELLER).order_by().values("seller_id").annotate(v=value)
    return dict(rows.values_list("seller_id", "v"))


# ---- turnover and counts ---------------------------------------------------------------------------


def turnover(period: Period, district: str | None = None, zone: Any = None) -> Decimal | None:
    """技术合同成交额: the contract amounts of registered contracts (yuan)."""
    if not _covers(period):
        return None
    return _sum(_city(_registered(period), district, zone))


def turnover_by_organization(period: Period) -> Mapping[int, Decimal]:
    return _by_seller(_registered(period), Sum("total_amount"))


def _city_by_place(qs: QuerySet[Contract], value: Any) -> dict[tuple[str, int | None], Any]:
    """By (district, zone): organisations by their location, natural persons by their district (no zone)."""
    places = by_place(qs.filter(ORG_SELLER & in_nanjing("seller__")), "seller__", value)
    people = qs.filter(seller_party_kind=PartyKind.PERSON, seller_district__in=NANJING_DISTRICTS)
    for district, v in (
        people.order_by().values("seller_district").annotate(v=value).values_list("seller_district", "v")
    ):
        places[(district, None)] = places.get((district, None), 0) + v
    return places


def turnover_by_place(period: Period) -> Mapping[tuple[str, int | None], Decimal]:
    return _city_by_place(_registered(period), Sum("total_amount"))


def registered(period: Period, district: str | None = None, zone: Any = None) -> int | None:
    if not _covers(period):
        return None
    return _city(_registered(period), district, zone).count()


def registered_by_organization(period: Period) -> Mapping[int, int]:
    return _by_seller(_registered(period), Count("id"))


def registered_by_place(period: Period) -> Mapping[tuple[str, int | None], int]:
    return _city_by_place(_registered(period), Count("id"))


def licences(period: Period, district: str | None = None, zone: Any = None) -> int | None:
    if not _covers(period):
        return None
    return _city(_registered(period), district, zone).filter(contract_type=ContractType.LICENSE).count()


def licences_by_organization(period: Period) -> Mapping[int, int]:
    return _by_seller(_registered(period).filter(contract_type=ContractType.LICENSE), Count("id"))


def licences_by_place(period: Period) -> Mapping[tuple[str, int | None], int]:
    return _city_by_place(_registered(period).filter(contract_type=ContractType.LICENSE), Count("id"))


def licensing_income(period: Period, district: str | None = None, zone: Any = None) -> Decimal | None:
    """Amounts of registered licence contracts (技术许可), the licensor being the seller."""
    if not _covers(period):
        return None
    return _sum(_city(_registered(period), district, zone).filter(contract_type=ContractType.LICENSE))


def licensing_income_by_organization(period: Period) -> Mapping[int, Decimal]:
    return _by_seller(_registered(period).filter(contract_type=ContractType.LICENSE), Sum("total_amount"))


def licensing_income_by_place(period: Period) -> Mapping[tuple[str, int | None], Decimal]:
    return _city_by_place(_registered(period).filter(contract_type=ContractType.LICENSE), Sum("total_amount"))


# ---- where the technology goes ------------------------------------------------------------------------


def _share(total: Decimal | None, local: Decimal | None) -> Decimal | None:
    if not total:
        return None
    return (HUNDRED * (local or Decimal("0")) / total).quantize(Decimal("0.01"))


def nanjing_share(period: Period, district: str | None = None, zone: Any = None) -> Decimal | None:
    """Share (%) of the turnover whose buyer is located in Nanjing (转化在宁比例)."""
    if not _covers(period):
        return None
    agg = _city(_registered(period), district, zone).aggregate(
        total=Sum("total_amount"), local=Sum("total_amount", filter=in_nanjing("buyer__"))
    )
    return _share(agg["total"], agg["local"])


def nanjing_share_by_organization(period: Period) -> Mapping[int, Decimal | None]:
    rows = (
        _registered(period)
        .filter(ORG_SELLER)
        .order_by()
        .values("seller_id")
        .annotate(total=Sum("total_amount"), local=Sum("total_amount", filter=in_nanjing("buyer__")))
    )
    return {r["seller_id"]: _share(r["total"], r["local"]) for r in rows}


# ---- time from listing to contract --------------------------------------------------------------------


def _signed_from_listings(period: Period) -> QuerySet[Contract]:
    start, end = period.datetimes()
    return Contract.objects.filter(
        status__in=STANDING,
        signed_at__gte=start,
        signed_at__lt=end,
        achievement__published_at__isnull=False,
    )


def _median_days(pairs: list[tuple[Any, Any]]) -> Decimal | None:
    days = [max((signed - published).total_seconds() / 86400, 0) for signed, published in pairs]
    return Decimal(str(round(statistics.median(days), 1))) if days else None


def days_to_contract(period: Period, district: str | None = None, zone: Any = None) -> Decimal | None:
    """Median days from an achievement's publication to the signature of a contract on it."""
    if not _covers(period):
        return None
    qs = _signed_from_listings(period).filter(seller_in_city(district, zone))
    return _median_days(list(qs.values_list("signed_at", "achievement__published_at")))


def days_to_contract_by_organization(period: Period) -> Mapping[int, Decimal | None]:
    pairs: dict[int, list[tuple[Any, Any]]] = defaultdict(list)
    rows = (
        _signed_from_listings(period)
        .filter(ORG_SELLER)
        .values_list("seller_id", "signed_at", "achievement__published_at")
    )
    for seller, signed, published in rows:
        pairs[seller].append((signed, published))
    return {seller: _median_days(p) for seller, p in pairs.items()}
