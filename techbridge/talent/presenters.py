"""Stored rule inputs turned into rows a page shows."""

from __future__ import annotations

from typing import Any

from .models import DemandAssessment
from .rules import INPUT_LABELS


def assessment_rows(assessment: DemandAssessment) -> list[dict[str, Any]]:
    return [
        {
            "key": line["key"],
            "label": str(INPUT_LABELS.get(line["key"], line["key"])),
            "evidence": "、".join(str(e) for e in line.get("evidence") or [])
            if line["key"] != "fields"
            else "",
            "points": line["points"],
        }
        for line in assessment.inputs
    ]
