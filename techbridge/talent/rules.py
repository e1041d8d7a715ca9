"""The hard-demand rule (难题需求): which published demands go to a technology manager rather than being
left to automatic matching alone, and to which manager.

**Score** (``RULE_VERSION`` 2026.1), read from the demand's own text and fields:

=================================  ===================================================  ==========
input                              how it is read                                       points
=================================  ===================================================  ==========
quantitative indicators            numbers with a unit or a bound in the wanted         1 each, at
                                   indicators and the problem (≤5pJ/bit, 56Gbps, 30%)   most 4
pilot or mass-production need      中试 / 量产 / 产业化 / 批量 / 放大 / 规模化 …             2
IP risk                            侵权 / 专利规避 / 自由实施 / FTO / 专利壁垒 …              2
certification or standard          认证 / 车规 / ISO / 国标 / 资质 …                        1
no budget                          negotiable and no amount given                       2
several industry fields            two or more fields                                   1
=================================  ===================================================  ==========

A demand scoring ``THRESHOLD`` (6) or more is **hard** and is routed to a manager: several of the
difficulties together, not many figures alone (of the 60 sample demands in ``data/demo``, 9 are hard
from their text; test ``test_on_the_sample_demands_a_minority_is_hard``).

**Routing**: listed, active managers accepting routes, whose institution (if any) is not blacklisted,
who share a field with the demand (any manager when the demand names no field), of at least the
required level (score ≥ threshold + 3: senior; ≥ threshold + 1: intermediate; else any) and below
their ``max_load`` of open routings; the most shared fields first, then the lightest load, then the
lowest id. A manager who declined a demand is not asked again.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from django.utils.translation import gettext_lazy as _

from .choices import ManagerLevel

RULE_VERSION = "2026.1"
THRESHOLD = 6
MAX_INDICATOR_POINTS = 4

# A number followed by a unit, a percentage, or preceded/followed by a bound.
_UNIT = (
    r"(?:pJ/bit|Gbps|Mbps|kbps|bps|GHz|MHz|kHz|Hz|kWh|MW|kW|mW|W|kV|mV|V|mA|A|kΩ|Ω|dB|nm|μm|um|mm|cm|km/h|km|m|"
    r"mg/mL|mg/L|g/L|mg|kg|gf|g|t|ms|s|min|℃|°C|%|％|ppm|"
    r"万吨|万|吨|小时|天|年|次|倍|分钟|秒|毫秒|米|公里|千克|公斤|克|升|瓦|伏|安|欧|度|级|层|寸|元|以上|以下|以内)"
)
# A number with a unit, or a bound (≤ ≥ < >) with a number and perhaps a unit.
_QUANT = re.compile(rf"[≤≥<>＜＞]=?\s*\d+(?:\.\d+)?\s*{_UNIT}?|\d+(?:\.\d+)?\s*{_UNIT}")
PILOT_WORDS = ("中试", "量产", "产业化", "批量", "规模化", "放大", "小试", "工程化", "产线", "生产线")
IP_WORDS = (
    "侵权",
    "专利规避",
    "规避设计",
    "自由实施",
    "FTO",
    "专利壁垒",
    "知识产权风险",
    "专利风险",
    "绕开专利",
    "国外专利",
)
CERT_WORDS = ("认证", "车规", "ISO", "国标", "行标", "资质", "CE ", "UL ", "AEC-Q", "GB/T", "注册证")

INPUT_LABELS: dict[str, Any] = {
    "indicators": _("Quantitative indicators"),
    "pilot": _("Pilot or mass-production need"),
    "ip_risk": _("Intellectual-property risk"),
    "certification": _("Certification or standard to meet"),
    "no_budget": _("No budget given"),
    "fields": _("Several industry fields"),
}


def _hits(text: str, words: tuple[str, ...]) -> list[str]:
    return [w.strip() for w in words if w in text]


def assess(demand: Any) -> tuple[int, list[dict[str, Any]]]:
    """The rule score of ``demand`` and its inputs: ``[{key, evidence, points}]``."""
    text = "\n".join(x for x in (demand.title, demand.problem, demand.setting, demand.indicators) if x)
    quant = list(
        dict.fromkeys(
            q.strip() for q in _QUANT.findall("\n".join(x for x in (demand.indicators, demand.problem) if x))
        )
    )
    field_count = demand.fields.count() if demand.pk else 0
    no_budget = bool(demand.budget_negotiable and demand.budget_min is None and demand.budget_max is None)
    lines: list[dict[str, Any]] = [
        {"key": "indicators", "evidence": quant[:8], "points": min(len(quant), MAX_INDICATOR_POINTS)},
        {
            "key": "pilot",
            "evidence": _hits(text, PILOT_WORDS),
            "points": 2 if _hits(text, PILOT_WORDS) else 0,
        },
        {"key": "ip_risk", "evidence": _hits(text, IP_WORDS), "points": 2 if _hits(text, IP_WORDS) else 0},
        {
            "key": "certification",
            "evidence": _hits(text, CERT_WORDS),
            "points": 1 if _hits(text, CERT_WORDS) else 0,
        },
        {"key": "no_budget", "evidence": [], "points": 2 if no_budget else 0},
        {"key": "fields", "evidence": [str(field_count)], "points": 1 if field_count >= 2 else 0},
    ]
    return sum(line["points"] for line in lines), lines


def content_stamp(demand: Any) -> str:
    """Changes when anything the rule reads changes (so a stale assessment is recomputed)."""
    parts = [
        demand.title,
        demand.problem,
        demand.setting,
        demand.indicators,
        str(demand.budget_negotiable),
        str(demand.budget_min),
        str(demand.budget_max),
        ",".join(str(pk) for pk in sorted(demand.fields.values_list("pk", flat=True))),
        RULE_VERSION,
    ]
    return hashlib.sha256("\x1f".join(p or "" for p in parts).encode()).hexdigest()


def required_level(score: int) -> str | None:
    """The lowest manager level a demand of ``score`` is routed to (``None``: any level)."""
    if score >= THRESHOLD + 3:
        return ManagerLevel.SENIOR
    if score >= THRESHOLD + 1:
        return ManagerLevel.INTERMEDIATE
    return None
