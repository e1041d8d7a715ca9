"""Every figure by district and by zone (江北新区, 高新区 and their parks).

Figures come from the registered metrics, placed by the organisation that owns the record (owner,
seller, enterprise). A metric that adds up offers ``by_place`` — its values grouped by (district, zone)
in one query — and every district and zone is summed from it; others are computed once per place.
Amounts of groups with fewer records than the metric's ``min_count`` show only the count.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.utils.translation import gettext as _

from techbridge.core.registry import Metric, Period, find_metric, metrics
from techbridge.organizations.choices import District
from techbridge.organizations.models import Zone
from techbridge.organizations.queries import NANJING_DISTRICTS

from .measures import Cell, cache_seconds, figure_cell, metric_value


@dataclass
class Area:
    key: str
    label: str
    kind: str  # "district" or "zone"
    district: str | None = None
    zone: Zone | None = None
    zone_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def place(self) -> dict[str, Any]:
        return {"district": self.district} if self.kind == "district" else {"zone": self.zone}

    def holds(self, district: str, zone_id: int | None) -> bool:
        return district == self.district if self.kind == "district" else zone_id in self.zone_ids


def areas() -> list[Area]:
    labels = dict(District.choices)
    out = [Area(f"d:{d}", str(labels[d]), "district", district=d) for d in NANJING_DISTRICTS]
    zones = list(Zone.objects.select_related("parent").order_by("order", "id"))
    for z in zones:
        label = f"{z.parent.name} · {z.name}" if z.parent is not None else z.name
        members = frozenset([z.pk, *(p.pk for p in zones if p.parent_id == z.pk)])
        out.append(Area(f"z:{z.code}", label, "zone", zone=z, zone_ids=members))
    return out


def area_by_key(key: str) -> Area | None:
    return next((a for a in areas() if a.key == key), None)


@dataclass
class AreaRow:
    metric: Metric
    cells: list[Cell]


def _grouped(metric: Metric, period: Period) -> Mapping[tuple[str, int | None], Any] | None:
    """``metric.by_place(period)``, cached like every figure; ``None`` when the city has no data."""
    if metric_value(metric, period) is None:
        return None
    key = f"gov:place:{metric.code}:{period.start}:{period.end}"
    hit = cache.get(key)
    if hit is None:
        assert metric.by_place is not None
        hit = dict(metric.by_place(period))
        cache.set(key, hit, cache_seconds())
    return hit


def _sum(groups: Mapping[tuple[str, int | None], Any], area: Area) -> Decimal:
    return sum(
        (Decimal(str(v)) for (d, z), v in groups.items() if v is not None and area.holds(d, z)), Decimal("0")
    )


def _row(metric: Metric, period: Period, chosen: list[Area]) -> list[Cell]:
    if metric.by_place is None:
        # No source at all (``None`` city-wide): no place has data either, whatever the metric.
        if metric_value(metric, period) is None:
            return [Cell(None) for _ in chosen]
        return [figure_cell(metric, period, **a.place) for a in chosen]
    groups = _grouped(metric, period)
    if groups is None:
        return [Cell(None) for _ in chosen]
    counter = find_metric(metric.count_metric) if metric.count_metric and metric.min_count else None
    counts = _grouped(counter, period) if counter is not None and counter.by_place is not None else None
    cells = []
    for a in chosen:
        cell = Cell(_sum(groups, a))
        if counter is not None and counts is None:
            cell = figure_cell(metric, period, **a.place)
        elif counts is not None:
            n = int(_sum(counts, a))
            cell.count = n
            cell.withheld = 0 < n < metric.min_count
        cells.append(cell)
    return cells


def table(period: Period, chosen: list[Area] | None = None, codes: list[str] | None = None) -> list[AreaRow]:
    """One row per metric (all registered, or ``codes``), one cell per area."""
    chosen = chosen if chosen is not None else areas()
    return [
        AreaRow(metric, _row(metric, period, chosen))
        for metric in metrics
        if codes is None or metric.code in codes
    ]


def note() -> str:
    return _(
        "Each record is placed by its organisation's district and zone (owner of an achievement, seller of "
        "a contract or room, enterprise of a demand); a zone includes its parks. Districts and zones overlap."
    )
