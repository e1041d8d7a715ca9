"""Reads of the patent register that other apps and several views need (docs/ipservices.md).

The public helpers other apps build on (finance: IP-pledge loans; the university office: docket and
open licences; contract registration rules):

- ``patent_by_number(number)``: the register's patent for any spelling of its application,
  publication or grant number, or ``None``.
- ``is_in_force(patent, on=None)``: whether the patent protects anything on that day.
- ``remaining_term(patent, on=None)``: days of protection left (0 when not in force; ``None`` when the
  register does not know the filing date).
- ``in_force_q(on)``: the same rule as a ``Q`` for querysets (metrics, lists).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from techbridge.lib.patents import normalise_patent_number

from . import terms
from .choices import ENDED_STATUSES, LegalStatus
from .models import Industry, Patent, PatentAlert, WatchedProduct


def patent_by_number(number: str) -> Patent | None:
    """The patent whose application, publication or grant number is ``number`` (any spelling)."""
    key = normalise_patent_number(number)
    if not key:
        return None
    return (
        Patent.objects.filter(Q(application_number=key) | Q(publication_number=key) | Q(grant_number=key))
        .order_by("pk")
        .first()
    )


def patents_by_numbers(numbers: Iterable[str]) -> dict[str, Patent]:
    """Patents by each of the given numbers (normalised), for many look-ups in one query."""
    keys = sorted({normalise_patent_number(n) for n in numbers} - {""})
    found: dict[str, Patent] = {}
    for start in range(0, len(keys), 500):
        chunk = set(keys[start : start + 500])
        qs = Patent.objects.filter(
            Q(application_number__in=chunk) | Q(publication_number__in=chunk) | Q(grant_number__in=chunk)
        )
        for patent in qs:
            for n in patent.numbers:
                if n in chunk:
                    found.setdefault(n, patent)
    return found


def _today(on: dt.date | None) -> dt.date:
    return on or timezone.localdate()


def is_in_force(patent: Patent, on: dt.date | None = None) -> bool:
    """Whether ``patent`` is a granted right on day ``on`` (today by default).

    Granted before or on ``on`` (an unknown grant date counts as granted for a patent recorded as
    granted), ``on`` within the term (``expiry_date``, computed by rule), and not lapsed or invalidated
    on or before ``on`` (a lapse or invalidation without a known date counts as having happened).
    """
    day = _today(on)
    if patent.expiry_date is not None and day > patent.expiry_date:
        return False
    if patent.legal_status == LegalStatus.PENDING:
        return False
    if patent.legal_status in (LegalStatus.GRANTED, LegalStatus.EXPIRED):
        if patent.legal_status == LegalStatus.EXPIRED and patent.expiry_date is None:
            return False
        return patent.grant_date is None or patent.grant_date <= day
    # lapsed or invalidated: in force only between grant and the day it ended
    return bool(
        patent.grant_date is not None
        and patent.grant_date <= day
        and patent.status_date is not None
        and patent.status_date > day
    )


def in_force_q(on: dt.date | None = None) -> Q:
    """``is_in_force`` as a filter on ``Patent`` querysets."""
    day = _today(on)
    within_term = Q(expiry_date__gte=day) | Q(expiry_date__isnull=True)
    granted_by_then = Q(grant_date__lte=day) | Q(grant_date__isnull=True)
    return (
        (Q(legal_status=LegalStatus.GRANTED) & granted_by_then & within_term)
        | (Q(legal_status=LegalStatus.EXPIRED, expiry_date__gte=day) & granted_by_then)
        | Q(
            legal_status__in=[LegalStatus.LAPSED, LegalStatus.INVALIDATED],
            grant_date__lte=day,
            status_date__gt=day,
        )
        & within_term
    )


def remaining_term(patent: Patent, on: dt.date | None = None) -> int | None:
    """Days of protection left on ``on`` (``on`` itself included); 0 when the patent is not in force
    that day; ``None`` when the filing date (and so the end of term) is unknown."""
    day = _today(on)
    if patent.expiry_date is None:
        return None
    if not is_in_force(patent, day):
        return 0
    return terms.remaining_days(patent.expiry_date, day)


def effective_status(patent: Patent, on: dt.date | None = None) -> str:
    """The legal status as of ``on``: a granted patent whose term has run out is expired even before
    the daily sweep records it."""
    day = _today(on)
    if patent.legal_status == LegalStatus.GRANTED and patent.expiry_date and patent.expiry_date < day:
        return LegalStatus.EXPIRED
    return patent.legal_status


# ---- lists --------------------------------------------------------------------------------------------


def register_list() -> QuerySet[Patent]:
    """The register as the list pages and the API show it (public bibliographic data)."""
    return Patent.objects.defer("abstract", "claims").order_by("-filing_date", "-id")


def industries() -> QuerySet[Industry]:
    return Industry.objects.order_by("order", "name")


def bases_with_counts() -> list[dict[str, Any]]:
    """IP-intensive industry bases with the number of designated enterprises (not revoked)."""
    rows = (
        Industry.objects.filter(is_base=True)
        .annotate(n=Count("designations", filter=Q(designations__revoked_at__isnull=True)))
        .order_by("order", "name")
    )
    return [{"industry": i, "designated": i.n} for i in rows]


def opportunities(org_id: int, *, horizon_days: int = 365, on: dt.date | None = None) -> QuerySet[Patent]:
    """Freedom-to-operate opportunities of an organisation's fields: patents that lapsed, expired or
    were invalidated, or whose term ends within ``horizon_days``.

    Its fields are the IPC codes it gave its watched products, and the patents that raised alerts on
    them (any decision).
    """
    day = _today(on)
    codes: set[str] = set()
    for value in WatchedProduct.objects.filter(organization_id=org_id, is_active=True).values_list(
        "ipc_codes", flat=True
    ):
        codes.update(c for c in value.split("；") if c)
    field = Q(pk__in=PatentAlert.objects.filter(organization_id=org_id).values("patent_id"))
    for code in sorted(codes)[:30]:
        field |= Q(ipc_codes__icontains=code)
    ending = Q(legal_status__in=ENDED_STATUSES) | Q(
        legal_status=LegalStatus.GRANTED, expiry_date__lte=day + dt.timedelta(days=horizon_days)
    )
    return Patent.objects.filter(field & ending).defer("abstract", "claims").order_by("expiry_date", "-id")
