"""Query counts of the import batch and duplicate endpoints, with several rows each."""

from __future__ import annotations

import pytest

from techbridge.imports import dedup
from techbridge.testing.factories.achievements import AchievementFactory
from techbridge.testing.factories.imports import ImportBatchFactory

pytestmark = pytest.mark.django_db


def test_batch_and_duplicate_endpoints(as_user, cast, pinned_queries):
    for n in range(4):
        ImportBatchFactory(file_name=f"成果汇总{n}.xlsx", created_by=cast.operator)
        for source in ("national", "provincial"):
            AchievementFactory(
                owner=cast.university,
                title=f"重复成果{n}",
                patent_numbers=f"CN20212163523{n}.1",
                source=source,
                external_id=f"{source}-{n}",
                published=True,
            )
    dedup.scan("achievement")
    operator = as_user(cast.operator)

    with pinned_queries("batches"):
        batches = operator.get("/api/v1/imports/batches/").json()
    with pinned_queries("duplicates"):
        pairs = operator.get("/api/v1/imports/duplicates/").json()

    assert {b["file_name"] for b in batches["results"]} == {f"成果汇总{n}.xlsx" for n in range(4)}
    assert pairs["count"] == 4
