"""Fixtures of the achievement page tests: published and draft achievements of the cast's university."""

from __future__ import annotations

import typing

import pytest

from techbridge.achievements.models import Achievement
from techbridge.achievements.tasks import sync_achievement_search
from techbridge.taxonomy.models import DealMode, IndustryField
from techbridge.testing.factories import AchievementFactory, publish

SECRET = "保密工艺参数：拉伸温度125℃"


def make_achievement(
    cast, *, published: bool = True, fields=("materials",), deal_modes=("assignment",), **kw
):
    """An achievement of 示范大学 by the researcher; published and indexed unless told otherwise."""
    kw.setdefault("owner", cast.university)
    kw.setdefault("created_by", cast.researcher)
    kw.setdefault("detail", SECRET + "，拉伸比3.5")
    achievement = typing.cast(Achievement, AchievementFactory(**kw))
    achievement.fields.set(IndustryField.objects.filter(code__in=fields))
    achievement.deal_modes.set(DealMode.objects.filter(code__in=deal_modes))
    if published:
        publish(achievement)
        sync_achievement_search(achievement.pk)
    return achievement


@pytest.fixture
def published(cast):
    return make_achievement(cast, title="一种高效锂电池隔膜制备方法")


@pytest.fixture
def draft(cast):
    return make_achievement(cast, published=False, title="未公开的钙钛矿电池草稿")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
