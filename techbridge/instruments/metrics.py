"""Governance metrics from instrument and platform records (``core.registry.Metric``).

``instruments.service_platforms``: public technology service platforms operating at the end of the
period (designated on or before it, not closed by it) — cumulative; the plan's target is 10.
``instruments.external_hours``: machine hours served to outside users in the period.
Both honour ``district`` and ``zone`` through the owning or hosting organisation, and give their
values grouped by place (``by_place``: one query, so a dashboard sums every district and zone from it)
and by organisation (``by_organization``: the host, or the instrument's owner).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from techbridge.core.registry import Period
from techbridge.lib.numbers import digits

from . import slots
from .choices import Audience, UsageStatus
from .models import ServicePlatform, UsageMonth, UsageRecord


def zone_ids(zone: Any) -> list[int]:
    """A zone given as a ``Zone``, its id or its code → its id and its parks' ids."""
    from techbridge.organizations.models import Zone

    if zone is None or zone == "":
        return []
    if isinstance(zone, Zone):
        return zone.with_parks()
    found = (
        Zone.objects.filter(pk=zone).first() if digits(str(zone)) else Zone.objects.filter(code=zone).first()
    )
    return found.with_parks() if found else [-1]


def _by_place(qs: QuerySet, prefix: str, district: str | None, zone: Any) -> QuerySet:
    if district:
        qs = qs.filter(**{f"{prefix}__district": district})
    if zone not in (None, ""):
        qs = qs.filter(**{f"{prefix}__zone_id__in": zone_ids(zone)})
    return qs


def _operating(period: Period) -> QuerySet[ServicePlatform]:
    return ServicePlatform.objects.filter(designated_on__lte=period.end).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=period.end)
    )


def service_platforms(period: Period, district: str | None = None, zone: Any = None) -> int | None:
    """Platforms operating on the last day of ``period``; None when no platform was ever recorded."""
    if not ServicePlatform.objects.exists():
        return None
    return _by_place(_operating(period), "host", district, zone).count()


def service_platforms_by_place(period: Period) -> Mapping[tuple[str, int | None], int]:
    from techbridge.organizations.queries import by_place

    return by_place(_operating(period), "host__", Count("id"))


def service_platforms_by_organization(period: Period) -> Mapping[int, int]:
    rows = _operating(period).order_by().values("host_id").annotate(n=Count("id"))
    return {r["host_id"]: r["n"] for r in rows}


def _external_parts(period: Period) -> list[QuerySet]:
    """Querysets whose ``hours`` add up to the outside use started within ``period``.

    Whole months inside the period are read from the monthly figures (kept in step with the records);
    the days at either edge from the records themselves, so the figure is exact for any period. Each
    reaches the owner organisation through ``instrument__owner``.
    """
    # [first_full, after_full): the whole months inside the period.
    first_full = period.start if period.start.day == 1 else _next_month(period.start)
    ends_a_month = _next_month(period.end) - dt.timedelta(days=1) == period.end
    after_full = _next_month(period.end) if ends_a_month else period.end.replace(day=1)
    parts: list[QuerySet] = []
    if first_full < after_full:
        parts.append(
            UsageMonth.objects.filter(audience=Audience.EXTERNAL, month__gte=first_full, month__lt=after_full)
        )
        edges = [(period.start, first_full), (after_full, period.end + dt.timedelta(days=1))]
    else:
        edges = [(period.start, period.end + dt.timedelta(days=1))]
    for start, end in edges:
        if start < end:
            parts.append(
                UsageRecord.objects.filter(
                    status=UsageStatus.RECORDED,
                    audience=Audience.EXTERNAL,
                    started_at__gte=slots.day_start(start),
                    started_at__lt=slots.day_start(end),
                )
            )
    return parts


def external_hours(period: Period, district: str | None = None, zone: Any = None) -> Decimal | None:
    """Machine hours of recorded outside use that started within ``period``; None without any usage."""
    if not UsageRecord.objects.exists():
        return None
    total = Decimal("0")
    for qs in _external_parts(period):
        total += _by_place(qs, "instrument__owner", district, zone).aggregate(h=Sum("hours"))["h"] or 0
    return Decimal(total)


def external_hours_by_place(period: Period) -> Mapping[tuple[str, int | None], Decimal]:
    from techbridge.organizations.queries import by_place

    out: dict[tuple[str, int | None], Decimal] = {}
    for qs in _external_parts(period):
        for key, hours in by_place(qs, "instrument__owner__", Sum("hours")).items():
            out[key] = out.get(key, Decimal("0")) + (hours or 0)
    return out


def external_hours_by_organization(period: Period) -> Mapping[int, Decimal]:
    """Hours served to outside users, by the instruments' owner organisation."""
    out: dict[int, Decimal] = {}
    for qs in _external_parts(period):
        rows = qs.order_by().values("instrument__owner_id").annotate(h=Sum("hours"))
        for r in rows:
            owner = r["instrument__owner_id"]
            out[owner] = out.get(owner, Decimal("0")) + (r["h"] or 0)
    return out


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
