"""Statistics of technology finance: capital invested or lent per industry field, district, stage and
instrument, and the time from a request to its funding; the figures registered as metrics.

A financing counts when its introduction reached *invested* or *lent*, dated by when it closed; the
amount is the one the investor recorded. A request filed under several fields counts in each of them
(the per-field table says so); the other tables add up to the total. District and zone are where the
requesting organisation is.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from statistics import median
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from techbridge.core.registry import Period
from techbridge.organizations.queries import zone_ids

from .choices import CLOSED_WON, Instrument, Stage
from .models import Introduction


def _bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(period.start, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min))
    return start, end


def financings(
    period: Period | None = None, *, district: str | None = None, zone: Any = None
) -> QuerySet[Introduction]:
    qs = Introduction.objects.filter(status__in=CLOSED_WON)
    if period is not None:
        start, end = _bounds(period)
        qs = qs.filter(closed_at__gte=start, closed_at__lt=end)
    if district:
        qs = qs.filter(request__organization__district=district)
    if zone is not None and zone != "":
        qs = qs.filter(request__organization__zone_id__in=zone_ids(zone))
    return qs


def capital_raised(period: Period, district: str | None = None, zone: Any = None) -> Decimal | None:
    if not Introduction.objects.filter(status__in=CLOSED_WON).exists():
        return None
    return financings(period, district=district, zone=zone).aggregate(s=Sum("amount"))["s"] or Decimal("0")


def financing_count(period: Period, district: str | None = None, zone: Any = None) -> int | None:
    if not Introduction.objects.filter(status__in=CLOSED_WON).exists():
        return None
    return financings(period, district=district, zone=zone).count()


def days_to_funding(period: Period, district: str | None = None, zone: Any = None) -> Decimal | None:
    """Median days from posting a request to its financing, over the financings closed in the period."""
    rows = financings(period, district=district, zone=zone).values_list("request__created_at", "closed_at")
    days = [(closed - posted).total_seconds() / 86400 for posted, closed in rows if closed and posted]
    return Decimal(str(round(median(days), 1))) if days else None


def by_place(period: Period) -> dict[tuple[str, int | None], Decimal]:
    rows = (
        financings(period)
        .values("request__organization__district", "request__organization__zone_id")
        .annotate(s=Sum("amount"))
    )
    return {
        (r["request__organization__district"] or "", r["request__organization__zone_id"]): r["s"]
        for r in rows
    }


def count_by_place(period: Period) -> dict[tuple[str, int | None], int]:
    rows = (
        financings(period)
        .values("request__organization__district", "request__organization__zone_id")
        .annotate(n=Count("id"))
    )
    return {
        (r["request__organization__district"] or "", r["request__organization__zone_id"]): r["n"]
        for r in rows
    }


def breakdown(period: Period | None = None, *, district: str | None = None) -> dict[str, Any]:
    """The tables of the statistics page and endpoint: totals, and per field, district, stage, instrument."""
    from techbridge.organizations.choices import District

    qs = financings(period, district=district)
    total = qs.aggregate(s=Sum("amount"), n=Count("id"))

    def grouped(key: str, labels: dict[str, str]) -> list[dict[str, Any]]:
        rows = qs.values(key).annotate(s=Sum("amount"), n=Count("id")).order_by("-s")
        return [
            {
                "key": r[key] or "",
                "label": labels.get(r[key] or "", r[key] or "—"),
                "amount": r["s"],
                "count": r["n"],
            }
            for r in rows
        ]

    from techbridge.taxonomy.models import IndustryField

    fields = dict(IndustryField.objects.values_list("code", "name"))
    rows = list(qs.values_list("closed_at", "request__created_at"))
    days = [(c - p).total_seconds() / 86400 for c, p in rows if c and p]
    return {
        "total_amount": total["s"] or Decimal("0"),
        "count": total["n"],
        "median_days_to_funding": round(median(days), 1) if days else None,
        "by_field": grouped("request__fields__code", fields),
        "by_district": grouped("request__organization__district", {k: str(v) for k, v in District.choices}),
        "by_stage": grouped("request__stage", {k: str(v) for k, v in Stage.choices}),
        "by_instrument": grouped("request__instrument", {k: str(v) for k, v in Instrument.choices}),
    }
