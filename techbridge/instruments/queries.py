"""Reads more than one view needs: the catalogue with its filters, the calendar of a week, utilisation
figures and the low-external-use flags. Visibility is built in (``visible_instruments(user)``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core.roles import is_staff_reviewer
from techbridge.taxonomy.models import IndustryField

from . import permissions, slots
from .choices import Audience, BookingStatus, InstrumentStatus
from .models import Instrument, Slot, UsageMonth
from .rules import LowExternalUseRule

# ---- the catalogue ---------------------------------------------------------------------------------


def visible_instruments(user: Any) -> QuerySet[Instrument]:
    """Instruments ``user`` may see, with what list pages show already joined."""
    qs = Instrument.objects.select_related("owner", "owner__zone").prefetch_related(
        Prefetch("fields", queryset=IndustryField.objects.order_by("order"))
    )
    if is_staff_reviewer(user):
        return qs
    return qs.filter(~Q(status=InstrumentStatus.RETIRED) | permissions.managed_instruments_q(user))


@dataclass
class CatalogueFilters:
    """The structured filters of the catalogue page and the API (all optional)."""

    category: str = ""
    kind: str = ""
    district: str = ""
    zone: str = ""
    field: str = ""
    publicly_funded: bool | None = None
    self_use: bool = False
    bookable: bool = False
    owner: int | None = None
    platform: int | None = None

    def apply(self, qs: QuerySet[Instrument]) -> QuerySet[Instrument]:
        if self.category:
            qs = qs.filter(category=self.category)
        if self.kind:
            qs = qs.filter(kind=self.kind)
        if self.district:
            qs = qs.filter(owner__district=self.district)
        if self.zone:
            from techbridge.organizations.models import Zone

            zone = Zone.objects.filter(code=self.zone).first()
            qs = qs.filter(owner__zone_id__in=zone.with_parks()) if zone else qs.none()
        if self.field:
            qs = qs.filter(fields__code=self.field)
        if self.publicly_funded is not None:
            qs = qs.filter(publicly_funded=self.publicly_funded)
        if self.self_use:
            qs = qs.filter(access="self_use")
        if self.bookable:
            qs = qs.filter(status=InstrumentStatus.ACTIVE)
        if self.owner:
            qs = qs.filter(owner_id=self.owner)
        if self.platform:
            qs = qs.filter(platform_id=self.platform)
        return qs


# ---- the calendar ----------------------------------------------------------------------------------


@dataclass
class Cell:
    start: dt.datetime
    state: str  # free | booked | mine | maintenance | closed | past
    label: str = ""
    booking_id: int | None = None
    status: str = ""


@dataclass
class Week:
    monday: dt.date
    days: list[dt.date]
    rows: list[tuple[dt.time, list[Cell]]] = field(default_factory=list)

    @property
    def previous(self) -> dt.date:
        return self.monday - dt.timedelta(days=7)

    @property
    def next(self) -> dt.date:
        return self.monday + dt.timedelta(days=7)


def calendar_week(
    instrument: Instrument, monday: dt.date, viewer: Any, *, now: dt.datetime | None = None
) -> Week:
    """One week of an instrument's calendar as the viewer may see it.

    Owner staff and platform staff see who holds each unit; the requester sees their own bookings;
    everyone else sees only that a unit is taken. One query, whatever the number of bookings.
    """
    now = now or timezone.now()
    monday = slots.week_start(monday)
    days = [monday + dt.timedelta(days=i) for i in range(7)]
    start, end = slots.day_start(days[0]), slots.day_start(days[-1] + dt.timedelta(days=1))
    held = {
        s.starts_at: s
        for s in Slot.objects.filter(instrument=instrument, starts_at__gte=start, starts_at__lt=end)
        .select_related("booking", "booking__organization", "maintenance")
        .only(
            "starts_at",
            "booking__id",
            "booking__status",
            "booking__requester_id",
            "booking__organization__name",
            "maintenance__id",
            "maintenance__reason",
        )
    }
    detail = permissions.can_manage_instrument(viewer, instrument) or is_staff_reviewer(viewer)
    viewer_id = getattr(viewer, "pk", None)
    unit = instrument.slot_minutes
    hours = instrument.hours
    week = Week(monday=monday, days=days)
    for t in slots.rows_of_day(unit, hours):
        cells = []
        for day in days:
            when = timezone.make_aware(dt.datetime.combine(day, t))
            slot = held.get(when)
            if slot is not None and slot.maintenance is not None:
                cells.append(
                    Cell(when, "maintenance", slot.maintenance.reason if detail else _("Maintenance"))
                )
            elif slot is not None and slot.booking is not None:
                b = slot.booking
                mine = b.requester_id == viewer_id
                state = "mine" if mine else "booked"
                label = b.organization.name if (detail or mine) else _("Booked")
                cells.append(
                    Cell(when, state, label, booking_id=b.pk if (detail or mine) else None, status=b.status)
                )
            elif not slots.is_open(when, unit, hours):
                cells.append(Cell(when, "closed"))
            elif when < now:
                cells.append(Cell(when, "past"))
            else:
                cells.append(Cell(when, "free"))
        week.rows.append((t, cells))
    return week


def pending_bookings_count(user: Any) -> int:
    from .models import Booking

    return Booking.objects.filter(
        status=BookingStatus.REQUESTED,
        instrument__in=Instrument.objects.filter(permissions.managed_instruments_q(user)),
    ).count()


# ---- utilisation -----------------------------------------------------------------------------------


def months_back(count: int, today: dt.date | None = None) -> list[dt.date]:
    """The first days of the last ``count`` months, oldest first, the current month last."""
    today = today or timezone.localdate()
    y, m = today.year, today.month
    out = []
    for _i in range(count):
        out.append(dt.date(y, m, 1))
        m -= 1
        if m == 0:
            y, m = y - 1, 12
    return list(reversed(out))


def month_end(first: dt.date) -> dt.date:
    nxt = dt.date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def monthly_series(instruments: QuerySet[Instrument] | None, months: list[dt.date]) -> dict[str, Any]:
    """Hours per month, internal and external, over ``instruments`` (all when None): the chart's data."""
    qs = UsageMonth.objects.filter(month__gte=months[0], month__lte=months[-1])
    if instruments is not None:
        qs = qs.filter(instrument__in=instruments.values("pk"))
    by: dict[dt.date, dict[str, Decimal]] = defaultdict(
        lambda: {Audience.INTERNAL.value: Decimal("0"), Audience.EXTERNAL.value: Decimal("0")}
    )
    fee: dict[dt.date, Decimal] = defaultdict(Decimal)
    for row in qs.values("month", "audience").annotate(h=Sum("hours"), f=Sum("fee")).order_by():
        by[row["month"]][row["audience"]] += row["h"] or 0
        fee[row["month"]] += row["f"] or 0
    return {
        "labels": [m.strftime("%Y-%m") for m in months],
        "internal": [float(by[m][Audience.INTERNAL]) for m in months],
        "external": [float(by[m][Audience.EXTERNAL]) for m in months],
        "fee": [float(fee[m]) for m in months],
    }


@dataclass
class Utilisation:
    instrument: Instrument
    hours: Decimal
    external_hours: Decimal
    fee: Decimal
    available: float
    flag: dict[str, Any] | None

    @property
    def rate(self) -> float | None:
        return float(self.hours) / self.available if self.available else None

    @property
    def external_share(self) -> float | None:
        return float(self.external_hours / self.hours) if self.hours else None


def utilisation_table(
    instruments: QuerySet[Instrument], months: list[dt.date], *, rule: LowExternalUseRule | None = None
) -> list[Utilisation]:
    """Hours, external hours, fees, utilisation rate and the low-external-use flag per instrument.

    Two queries: the instruments and one grouped sum over their monthly figures.
    """
    rule = rule or LowExternalUseRule.from_settings()
    first, last = months[0], month_end(months[-1])
    today = timezone.localdate()
    last = min(last, today)
    rows = list(instruments)
    totals: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    # A page of instruments is filtered by its ids; a long list by the query itself (SQLite caps the
    # number of parameters of one statement).
    which: Any = [i.pk for i in rows] if len(rows) <= 500 else instruments.values("pk")
    qs = (
        UsageMonth.objects.filter(month__gte=first, month__lte=months[-1], instrument__in=which)
        .values("instrument_id", "audience")
        .annotate(h=Sum("hours"), f=Sum("fee"))
        .order_by()
    )
    for r in qs:
        t = totals[r["instrument_id"]]
        t[r["audience"]] += r["h"] or 0
        t["fee"] += r["f"] or 0
    out = []
    for i in rows:
        t = totals.get(i.pk, {})
        hours = t.get(Audience.INTERNAL, Decimal("0")) + t.get(Audience.EXTERNAL, Decimal("0"))
        external = t.get(Audience.EXTERNAL, Decimal("0"))
        flag = None
        if rule.applies_to(publicly_funded=i.publicly_funded, purchase_value=i.purchase_value):
            flag = rule.check(total_hours=hours, external_hours=external)
        out.append(
            Utilisation(
                instrument=i,
                hours=hours,
                external_hours=external,
                fee=t.get("fee", Decimal("0")),
                available=slots.available_hours(first, last, i.slot_minutes, i.hours),
                flag=flag,
            )
        )
    return out


def owner_summary(months: list[dt.date], *, district: str = "", limit: int = 200) -> list[dict[str, Any]]:
    """Hours per owner organisation over ``months``, biggest first (the console's overview)."""
    qs = UsageMonth.objects.filter(month__gte=months[0], month__lte=months[-1])
    if district:
        qs = qs.filter(instrument__owner__district=district)
    rows: dict[int, dict[str, Any]] = {}
    for r in (
        qs.values("instrument__owner_id", "instrument__owner__name", "audience")
        .annotate(h=Sum("hours"), f=Sum("fee"))
        .order_by()
    ):
        row = rows.setdefault(
            r["instrument__owner_id"],
            {
                "owner_id": r["instrument__owner_id"],
                "name": r["instrument__owner__name"],
                "hours": Decimal("0"),
                "external": Decimal("0"),
                "fee": Decimal("0"),
            },
        )
        row["hours"] += r["h"] or 0
        row["fee"] += r["f"] or 0
        if r["audience"] == Audience.EXTERNAL:
            row["external"] += r["h"] or 0
    ordered = sorted(rows.values(), key=lambda x: -x["hours"])
    for row in ordered:
        row["share"] = float(row["external"] / row["hours"]) if row["hours"] else None
    return ordered[:limit]


@dataclass
class FlagRow:
    """One flagged instrument, read without loading model instances (the console lists thousands)."""

    pk: int
    name: str
    owner: str
    purchase_value: Decimal | None
    hours: Decimal
    external_hours: Decimal
    flag: dict[str, Any]


def flagged(months: list[dt.date], *, rule: LowExternalUseRule | None = None) -> list[FlagRow]:
    """Every publicly funded large instrument the rule flags, least external use first.

    Two queries whatever the number of instruments: the candidates' columns and one grouped sum.
    """
    rule = rule or LowExternalUseRule.from_settings()
    candidates = Instrument.objects.filter(publicly_funded=True, purchase_value__gte=rule.min_value).exclude(
        status=InstrumentStatus.RETIRED
    )
    totals: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for r in (
        UsageMonth.objects.filter(
            month__gte=months[0], month__lte=months[-1], instrument__in=candidates.values("pk")
        )
        .values("instrument_id", "audience")
        .annotate(h=Sum("hours"))
        .order_by()
    ):
        totals[r["instrument_id"]][r["audience"]] += r["h"] or 0
    out = []
    for pk, name, owner, value in candidates.values_list("pk", "name", "owner__name", "purchase_value"):
        t = totals.get(pk, {})
        external = t.get(Audience.EXTERNAL, Decimal("0"))
        hours = t.get(Audience.INTERNAL, Decimal("0")) + external
        flag = rule.check(total_hours=hours, external_hours=external)
        if flag["flagged"]:
            out.append(FlagRow(pk, name, owner, value, hours, external, flag))
    out.sort(key=lambda u: (u.external_hours, -(u.purchase_value or 0), u.pk))
    return out


# ---- "my work" -------------------------------------------------------------------------------------


def mine_summary(user: Any) -> dict[str, Any] | None:
    """The signed-in user's upcoming bookings, what awaits them as owner staff, their open orders."""
    from .choices import OrderStatus
    from .models import Booking, ServiceOrder

    if not getattr(user, "is_authenticated", False):
        return None
    upcoming = list(
        Booking.objects.filter(
            requester=user,
            status__in=[BookingStatus.REQUESTED, BookingStatus.APPROVED, BookingStatus.IN_USE],
        )
        .select_related("instrument")
        .order_by("starts_at")[:5]
    )
    open_orders = (
        ServiceOrder.objects.filter(permissions.visible_orders_q(user, as_staff=False))
        .exclude(status__in=[OrderStatus.ACCEPTED, OrderStatus.DECLINED, OrderStatus.WITHDRAWN])
        .count()
    )
    to_approve = pending_bookings_count(user)
    if not (upcoming or open_orders or to_approve):
        return None
    return {"upcoming": upcoming, "open_orders": open_orders, "to_approve": to_approve}
