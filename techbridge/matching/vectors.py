"""Vector indexes behind one interface: exact numpy search, HNSW (usearch) and pgvector.

- ``ExactIndex``: every vector in one float32 matrix; a search is one matrix-vector product. Exact, and
  fast enough up to about 200k listings (≈ 15 ms at 100k on two cores). The default on SQLite.
- ``HNSWIndex``: usearch's HNSW graph for larger local collections (≈ 1 ms at 1M); approximate.
- ``PgVectorIndex``: the ``matching_listingvector`` table with pgvector's HNSW cosine index; the
  default on PostgreSQL, shared by every process.

Scores are cosine similarities (vectors are L2-normalised), higher is better. ``allowed`` restricts
a search to the listings that pass the structured filters.
"""

from __future__ import annotations

import json
import os
import threading
import zipfile
from collections.abc import Hashable, Iterable
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from .embeddings import DIM, MODEL_ID

# Above this many vectors a local index is an HNSW graph instead of an exact matrix.
HNSW_THRESHOLD = 200_000


@runtime_checkable
class VectorIndex(Protocol):
    """One interface for every backend."""

    def upsert(self, ids: list, vectors: np.ndarray) -> None: ...

    def remove(self, ids: list) -> None: ...

    def search(
        self, query_vec: np.ndarray, k: int, allowed: set | None = None
    ) -> list[tuple[Any, float]]: ...

    def __len__(self) -> int: ...


def _as_matrix(vectors: Any, n: int) -> np.ndarray:
    mat = np.asarray(vectors, dtype=np.float32)
    if mat.ndim == 1:
        mat = mat[None, :]
    if mat.shape != (n, DIM):
        raise ValueError(f"expected {n} vectors of {DIM} dimensions, got {mat.shape}")
    return mat


def _top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the ``k`` highest scores, best first."""
    if scores.shape[0] > k:
        part = np.argpartition(-scores, k - 1)[:k]
    else:
        part = np.arange(scores.shape[0])
    return part[np.argsort(-scores[part], kind="stable")]


def _ids_array(ids: list[Hashable]) -> np.ndarray:
    if all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        return np.asarray(ids, dtype=np.int64)
    return np.asarray([str(i) for i in ids], dtype=np.str_)


def _ids_list(arr: np.ndarray) -> list[Hashable]:
    return [int(i) for i in arr.tolist()] if arr.dtype.kind in "iu" else [str(i) for i in arr.tolist()]


class ExactIndex:
    """Exact cosine search over a float32 matrix; ``save``/``load`` to an ``.npz`` file."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._ids: list[Hashable] = []
        self._pos: dict[Hashable, int] = {}
        self._mat = np.zeros((0, DIM), dtype=np.float32)

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, doc_id: Hashable) -> bool:
        return doc_id in self._pos

    @property
    def ids(self) -> list[Hashable]:
        return list(self._ids)

    def _reserve(self, n: int) -> None:
        if n > self._mat.shape[0]:
            size = max(n, int(self._mat.shape[0] * 1.5) + 16)
            grown = np.zeros((size, DIM), dtype=np.float32)
            grown[: len(self._ids)] = self._mat[: len(self._ids)]
            self._mat = grown

    def upsert(self, ids: list, vectors: np.ndarray) -> None:
        mat = _as_matrix(vectors, len(ids))
        with self._lock:
            self._reserve(len(self._ids) + len(ids))
            for doc_id, vec in zip(ids, mat, strict=True):
                row = self._pos.get(doc_id)
                if row is None:
                    row = len(self._ids)
                    self._ids.append(doc_id)
                    self._pos[doc_id] = row
                self._mat[row] = vec

    def remove(self, ids: list) -> None:
        with self._lock:
            for doc_id in ids:
                row = self._pos.pop(doc_id, None)
                if row is None:
                    continue
                last = len(self._ids) - 1
                if row != last:  # move the last row into the hole
                    moved = self._ids[last]
                    self._mat[row] = self._mat[last]
                    self._ids[row] = moved
                    self._pos[moved] = row
                self._ids.pop()

    def vectors(self, ids: Iterable[Hashable]) -> np.ndarray:
        with self._lock:
            rows = [self._pos[i] for i in ids]
            return self._mat[rows].copy()

    def similarities(self, query_vec: np.ndarray, ids: Iterable[Hashable]) -> dict[Hashable, float]:
        """Plain cosine of the query with each of ``ids`` that is indexed."""
        q = np.asarray(query_vec, dtype=np.float32).reshape(-1)
        with self._lock:
            present = [i for i in ids if i in self._pos]
            if not present:
                return {}
            scores = self._mat[[self._pos[i] for i in present]] @ q
        return {i: float(s) for i, s in zip(present, scores.tolist(), strict=True)}

    def search(self, query_vec: np.ndarray, k: int, allowed: set | None = None) -> list[tuple[Any, float]]:
        q = np.asarray(query_vec, dtype=np.float32).reshape(-1)
        with self._lock:
            n = len(self._ids)
            if k <= 0 or n == 0:
                return []
            if allowed is None:
                scores = self._mat[:n] @ q
                return [(self._ids[i], float(scores[i])) for i in _top_k(scores, k).tolist()]
            pos = self._pos
            rows = np.fromiter((pos[i] for i in allowed if i in pos), dtype=np.int64)
            if rows.shape[0] == 0:
                return []
            if rows.shape[0] * 4 < n:
                scores = self._mat[rows] @ q
            else:  # most rows pass: one product over all of them is cheaper than gathering
                scores = (self._mat[:n] @ q)[rows]
            return [(self._ids[rows[i]], float(scores[i])) for i in _top_k(scores, k).tolist()]

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the index atomically to ``path`` (``.npz``)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp.npz")
        with self._lock:
            np.savez(tmp, ids=_ids_array(self._ids), vectors=self._mat[: len(self._ids)], model=MODEL_ID)
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> ExactIndex:
        with np.load(path, allow_pickle=False) as data:
            if str(data["model"]) != MODEL_ID:
                raise ValueError(f"{path} was built with {data['model']}, not {MODEL_ID}")
            index = cls()
            ids = _ids_list(data["ids"])
            index._mat = np.array(data["vectors"], dtype=np.float32)
        index._ids = ids
        index._pos = {doc_id: row for row, doc_id in enumerate(ids)}
        return index


class HNSWIndex:
    """Approximate cosine search with usearch's HNSW graph (for more than ~200k local vectors).

    A filtered search over few allowed listings is answered exactly from their stored vectors; over
    many, the graph is searched with a growing over-fetch until enough allowed listings turn up.
    """

    EXACT_BELOW = 20_000

    def __init__(
        self,
        *,
        connectivity: int = 16,
        expansion_add: int = 128,
        expansion_search: int = 256,
        dtype: str = "f16",
        threads: int = 0,
    ) -> None:
        from usearch.index import Index

        self._lock = threading.RLock()
        self._threads = threads
        self._index = Index(
            ndim=DIM,
            metric="cos",
            dtype=dtype,
            connectivity=connectivity,
            expansion_add=expansion_add,
            expansion_search=expansion_search,
        )
        self._key_of: dict[Hashable, int] = {}
        self._id_of: dict[int, Hashable] = {}
        self._next_key = 0

    def __len__(self) -> int:
        return len(self._key_of)

    def __contains__(self, doc_id: Hashable) -> bool:
        return doc_id in self._key_of

    def upsert(self, ids: list, vectors: np.ndarray) -> None:
        mat = _as_matrix(vectors, len(ids))
        with self._lock:
            old = [self._key_of[i] for i in ids if i in self._key_of]
            if old:  # a changed vector gets a fresh key; the graph forgets the old node
                self._index.remove(np.asarray(old, dtype=np.uint64))
                for key in old:
                    del self._id_of[key]
            keys = np.arange(self._next_key, self._next_key + len(ids), dtype=np.uint64)
            self._next_key += len(ids)
            for doc_id, key in zip(ids, keys.tolist(), strict=True):
                self._key_of[doc_id] = key
                self._id_of[key] = doc_id
            if len(ids):
                self._index.add(keys, mat, threads=self._threads)

    def remove(self, ids: list) -> None:
        with self._lock:
            keys = [self._key_of.pop(i) for i in ids if i in self._key_of]
            for key in keys:
                del self._id_of[key]
            if keys:
                self._index.remove(np.asarray(keys, dtype=np.uint64))

    def search(self, query_vec: np.ndarray, k: int, allowed: set | None = None) -> list[tuple[Any, float]]:
        q = np.asarray(query_vec, dtype=np.float32).reshape(-1)
        with self._lock:
            n = len(self._key_of)
            if k <= 0 or n == 0:
                return []
            if allowed is None:
                return self._graph_search(q, min(k, n))
            keys = [self._key_of[i] for i in allowed if i in self._key_of]
            if not keys:
                return []
            if len(keys) <= self.EXACT_BELOW:
                key_arr = np.asarray(keys, dtype=np.uint64)
                vecs = np.asarray(self._index.get(key_arr), dtype=np.float32)
                vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
                scores = vecs @ q
                return [(self._id_of[keys[i]], float(scores[i])) for i in _top_k(scores, k).tolist()]
            fetch = max(4 * k, int(k * n / len(keys) * 2))
            while True:
                hits = [h for h in self._graph_search(q, min(fetch, n)) if h[0] in allowed]
                if len(hits) >= k or fetch >= n:
                    return hits[:k]
                fetch *= 4

    def similarities(self, query_vec: np.ndarray, ids: Iterable[Hashable]) -> dict[Hashable, float]:
        """Plain cosine of the query with each of ``ids`` that is indexed."""
        q = np.asarray(query_vec, dtype=np.float32).reshape(-1)
        with self._lock:
            present = [i for i in ids if i in self._key_of]
            if not present:
                return {}
            key_arr = np.asarray([self._key_of[i] for i in present], dtype=np.uint64)
            vecs = np.asarray(self._index.get(key_arr), dtype=np.float32)
        vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
        return {i: float(s) for i, s in zip(present, (vecs @ q).tolist(), strict=True)}

    def _graph_search(self, q: np.ndarray, count: int) -> list[tuple[Any, float]]:
        matches = self._index.search(q, count, threads=self._threads)
        out = []
        for key, dist in zip(matches.keys.tolist(), matches.distances.tolist(), strict=True):
            doc_id = self._id_of.get(int(key))
            if doc_id is not None:
                out.append((doc_id, 1.0 - float(dist)))
        return out

    def memory_bytes(self) -> int:
        return int(self._index.memory_usage)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the graph to ``path`` and the id map next to it (``<path>.ids.json``)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        ids_path = Path(str(path) + ".ids.json")
        with self._lock:
            # Both files go to temporary names first and are renamed into place; the id map names the
            # graph it belongs to (its size), so a process killed between the two renames leaves a pair
            # that ``load`` refuses (and the index is rebuilt from the database) rather than a mismatch.
            tmp, ids_tmp = path.with_name(path.name + ".tmp"), ids_path.with_name(ids_path.name + ".tmp")
            self._index.save(str(tmp))
            meta = {
                "model": MODEL_ID,
                "size": len(self._index),
                "next_key": self._next_key,
                "keys": [[key, doc_id] for key, doc_id in self._id_of.items()],
            }
            ids_tmp.write_text(json.dumps(meta), encoding="utf-8")
            os.replace(tmp, path)
            os.replace(ids_tmp, ids_path)

    @classmethod
    def load(cls, path: str | os.PathLike[str], **options: Any) -> HNSWIndex:
        meta = json.loads(Path(str(path) + ".ids.json").read_text(encoding="utf-8"))
        if meta["model"] != MODEL_ID:
            raise ValueError(f"{path} was built with {meta['model']}, not {MODEL_ID}")
        index = cls(**options)
        index._index.load(str(path))
        if meta.get("size") != len(index._index) or len(meta["keys"]) != len(index._index):
            raise ValueError(f"{path} and its id map do not belong together (a save was interrupted)")
        index._next_key = int(meta["next_key"])
        for key, doc_id in meta["keys"]:
            index._id_of[int(key)] = doc_id
            index._key_of[doc_id] = int(key)
        return index


class PgVectorIndex:
    """Vectors of one kind in PostgreSQL (``matching.ListingVector``), searched with pgvector's HNSW.

    Every process shares the table, so nothing has to be reloaded when another process writes.
    """

    def __init__(self, kind: str, *, ef_search: int = 100):
        self.kind = kind
        self.ef_search = ef_search

    @staticmethod
    def _model() -> Any:
        from django.apps import apps

        return apps.get_model("matching", "ListingVector")

    def __len__(self) -> int:
        return int(self._model().objects.filter(kind=self.kind).count())

    def upsert(self, ids: list, vectors: np.ndarray) -> None:
        mat = _as_matrix(vectors, len(ids))
        model = self._model()
        rows = [
            model(kind=self.kind, object_id=int(doc_id), embedding=vec.tolist())
            for doc_id, vec in zip(ids, mat, strict=True)
        ]
        model.objects.bulk_create(
            rows,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["kind", "object_id"],
            update_fields=["embedding"],
        )

    def remove(self, ids: list) -> None:
        self._model().objects.filter(kind=self.kind, object_id__in=[int(i) for i in ids]).delete()

    def search(self, query_vec: np.ndarray, k: int, allowed: set | None = None) -> list[tuple[Any, float]]:
        from django.db import connection, transaction
        from pgvector.django import CosineDistance

        if k <= 0 or (allowed is not None and not allowed):
            return []
        q = np.asarray(query_vec, dtype=np.float32).reshape(-1).tolist()
        qs = self._model().objects.filter(kind=self.kind)
        if allowed is not None:
            ids = [int(i) for i in allowed]
            if len(ids) > 1000:
                # One array parameter instead of one parameter per id (PostgreSQL allows 65,535).
                from django.db.models.expressions import RawSQL

                qs = qs.filter(object_id__in=RawSQL("SELECT unnest(%s::bigint[])", (ids,)))
            else:
                qs = qs.filter(object_id__in=ids)
        qs = qs.annotate(distance=CosineDistance("embedding", q)).order_by("distance")
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("SELECT set_config('hnsw.ef_search', %s, true)", [str(max(self.ef_search, k))])
            if allowed is not None and _iterative_scan_supported():
                # pgvector ≥ 0.8: keep walking the graph until enough rows pass the filter.
                cur.execute("SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true)")
            rows = list(qs.values_list("object_id", "distance")[:k])
        rows.sort(key=lambda r: r[1])
        return [(int(oid), 1.0 - float(dist)) for oid, dist in rows]

    def similarities(self, query_vec: np.ndarray, ids: Iterable[Hashable]) -> dict[Hashable, float]:
        """Plain cosine of the query with each of ``ids`` that is indexed (one query)."""
        from pgvector.django import CosineDistance

        wanted = [int(i) for i in ids]  # type: ignore[call-overload]
        if not wanted:
            return {}
        q = np.asarray(query_vec, dtype=np.float32).reshape(-1).tolist()
        rows = (
            self._model()
            .objects.filter(kind=self.kind, object_id__in=wanted)
            .annotate(distance=CosineDistance("embedding", q))
            .values_list("object_id", "distance")
        )
        return {int(oid): 1.0 - float(dist) for oid, dist in rows}


_pg_features: dict[str, bool] = {}


def _iterative_scan_supported() -> bool:
    if "iterative" not in _pg_features:
        from django.db import connection

        with connection.cursor() as cur:
            cur.execute("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
            row = cur.fetchone()
        version = tuple(int(p) for p in (row[0] if row else "0").split(".")[:2] if p.isdigit())
        _pg_features["iterative"] = version >= (0, 8)
    return _pg_features["iterative"]


# ---- the index of the running platform ---------------------------------------------------------------

_local: dict[str, VectorIndex] = {}
_local_lock = threading.Lock()


def index_dir() -> Path:
    from django.conf import settings

    return Path(getattr(settings, "MATCHING_INDEX_DIR", settings.BASE_DIR / "var" / "index"))


def index_path(kind: str) -> Path:
    """Where the local index of ``kind`` is saved: ``var/index/<kind>.npz`` (or ``.usearch``)."""
    return index_dir() / f"{kind}.npz"


def new_local_index(size: int) -> VectorIndex:
    """An empty local index suited to ``size`` vectors: exact below ``HNSW_THRESHOLD``, else HNSW."""
    return HNSWIndex() if size > HNSW_THRESHOLD else ExactIndex()


def build_local_index(kind: str) -> VectorIndex:
    """A local index of ``kind`` built from the database's embedding cache (listings indexed ``done``)."""
    from django.apps import apps

    from .embeddings import from_bytes

    entry_model = apps.get_model("matching", "IndexEntry")
    embedding_model = apps.get_model("matching", "Embedding")
    entries = list(
        entry_model.objects.filter(kind=kind, state="done")
        .exclude(content_hash="")
        .values_list("object_id", "content_hash")
    )
    index = new_local_index(len(entries))
    for start in range(0, len(entries), 2000):
        chunk = entries[start : start + 2000]
        vectors = dict(
            embedding_model.objects.filter(
                model_id=MODEL_ID, content_hash__in=[h for _, h in chunk]
            ).values_list("content_hash", "vector")
        )
        ids = [oid for oid, h in chunk if h in vectors]
        if ids:
            mat = np.stack([from_bytes(bytes(vectors[h])) for oid, h in chunk if h in vectors])
            index.upsert(ids, mat)
    return index


def save_local_index(kind: str, index: VectorIndex) -> Path:
    """Save a local index to ``var/index/`` so the next process starts without rebuilding it."""
    if isinstance(index, HNSWIndex):
        path = index_path(kind).with_suffix(".usearch")
        index.save(path)
        index_path(kind).unlink(missing_ok=True)
    elif isinstance(index, ExactIndex):
        path = index_path(kind)
        index.save(path)
        index_path(kind).with_suffix(".usearch").unlink(missing_ok=True)
    else:
        raise TypeError(f"{type(index).__name__} is not a local index")
    return path


def load_local_index(kind: str) -> VectorIndex | None:
    """The saved local index of ``kind``, or None when there is none (or it was built by another model)."""
    exact, graph = index_path(kind), index_path(kind).with_suffix(".usearch")
    try:
        if exact.exists():
            return ExactIndex.load(exact)
        if graph.exists():
            return HNSWIndex.load(graph)
    except (ValueError, OSError, KeyError, zipfile.BadZipFile, json.JSONDecodeError):
        return None  # unreadable or from an interrupted save: rebuilt from the database instead
    return None


def get_vector_index(kind: str, *, reload: bool = False) -> VectorIndex:
    """The vector index of ``kind`` (``achievement`` or ``demand``) for the configured database.

    PostgreSQL: the shared pgvector table. SQLite: a process-wide local index, loaded from
    ``var/index/`` or built from the embedding cache the first time (``reload=True`` forces it).
    ``MATCH_VECTOR_BACKEND`` (``auto`` | ``local`` | ``pgvector``) overrides the choice.
    """
    from django.conf import settings
    from django.db import connection

    choice = getattr(settings, "MATCH_VECTOR_BACKEND", "auto")
    if choice == "pgvector" or (choice == "auto" and connection.vendor == "postgresql"):
        return PgVectorIndex(kind)
    with _local_lock:
        if reload or kind not in _local:
            index = None if reload else load_local_index(kind)
            _local[kind] = index if index is not None else build_local_index(kind)
        return _local[kind]


def forget_local_indexes() -> None:
    """Drop the process's local indexes (tests, or after ``rebuild_index`` replaced the files)."""
    with _local_lock:
        _local.clear()
