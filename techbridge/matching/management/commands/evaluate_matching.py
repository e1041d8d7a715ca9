"""Measure matching on a labelled set: ``manage.py evaluate_matching --records R.jsonl --queries Q.jsonl``.

Builds a temporary index from the records (BM25 + exact vectors, in memory), runs every query with each
method and prints recall@1, recall@10, MRR@10, nDCG@10 and query latency p50/p95 (encoding included).
The platform's own data is left untouched: no database writes, no index files. Passage vectors are
cached in ``var/cache/embeddings.sqlite3`` by content hash, so a re-run encodes nothing.

``--dev-set demand|title|keywords`` runs one of the development sets built from ``../shared/data``
(see ``techbridge/matching/evaluation/data.py``) instead of ``--records``/``--queries``.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from techbridge.matching import embeddings
from techbridge.matching.evaluation import data, harness
from techbridge.matching.hybrid import FUSIONS, METHODS


def default_cache_path() -> Path:
    return Path(settings.BASE_DIR) / "var" / "cache" / "embeddings.sqlite3"


class Command(BaseCommand):
    help = "Evaluate bm25 / dense / hybrid matching on labelled records and queries (JSON Lines)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--records", help="records JSONL: id, title, abstract, keywords")
        parser.add_argument("--queries", help='queries JSONL: {"query": ..., "relevant": [ids]}')
        parser.add_argument("--dev-set", choices=data.DEV_SETS, help="a development set instead")
        parser.add_argument("--methods", default=",".join(METHODS), help="comma-separated: bm25,dense,hybrid")
        parser.add_argument("--json", action="store_true", help="print JSON only")
        parser.add_argument("--fusion", choices=FUSIONS, default=None, help="default: the engine's (linear)")
        parser.add_argument("--rrf-k", type=float, default=None)
        parser.add_argument("--w-bm25", type=float, default=None)
        parser.add_argument("--w-dense", type=float, default=None)
        parser.add_argument("--depth", type=int, default=None, help="candidates taken from each list")
        parser.add_argument("--k1", type=float, default=None)
        parser.add_argument("--b", type=float, default=None)
        parser.add_argument("--timed", type=int, default=100, help="queries timed end to end per method")
        parser.add_argument("--limit", type=int, default=0, help="use only the first N queries")
        parser.add_argument("--cache", default=str(default_cache_path()), help="passage vector cache")
        parser.add_argument("--no-cache", action="store_true", help="encode everything afresh")

    def handle(self, *args: Any, **opts: Any) -> None:
        methods = [m.strip() for m in opts["methods"].split(",") if m.strip()]
        bad = [m for m in methods if m not in METHODS]
        if bad or not methods:
            raise CommandError(f"--methods: unknown {', '.join(bad) or '(none)'}; use {', '.join(METHODS)}")
        try:
            if opts["dev_set"]:
                records, queries = data.dev_set(opts["dev_set"])
            elif opts["records"] and opts["queries"]:
                records = data.load_records(opts["records"])
                queries = data.load_queries(opts["queries"])
            else:
                raise CommandError("give --records and --queries, or --dev-set")
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        if opts["limit"]:
            queries = queries[: opts["limit"]]
        known = {r["id"] for r in records}
        unknown = sum(1 for q in queries for rid in q["relevant"] if rid not in known)

        quiet = opts["json"]
        log = (lambda msg: None) if quiet else harness.eprint
        cache = None if opts["no_cache"] else embeddings.EmbeddingCache(opts["cache"])
        defaults = {"k1": 1.2, "b": 0.75}
        bm25_params = {k: opts[k] if opts[k] is not None else v for k, v in defaults.items()}
        t0 = time.perf_counter()
        engine = harness.build_engine(records, cache=cache, log=log, **bm25_params)
        options: dict[str, Any] = {}
        for key in ("fusion", "rrf_k", "w_bm25", "w_dense", "depth"):
            if opts[key] is not None:
                options[key] = opts[key]
        results = harness.evaluate(
            engine,
            queries,
            methods=methods,
            retriever_options=options,
            cache=cache,
            timed=opts["timed"],
            log=log,
        )
        retriever = engine.retriever(**options)
        report = {
            "records": len(records),
            "queries": len(queries),
            "unknown_relevant_ids": unknown,
            "model": embeddings.MODEL_ID,
            "config": {
                "fusion": retriever.fusion,
                "rrf_k": retriever.rrf_k,
                "w_bm25": retriever.w_bm25,
                "w_dense": retriever.w_dense,
                "depth": retriever.depth,
                **bm25_params,
            },
            "build_s": round(time.perf_counter() - t0, 1),
            "methods": results,
        }
        if quiet:
            self.stdout.write(json.dumps(report, ensure_ascii=False))
            return
        self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
        self.stdout.write(
            f"{len(queries)} queries over {len(records)} records: "
            + "; ".join(f"{m} R@1 {r['recall@1']:.3f}" for m, r in results.items())
        )
