"""``rebuild_index``: queues, shares and resumes the encoding work; never encodes unchanged text twice."""

from __future__ import annotations

import socket
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from techbridge.core.fulltext import get_backend
from techbridge.matching import indexes, queries, services
from techbridge.matching.models import IndexEntry, IndexState
from techbridge.testing.factories import publish
from techbridge.testing.factories.matching import BATTERY, BATTERY_NEED, SLUDGE, new_achievement, new_demand

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_indexes")]


def imported(listing):
    """Published and searchable, as a bulk import leaves it when nothing listens (no matching entry)."""
    publish(listing)
    listing = type(listing).objects.get(pk=listing.pk)
    get_backend().index(indexes.kind_of(listing), listing.pk, listing.search_document())
    return listing


@pytest.fixture
def catalogue(cast):
    return {
        "battery": imported(new_achievement(cast, **BATTERY)),
        "sludge": imported(new_achievement(cast, **SLUDGE)),
        "demand": imported(new_demand(cast, **BATTERY_NEED)),
    }


def rebuild(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("rebuild_index", "--workers", "1", "--no-progress", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def states() -> set[str]:
    return set(IndexEntry.objects.values_list("state", flat=True))


@pytest.fixture
def encoder_calls(monkeypatch):
    """Counts the passages actually sent to the encoder."""
    calls: list[int] = []
    real = services.encode_passages

    def counting(texts, batch_size=16):
        calls.append(len(texts))
        return real(texts, batch_size=batch_size)

    monkeypatch.setattr(services, "encode_passages", counting)
    return calls


def test_rebuild_encodes_every_published_listing_and_says_what_it_did(catalogue, encoder_calls):
    out, err = rebuild()

    assert states() == {IndexState.DONE}
    assert "3 listings indexed (3 encoded, 0 from the cache)" in out
    assert "Queued 3 listings" in err
    result = queries.matches_for_demand(catalogue["demand"], None)
    assert result.mode == "hybrid" and result.items[0].obj == catalogue["battery"]
    assert result.items[0].explanation["parts"]["dense"] > 0.9


def test_unchanged_text_is_never_encoded_twice(cast, catalogue, encoder_calls):
    rebuild()
    twin = imported(new_achievement(cast, **BATTERY))  # the same public text as an indexed listing

    out, _err = rebuild("--reset")

    assert sum(encoder_calls) == 3  # the first run only; the reset and the twin came from the cache
    assert "4 listings indexed (0 encoded, 4 from the cache)" in out
    assert IndexEntry.objects.get(object_id=twin.pk, kind="achievement").state == IndexState.DONE


def test_a_second_run_finds_nothing_to_do(catalogue, encoder_calls):
    rebuild()

    out, err = rebuild()

    assert "Queued 0 listings, 3 unchanged" in err
    assert "0 listings indexed" in out and sum(encoder_calls) == 3


def test_rebuild_resumes_after_a_crash(catalogue):
    services.plan_rebuild(["achievement", "demand"])
    token, claimed = services.claim_batch(["achievement", "demand"], worker="other-host:123:dead", size=2)
    assert len(claimed) == 2
    # The worker died mid-batch: its rows stay "encoding" with a claim older than the timeout.
    IndexEntry.objects.filter(claimed_by=token).update(claimed_at=timezone.now() - timedelta(hours=1))

    out, _err = rebuild()

    assert states() == {IndexState.DONE}
    assert "3 listings indexed" in out
    assert sorted(IndexEntry.objects.values_list("attempts", flat=True)) == [1, 2, 2]


def test_a_live_workers_fresh_claims_are_left_alone(catalogue):
    services.plan_rebuild(["achievement", "demand"])
    _token, mine = services.claim_batch(["achievement", "demand"], worker="other-host:1:live", size=3)

    _token2, theirs = services.claim_batch(["achievement", "demand"], worker="other-host:2:live", size=3)

    assert len(mine) == 3 and theirs == []


def test_claims_of_a_dead_local_worker_are_released_at_once(catalogue):
    services.plan_rebuild(["achievement", "demand"])
    dead = f"{socket.gethostname()[:60]}:999999999:deadbeef"
    services.claim_batch(["achievement", "demand"], worker=dead, size=3)

    _out, err = rebuild()

    assert "3 claims of stopped workers released" in err
    assert states() == {IndexState.DONE}


def test_two_workers_never_claim_the_same_listing(cast, catalogue):
    for n in range(6):
        imported(new_achievement(cast, title=f"{BATTERY['title']}（型号{n}）", summary=BATTERY["summary"]))
    services.plan_rebuild(["achievement", "demand"])

    _t1, first = services.claim_batch(["achievement", "demand"], worker="a:1:x", size=4)
    _t2, second = services.claim_batch(["achievement", "demand"], worker="b:2:y", size=4)

    ids = [e.pk for e in first + second]
    assert len(first) == 4 and len(second) == 4 and len(set(ids)) == 8


def test_a_failing_encoder_returns_the_work_then_marks_it_failed(catalogue, monkeypatch):
    def broken(texts, batch_size=16):
        raise RuntimeError("encoder out of memory")

    monkeypatch.setattr(services, "encode_passages", broken)

    out, _err = rebuild()

    assert states() == {IndexState.FAILED}
    assert "3 failed" in out
    assert IndexEntry.objects.filter(error__contains="out of memory").count() == 3
    # Keyword matching still finds the listings.
    assert queries.matches_for_demand(catalogue["demand"], None).items[0].obj == catalogue["battery"]


def test_a_listing_withdrawn_since_the_last_run_is_removed(catalogue):
    rebuild()
    type(catalogue["sludge"]).objects.filter(pk=catalogue["sludge"].pk).update(status="withdrawn")

    _out, err = rebuild()

    assert "1 removed" in err
    assert IndexEntry.objects.get(object_id=catalogue["sludge"].pk, kind="achievement").state == "removed"


def test_the_command_refuses_nonsense_options():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("rebuild_index", "--workers", "0", stdout=StringIO(), stderr=StringIO())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="worker processes need a shared database")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_several_worker_processes_share_the_queue(cast):
    for n in range(8):
        imported(new_achievement(cast, title=f"{SLUDGE['title']}{n}", summary=f"{SLUDGE['summary']}（{n}）"))
    out, err = StringIO(), StringIO()

    call_command("rebuild_index", "--workers", "2", "--batch", "2", "--no-progress", stdout=out, stderr=err)

    assert states() == {IndexState.DONE}
    assert "8 listings indexed (8 encoded, 0 from the cache)" in out.getvalue()
    assert "2 workers" in out.getvalue()
