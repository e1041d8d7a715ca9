"""The matching indexes follow the catalogue: publish, edit, withdraw and expire, after the commit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from techbridge.achievements import services as achievement_services
from techbridge.demands import services as demand_services
from techbridge.demands.models import Demand
from techbridge.matching import indexes, queries
from techbridge.matching.models import IndexEntry, IndexState, ListingKind
from techbridge.matching.signals import inline_budget
from techbridge.testing.factories.matching import (
    BATTERY,
    BATTERY_NEED,
    SECRET,
    SLUDGE,
    new_achievement,
    new_demand,
    publish_achievement,
    publish_demand,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_indexes")]


def titles(result) -> list[str]:
    return [m.obj.title for m in result.items]


def entry(listing) -> IndexEntry:
    return IndexEntry.objects.get(kind=indexes.kind_of(listing), object_id=listing.pk)


# ---- publishing ----------------------------------------------------------------------------------------


def test_published_achievement_is_indexed_after_commit_and_matches_the_demand(cast, run_on_commit):
    demand = publish_demand(cast, new_demand(cast, **BATTERY_NEED))
    publish_achievement(cast, new_achievement(cast, field_codes=("environment",), **SLUDGE))
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


def test_published_demand_appears_in_the_achievements_matches(cast):
    achievement = publish_achievement(cast, new_achievement(cast, **BATTERY))

    demand = publish_demand(cast, new_demand(cast, **BATTERY_NEED))

    assert titles(queries.matches_for_achievement(achievement, cast.researcher)) == [demand.title]


def test_a_draft_is_never_indexed_nor_matched(cast, run_on_commit):
    demand = publish_demand(cast, new_demand(cast, **BATTERY_NEED))
    draft = new_achievement(cast, **BATTERY)
    with run_on_commit(execute=True):
        achievement_services.submit_achievement(draft, actor=cast.researcher)  # submitted, not published

    assert titles(queries.matches_for_demand(demand, cast.univ_admin)) == []  # not even to its owner
    assert not IndexEntry.objects.filter(kind=ListingKind.ACHIEVEMENT, object_id=draft.pk).exists()
    assert draft.pk not in indexes.index_for(ListingKind.ACHIEVEMENT).lexical


def test_withdrawn_achievement_disappears_from_matches(cast, run_on_commit):
    demand = publish_demand(cast, new_demand(cast, **BATTERY_NEED))
    achievement = publish_achievement(cast, new_achievement(cast, **BATTERY))
    assert titles(queries.matches_for_demand(demand, None)) == [BATTERY["title"]]

    with run_on_commit(execute=True):
        achievement_services.withdraw_achievement(achievement, actor=cast.researcher)

    assert titles(queries.matches_for_demand(demand, None)) == []
    assert entry(achievement).state == IndexState.REMOVED
    assert achievement.pk not in indexes.index_for(ListingKind.ACHIEVEMENT).lexical


def test_expired_demand_disappears_from_matches(cast, run_on_commit):
    achievement = publish_achievement(cast, new_achievement(cast, **BATTERY))
    demand = publish_demand(
        cast, new_demand(cast, deadline=timezone.localdate() + timedelta(days=3), **BATTERY_NEED)
    )
    assert titles(queries.matches_for_achievement(achievement, None)) == [demand.title]
    Demand.objects.filter(pk=demand.pk).update(deadline=timezone.localdate() - timedelta(days=1))

    with run_on_commit(execute=True):
        assert demand_services.expire_overdue_demands() == 1

    assert titles(queries.matches_for_achievement(achievement, None)) == []


def test_an_edit_takes_the_listing_out_until_it_is_published_again(cast, run_on_commit):
    demand = publish_demand(cast, new_demand(cast, **BATTERY_NEED))
    achievement = publish_achievement(cast, new_achievement(cast, **SLUDGE))
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


def test_another_process_sees_the_change_when_the_version_moves(cast):
    demand = publish_demand(cast, new_demand(cast, **BATTERY_NEED))
    held = indexes.index_for(ListingKind.ACHIEVEMENT)  # loaded before the achievement exists
    assert len(held.lexical) == 0
    indexes._registry.clear()  # the indexes below belong to "another process" that we then restore
    publish_achievement(cast, new_achievement(cast, **BATTERY))
    indexes._registry[ListingKind.ACHIEVEMENT] = held

    assert titles(queries.matches_for_demand(demand, None)) == [BATTERY["title"]]
    assert held.dense_count == 1


def test_the_confidential_detail_never_reaches_matching(cast):
    publish_achievement(cast, new_achievement(cast, **BATTERY))
    index = indexes.index_for(ListingKind.ACHIEVEMENT)

    assert index.lexical.terms(SECRET) == []
    result = queries.match_free_text(f"{SECRET} 锂电池隔膜", None)
    assert SECRET not in repr([m.explanation for m in result.items])
    assert all(SECRET not in t for m in result.items for t in m.terms)


def test_bulk_changes_beyond_the_inline_budget_are_left_to_rebuild_index(cast, settings):
    settings.MATCH_INLINE_ENCODE_PER_MINUTE = 1
    inline_budget.reset()
    demand = publish_demand(cast, new_demand(cast, **BATTERY_NEED))  # takes the one token

    achievement = publish_achievement(cast, new_achievement(cast, **BATTERY))

    assert entry(achievement).state == IndexState.PENDING
    result = queries.matches_for_demand(demand, None)
    assert titles(result) == [BATTERY["title"]]  # found by its words meanwhile
    assert result.items[0].explanation["parts"]["dense"] is None
