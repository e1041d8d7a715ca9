"""Tune fusion on the development sets only: candidate lists are computed once, fusions replayed.

``python -m techbridge.matching.evaluation.tuning`` (with ``DJANGO_SETTINGS_MODULE`` set) prints, for
each development set, the metrics of BM25 (several k1/b), dense, and RRF / linear fusion over a grid
of parameters, and writes them to ``var/eval/tuning.json``. Every vector comes from the disk cache.
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path
from typing import Any

from django.conf import settings

from .. import embeddings
from ..hybrid import HybridRetriever
from . import data, harness

RRF_KS = (5, 10, 20, 30, 60, 100)
WEIGHTS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
LINEAR_W = (0.3, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8)
BM25_PARAMS = ((1.2, 0.75), (0.9, 0.4), (1.5, 0.75), (1.2, 0.9), (2.0, 0.75))


def metrics(rankings: list[list[Any]], queries: list[dict[str, Any]]) -> dict[str, float]:
    return harness.summarise(rankings, [set(q["relevant"]) for q in queries], [])


def fuse(retriever: HybridRetriever, lex: list, dense: list) -> list[list[Any]]:
    out = []
    for lx, dn in zip(lex, dense, strict=True):
        cands = retriever._fuse(lx, dn, "hybrid")
        cands.sort(key=lambda c: -c.fused)
        out.append([c.id for c in cands[:10]])
    return out


def tune_set(name: str, cache: embeddings.EmbeddingCache, depth: int = 100) -> dict[str, Any]:
    records, queries = data.dev_set(name)
    log = harness.eprint
    report: dict[str, Any] = {"set": name, "queries": len(queries)}
    qvecs = embeddings.cached_encode_queries([q["query"] for q in queries], cache)
    engine = harness.build_engine(records, cache=cache)
    lists = {}
    for k1, b in BM25_PARAMS:  # k1 and b act at search time: one index serves every setting
        engine.lexical.k1, engine.lexical.b = k1, b
        lex, dense = harness.rank_lists(engine, queries, qvecs, depth=depth)
        m = metrics([[d for d, _ in lx[:10]] for lx in lex], queries)
        report[f"bm25 k1={k1} b={b}"] = m
        log(f"{name} bm25 k1={k1} b={b}: {m}")
        lists[(k1, b)] = (lex, dense)
    engine.lexical.k1, engine.lexical.b = 1.2, 0.75
    lex, dense = lists[(1.2, 0.75)]
    report["dense"] = metrics([[d for d, _ in dn[:10]] for dn in dense], queries)
    log(f"{name} dense: {report['dense']}")
    for rrf_k, w in itertools.product(RRF_KS, WEIGHTS):
        r = HybridRetriever(engine.lexical, engine.vectors, fusion="rrf", rrf_k=rrf_k, w_bm25=1.0, w_dense=w)
        report[f"rrf k={rrf_k} w_dense={w}"] = metrics(fuse(r, lex, dense), queries)
    for w in LINEAR_W:
        r = HybridRetriever(
            engine.lexical, engine.vectors, fusion="linear", w_bm25=round(1 - w, 2), w_dense=w
        )
        report[f"linear w_dense={w}"] = metrics(fuse(r, lex, dense), queries)
    return report


def main(argv: list[str]) -> None:
    import django

    django.setup()
    cache = embeddings.EmbeddingCache(Path(settings.BASE_DIR) / "var/cache/embeddings.sqlite3")
    sets = argv or list(data.DEV_SETS)
    out = {name: tune_set(name, cache) for name in sets}
    path = Path(settings.BASE_DIR) / "var/eval/tuning.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    print(path)


if __name__ == "__main__":
    main(sys.argv[1:])
