"""Achievements (科技成果): ``AchievementFactory`` for any shape, ``make_achievement`` for the usual one —
a published, searchable achievement of the cast's university written by its researcher."""

from __future__ import annotations

import typing
from collections.abc import Iterable
from typing import Any

import factory

from techbridge.achievements.choices import PATENT_KINDS, AchievementType
from techbridge.achievements.models import Achievement
from techbridge.organizations.choices import OrgKind
from techbridge.taxonomy.models import DealMode, IndustryField

from .core import publish
from .organizations import OrganizationFactory

# What only the confidential detail says: tests check it never shows where the NDA is not accepted.
SECRET = "保密工艺参数：拉伸温度125℃"


class AchievementFactory(factory.django.DjangoModelFactory):
    """A draft invention patent about lithium battery separators.

    ``fields`` and ``deal_modes`` take taxonomy codes (``fields=("materials",)``); ``published=True``
    publishes it (bypassing review) and ``indexed=True`` also puts it in the full-text index. Without
    ``owner`` it belongs to a new university; ``created_by`` stays empty unless given.
    ``chip=True`` makes it the low-power clock circuit the valuation tests appraise (``make_achievement``
    also files it under 集成电路).
    """

    class Meta:
        model = Achievement
        skip_postgeneration_save = True

    class Params:
        chip = factory.Trait(
            title=factory.Sequence(lambda n: f"一种低功耗芯片时钟电路{n}"),
            summary="本成果提供一种低功耗集成电路时钟电路设计，降低芯片动态功耗。",
            keywords="集成电路,时钟,低功耗",
            ipc_codes="H03K 3/00, G06F 1/04",
            team="刘迪;刘敏;王煜伟",
            trl=7,
        )

    owner = factory.SubFactory(
        OrganizationFactory, kind=OrgKind.UNIVERSITY, name=factory.Sequence(lambda n: f"测试大学{n:03d}")
    )
    title = factory.Sequence(lambda n: f"一种高效锂电池隔膜制备方法{n}")
    kind = AchievementType.INVENTION_PATENT
    # A patent states its legal status (the registry classifies by it); other kinds have none.
    legal_status = factory.LazyAttribute(lambda o: "granted" if o.kind in PATENT_KINDS else "")
    trl = 5
    summary = "本成果提供一种高孔隙率锂离子电池隔膜的制备方法，提高电池安全性和循环寿命。"
    advantages = "孔隙率提高20%"
    detail = f"{SECRET}，拉伸比3.5"
    keywords = "锂电池,隔膜"
    price_negotiable = True

    @factory.post_generation
    def fields(obj: Any, create: bool, extracted: Iterable[str] | None, **kwargs: Any) -> None:
        if create and extracted:
            obj.fields.set(IndustryField.objects.filter(code__in=extracted))

    @factory.post_generation
    def deal_modes(obj: Any, create: bool, extracted: Iterable[str] | None, **kwargs: Any) -> None:
        if create and extracted:
            obj.deal_modes.set(DealMode.objects.filter(code__in=extracted))

    @factory.post_generation
    def published(obj: Any, create: bool, extracted: bool | None, **kwargs: Any) -> None:
        if create and extracted:
            publish(obj)

    @factory.post_generation
    def indexed(obj: Any, create: bool, extracted: bool | None, **kwargs: Any) -> None:
        if create and extracted:
            from techbridge.achievements.tasks import sync_achievement_search

            sync_achievement_search(obj.pk)


def make_achievement(
    cast: Any,
    *,
    published: bool = True,
    fields: Iterable[str] | None = None,
    deal_modes: Iterable[str] = ("assignment",),
    **kw: Any,
) -> Achievement:
    """An achievement of 示范大学 by the researcher, in 新材料 (集成电路 with ``chip=True``) for
    assignment; published and in the full-text index unless ``published=False`` (then a draft). Any
    field can be overridden."""
    kw.setdefault("owner", cast.university)
    kw.setdefault("created_by", cast.researcher)
    kw.setdefault("indexed", published)
    if fields is None:
        fields = ("ic",) if kw.get("chip") else ("materials",)
    return typing.cast(
        Achievement,
        AchievementFactory(published=published, fields=tuple(fields), deal_modes=tuple(deal_modes), **kw),
    )


def publish_through_review(achievement: Achievement, *, reviewer: Any) -> Achievement:
    """Submit (as its author) and approve (as ``reviewer``) through the services, running what the
    commit triggers (indexing, matching, notifications) as a committed transaction would."""
    from django.test import TestCase

    from techbridge.achievements import services

    with TestCase.captureOnCommitCallbacks(execute=True):
        services.submit_achievement(achievement, actor=achievement.created_by)
        services.approve_achievement(achievement, actor=reviewer)
    achievement.refresh_from_db()
    return achievement
