"""Fault: ``rebuild_index`` killed (SIGKILL) while it writes a batch, and index files cut short: no
half-written index is used, search keeps working, and the next build finishes with consistent counts
(issue 20)."""

from __future__ import annotations

from collections import Counter
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command
from django.db import connection

from techbridge.core.fulltext import get_backend
from techbridge.matching import indexes, queries, services, vectors
from techbridge.matching.models import IndexEntry, IndexState, ListingVector
from techbridge.testing.factories import publish
from techbridge.testing.factories.matching import BATTERY, BATTERY_NEED, SLUDGE, new_achievement, new_demand

pytestmark = pytest.mark.usefixtures("fresh_indexes")


def imported(listing):
    """Published and searchable, with no matching entry yet (as a bulk import leaves it)."""
    publish(listing)
    listing = type(listing).objects.get(pk=listing.pk)
    get_backend().index(indexes.kind_of(listing), listing.pk, listing.search_document())
    return listing


def test_a_rebuild_killed_while_writing_a_batch_leaves_no_half_written_index(fault_worker, cast):
    battery = imported(new_achievement(cast, **BATTERY))
    sludge = imported(new_achievement(cast, **SLUDGE))
    demand = imported(new_demand(cast, **BATTERY_NEED))
    # The vectors are in the platform's cache already, so the child never has to load the model.
    services.vectors_for([queries.passage_of(obj) for obj in (battery, sludge, demand)])

    worker = fault_worker.start(
        "rebuild_index",
        "--workers",
        "1",
        "--batch",
        "1",
        "--no-progress",
        "--no-notify",
        "--no-corpora",
        pause="matching/batch/written:2",  # the second batch's rows are written, not yet committed
    )
    fault_worker.kill(worker)

    # The first batch is committed whole, the second not at all: its claim is left behind.
    states = Counter(IndexEntry.objects.values_list("state", flat=True))
    assert states == {IndexState.DONE: 1, IndexState.ENCODING: 1, IndexState.PENDING: 1}
    done = set(IndexEntry.objects.filter(state=IndexState.DONE).values_list("kind", "object_id"))
    if connection.vendor == "postgresql":
        assert set(ListingVector.objects.values_list("kind", "object_id")) == done

    # Search works meanwhile (keywords for what has no vector yet).
    indexes.reset_indexes()
    found = queries.matches_for_demand(demand, None)
    assert battery in [item.obj for item in found.items]

    # The next build releases the dead worker's claim and finishes; every count agrees.
    out, err = StringIO(), StringIO()
    call_command("rebuild_index", "--workers", "1", "--no-progress", "--no-corpora", stdout=out, stderr=err)
    assert "1 claims of stopped workers released" in err.getvalue()
    assert "2 listings indexed" in out.getvalue() and "0 failed, 0 still queued" in out.getvalue()
    assert set(IndexEntry.objects.values_list("state", flat=True)) == {IndexState.DONE}
    every = {("achievement", battery.pk), ("achievement", sludge.pk), ("demand", demand.pk)}
    assert set(IndexEntry.objects.values_list("kind", "object_id")) == every
    if connection.vendor == "postgresql":
        assert sorted(ListingVector.objects.values_list("kind", "object_id")) == sorted(every)
    indexes.reset_indexes()
    result = queries.matches_for_demand(demand, None)
    assert result.mode == "hybrid" and result.items[0].obj == battery
    assert result.items[0].explanation["parts"]["dense"] > 0.9


def test_an_index_file_cut_short_is_rebuilt_from_the_database_not_used(settings, tmp_path):
    settings.MATCHING_INDEX_DIR = tmp_path
    index = vectors.ExactIndex()
    index.upsert([1, 2], np.eye(2, vectors.DIM, dtype=np.float32))
    path = vectors.save_local_index("achievement", index)
    assert len(vectors.load_local_index("achievement")) == 2
    assert not list(tmp_path.glob("*.tmp*"))  # written under a temporary name, then renamed
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])  # a copy or a disk that stopped short

    assert vectors.load_local_index("achievement") is None  # refused, so it is rebuilt


def test_a_graph_and_an_id_map_of_different_saves_are_refused(settings, tmp_path):
    pytest.importorskip("usearch")
    settings.MATCHING_INDEX_DIR = tmp_path
    rng = np.random.default_rng(0)
    index = vectors.HNSWIndex()
    index.upsert([1, 2, 3], rng.random((3, vectors.DIM), dtype=np.float32))
    path = vectors.save_local_index("demand", index)
    old_map = (tmp_path / f"{path.name}.ids.json").read_text()
    assert len(vectors.load_local_index("demand")) == 3
    index.upsert([4], rng.random((1, vectors.DIM), dtype=np.float32))
    vectors.save_local_index("demand", index)
    # A save killed between its two renames: the new graph next to the old id map.
    (tmp_path / f"{path.name}.ids.json").write_text(old_map)

    assert vectors.load_local_index("demand") is None
