"""The matching indexes follow the catalogue: publish, edit, withdraw and expire, after the commit.

Helpers and fixtures here are shared by the other platform-side matching tests (views, API, rebuild,
notifications, backends), which import them.
"""

from __future__ import annotations

import typing
from datetime import timedelta

import pytest
from django.utils import timezone

from techbridge.achievements import services as achievement_services
from techbridge.achievements.models import Achievement
from techbridge.demands import services as demand_services
from techbridge.demands.models import Demand
from techbridge.matching import indexes, queries
from techbridge.matching.models import IndexEntry, IndexState, ListingKind
from techbridge.matching.signals import inline_budget
from techbridge.taxonomy.models import IndustryField
from techbridge.testing.factories import AchievementFactory, DemandFactory

pytestmark = pytest.mark.django_db

# A word that only the confidential detail contains: it must never surface anywhere in matching.
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


@pytest.fixture(autouse=True)
def _fresh_indexes(settings, e5_model):
    """Each test starts with empty in-process indexes that check the database on every read."""
    settings.MATCH_INDEX_CHECK_SECONDS = 0
    settings.MATCH_INLINE_ENCODE_PER_MINUTE = 1000
    indexes.reset_indexes()
    inline_budget.reset()
    yield
    indexes.reset_indexes()


def fields(*codes: str) -> list[IndustryField]:
    return list(IndustryField.objects.filter(code__in=codes))


def new_achievement(cast, *, field_codes=("nev",), **kw) -> Achievement:
    """A draft achievement of the cast's university, by the researcher."""
    kw.setdefault("owner", cast.university)
    kw.setdefault("created_by", cast.researcher)
    kw.setdefault("detail", f"保密工艺：{SECRET}，拉伸比3.5")
    achievement = typing.cast(Achievement, AchievementFactory(**kw))
    achievement.fields.set(fields(*field_codes))
    return achievement


def new_demand(cast, *, field_codes=("nev",), **kw) -> Demand:
    """A draft demand of the cast's enterprise, by the buyer."""
    kw.setdefault("enterprise", cast.enterprise)
    kw.setdefault("created_by", cast.buyer)
    demand = typing.cast(Demand, DemandFactory(**kw))
    demand.fields.set(fields(*field_codes))
    return demand


def publish_achievement(cast, achievement: Achievement, run_on_commit) -> Achievement:
    """Submit and approve through the services, running what happens after the commit."""
    with run_on_commit(execute=True):
        achievement_services.submit_achievement(achievement, actor=achievement.created_by)
        achievement_services.approve_achievement(achievement, actor=cast.reviewer)
    achievement.refresh_from_db()
    return achievement


def publish_demand(cast, demand: Demand, run_on_commit) -> Demand:
    with run_on_commit(execute=True):
        demand_services.submit_demand(demand, actor=demand.created_by)
        demand_services.approve_demand(demand, actor=cast.reviewer)
    demand.refresh_from_db()
    return demand


def vector_queries(*, filtered: bool = False) -> int:
    """Queries of one dense search: none for a local index; on pgvector the search, its settings and
    the savepoint around them."""
    if not indexes.uses_pgvector():
        return 0
    return 5 if filtered else 4


def titles(result) -> list[str]:
    return [m.obj.title for m in result.items]


def entry(listing) -> IndexEntry:
    return IndexEntry.objects.get(kind=indexes.kind_of(listing), object_id=listing.pk)


# ---- publishing ----------------------------------------------------------------------------------------


def test_published_achievement_is_indexed_after_commit_and_matches_the_demand(cast, run_on_commit):
    demand = publish_demand(cast, new_demand(cast, **BATTERY_NEED), run_on_commit)
    publish_achievement(cast, new_achievement(cast, field_codes=("environment",), **SLUDGE), run_on_commit)
    achievement = new_achievement(cast, **BATTERY)

    with run_on_commit(execute=False) as callbacks:
        achievement_services.submit_achievement(achievement, actor=cast.researcher)
        achievement_services.approve_achievement(achievement, actor=cast.reviewer)
    # Nothing is indexed before the commit.
    assert not IndexEntry.objects.filter(kind=ListingKind.ACHIEVEMENT, object_id=achievement.pk).exists()
    with run_on_commit(execute=True):  # the catalogue's task, then ours, which it queues on commit
        for callback in callbacks:
            callback()

    assert entry(achievement).state == IndexState.DONE
    result = queries.matches_for_demand(demand, cast.buyer)
    assert result.mode == "hybrid"
    assert titles(result)[0] == BATTERY["title"]
    assert "隔膜" in result.items[0].terms


def test_published_demand_appears_in_the_achievements_matches(cast, run_on_commit):
    achievement = publish_achievement(cast, new_achievement(cast, **BATTERY), run_on_commit)

    demand = publish_demand(cast, new_demand(cast, **BATTERY_NEED), run_on_commit)

    assert titles(queries.matches_for_achievement(achievement, cast.researcher)) == [demand.title]


def test_a_draft_is_never_indexed_nor_matched(cast, run_on_commit):
    demand = publish_demand(cast, new_demand(cast, **BATTERY_NEED), run_on_commit)
    draft = new_achievement(cast, **BATTERY)
    with run_on_commit(execute=True):
        achievement_services.submit_achievement(draft, actor=cast.researcher)  # submitted, not published

    assert titles(queries.matches_for_demand(demand, cast.univ_admin)) == []  # not even to its owner
    assert not IndexEntry.objects.filter(kind=ListingKind.ACHIEVEMENT, object_id=draft.pk).exists()
    assert draft.pk not in indexes.index_for(ListingKind.ACHIEVEMENT).lexical


def test_withdrawn_achievement_disappears_from_matches(cast, run_on_commit):
    demand = publish_demand(cast, new_demand(cast, **BATTERY_NEED), run_on_commit)
    achievement = publish_achievement(cast, new_achievement(cast, **BATTERY), run_on_commit)
    assert titles(queries.matches_for_demand(demand, None)) == [BATTERY["title"]]

    with run_on_commit(execute=True):
        achievement_services.withdraw_achievement(achievement, actor=cast.researcher)

    assert titles(queries.matches_for_demand(demand, None)) == []
    assert entry(achievement).state == IndexState.REMOVED
    assert achievement.pk not in indexes.index_for(ListingKind.ACHIEVEMENT).lexical


def test_expired_demand_disappears_from_matches(cast, run_on_commit):
    achievement = publish_achievement(cast, new_achievement(cast, **BATTERY), run_on_commit)
    demand = publish_demand(
        cast,
        new_demand(cast, deadline=timezone.localdate() + timedelta(days=3), **BATTERY_NEED),
        run_on_commit,
    )
    assert titles(queries.matches_for_achievement(achievement, None)) == [demand.title]
    Demand.objects.filter(pk=demand.pk).update(deadline=timezone.localdate() - timedelta(days=1))

    with run_on_commit(execute=True):
        assert demand_services.expire_overdue_demands() == 1

    assert titles(queries.matches_for_achievement(achievement, None)) == []


def test_an_edit_takes_the_listing_out_until_it_is_published_again(cast, run_on_commit):
    demand = publish_demand(cast, new_demand(cast, **BATTERY_NEED), run_on_commit)
    achievement = publish_achievement(cast, new_achievement(cast, **SLUDGE), run_on_commit)
    old_hash = entry(achievement).content_hash

    with run_on_commit(execute=True):
        achievement_services.update_achievement(
            achievement, actor=cast.researcher, data={**BATTERY, "summary": BATTERY["summary"]}
        )
    assert entry(achievement).state == IndexState.REMOVED  # back in review: not matched
    with run_on_commit(execute=True):
        achievement_services.approve_achievement(achievement, actor=cast.reviewer)

    assert entry(achievement).content_hash != old_hash
    assert titles(queries.matches_for_demand(demand, None)) == [BATTERY["title"]]


def test_another_process_sees_the_change_when_the_version_moves(cast, run_on_commit):
    demand = publish_demand(cast, new_demand(cast, **BATTERY_NEED), run_on_commit)
    held = indexes.index_for(ListingKind.ACHIEVEMENT)  # loaded before the achievement exists
    assert len(held.lexical) == 0
    indexes._registry.clear()  # the indexes below belong to "another process" that we then restore
    publish_achievement(cast, new_achievement(cast, **BATTERY), run_on_commit)
    indexes._registry[ListingKind.ACHIEVEMENT] = held

    assert titles(queries.matches_for_demand(demand, None)) == [BATTERY["title"]]
    assert held.dense_count == 1


def test_the_confidential_detail_never_reaches_matching(cast, run_on_commit):
    publish_achievement(cast, new_achievement(cast, **BATTERY), run_on_commit)
    index = indexes.index_for(ListingKind.ACHIEVEMENT)

    assert index.lexical.terms(SECRET) == []
    result = queries.match_free_text(f"{SECRET} 锂电池隔膜", None)
    assert SECRET not in repr([m.explanation for m in result.items])
    assert all(SECRET not in t for m in result.items for t in m.terms)


def test_bulk_changes_beyond_the_inline_budget_are_left_to_rebuild_index(cast, run_on_commit, settings):
    settings.MATCH_INLINE_ENCODE_PER_MINUTE = 1
    inline_budget.reset()
    demand = publish_demand(cast, new_demand(cast, **BATTERY_NEED), run_on_commit)  # takes the one token

    achievement = publish_achievement(cast, new_achievement(cast, **BATTERY), run_on_commit)

    assert entry(achievement).state == IndexState.PENDING
    result = queries.matches_for_demand(demand, None)
    assert titles(result) == [BATTERY["title"]]  # found by its words meanwhile
    assert result.items[0].explanation["parts"]["dense"] is None
