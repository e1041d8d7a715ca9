"""Governance metrics from instrument and platform records (``core.registry.Metric``).

``instruments.service_platforms``: public technology service platforms operating at the end of the
period (designated on or before it, not closed by it) — cumulative; the plan's target is 10.
``instruments.external_hours``: machine hours served to outside users in the period.
Both honour ``district`` and ``zone`` through the owning or hosting organisation.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum

from techbridge.core.registry import Period

from . import slots
from .choices import Audience, UsageStatus
from .models import ServicePlatform, UsageRecord


def zone_ids(zone: Any) -> list[int]:
    """A zone given as a ``Zone``, its id or its code → its id and its parks' ids."""
    from techbridge.organizations.models import Zone

    if zone is None or zone == "":
        return []
    if isinstance(zone, Zone):
        return zone.with_parks()
    found = (
        Zone.objects.filter(pk=zone).first()
        if str(zone).isdigit()
        else Zone.objects.filter(code=zone).first()
    )
    return found.with_parks() if found else [-1]


def _by_place(qs: QuerySet, prefix: str, district: str | None, zone: Any) -> QuerySet:
    if district:
        qs = qs.filter(**{f"{prefix}__district": district})
    if zone not in (None, ""):
        qs = qs.filter(**{f"{prefix}__zone_id__in": zone_ids(zone)})
    return qs


def service_platforms(period: Period, district: str | None = None, zone: Any = None) -> int | None:
    """Platforms operating on the last day of ``period``; None when no platform was ever recorded."""
    if not ServicePlatform.objects.exists():
        return None
    qs = ServicePlatform.objects.filter(designated_on__lte=period.end).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=period.end)
    )
    return _by_place(qs, "host", district, zone).count()


def external_hours(period: Period, district: str | None = None, zone: Any = None) -> Decimal | None:
    """Machine hours of recorded outside use that started within ``period``; None without any usage."""
    if not UsageRecord.objects.exists():
        return None
    start = slots.day_start(period.start)
    end = slots.day_start(period.end + dt.timedelta(days=1))
    qs = UsageRecord.objects.filter(
        status=UsageStatus.RECORDED, audience=Audience.EXTERNAL, started_at__gte=start, started_at__lt=end
    )
    qs = _by_place(qs, "instrument__owner", district, zone)
    return qs.aggregate(h=Sum("hours"))["h"] or Decimal("0")
