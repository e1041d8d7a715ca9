"""Every figure by district and by zone (江北新区, 高新区 and their parks).

Figures come from the registered metrics (``compute(period, district=…)`` / ``compute(period, zone=…)``),
placed by the organisation that owns the record (owner, seller, enterprise). Amounts of groups with
fewer records than the metric's ``min_count`` show only the count.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from techbridge.core.registry import Metric, Period, metrics
from techbridge.organizations.choices import District
from techbridge.organizations.models import Zone
from techbridge.organizations.queries import NANJING_DISTRICTS

from .measures import Cell, figure_cell


@dataclass
class Area:
    key: str
    label: str
    kind: str  # "district" or "zone"
    district: str | None = None
    zone: Zone | None = None

    @property
    def place(self) -> dict[str, Any]:
        return {"district": self.district} if self.kind == "district" else {"zone": self.zone}


def areas() -> list[Area]:
    labels = dict(District.choices)
    out = [Area(f"d:{d}", str(labels[d]), "district", district=d) for d in NANJING_DISTRICTS]
    for z in Zone.objects.select_related("parent").order_by("order", "id"):
        label = f"{z.parent.name} · {z.name}" if z.parent is not None else z.name
        out.append(Area(f"z:{z.code}", label, "zone", zone=z))
    return out


def area_by_key(key: str) -> Area | None:
    return next((a for a in areas() if a.key == key), None)


@dataclass
class AreaRow:
    metric: Metric
    cells: list[Cell]


def table(period: Period, chosen: list[Area] | None = None, codes: list[str] | None = None) -> list[AreaRow]:
    """One row per metric (all registered, or ``codes``), one cell per area."""
    chosen = chosen if chosen is not None else areas()
    rows = []
    for metric in metrics:
        if codes is not None and metric.code not in codes:
            continue
        rows.append(AreaRow(metric, [figure_cell(metric, period, **a.place) for a in chosen]))
    return rows


def note() -> str:
    return _(
        "Each record is placed by its organisation's district and zone (owner of an achievement, seller of "
        "a contract or room, enterprise of a demand); a zone includes its parks. Districts and zones overlap."
    )
