"""Figures the governance dashboards and the university evaluation read (registered in extensions)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum

from techbridge.core.registry import Period

from .choices import DistributionStatus, ReportStatus
from .models import AnnualReport, Disclosure, DistributionLine


def _rewards(period: Period):
    start, end = period.datetimes()
    return DistributionLine.objects.filter(
        distribution__disclosure__is_demo=False,
        distribution__status=DistributionStatus.ISSUED,
        distribution__issued_at__gte=start,
        distribution__issued_at__lt=end,
    )


def inventor_rewards(period: Period, district: Any = None, zone: Any = None) -> Decimal | None:
    """Rewards issued to researchers in the period (yuan); ``None`` before any distribution exists."""
    if not DistributionLine.objects.exists():
        return None
    qs = _rewards(period)
    if district:
        qs = qs.filter(distribution__disclosure__institution__district=district)
    if zone is not None:
        qs = qs.filter(distribution__disclosure__institution__zone__in=zone.with_parks())
    return qs.aggregate(t=Sum("amount"))["t"] or Decimal("0")


def inventor_rewards_by_organization(period: Period) -> Mapping[int, Decimal]:
    rows = _rewards(period).values_list("distribution__disclosure__institution_id").annotate(t=Sum("amount"))
    return {org: total for org, total in rows}


def inventor_rewards_by_place(period: Period) -> Mapping[tuple[str, int | None], Decimal]:
    rows = (
        _rewards(period)
        .values_list(
            "distribution__disclosure__institution__district",
            "distribution__disclosure__institution__zone_id",
        )
        .annotate(t=Sum("amount"))
    )
    return {(district, zone): total for district, zone, total in rows}


def disclosures(period: Period, district: Any = None, zone: Any = None) -> int | None:
    if not Disclosure.objects.filter(is_demo=False).exists():
        return None
    start, end = period.datetimes()
    qs = Disclosure.objects.filter(is_demo=False, submitted_at__gte=start, submitted_at__lt=end)
    if district:
        qs = qs.filter(institution__district=district)
    if zone is not None:
        qs = qs.filter(institution__zone__in=zone.with_parks())
    return qs.count()


def disclosures_by_organization(period: Period) -> Mapping[int, int]:
    start, end = period.datetimes()
    rows = (
        Disclosure.objects.filter(is_demo=False, submitted_at__gte=start, submitted_at__lt=end)
        .values_list("institution_id")
        .annotate(n=Count("id"))
    )
    return {org: n for org, n in rows}


def disclosures_by_place(period: Period) -> Mapping[tuple[str, int | None], int]:
    start, end = period.datetimes()
    rows = (
        Disclosure.objects.filter(is_demo=False, submitted_at__gte=start, submitted_at__lt=end)
        .values_list("institution__district", "institution__zone_id")
        .annotate(n=Count("id"))
    )
    return {(d, z): n for d, z, n in rows}


def reported_spinoffs(period: Period, district: Any = None, zone: Any = None) -> int | None:
    """Spin-offs the institutions stated in their final annual reports for the period's years."""
    qs = AnnualReport.objects.filter(
        status=ReportStatus.FINAL, year__gte=period.start.year, year__lte=period.end.year
    )
    if not qs.exists():
        return None
    if district:
        qs = qs.filter(institution__district=district)
    if zone is not None:
        qs = qs.filter(institution__zone__in=zone.with_parks())
    return qs.aggregate(t=Sum("spinoffs"))["t"] or 0


def reported_spinoffs_by_organization(period: Period) -> Mapping[int, int]:
    rows = (
        AnnualReport.objects.filter(
            status=ReportStatus.FINAL, year__gte=period.start.year, year__lte=period.end.year
        )
        .values_list("institution_id")
        .annotate(t=Sum("spinoffs"))
    )
    return {org: t for org, t in rows}
