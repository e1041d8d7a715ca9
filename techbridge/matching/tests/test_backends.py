"""Both vector backends behave the same through the platform: the local exact index (always) and
pgvector (when the tests run on PostgreSQL)."""

from __future__ import annotations

import pytest
from django.db import connection

from techbridge.achievements import services as achievement_services
from techbridge.matching import indexes, queries, services
from techbridge.matching.models import ListingKind, ListingVector
from techbridge.matching.vectors import ExactIndex, PgVectorIndex
from techbridge.testing.factories.matching import (
    BATTERY,
    BATTERY_NEED,
    SLUDGE,
    new_achievement,
    new_demand,
    publish_achievement,
    publish_demand,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_indexes")]

BACKENDS = {"local": ExactIndex, "pgvector": PgVectorIndex}


@pytest.fixture(params=list(BACKENDS))
def backend(request, settings):
    if request.param == "pgvector" and connection.vendor != "postgresql":
        pytest.skip("pgvector needs PostgreSQL (CI runs this suite on it too)")
    settings.MATCH_VECTOR_BACKEND = request.param
    return request.param


def dense_ids(kind: str, text: str, allowed=None) -> list[int]:
    from techbridge.matching.embeddings import encode_query

    return [oid for oid, _score in indexes.index_for(kind).vectors.search(encode_query(text), 10, allowed)]


def test_the_configured_backend_is_used(backend, cast):
    publish_achievement(cast, new_achievement(cast, **BATTERY))

    index = indexes.index_for(ListingKind.ACHIEVEMENT)

    assert isinstance(index.vectors, BACKENDS[backend])
    assert index.dense_count == 1


def test_published_listings_are_found_by_meaning(backend, cast):
    battery = publish_achievement(cast, new_achievement(cast, **BATTERY))
    sludge = publish_achievement(cast, new_achievement(cast, **SLUDGE))

    assert dense_ids(ListingKind.ACHIEVEMENT, "电动汽车电池的安全材料") == [battery.pk, sludge.pk]
    assert dense_ids(ListingKind.ACHIEVEMENT, "污水厂的废弃物怎么处理") == [sludge.pk, battery.pk]


def test_the_filter_applies_to_the_dense_search(backend, cast):
    publish_achievement(cast, new_achievement(cast, **BATTERY))
    sludge = publish_achievement(cast, new_achievement(cast, **SLUDGE))

    assert dense_ids(ListingKind.ACHIEVEMENT, "锂电池隔膜", allowed={sludge.pk}) == [sludge.pk]
    assert dense_ids(ListingKind.ACHIEVEMENT, "锂电池隔膜", allowed=set()) == []


def test_a_withdrawn_listing_leaves_the_vector_index(backend, cast, run_on_commit):
    achievement = publish_achievement(cast, new_achievement(cast, **BATTERY))

    with run_on_commit(execute=True):
        achievement_services.withdraw_achievement(achievement, actor=cast.researcher)

    assert dense_ids(ListingKind.ACHIEVEMENT, "锂电池隔膜") == []
    assert len(indexes.index_for(ListingKind.ACHIEVEMENT).vectors) == 0


def test_matches_are_the_same_after_a_rebuild_from_the_cache(backend, cast):
    demand = publish_demand(cast, new_demand(cast, **BATTERY_NEED))
    publish_achievement(cast, new_achievement(cast, **BATTERY))
    publish_achievement(cast, new_achievement(cast, **SLUDGE))
    before = [
        (m.obj.pk, m.explanation["parts"]["dense"]) for m in queries.matches_for_demand(demand, None).items
    ]

    services.plan_rebuild(["achievement", "demand"], reset=True)
    assert queries.matches_for_demand(demand, None).mode == "bm25"  # vectors are being rebuilt
    stats = services.run_worker(["achievement", "demand"])
    after = [
        (m.obj.pk, m.explanation["parts"]["dense"]) for m in queries.matches_for_demand(demand, None).items
    ]

    assert stats.encoded == 0 and stats.cache_hits == 3
    assert [pk for pk, _ in after] == [pk for pk, _ in before]
    assert [round(d, 4) for _, d in after] == [round(d, 4) for _, d in before]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the pgvector table exists on PostgreSQL only")
def test_pgvector_rows_follow_the_listings(settings, cast, run_on_commit):
    settings.MATCH_VECTOR_BACKEND = "pgvector"
    achievement = publish_achievement(cast, new_achievement(cast, **BATTERY))
    assert ListingVector.objects.filter(kind="achievement", object_id=achievement.pk).count() == 1

    with run_on_commit(execute=True):
        achievement_services.withdraw_achievement(achievement, actor=cast.researcher)

    assert not ListingVector.objects.filter(kind="achievement", object_id=achievement.pk).exists()
