"""A stored score turned into rows a page shows: each category's weight, points and every input in words."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .choices import DemonstrationLevel
from .models import QuarterlyScore
from .scoring import INPUT_LABELS

CATEGORY_LABELS = {
    "basics": gettext_lazy("Basic conditions"),
    "performance": gettext_lazy("Service performance"),
    "capability": gettext_lazy("Service capability"),
    "governance": gettext_lazy("Governance"),
    "credit": gettext_lazy("Social credit"),
}


def _value(line: dict[str, Any]) -> str:
    value = line.get("value")
    if value is None or value == "":
        if line["key"] == "report_year":
            return _("No accepted self-report")
        if line["key"] == "designation":
            return _("None")
        return "–"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if line["key"] == "designation":
        return str(dict(DemonstrationLevel.choices).get(value, value))
    return str(value)


def score_breakdown(score: QuarterlyScore) -> list[dict[str, Any]]:
    """``[{key, label, weight, points, weighted, lines: [{label, value, points, max}]}]``."""
    weights = score.inputs.get("weights", {})
    rows = []
    for key in ("basics", "performance", "capability", "governance", "credit"):
        points: Decimal = getattr(score, key)
        weight = int(weights.get(key, 0))
        rows.append(
            {
                "key": key,
                "label": str(CATEGORY_LABELS[key]),
                "weight": weight,
                "points": points,
                "weighted": (points * weight / 100).quantize(Decimal("0.01")),
                "lines": [
                    {
                        "label": str(INPUT_LABELS.get(line["key"], line["key"])),
                        "value": _value(line),
                        "points": line["points"],
                        "max": line["max"],
                    }
                    for line in score.inputs.get(key, [])
                ],
            }
        )
    return rows
