"""Reads of contracts with visibility, and the turnover statistics (SQLite and PostgreSQL alike)."""

from __future__ import annotations

from collections import OrderedDict
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, F, Max, Min, Q, QuerySet, Sum, When
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from techbridge.organizations.choices import District, OrgKind

from .choices import REGISTERED_STATES, ContractStatus, ContractType
from .models import Contract
from .parties import PartyKind
from .permissions import is_registry_officer

# On the public page a group of fewer contracts than this shows its count but not its amounts, so
# that no single deal's price can be read off a small group (e.g. the one contract of a district).
PUBLIC_MIN_CELL = 3


def contracts_for(user: Any) -> QuerySet[Contract]:
    """Contracts of the user's organisation (either side)."""
    if not getattr(user, "is_authenticated", False) or not user.organization_id:
        return Contract.objects.none()
    return Contract.objects.filter(
        Q(seller_id=user.organization_id) | Q(buyer_id=user.organization_id)
    ).select_related("seller", "buyer")


def registry_queue() -> QuerySet[Contract]:
    """Contracts awaiting a registry decision, oldest submission first."""
    return (
        Contract.objects.filter(status=ContractStatus.SUBMITTED)
        .select_related("seller", "buyer")
        .order_by("submitted_at")
    )


def visible_to_registry(user: Any) -> QuerySet[Contract]:
    if not is_registry_officer(user):
        return Contract.objects.none()
    return Contract.objects.filter(submitted_at__isnull=False).select_related("seller", "buyer")


# ---- statistics ------------------------------------------------------------------------------

DIMENSIONS = {
    "month": _("Month"),
    "type": _("Contract type"),
    "field": _("Industry field"),
    "district": _("Seller district"),
    "seller_kind": _("Seller type"),
    "buyer_kind": _("Buyer type"),
}


def registered(year: int | None = None) -> QuerySet[Contract]:
    """Registered contracts (the ones the turnover figures count), optionally of one registration year.

    A registered contract the parties later declared performed still counts; superseded ones do not.
    """
    qs = Contract.objects.filter(status__in=REGISTERED_STATES, registered_at__isnull=False)
    if year:
        qs = qs.filter(registered_at__year=year)
    return qs


def _labels(dimension: str) -> dict:
    """Display labels of one dimension's keys (only the industry fields need a query)."""
    if dimension == "field":
        from techbridge.taxonomy.models import IndustryField

        return dict(IndustryField.objects.values_list("pk", "name"))
    choices = {"type": ContractType.choices, "district": District.choices}.get(dimension, OrgKind.choices)
    labels: dict = dict(choices)
    if dimension in ("buyer_kind", "seller_kind"):
        labels.update({k: v for k, v in PartyKind.choices if k != PartyKind.ORGANIZATION})
    return labels


GROUP_FIELDS: dict[str, Any] = {
    "type": "contract_type",
    "field": "field_id",
    # A natural person seller is placed by the district declared on the contract (a seller abroad:
    # outside Nanjing), never by the organisation acting for him.
    "district": Case(
        When(seller_party_kind=PartyKind.ORGANIZATION, then=F("seller__district")),
        default=F("seller_district"),
    ),
    # A natural person or an organisation abroad is grouped by its party kind, not by the platform
    # organisation that may act for it.
    "seller_kind": Case(
        When(seller_party_kind=PartyKind.ORGANIZATION, then=F("seller__kind")),
        default=F("seller_party_kind"),
    ),
    "buyer_kind": Case(
        When(buyer_party_kind=PartyKind.ORGANIZATION, then=F("buyer__kind")),
        default=F("buyer_party_kind"),
    ),
}


def breakdown(dimension: str, year: int | None = None) -> list[dict[str, Any]]:
    """Rows of ``{key, label, count, turnover, technology}`` for one dimension (one query)."""
    qs = registered(year)
    if dimension == "month":
        rows = (
            qs.annotate(key=TruncMonth("registered_at"))
            .values("key")
            .annotate(count=Count("id"), turnover=Sum("total_amount"), technology=Sum("technology_amount"))
            .order_by("key")
        )
        return [{**r, "label": r["key"].strftime("%Y-%m") if r["key"] else "–"} for r in rows]
    group = GROUP_FIELDS[dimension]
    labels = _labels(dimension)
    grouped = (
        qs.values(key=F(group) if isinstance(group, str) else group)
        .annotate(count=Count("id"), turnover=Sum("total_amount"), technology=Sum("technology_amount"))
        .order_by("-turnover")
    )
    return [{**r, "label": str(labels.get(r["key"], r["key"] or _("Not given")))} for r in grouped]


def period_of(year: int | None) -> tuple[Any, Any]:
    """The registration dates the figures cover: the chosen year (to date), or from the first
    registration to today for all years (``None`` when nothing is registered)."""
    from datetime import date

    from django.utils import timezone

    today = timezone.localdate()
    if year:
        return date(year, 1, 1), min(date(year, 12, 31), today)
    first = registered().aggregate(m=Min("registered_at"))["m"]
    return (timezone.localtime(first).date() if first else None), today


def summary(year: int | None = None) -> dict[str, Any]:
    """Totals of the registered contracts of one registration year (or all years), with the period.

    Plan targets are not here: governance compares them through the ``contracts.statistics`` slot.
    """
    agg = registered(year).aggregate(
        count=Count("id"), turnover=Sum("total_amount"), technology=Sum("technology_amount")
    )
    start, end = period_of(year)
    return {
        "count": agg["count"],
        "turnover": agg["turnover"] or Decimal("0"),
        "technology": agg["technology"] or Decimal("0"),
        "period_start": start,
        "period_end": end,
    }


def all_breakdowns(year: int | None = None) -> OrderedDict[str, list[dict[str, Any]]]:
    return OrderedDict((dim, breakdown(dim, year)) for dim in DIMENSIONS)


def stats_stamp() -> str:
    """Changes whenever the set of registered contracts changes (a registration, an amendment)."""
    agg = registered().aggregate(n=Count("id"), last=Max("updated_at"))
    return f"{agg['n']}:{agg['last'].timestamp() if agg['last'] else 0}"


def cached_stats(year: int | None, dims: tuple[str, ...]) -> dict[str, Any]:
    """Summary and breakdowns, cached until the registered contracts change (one cheap query per view)."""
    from django.core.cache import cache
    from django.utils import timezone
    from django.utils.translation import get_language

    key = f"contract-stats:{get_language()}:{year}:{','.join(dims)}:{stats_stamp()}:{timezone.localdate()}"

    def compute() -> dict[str, Any]:
        tables: list[dict[str, Any]] = [
            {"key": d, "title": str(DIMENSIONS[d]), "rows": breakdown(d, year)} for d in dims
        ]
        months: list[dict[str, Any]] = next((t["rows"] for t in tables if t["key"] == "month"), [])
        chart = {
            "labels": [r["label"] for r in months],
            "turnover": [float(r["turnover"] or 0) for r in months],
            "technology": [float(r["technology"] or 0) for r in months],
            "names": {
                "turnover": str(_("Contract turnover (yuan)")),
                "technology": str(_("Technology transaction amount (yuan)")),
            },
        }
        return {"summary": summary(year), "tables": tables, "chart": chart}

    result = cache.get_or_set(key, compute, 600)
    return result if isinstance(result, dict) else compute()
