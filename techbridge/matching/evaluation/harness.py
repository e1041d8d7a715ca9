"""Build a throw-away engine from evaluation records and measure it on queries.

Nothing here touches the database or the platform's index files: the BM25 index and the exact
vector index live in memory, and passage vectors come from (and go to) a disk cache keyed by content
hash, so a second run encodes nothing.
"""

from __future__ import annotations

import math
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from techbridge.taxonomy.vocab import INDUSTRY_FIELDS

from .. import embeddings
from ..hybrid import HybridRetriever, QueryError
from ..lexical import BM25Index, add_domain_words
from ..vectors import ExactIndex
from .data import keyword_list, record_parts

KS = (1, 10)


@dataclass
class Engine:
    lexical: BM25Index
    vectors: ExactIndex
    records: dict[Any, dict[str, Any]]
    timings: dict[str, float] = field(default_factory=dict)

    def retriever(self, **options: Any) -> HybridRetriever:
        return HybridRetriever(self.lexical, self.vectors, **options)


def domain_words(records: Sequence[dict[str, Any]]) -> list[str]:
    """The jieba domain dictionary of an evaluation: the records' keywords and the industry fields."""
    words: set[str] = set()
    for _code, name, _en in INDUSTRY_FIELDS:
        words.add(name)
        words.update(name.split("/"))
    for rec in records:
        words.update(keyword_list(rec.get("keywords")))
    return sorted(words)


def lexical_text(title: str, body: str, keywords: str) -> str:
    """What BM25 indexes for a record: the same parts as the passage, not cut."""
    return "\n".join(p for p in (title, keywords, body) if p)


def build_engine(
    records: Sequence[dict[str, Any]],
    *,
    cache: embeddings.EmbeddingCache | None,
    k1: float = 1.2,
    b: float = 0.75,
    log: Callable[[str], None] | None = None,
) -> Engine:
    """BM25 + exact vector index over ``records`` (domain dictionary taught to jieba first)."""
    log = log or (lambda msg: None)
    t0 = time.perf_counter()
    add_domain_words(domain_words(records))
    lexical = BM25Index(k1=k1, b=b)
    passages = []
    for rec in records:
        title, body, keywords = record_parts(rec)
        lexical.add(rec["id"], lexical_text(title, body, keywords))
        passages.append(embeddings.passage_text(title, body, keywords))
    lexical.optimize()
    t1 = time.perf_counter()
    log(f"BM25 over {len(records)} records in {t1 - t0:.1f}s")
    done = [0]

    def progress(n: int) -> None:
        done[0] += n
        log(f"  encoded {done[0]} passages ({(time.perf_counter() - t1) / max(done[0], 1):.2f}s each)")

    mat = embeddings.cached_encode_passages(passages, cache, progress=progress)
    t2 = time.perf_counter()
    vectors = ExactIndex()
    vectors.upsert([rec["id"] for rec in records], mat)
    log(f"vectors ready in {t2 - t1:.1f}s")
    return Engine(
        lexical,
        vectors,
        {rec["id"]: rec for rec in records},
        timings={"bm25_build_s": t1 - t0, "vectors_s": time.perf_counter() - t1},
    )


# ---- metrics --------------------------------------------------------------------------------------


def recall_at(ranked: Sequence[Any], relevant: set, k: int) -> float:
    return len(set(ranked[:k]) & relevant) / len(relevant) if relevant else 0.0


def mrr_at(ranked: Sequence[Any], relevant: set, k: int) -> float:
    for i, doc_id in enumerate(ranked[:k], 1):
        if doc_id in relevant:
            return 1.0 / i
    return 0.0


def ndcg_at(ranked: Sequence[Any], relevant: set, k: int) -> float:
    dcg = sum(1.0 / math.log2(i + 1) for i, d in enumerate(ranked[:k], 1) if d in relevant)
    ideal = sum(1.0 / math.log2(i + 1) for i in range(1, min(len(relevant), k) + 1))
    return dcg / ideal if ideal else 0.0


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0–100)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100.0 * len(ordered)))
    return ordered[rank - 1]


def summarise(rankings: list[list[Any]], relevants: list[set], latencies: list[float]) -> dict[str, Any]:
    n = max(len(rankings), 1)
    out: dict[str, Any] = {
        "recall@1": sum(recall_at(r, rel, 1) for r, rel in zip(rankings, relevants, strict=True)) / n,
        "recall@10": sum(recall_at(r, rel, 10) for r, rel in zip(rankings, relevants, strict=True)) / n,
        "mrr@10": sum(mrr_at(r, rel, 10) for r, rel in zip(rankings, relevants, strict=True)) / n,
        "ndcg@10": sum(ndcg_at(r, rel, 10) for r, rel in zip(rankings, relevants, strict=True)) / n,
    }
    out = {k: round(v, 4) for k, v in out.items()}
    if latencies:
        ms = [t * 1000 for t in latencies]
        out["latency_ms"] = {
            "p50": round(statistics.median(ms), 1),
            "p95": round(percentile(ms, 95), 1),
            "n": len(ms),
        }
    return out


def evaluate(
    engine: Engine,
    queries: Sequence[dict[str, Any]],
    *,
    methods: Sequence[str] = ("bm25", "dense", "hybrid"),
    retriever_options: dict[str, Any] | None = None,
    cache: embeddings.EmbeddingCache | None = None,
    timed: int = 100,
    k: int = 10,
    log: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Quality metrics of each method over ``queries``, and query latency including encoding.

    Rankings use query vectors from the cache (encoding is deterministic); latency is measured on
    ``timed`` queries spread over the set, each run end to end with a fresh encoding.
    """
    log = log or (lambda msg: None)
    retriever = engine.retriever(**(retriever_options or {}))
    texts = [str(q["query"]) for q in queries]
    relevants = [set(q["relevant"]) for q in queries]
    needs_vec = any(m in ("dense", "hybrid") for m in methods)
    t0 = time.perf_counter()
    qvecs = embeddings.cached_encode_queries(texts, cache) if needs_vec else None
    if needs_vec:
        log(f"query vectors ready in {time.perf_counter() - t0:.1f}s")
    step = max(1, len(queries) // max(timed, 1)) if timed else 0
    timed_idx = set(range(0, len(queries), step)[:timed]) if timed else set()
    results: dict[str, Any] = {}
    for method in methods:
        rankings: list[list[Any]] = []
        latencies: list[float] = []
        errors = 0
        for i, text in enumerate(texts):
            qv = qvecs[i] if qvecs is not None else None
            try:
                hits = retriever.search(text, k=k, method=method, query_vec=qv)
                ranked = [c.id for c in hits]
            except QueryError:
                ranked, errors = [], errors + 1
            rankings.append(ranked)
            if i in timed_idx:
                t = time.perf_counter()
                try:
                    retriever.search(text, k=k, method=method)
                except QueryError:
                    pass
                latencies.append(time.perf_counter() - t)
        results[method] = summarise(rankings, relevants, latencies)
        if errors:
            results[method]["query_errors"] = errors
        log(f"{method}: {results[method]}")
    return results


def rank_lists(
    engine: Engine,
    queries: Sequence[dict[str, Any]],
    qvecs: np.ndarray,
    *,
    depth: int = 100,
) -> tuple[list[list[tuple[Any, float]]], list[list[tuple[Any, float]]]]:
    """Raw BM25 and dense candidate lists per query (for tuning fusion without searching again)."""
    lex, dense = [], []
    for i, q in enumerate(queries):
        lex.append(engine.lexical.search(str(q["query"]), depth))
        dense.append(engine.vectors.search(qvecs[i], depth))
    return lex, dense


def eprint(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)
