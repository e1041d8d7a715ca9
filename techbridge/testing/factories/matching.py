"""Matching (匹配): listings with texts that match each other (a battery separator achievement and the
demand that needs it, a sludge achievement that matches neither), published through review so the
indexes follow as they do in production.

The confidential detail of these achievements holds ``SECRET``, a word no other text has: it must never
surface anywhere in matching.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from techbridge.achievements.models import Achievement
from techbridge.demands.models import Demand

from . import achievements, demands

SECRET = "钪钇复合催化剂"

BATTERY = {
    "title": "一种高安全性锂电池隔膜及其制备方法",
    "summary": "本成果提供一种高孔隙率锂离子电池隔膜，耐高温、不易收缩，提高动力电池的安全性和循环寿命。",
    "keywords": "锂电池,隔膜,动力电池",
}
SLUDGE = {
    "title": "市政污泥高效减量化处理技术",
    "summary": "通过生物水解与深度脱水组合工艺，使污水处理厂剩余污泥产量降低40%，处置成本显著下降。",
    "keywords": "污泥减量,污水处理",
}
BATTERY_NEED = {
    "title": "寻求动力锂电池隔膜技术",
    "problem": "我公司生产动力电池，现有隔膜高温下收缩，电池安全性不足，希望引进耐高温锂电池隔膜技术。",
    "keywords": "锂电池隔膜,动力电池",
}


def new_achievement(cast: Any, *, field_codes: Iterable[str] = ("nev",), **kw: Any) -> Achievement:
    """A draft achievement of 示范大学 by the researcher (新能源汽车), ``SECRET`` in its detail."""
    kw.setdefault("detail", f"保密工艺：{SECRET}，拉伸比3.5")
    return achievements.make_achievement(cast, published=False, fields=field_codes, deal_modes=(), **kw)


def new_demand(cast: Any, *, field_codes: Iterable[str] = ("nev",), **kw: Any) -> Demand:
    """A draft demand of 示范企业 by the buyer (新能源汽车)."""
    return demands.make_demand(cast, published=False, fields=field_codes, modes=(), **kw)


def publish_achievement(cast: Any, achievement: Achievement) -> Achievement:
    """Submit and approve (by the cast's reviewer) through the services, after-commit work included."""
    return achievements.publish_through_review(achievement, reviewer=cast.reviewer)


def publish_demand(cast: Any, demand: Demand) -> Demand:
    """Submit and approve (by the cast's reviewer) through the services, after-commit work included."""
    return demands.publish_through_review(demand, reviewer=cast.reviewer)
