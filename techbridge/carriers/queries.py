"""Reads of carriers and enterprise records that several pages, the API and the metrics share.

Counting rules (the plan's targets are counted from these records, never typed in):

- a carrier **counts** at a date when it was approved on the platform, is recognised at a level
  (``level`` ≠ none) with ``recognised_on`` on or before that date, and was not revoked on or before it;
- a designation **counts** at a date when it was granted on or before it, has not expired
  (``valid_until``) and was not revoked on or before it. An enterprise counts once per kind.

Every count can be narrowed to a district and to a zone (a zone includes its parks).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils.translation import gettext

from techbridge.organizations.choices import District
from techbridge.organizations.models import Zone
from techbridge.organizations.queries import zone_ids
from techbridge.taxonomy.models import IndustryField

from .choices import (
    EVER_APPROVED,
    MAKER_KINDS,
    PROVINCIAL_OR_ABOVE,
    AllianceStatus,
    CarrierKind,
    CarrierStatus,
    CaseStatus,
    DesignationKind,
    DesignationStatus,
    Level,
    ReportStatus,
)
from .models import Alliance, AllianceMember, AnnualReport, Carrier, Designation, RdInput, TypicalCase
from .permissions import carriers_visible_q

# The plan's targets for the end of the 十三五 period (2016–2020).
TARGETS = {
    "carriers.new_rd_institutions": 20,
    "carriers.university_science_parks": 10,
    "carriers.maker_spaces": 100,
    "enterprises.demonstration": 200,
}


# ---- lists --------------------------------------------------------------------------------------------


def visible_carriers(user: Any) -> QuerySet[Carrier]:
    return (
        Carrier.objects.filter(carriers_visible_q(user))
        .select_related("operator", "zone")
        .prefetch_related(Prefetch("fields", queryset=IndustryField.objects.order_by("order")))
    )


def filter_carriers(qs: QuerySet[Carrier], filters: dict[str, Any]) -> QuerySet[Carrier]:
    """Apply the directory's filters (``q``, ``kind``, ``level``, ``district``, ``zone``, ``field``)."""
    if filters.get("q"):
        q = filters["q"]
        qs = qs.filter(Q(name__icontains=q) | Q(operator__name__icontains=q) | Q(services__icontains=q))
    for name in ("kind", "level", "district", "status"):
        if filters.get(name):
            qs = qs.filter(**{name: filters[name]})
    if filters.get("zone"):
        qs = qs.filter(zone_id__in=zone_ids(filters["zone"]))
    if filters.get("field"):
        qs = qs.filter(fields=filters["field"])
    return qs


def carriers_of(user: Any) -> QuerySet[Carrier]:
    """The carriers the user's organisation runs."""
    org = getattr(user, "organization_id", None) if getattr(user, "is_authenticated", False) else None
    if not org:
        return Carrier.objects.none()
    return Carrier.objects.filter(operator_id=org).select_related("zone")


def review_queue() -> QuerySet[Carrier]:
    return (
        Carrier.objects.filter(status=CarrierStatus.SUBMITTED)
        .select_related("operator")
        .order_by("updated_at")
    )


def report_queue() -> QuerySet[AnnualReport]:
    return (
        AnnualReport.objects.filter(status=ReportStatus.SUBMITTED)
        .select_related("carrier", "carrier__operator")
        .order_by("submitted_at")
    )


def public_designations() -> QuerySet[Designation]:
    return Designation.objects.filter(status=DesignationStatus.ACTIVE).select_related(
        "organization", "organization__zone"
    )


def public_alliances() -> QuerySet[Alliance]:
    return (
        Alliance.objects.select_related("lead", "zone")
        .annotate(member_count=Count("members", filter=Q(members__left_on__isnull=True)))
        .prefetch_related(Prefetch("fields", queryset=IndustryField.objects.order_by("order")))
    )


def current_members(alliance: Alliance) -> QuerySet[AllianceMember]:
    return alliance.members.filter(left_on__isnull=True).select_related("organization")


def published_cases() -> QuerySet[TypicalCase]:
    return TypicalCase.objects.filter(status=CaseStatus.PUBLISHED).select_related("zone")


def search_cases(qs: QuerySet[TypicalCase], q: str) -> tuple[QuerySet[TypicalCase], list[int]]:
    """Cases matching ``q`` by full-text search (Chinese, jieba) and the ranked ids, best first."""
    from techbridge.core.fulltext import get_backend

    hits = get_backend().search("case", q, limit=500)
    ranked = [h.object_id for h in hits]
    return qs.filter(pk__in=ranked), ranked


def designations_of(org_id: int) -> list[Designation]:
    return list(Designation.objects.filter(organization_id=org_id).order_by("-year", "kind"))


# ---- counting -------------------------------------------------------------------------------------------


def _place(qs: QuerySet[Any], *, district: str | None, zone: Any, prefix: str = "") -> QuerySet[Any]:
    if district:
        qs = qs.filter(**{f"{prefix}district": district})
    if zone:
        qs = qs.filter(**{f"{prefix}zone_id__in": zone_ids(zone)})
    return qs


def counted_carriers(day: dt.date, *, district: str | None = None, zone: Any = None) -> QuerySet[Carrier]:
    """Carriers that count toward the targets on ``day`` (see the module docstring)."""
    qs = Carrier.objects.filter(status__in=EVER_APPROVED, recognised_on__lte=day).exclude(level=Level.NONE)
    qs = qs.filter(Q(revoked_on__isnull=True) | Q(revoked_on__gt=day))
    return _place(qs, district=district, zone=zone)


def counted_designations(
    kind: str, day: dt.date, *, district: str | None = None, zone: Any = None
) -> QuerySet[Designation]:
    qs = Designation.objects.filter(kind=kind, granted_on__lte=day)
    qs = qs.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
    qs = qs.filter(Q(status=DesignationStatus.ACTIVE) | Q(revoked_on__gt=day))
    return _place(qs, district=district, zone=zone, prefix="organization__")


def count_rd_institutions(day: dt.date, **place: Any) -> int:
    return counted_carriers(day, **place).filter(kind=CarrierKind.RD_INSTITUTION).count()


def count_science_parks(day: dt.date, **place: Any) -> int:
    return counted_carriers(day, **place).filter(kind=CarrierKind.SCIENCE_PARK).count()


def count_maker_carriers(day: dt.date, **place: Any) -> int:
    return counted_carriers(day, **place).filter(kind__in=MAKER_KINDS, level__in=PROVINCIAL_OR_ABOVE).count()


def count_designated(kind: str, day: dt.date, **place: Any) -> int:
    return counted_designations(kind, day, **place).values("organization_id").distinct().count()


# ---- statistics by kind, district and zone --------------------------------------------------------------


@dataclass
class Row:
    key: str
    label: str
    values: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.values.values())


def _district_rows(counts: dict[tuple[str, str], int], columns: Iterable[str]) -> list[Row]:
    cols = list(columns)
    names = dict(District.choices)
    rows = []
    for code, label in [*names.items(), ("", "—")]:
        values = {c: counts.get((code, c), 0) for c in cols}
        if any(values.values()):
            rows.append(Row(code, str(label), values))
    return rows


def _zone_rows(counts: dict[tuple[int | None, str], int], columns: Iterable[str]) -> list[Row]:
    """One row per zone (a zone's row includes its parks), then one per park."""
    cols = list(columns)
    zones = list(Zone.objects.select_related("parent").order_by("order", "id"))
    rows = []
    for zone in zones:
        members = [zone.pk] + [z.pk for z in zones if z.parent_id == zone.pk]
        values = {c: sum(counts.get((pk, c), 0) for pk in members) for c in cols}
        label = f"{zone.parent.name} · {zone.name}" if zone.parent else zone.name
        rows.append(Row(zone.code, label, values))
    return rows


def carrier_stats(day: dt.date, *, district: str | None = None, zone: Any = None) -> dict[str, Any]:
    """Carriers counted on ``day``: by kind × level, by district and by zone, and the targets."""
    qs = counted_carriers(day, district=district, zone=zone)
    by_kind: dict[tuple[str, str], int] = {}
    for kind, level, n in qs.values_list("kind", "level").annotate(n=Count("pk")).order_by():
        by_kind[(kind, level)] = n
    levels = [lv for lv, _label in Level.choices if lv != Level.NONE]
    kind_rows = []
    for kind, label in CarrierKind.choices:
        values = {lv: by_kind.get((kind, lv), 0) for lv in levels}
        kind_rows.append(Row(kind, str(label), values))
    kinds = [k for k, _label in CarrierKind.choices]
    by_district = {
        (d, k): n for d, k, n in qs.values_list("district", "kind").annotate(n=Count("pk")).order_by()
    }
    by_zone = {(z, k): n for z, k, n in qs.values_list("zone_id", "kind").annotate(n=Count("pk")).order_by()}
    place = {"district": district, "zone": zone}
    targets = [
        {
            "code": "carriers.new_rd_institutions",
            "label": CarrierKind.RD_INSTITUTION.label,
            "value": count_rd_institutions(day, **place),
            "target": TARGETS["carriers.new_rd_institutions"],
        },
        {
            "code": "carriers.university_science_parks",
            "label": CarrierKind.SCIENCE_PARK.label,
            "value": count_science_parks(day, **place),
            "target": TARGETS["carriers.university_science_parks"],
        },
        {
            "code": "carriers.maker_spaces",
            "label": _maker_label(),
            "value": count_maker_carriers(day, **place),
            "target": TARGETS["carriers.maker_spaces"],
        },
        {
            "code": "enterprises.demonstration",
            "label": DesignationKind.DEMONSTRATION.label,
            "value": count_designated(DesignationKind.DEMONSTRATION, day, **place),
            "target": TARGETS["enterprises.demonstration"],
        },
    ]
    return {
        "day": day,
        "levels": [(lv, label) for lv, label in Level.choices if lv != Level.NONE],
        "kinds": [(k, label) for k, label in CarrierKind.choices],
        "by_kind": kind_rows,
        "by_district": _district_rows(by_district, kinds),
        "by_zone": _zone_rows(by_zone, kinds),
        "targets": targets,
        "total": qs.count(),
    }


def designation_stats(day: dt.date, *, district: str | None = None, zone: Any = None) -> dict[str, Any]:
    """Enterprises holding each designation on ``day``, by district and by zone."""
    kinds = [k for k, _label in DesignationKind.choices]
    by_district: dict[tuple[str, str], int] = {}
    by_zone: dict[tuple[int | None, str], int] = {}
    totals = {}
    for kind in kinds:
        qs = counted_designations(kind, day, district=district, zone=zone)
        totals[kind] = qs.values("organization_id").distinct().count()
        for d, n in (
            qs.values_list("organization__district")
            .annotate(n=Count("organization", distinct=True))
            .order_by()
        ):
            by_district[(d, kind)] = n
        for z, n in (
            qs.values_list("organization__zone_id")
            .annotate(n=Count("organization", distinct=True))
            .order_by()
        ):
            by_zone[(z, kind)] = n
    return {
        "kinds": list(DesignationKind.choices),
        "totals": totals,
        "total_rows": [{"kind": k, "label": label, "n": totals[k]} for k, label in DesignationKind.choices],
        "by_district": _district_rows(by_district, kinds),
        "by_zone": _zone_rows(by_zone, kinds),
    }


def rd_input_stats(year: int, *, district: str | None = None, zone: Any = None) -> dict[str, Any]:
    """Reported R&D input of one year: totals, by district and by zone (console only)."""
    qs = _place(RdInput.objects.filter(year=year), district=district, zone=zone, prefix="organization__")
    fields = {
        "n": Count("pk"),
        "rd": Sum("rd_expenditure"),
        "revenue": Sum("revenue"),
        "staff": Sum("rd_staff"),
    }
    total = _zeros(qs.aggregate(**fields))
    names = dict(District.choices)
    by_district = [
        {"label": names.get(d, "—") if d else "—", **_zeros(row)}
        for d, *vals in qs.values_list("organization__district")
        .annotate(**fields)
        .order_by("organization__district")
        for row in [dict(zip(fields, vals, strict=True))]
    ]
    zones = {z.pk: z for z in Zone.objects.select_related("parent")}
    by_zone = []
    for z, *vals in (
        qs.values_list("organization__zone_id").annotate(**fields).order_by("organization__zone_id")
    ):
        zone_obj = zones.get(z) if z else None
        label = zone_obj.name if zone_obj else "—"
        by_zone.append({"label": label, **_zeros(dict(zip(fields, vals, strict=True)))})
    return {"year": year, "total": total, "by_district": by_district, "by_zone": by_zone}


def _zeros(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (v if v is not None else 0) for k, v in row.items()}


def _maker_label() -> str:
    return gettext("Provincial-or-national maker carriers")


def active_alliances() -> QuerySet[Alliance]:
    return public_alliances().filter(status=AllianceStatus.ACTIVE)
