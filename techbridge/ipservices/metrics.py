"""Governance metrics of IP services (``core.registry.Metric``): computed from the register and the
designations; ``compute(period, district=None, zone=None)``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from techbridge.core.registry import Period
from techbridge.lib.numbers import digits

from .choices import LegalStatus
from .models import Designation, Patent
from .queries import in_force_q

NANJING = "南京"


def _zone_ids(zone: Any) -> list[int]:
    from techbridge.organizations.models import Zone

    if zone is None:
        return []
    if not isinstance(zone, Zone):
        zone = Zone.objects.filter(Q(code=str(zone)) | Q(pk=zone if digits(str(zone)) else None)).first()
        if zone is None:
            return [-1]
    return zone.with_parks()


def _end(period: Period) -> dt.datetime:
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(period.end, dt.time.max))


def ip_intensive_enterprises(period: Period, district: str | None = None, zone: Any = None) -> int | None:
    """Enterprises designated IP-intensive in or before the period's year and not revoked by its end."""
    if not Designation.objects.exists():
        return None
    qs = Designation.objects.filter(year__lte=period.end.year).filter(
        Q(revoked_at__isnull=True) | Q(revoked_at__gt=_end(period))
    )
    if district:
        qs = qs.filter(organization__district=district)
    if zone is not None:
        qs = qs.filter(organization__zone_id__in=_zone_ids(zone))
    return qs.values("organization_id").distinct().count()


def patents_nanjing(period: Period, district: str | None = None, zone: Any = None) -> int | None:
    """Granted patents of Nanjing applicants (first applicant) in force at the end of the period."""
    base = Patent.objects.filter(city=NANJING)
    if not base.exists():
        return None
    qs = base.filter(in_force_q(period.end)).exclude(legal_status=LegalStatus.PENDING)
    if district:
        qs = qs.filter(district=district)
    if zone is not None:
        qs = qs.filter(applicant_org__zone_id__in=_zone_ids(zone))
    return qs.count()
