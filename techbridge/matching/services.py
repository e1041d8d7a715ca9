"""Matching writes: the indexes follow the listings, ``rebuild_index`` shares its work, owners hear
of good matches.

- ``index_listing`` brings one listing's vector, queue entry and index version in line with its state
  (after the listing's commit, from a task). Only published listings are indexed, and only their
  public passage (``queries.passage_of``).
- ``plan_rebuild`` / ``claim_batch`` / ``process_batch`` are the work of ``rebuild_index``: entries are
  queued, claimed in batches by a conditional UPDATE (several workers, several machines), encoded
  through the embedding cache, and marked done.
- ``notify_matches`` tells the owner of an open listing, once per (demand, achievement) pair, that a
  new listing on the other side matches it closely.

Every change other processes must see is written in the same transaction that raises the kind's
``IndexVersion``, and stamped with the new version (``IndexEntry.seq``).
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import timedelta
from typing import Any

import numpy as np
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core.notifications import notify, wants
from techbridge.core.workflow import ReviewStatus
from techbridge.lib.faults import fault_point

from . import indexes, queries
from .embeddings import MODEL_ID, content_hash, encode_passages, from_bytes, to_bytes
from .indexes import option
from .models import Embedding, IndexEntry, IndexState, IndexVersion, ListingKind, ListingVector, MatchNotice
from .vectors import PgVectorIndex

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3


# ---- versions and the embedding cache -------------------------------------------------------------------


def next_version(kind: str) -> int:
    """Raise the version of ``kind`` and return it. Call inside the transaction of the change."""
    rows = IndexVersion.objects.filter(kind=kind).update(version=F("version") + 1, updated_at=timezone.now())
    if not rows:
        try:
            with transaction.atomic():
                IndexVersion.objects.create(kind=kind, version=1)
        except IntegrityError:
            return next_version(kind)
    return IndexVersion.objects.filter(kind=kind).values_list("version", flat=True).get()


def cached_vectors(hashes: Iterable[str]) -> dict[str, np.ndarray]:
    """The cached vectors of these passage hashes (of the current model)."""
    keys = list(dict.fromkeys(hashes))
    found: dict[str, np.ndarray] = {}
    for start in range(0, len(keys), 500):
        rows = Embedding.objects.filter(model_id=MODEL_ID, content_hash__in=keys[start : start + 500])
        for h, data in rows.values_list("content_hash", "vector"):
            found[h] = from_bytes(bytes(data))
    return found


def store_vectors(vectors: dict[str, np.ndarray]) -> None:
    """Cache vectors by passage hash; a hash stored meanwhile by another worker is kept as it is."""
    Embedding.objects.bulk_create(
        [Embedding(content_hash=h, model_id=MODEL_ID, vector=to_bytes(v)) for h, v in vectors.items()],
        batch_size=200,
        ignore_conflicts=True,
    )


@dataclass
class EncodeStats:
    cache_hits: int = 0
    encoded: int = 0


def vectors_for(texts: list[str], *, batch_size: int = 16, stats: EncodeStats | None = None) -> list[Any]:
    """One vector per text: from the cache when its hash is there, else encoded (and cached)."""
    hashes = [content_hash(t) for t in texts]
    found = cached_vectors(hashes)
    missing = {h: t for h, t in zip(hashes, texts, strict=True) if h not in found}
    if missing:
        encoded = encode_passages(list(missing.values()), batch_size=batch_size)
        new = dict(zip(missing, encoded, strict=True))
        store_vectors(new)
        found.update(new)
    if stats is not None:
        stats.cache_hits += len(texts) - len(missing)
        stats.encoded += len(missing)
    return [found[h] for h in hashes]


def shared_vector_index(kind: str) -> PgVectorIndex | None:
    """The shared pgvector index of ``kind``; None when each process builds a local one."""
    return PgVectorIndex(kind) if indexes.uses_pgvector() else None


# ---- one listing after a change ---------------------------------------------------------------------------


def index_listing(kind: str, pk: int, *, encode: bool = True) -> str:
    """Make the matching indexes agree with the listing's current state. Idempotent.

    Returns ``removed`` (not published: out of every index), ``indexed`` (vector ready, from the
    cache or encoded now) or ``queued`` (``encode=False`` or the encoder failed: lexical matching
    has it now, ``rebuild_index`` encodes it).
    """
    model = indexes.model_of(kind)
    listing = model.objects.filter(pk=pk, status=ReviewStatus.PUBLISHED).first()
    pg = shared_vector_index(kind)
    if listing is None:
        with transaction.atomic():
            version = next_version(kind)
            _write_entry(kind, pk, state=IndexState.REMOVED, content_hash="", seq=version)
            if pg is not None:
                pg.remove([pk])
        indexes.refresh_loaded(kind)
        return "removed"
    text = queries.passage_of(listing)
    digest = content_hash(text)
    vector = cached_vectors([digest]).get(digest)
    if vector is None and encode:
        try:
            vector = vectors_for([text])[0]
        except Exception:  # the listing stays queued for rebuild_index; lexical matching still has it
            log.exception("matching: encoding %s %s failed", kind, pk)
    state = IndexState.DONE if vector is not None else IndexState.PENDING
    with transaction.atomic():
        version = next_version(kind)
        _write_entry(kind, pk, state=state, content_hash=digest, seq=version)
        if pg is not None:
            if vector is not None:
                pg.upsert([pk], np.asarray([vector]))
            else:
                pg.remove([pk])
    indexes.refresh_loaded(kind)
    return "indexed" if vector is not None else "queued"


def _write_entry(kind: str, pk: int, *, state: str, content_hash: str, seq: int) -> None:
    # Clearing the claim makes a worker still encoding older text discard its result.
    values = {
        "state": state,
        "content_hash": content_hash,
        "seq": seq,
        "claimed_by": "",
        "claimed_at": None,
        "attempts": 0,
        "error": "",
        "updated_at": timezone.now(),
    }
    if not IndexEntry.objects.filter(kind=kind, object_id=pk).update(**values):
        try:
            with transaction.atomic():
                IndexEntry.objects.create(kind=kind, object_id=pk, **values)
        except IntegrityError:
            IndexEntry.objects.filter(kind=kind, object_id=pk).update(**values)


# ---- rebuild_index: plan, claim, encode ----------------------------------------------------------------


@dataclass
class PlanStats:
    queued: int = 0
    unchanged: int = 0
    removed: int = 0
    released: int = 0


def plan_rebuild(kinds: Iterable[str], *, reset: bool = False, chunk: int = 500) -> PlanStats:
    """Queue every published listing whose passage has no vector yet (or changed); mark listings that
    are no longer published removed. With ``reset`` every listing is queued again (its vector then
    comes from the cache unless the text changed). Short transactions, one per chunk."""
    stats = PlanStats(released=release_dead_claims())
    for kind in kinds:
        model = indexes.model_of(kind)
        pg = shared_vector_index(kind)
        if reset:
            with transaction.atomic():
                version = next_version(kind)
                stats.queued += (
                    IndexEntry.objects.filter(kind=kind)
                    .exclude(state=IndexState.REMOVED)
                    .update(
                        state=IndexState.PENDING,
                        claimed_by="",
                        claimed_at=None,
                        attempts=0,
                        error="",
                        seq=version,
                    )
                )
                if pg is not None:
                    ListingVector.objects.filter(kind=kind).delete()
        published = model.objects.filter(status=ReviewStatus.PUBLISHED)
        last = 0
        while True:
            rows = list(
                published.filter(pk__gt=last).order_by("pk").only(*queries.PASSAGE_FIELDS[kind])[:chunk]
            )
            if not rows:
                break
            last = rows[-1].pk
            hashes = {obj.pk: content_hash(queries.passage_of(obj)) for obj in rows}
            existing = {
                oid: (h, state)
                for oid, h, state in IndexEntry.objects.filter(
                    kind=kind, object_id__in=list(hashes)
                ).values_list("object_id", "content_hash", "state")
            }
            new = [oid for oid in hashes if oid not in existing]
            changed = [
                oid
                for oid, (h, state) in existing.items()
                if h != hashes[oid] or state in (IndexState.REMOVED, IndexState.FAILED)
            ]
            stats.unchanged += sum(
                1 for oid, (h, state) in existing.items() if h == hashes[oid] and state == IndexState.DONE
            )
            if not new and not changed:
                continue
            with transaction.atomic():
                version = next_version(kind)
                IndexEntry.objects.bulk_create(
                    [
                        IndexEntry(kind=kind, object_id=oid, content_hash=hashes[oid], seq=version)
                        for oid in new
                    ],
                    ignore_conflicts=True,
                )
                for oid in changed:
                    IndexEntry.objects.filter(kind=kind, object_id=oid).update(
                        state=IndexState.PENDING,
                        content_hash=hashes[oid],
                        claimed_by="",
                        claimed_at=None,
                        attempts=0,
                        error="",
                        seq=version,
                        updated_at=timezone.now(),
                    )
            stats.queued += len(new) + len(changed)
        live = published.values("pk")
        with transaction.atomic():
            version = next_version(kind)
            stats.removed += (
                IndexEntry.objects.filter(kind=kind)
                .exclude(state=IndexState.REMOVED)
                .exclude(object_id__in=live)
                .update(state=IndexState.REMOVED, content_hash="", claimed_by="", seq=version)
            )
            if pg is not None:
                ListingVector.objects.filter(kind=kind).exclude(object_id__in=live).delete()
    return stats


def worker_name() -> str:
    """``host:pid:random``: unique per worker run, and tells which claims a crashed local worker left."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def release_dead_claims() -> int:
    """Put back the claims of workers on this machine whose process is gone (a crash, a kill -9).

    Claims of other machines are taken over once they are older than ``MATCH_CLAIM_TIMEOUT``.
    """
    host = socket.gethostname()[:60]
    released = 0
    rows = IndexEntry.objects.filter(state=IndexState.ENCODING, claimed_by__startswith=f"{host}:")
    for claim in set(rows.values_list("claimed_by", flat=True)):
        parts = claim.split(":")
        if len(parts) < 3 or not parts[1].isdigit() or _alive(int(parts[1])):
            continue
        released += IndexEntry.objects.filter(state=IndexState.ENCODING, claimed_by=claim).update(
            state=IndexState.PENDING, claimed_by="", claimed_at=None
        )
    return released


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def claimable_q() -> Q:
    stale = timezone.now() - timedelta(seconds=option("MATCH_CLAIM_TIMEOUT"))
    return Q(state=IndexState.PENDING) | Q(state=IndexState.ENCODING, claimed_at__lt=stale)


def claim_batch(kinds: Iterable[str], *, worker: str, size: int = 32) -> tuple[str, list[IndexEntry]]:
    """Claim up to ``size`` queued entries for ``worker``; returns the claim token and the rows won.

    The claim is one conditional UPDATE (still pending, or encoding with a stale claim), so two
    workers never win the same row, on SQLite as on PostgreSQL. An empty list means nothing is left.
    """
    kinds = list(kinds)
    for _attempt in range(20):
        candidates = list(
            IndexEntry.objects.filter(claimable_q(), kind__in=kinds)
            .order_by("id")
            .values_list("id", flat=True)[: size * 4]
        )
        if not candidates:
            return "", []
        # Workers start at different places in the queue, so they rarely compete for the same rows.
        offset = (uuid.uuid4().int % max(len(candidates) - size, 1)) if len(candidates) > size else 0
        chosen = candidates[offset : offset + size]
        token = f"{worker}#{uuid.uuid4().hex[:6]}"[:100]
        won = IndexEntry.objects.filter(claimable_q(), id__in=chosen).update(
            state=IndexState.ENCODING,
            claimed_by=token,
            claimed_at=timezone.now(),
            attempts=F("attempts") + 1,
        )
        if won:
            return token, list(
                IndexEntry.objects.filter(id__in=chosen, claimed_by=token, state=IndexState.ENCODING)
            )
    return "", []


@dataclass
class BatchStats:
    """What a batch (or a whole worker run) did."""

    claimed: int = 0
    done: int = 0
    encoded: int = 0
    cache_hits: int = 0
    removed: int = 0
    failed: int = 0
    notified: int = 0

    def add(self, other: BatchStats) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def process_batch(
    token: str, entries: list[IndexEntry], *, batch_size: int = 16, notify_new: bool = True
) -> BatchStats:
    """Encode (through the cache) the claimed entries and mark them done, in one short transaction per
    kind. Rows whose claim was taken from us meanwhile (a newer change, a takeover) are left alone."""
    stats = BatchStats(claimed=len(entries))
    by_kind: dict[str, list[IndexEntry]] = {}
    for entry in entries:
        by_kind.setdefault(entry.kind, []).append(entry)
    for kind, group in by_kind.items():
        model = indexes.model_of(kind)
        listings = model.objects.filter(
            pk__in=[e.object_id for e in group], status=ReviewStatus.PUBLISHED
        ).only(*queries.PASSAGE_FIELDS[kind], "created_by", "published_at")
        objs = {obj.pk: obj for obj in listings}
        texts = {oid: queries.passage_of(obj) for oid, obj in objs.items()}
        encode = EncodeStats()
        try:
            vectors = dict(
                zip(
                    texts, vectors_for(list(texts.values()), batch_size=batch_size, stats=encode), strict=True
                )
            )
        except Exception as exc:
            log.exception("matching: encoding a batch of %d %s listings failed", len(texts), kind)
            stats.failed += _give_back(token, group, str(exc))
            continue
        stats.encoded += encode.encoded
        stats.cache_hits += encode.cache_hits
        pg = shared_vector_index(kind)
        finished: list[int] = []
        with transaction.atomic():
            version = next_version(kind)
            now = timezone.now()
            for entry in group:
                mine = IndexEntry.objects.filter(pk=entry.pk, claimed_by=token, state=IndexState.ENCODING)
                if entry.object_id not in objs:
                    stats.removed += mine.update(
                        state=IndexState.REMOVED, content_hash="", claimed_by="", seq=version, updated_at=now
                    )
                    continue
                if mine.update(
                    state=IndexState.DONE,
                    content_hash=content_hash(texts[entry.object_id]),
                    claimed_by="",
                    claimed_at=None,
                    error="",
                    seq=version,
                    updated_at=now,
                ):
                    finished.append(entry.object_id)
            fault_point("matching/batch/written")
            if pg is not None:
                if finished:
                    pg.upsert(finished, np.asarray([vectors[oid] for oid in finished]))
                gone = [e.object_id for e in group if e.object_id not in objs]
                if gone:
                    pg.remove(gone)
        stats.done += len(finished)
        if notify_new:
            cutoff = timezone.now() - timedelta(days=option("MATCH_NOTIFY_WINDOW_DAYS"))
            for oid in finished:
                obj = objs[oid]
                if obj.created_by_id and obj.published_at and obj.published_at >= cutoff:
                    stats.notified += notify_matches(kind, oid)
    return stats


def _give_back(token: str, entries: list[IndexEntry], error: str) -> int:
    """Return failed rows to the queue, or mark them failed after ``MAX_ATTEMPTS``; count the latter."""
    failed = 0
    for entry in entries:
        mine = IndexEntry.objects.filter(pk=entry.pk, claimed_by=token, state=IndexState.ENCODING)
        if entry.attempts >= MAX_ATTEMPTS:
            failed += mine.update(state=IndexState.FAILED, claimed_by="", error=error[:2000])
        else:
            mine.update(state=IndexState.PENDING, claimed_by="", claimed_at=None, error=error[:2000])
    return failed


def run_worker(
    kinds: Iterable[str], *, batch: int = 32, worker: str = "", progress: Any = None, notify_new: bool = True
) -> BatchStats:
    """Claim and process batches until the queue is empty; ``progress(stats)`` after each batch."""
    worker = worker or worker_name()
    kinds = list(kinds)
    total = BatchStats()
    while True:
        token, entries = claim_batch(kinds, worker=worker, size=batch)
        if not entries:
            return total
        done = process_batch(token, entries, batch_size=min(batch, 16), notify_new=notify_new)
        total.add(done)
        if progress is not None:
            progress(done)


def queue_counts(kinds: Iterable[str]) -> dict[str, int]:
    """How many entries of these kinds are in each state (one query)."""
    from django.db.models import Count

    rows = IndexEntry.objects.filter(kind__in=list(kinds)).order_by().values("state").annotate(n=Count("pk"))
    counts = dict.fromkeys(IndexState.values, 0)
    counts.update({row["state"]: row["n"] for row in rows})
    return counts


# ---- notifications ------------------------------------------------------------------------------------


def notify_matches(kind: str, pk: int) -> int:
    """Tell the owners of open listings on the other side that this new listing matches theirs.

    A match counts when its meaning is close (dense similarity ≥ ``MATCH_NOTIFY_THRESHOLD``) and it
    shares at least one term; at most ``MATCH_NOTIFY_TOP`` per listing, once per (demand, achievement)
    pair ever, never between two listings of the same organisation, never to an owner who turned match
    recommendations off (``core.notifications.wants``). Returns how many were sent.
    """
    listing = queries.published(kind).filter(pk=pk).first()
    if listing is None:
        return 0
    top = option("MATCH_NOTIFY_TOP")
    if kind == ListingKind.ACHIEVEMENT:
        result = queries.matches_for_achievement(listing, None, k=top)
    else:
        result = queries.matches_for_demand(listing, None, k=top)
    today = timezone.localdate()
    sent = 0
    for match in result.items:
        dense = match.explanation["parts"]["dense"]
        other = match.obj
        if dense is None or dense < option("MATCH_NOTIFY_THRESHOLD") or not match.terms:
            continue
        if other.owner_organization_id == listing.owner_organization_id or other.created_by_id is None:
            continue
        demand, achievement = (other, listing) if kind == ListingKind.ACHIEVEMENT else (listing, other)
        if demand.deadline and demand.deadline < today:
            continue
        if not wants(other.created_by, "match_found"):
            continue  # the owner turned match recommendations off
        try:
            with transaction.atomic():
                MatchNotice.objects.create(demand=demand, achievement=achievement, score=dense)
        except IntegrityError:
            continue  # this pair was announced before
        terms = "、".join(match.terms[:6])
        if kind == ListingKind.ACHIEVEMENT:
            title = _("A new achievement matches your demand: %(title)s") % {"title": listing.title}
            body = _("It matches your demand “%(other)s” (similarity %(sim).2f; shared terms: %(terms)s).")
            link = reverse("achievements:detail", args=[listing.pk])
        else:
            title = _("A new demand matches your achievement: %(title)s") % {"title": listing.title}
            body = _(
                "It matches your achievement “%(other)s” (similarity %(sim).2f; shared terms: %(terms)s)."
            )
            link = reverse("demands:detail", args=[listing.pk])
        notify(
            other.created_by,
            kind="match_found",
            title=title,
            body=body % {"other": other.title, "sim": dense, "terms": terms},
            link=link + "#matches",
            dedupe_key=f"match:{demand.pk}:{achievement.pk}",
        )
        sent += 1
    return sent
