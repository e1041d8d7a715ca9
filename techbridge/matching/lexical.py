"""BM25 over jieba tokens, in memory, built for hundreds of thousands of listings.

Documents and queries are tokenised the same way (``techbridge.lib.text.index_tokens``: jieba's
search mode, so a long domain term and its parts both match) after the domain dictionary (listing
keywords and industry field names) has been taught to jieba: ``add_domain_words`` before indexing.

Layout, Lucene-like: new documents collect in a small buffer, which is sealed into an immutable
segment (postings in CSR arrays: term → sorted document numbers and term frequencies); segments of
similar size merge, so there are O(log n) of them. A query sums, per term, the BM25 weights of the
postings of every segment with one ``numpy.bincount``. Removal marks the document dead at once;
its postings, and its share of the document frequencies, go at the next merge (as in Lucene).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from techbridge.lib import text as textlib

MAX_QUERY_TERMS = 64
# Buffered documents are sealed into a segment at this size, or before a search.
BUFFER_SIZE = 4096


def add_domain_words(words: Iterable[str]) -> None:
    """Teach jieba domain terms so they stay whole tokens (index again after adding words)."""
    textlib.add_words(words)


def domain_words_from_listings() -> list[str]:
    """The listings' keywords and the industry field names: the domain dictionary of the platform."""
    from techbridge.achievements.models import Achievement
    from techbridge.demands.models import Demand
    from techbridge.taxonomy.models import IndustryField

    words: set[str] = set()
    for name in IndustryField.objects.values_list("name", flat=True):
        words.add(name)
        words.update(textlib.split_list(name))
    for model in (Achievement, Demand):
        for keywords in model.objects.exclude(keywords="").values_list("keywords", flat=True).iterator():
            words.update(textlib.split_list(keywords))
    return sorted(words)


def tokenize(text: str) -> list[str]:
    """Tokens a document is indexed with."""
    return textlib.index_tokens(text or "")


def query_tokenize(text: str, limit: int = MAX_QUERY_TERMS) -> list[str]:
    """Distinct tokens of a query, in order, at most ``limit`` (same analyser as documents)."""
    seen: dict[str, None] = {}
    for tok in textlib.index_tokens(text or ""):
        seen.setdefault(tok, None)
        if len(seen) >= limit:
            break
    return list(seen)


@dataclass
class _Segment:
    terms: np.ndarray  # sorted unique term ids (int32)
    offsets: np.ndarray  # len(terms) + 1 (int64)
    docs: np.ndarray  # document numbers, ascending within a term (int32)
    tfs: np.ndarray  # term frequencies (uint16)

    @property
    def size(self) -> int:
        return int(self.docs.shape[0])

    def postings(self, tid: int) -> tuple[np.ndarray, np.ndarray] | None:
        i = int(np.searchsorted(self.terms, tid))
        if i >= self.terms.shape[0] or self.terms[i] != tid:
            return None
        a, b = int(self.offsets[i]), int(self.offsets[i + 1])
        return self.docs[a:b], self.tfs[a:b]

    @classmethod
    def from_triples(cls, terms: np.ndarray, docs: np.ndarray, tfs: np.ndarray) -> _Segment:
        # Documents arrive in ascending order (a buffer in insertion order; a merge puts the older
        # segment first), so a stable sort by term keeps them ascending within each term.
        order = np.argsort(terms, kind="stable")
        terms, docs, tfs = terms[order], docs[order], tfs[order]
        uniq, starts = np.unique(terms, return_index=True)
        offsets = np.append(starts, terms.shape[0]).astype(np.int64)
        return cls(uniq.astype(np.int32), offsets, docs.astype(np.int32), tfs.astype(np.uint16))

    def triples(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        counts = np.diff(self.offsets)
        return np.repeat(self.terms, counts), self.docs, self.tfs


class BM25Index:
    """In-memory BM25 (Okapi, Lucene's idf) over jieba tokens; ids may be ints or strings.

    Thread-safe: writers and readers take one lock; a search over 100k documents takes milliseconds.
    """

    def __init__(self, k1: float = 1.2, b: float = 0.75):
        self.k1 = k1
        self.b = b
        self._lock = threading.RLock()
        self._vocab: dict[str, int] = {}
        self._df = np.zeros(1024, dtype=np.int32)
        self._ids: list[Hashable] = []
        self._pos: dict[Hashable, int] = {}
        self._dl = np.zeros(1024, dtype=np.float32)
        self._alive = np.zeros(1024, dtype=bool)
        self._n_alive = 0
        self._total_len = 0.0
        self._segments: list[_Segment] = []
        self._buffer: list[tuple[int, np.ndarray, np.ndarray]] = []

    # ---- writing ---------------------------------------------------------------------------------
    def add(self, doc_id: Hashable, text: str) -> None:
        """Index ``text`` under ``doc_id`` (replacing what was indexed under it before)."""
        self.add_tokens(doc_id, tokenize(text))

    def add_many(self, items: Iterable[tuple[Hashable, str]]) -> None:
        for doc_id, text in items:
            self.add(doc_id, text)

    def add_tokens(self, doc_id: Hashable, tokens: list[str]) -> None:
        """Index already tokenised text (bulk loads and benchmarks tokenise once)."""
        counts = Counter(tokens)
        with self._lock:
            tids = np.fromiter((self._term_id(t) for t in counts), dtype=np.int32, count=len(counts))
            tfs = np.fromiter(counts.values(), dtype=np.int64, count=len(counts))
            self.add_encoded(doc_id, tids, tfs)

    def encode_tokens(self, tokens: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Term ids and frequencies of ``tokens`` (to add many copies with ``add_encoded``)."""
        counts = Counter(tokens)
        with self._lock:
            tids = np.fromiter((self._term_id(t) for t in counts), dtype=np.int32, count=len(counts))
        return tids, np.fromiter(counts.values(), dtype=np.int64, count=len(counts))

    def add_encoded(self, doc_id: Hashable, tids: np.ndarray, tfs: np.ndarray) -> None:
        with self._lock:
            if doc_id in self._pos:
                self.remove(doc_id)
            num = len(self._ids)
            self._ids.append(doc_id)
            self._pos[doc_id] = num
            self._grow_docs(num + 1)
            length = float(tfs.sum())
            self._dl[num] = length
            self._alive[num] = True
            self._n_alive += 1
            self._total_len += length
            if tids.size:
                self._df[tids] += 1
            self._buffer.append((num, tids, np.minimum(tfs, 65535).astype(np.uint16)))
            if len(self._buffer) >= BUFFER_SIZE:
                self._seal()

    def remove(self, doc_id: Hashable) -> None:
        """Forget ``doc_id`` (no error if it was not indexed)."""
        with self._lock:
            num = self._pos.pop(doc_id, None)
            if num is None:
                return
            self._alive[num] = False
            self._n_alive -= 1
            self._total_len -= float(self._dl[num])
            for bnum, tids, _tfs in self._buffer:
                if bnum == num:  # still buffered: its frequencies can be taken back exactly
                    self._df[tids] -= 1
                    self._buffer = [e for e in self._buffer if e[0] != num]
                    break

    def _term_id(self, term: str) -> int:
        tid = self._vocab.get(term)
        if tid is None:
            tid = len(self._vocab)
            self._vocab[term] = tid
            if tid >= self._df.shape[0]:
                self._df = np.concatenate([self._df, np.zeros(self._df.shape[0], dtype=np.int32)])
        return tid

    def _grow_docs(self, n: int) -> None:
        if n <= self._dl.shape[0]:
            return
        size = max(n, int(self._dl.shape[0] * 1.5))
        self._dl = np.concatenate([self._dl, np.zeros(size - self._dl.shape[0], dtype=np.float32)])
        self._alive = np.concatenate([self._alive, np.zeros(size - self._alive.shape[0], dtype=bool)])

    def _seal(self) -> None:
        if not self._buffer:
            return
        nums = [np.full(t.shape[0], n, dtype=np.int32) for n, t, _ in self._buffer]
        seg = _Segment.from_triples(
            np.concatenate([t for _, t, _ in self._buffer]),
            np.concatenate(nums),
            np.concatenate([f for _, _, f in self._buffer]),
        )
        self._buffer = []
        self._segments.append(seg)
        # Merge while the newest segment is not much smaller than the one before (log-structured).
        while len(self._segments) >= 2 and self._segments[-2].size <= 4 * self._segments[-1].size:
            last = self._segments.pop()
            self._segments[-1] = self._merge(self._segments[-1], last)

    def _merge(self, a: _Segment, b: _Segment) -> _Segment:
        ta, da, fa = a.triples()
        tb, db, fb = b.triples()
        terms, docs, tfs = np.concatenate([ta, tb]), np.concatenate([da, db]), np.concatenate([fa, fb])
        dead = ~self._alive[docs]
        if dead.any():
            # Dead documents leave the postings and their document frequencies now.
            np.subtract.at(self._df, terms[dead], 1)
            keep = ~dead
            terms, docs, tfs = terms[keep], docs[keep], tfs[keep]
        return _Segment.from_triples(terms, docs, tfs)

    def optimize(self) -> None:
        """Seal the buffer and merge every segment into one (after a bulk load)."""
        with self._lock:
            self._seal()
            while len(self._segments) >= 2:
                last = self._segments.pop()
                self._segments[-1] = self._merge(self._segments[-1], last)

    # ---- reading ---------------------------------------------------------------------------------
    def __len__(self) -> int:
        return self._n_alive

    def __contains__(self, doc_id: Hashable) -> bool:
        return doc_id in self._pos

    def terms(self, query: str) -> list[str]:
        """The query tokens used for scoring: distinct tokens the index knows, in query order."""
        return [t for t in query_tokenize(query) if t in self._vocab]

    def _idf(self, tids: np.ndarray) -> np.ndarray:
        df = self._df[tids].astype(np.float64)
        n = max(self._n_alive, 1)
        return np.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def search(self, query: str, k: int, allowed: set | None = None) -> list[tuple[Any, float]]:
        """The ``k`` best documents for ``query`` with their BM25 scores, best first.

        ``allowed`` restricts the result to those ids (structured filters applied by the caller).
        """
        return self.search_terms(self.terms(query), k, allowed)

    def search_terms(self, terms: list[str], k: int, allowed: set | None = None) -> list[tuple[Any, float]]:
        if k <= 0 or not terms:
            return []
        with self._lock:
            self._seal()
            n_docs = len(self._ids)
            if not n_docs or not self._n_alive:
                return []
            tids = np.array([self._vocab[t] for t in terms], dtype=np.int32)
            idf = self._idf(tids)
            avgdl = self._total_len / max(self._n_alive, 1) or 1.0
            k1, b = self.k1, self.b
            all_docs: list[np.ndarray] = []
            all_w: list[np.ndarray] = []
            for tid, w_idf in zip(tids.tolist(), idf.tolist(), strict=True):
                for seg in self._segments:
                    post = seg.postings(tid)
                    if post is None:
                        continue
                    docs, tfs = post
                    tf = tfs.astype(np.float32)
                    norm = k1 * (1.0 - b + b * self._dl[docs] / avgdl)
                    all_docs.append(docs)
                    all_w.append((w_idf * tf * (k1 + 1.0) / (tf + norm)).astype(np.float32))
            if not all_docs:
                return []
            scores = np.bincount(np.concatenate(all_docs), np.concatenate(all_w), minlength=n_docs)
            alive = self._alive[:n_docs]
            if allowed is not None:
                mask = np.zeros(n_docs, dtype=bool)
                nums = [self._pos[i] for i in allowed if i in self._pos]
                if nums:
                    mask[np.asarray(nums, dtype=np.int64)] = True
                alive = alive & mask
            scores = np.where(alive, scores, 0.0)
            hits = np.flatnonzero(scores > 0)
            if hits.shape[0] > k:
                hits = hits[np.argpartition(-scores[hits], k - 1)[:k]]
            hits = hits[np.argsort(-scores[hits], kind="stable")]
            return [(self._ids[i], float(scores[i])) for i in hits.tolist()]

    def matched_terms(self, terms: list[str], doc_id: Hashable) -> list[str]:
        """Which of ``terms`` occur in the document (for explanations and highlighting)."""
        with self._lock:
            self._seal()
            num = self._pos.get(doc_id)
            if num is None:
                return []
            out = []
            for term in terms:
                tid = self._vocab.get(term)
                if tid is None:
                    continue
                for seg in self._segments:
                    post = seg.postings(tid)
                    if post is None:
                        continue
                    docs = post[0]
                    i = int(np.searchsorted(docs, num))
                    if i < docs.shape[0] and docs[i] == num:
                        out.append(term)
                        break
            return out

    def doc_freq(self, term: str) -> int:
        """In how many documents ``term`` occurs (0 if unknown)."""
        tid = self._vocab.get(term)
        return int(self._df[tid]) if tid is not None else 0

    def telling_terms(self, terms: list[str], doc_id: Hashable, *, common: float = 0.08) -> list[str]:
        """The shared terms worth showing a person: ``matched_terms`` without single characters, words
        in more than ``common`` of all listings (提高, 处理 …), function words (以及, 比如, 想, 用 …:
        ``lib.text.FUNCTION_WORDS``) and fragments of a longer shared term (jieba's search mode yields
        传感, 感器 and 传感器: only 传感器 is shown)."""
        matched = self.matched_terms(terms, doc_id)
        # In a small collection every word is "common" by share; a term in a handful of listings still tells.
        limit = max(common * self._n_alive, 3)
        kept = [
            t
            for t in matched
            if (len(t) > 1 or t.isascii()) and t not in textlib.FUNCTION_WORDS and self.doc_freq(t) <= limit
        ]
        return [t for t in kept if not any(t != o and t in o for o in kept)]

    def memory_bytes(self) -> int:
        """Bytes held by the arrays (postings, lengths, frequencies), not the Python dicts."""
        total = self._df.nbytes + self._dl.nbytes + self._alive.nbytes
        for seg in self._segments:
            total += seg.terms.nbytes + seg.offsets.nbytes + seg.docs.nbytes + seg.tfs.nbytes
        return total
