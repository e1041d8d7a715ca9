"""Reads of events that several pages, the API, the panels and the metrics share."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from techbridge.organizations.choices import District
from techbridge.organizations.models import Zone
from techbridge.organizations.queries import zone_ids

from .choices import HELD_STATUSES, EventKind, EventStatus, RegistrationStatus
from .models import Event, Registration
from .permissions import visible_events


def listed_events(user: Any) -> QuerySet[Event]:
    return visible_events(user).select_related("zone", "organizer")


def filter_events(qs: QuerySet[Event], f: dict[str, Any]) -> QuerySet[Event]:
    """The list's filters: ``kind``, ``when`` (upcoming/past), ``district``, ``zone``, ``q``."""
    now = timezone.now()
    if f.get("kind"):
        qs = qs.filter(kind=f["kind"])
    if f.get("district"):
        qs = qs.filter(district=f["district"])
    if f.get("zone"):
        qs = qs.filter(zone_id__in=zone_ids(f["zone"]))
    if f.get("q"):
        qs = qs.filter(Q(title__icontains=f["q"]) | Q(summary__icontains=f["q"]) | Q(venue__icontains=f["q"]))
    when = f.get("when") or ""
    if when == "past":
        qs = qs.filter(ends_at__lte=now).order_by("-starts_at", "-pk")
    elif when == "all":
        qs = qs.order_by("-starts_at", "-pk")
    else:
        qs = qs.filter(ends_at__gt=now).order_by("starts_at", "pk")
    return qs


def upcoming(user: Any, limit: int = 5) -> list[Event]:
    now = timezone.now()
    return list(
        visible_events(user)
        .filter(status=EventStatus.PUBLISHED, ends_at__gt=now)
        .select_related("zone")
        .order_by("starts_at", "pk")[:limit]
    )


def tickets_of(user: Any) -> QuerySet[Registration]:
    if not getattr(user, "is_authenticated", False):
        return Registration.objects.none()
    return (
        Registration.objects.filter(user=user)
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("event")
        .order_by("event__starts_at")
    )


def held_events(
    start: dt.date, end: dt.date, *, district: str | None = None, zone: Any = None
) -> QuerySet[Event]:
    """Events held from ``start`` to ``end`` (both included): published or concluded, ended by now."""
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    hi = dt.datetime.combine(end, dt.time.max, tzinfo=tz)
    qs = Event.objects.filter(
        status__in=HELD_STATUSES, starts_at__gte=lo, starts_at__lte=hi, ends_at__lte=timezone.now()
    )
    if district:
        qs = qs.filter(district=district)
    if zone:
        qs = qs.filter(zone_id__in=zone_ids(zone))
    return qs


def event_stats(
    start: dt.date, end: dt.date, *, district: str | None = None, zone: Any = None
) -> dict[str, Any]:
    """Events held and their attendance, by kind, district and zone."""
    qs = held_events(start, end, district=district, zone=zone)
    kinds = list(EventKind.choices)
    attendance = qs.annotate(
        confirmed=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)),
        came=Count("registrations", filter=Q(registrations__checked_in_at__isnull=False)),
    )
    by_kind = {k: {"events": 0, "registered": 0, "checked_in": 0} for k, _l in kinds}
    by_district: dict[str, dict[str, int]] = {}
    by_zone: dict[int | None, dict[str, int]] = {}
    for e in attendance.values("kind", "district", "zone_id", "confirmed", "came"):
        for bucket in (
            by_kind[e["kind"]],
            by_district.setdefault(e["district"], {"events": 0, "registered": 0, "checked_in": 0}),
            by_zone.setdefault(e["zone_id"], {"events": 0, "registered": 0, "checked_in": 0}),
        ):
            bucket["events"] += 1
            bucket["registered"] += e["confirmed"]
            bucket["checked_in"] += e["came"]
    names = dict(District.choices)
    district_rows = [
        {"label": str(names.get(code, "—")) if code else "—", **values}
        for code, values in sorted(
            by_district.items(), key=lambda kv: list(names).index(kv[0]) if kv[0] in names else 99
        )
    ]
    zones = list(Zone.objects.select_related("parent").order_by("order", "id"))
    zone_rows = []
    for z in zones:
        members = [z.pk] + [p.pk for p in zones if p.parent_id == z.pk]
        values = {"events": 0, "registered": 0, "checked_in": 0}
        for pk in members:
            for key in values:
                values[key] += by_zone.get(pk, {}).get(key, 0)
        label = f"{z.parent.name} · {z.name}" if z.parent else z.name
        zone_rows.append({"label": label, **values})
    return {
        "kind_rows": [{"label": str(label), **by_kind[k]} for k, label in kinds],
        "district_rows": district_rows,
        "zone_rows": zone_rows,
        "total": sum(v["events"] for v in by_kind.values()),
    }
