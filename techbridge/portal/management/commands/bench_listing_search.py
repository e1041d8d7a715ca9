"""Benchmark listing search on the current database and write the "Listing search" section of
docs/benchmarks.md (``make bench``).

Measures, on whatever the database holds (``load_demo`` first):

- full-text search latency of the active backend for 30 realistic Chinese queries: every query runs
  ``--repeat`` times per round; each round gives a p50 and p95 over all its samples, and the report
  shows the median of ``--rounds`` rounds;
- the achievement list page through Django's test ``Client`` (the whole request: form, filters,
  search, template) for five filter combinations;
- jieba tokenisation throughput over real documents (documents and characters per second);
- the peak resident memory of the process.

The section is replaced in place; the rest of the file is kept.
"""

from __future__ import annotations

import platform
import statistics
import time
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlencode

import django
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test import Client, override_settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from techbridge.core.benchmarks import database, machine, peak_rss_mib, percentile, timed
from techbridge.core.fulltext import get_backend
from techbridge.core.models import FullTextEntry
from techbridge.core.workflow import ReviewStatus
from techbridge.lib import text
from techbridge.lib.markdown import replace_section

SECTION_TITLE = "## Listing search"
KIND = "achievement"

# What people look for on a technology-transfer platform in Nanjing: products, materials, methods.
QUERIES = [
    "锂电池隔膜",
    "新能源汽车 电池管理",
    "人工智能 图像识别",
    "污水处理",
    "石墨烯",
    "半导体芯片封装",
    "抗体药物",
    "工业机器人",
    "5G 通信天线",
    "光伏组件",
    "氢燃料电池",
    "碳纤维复合材料",
    "医疗器械",
    "大数据平台",
    "物联网传感器",
    "中药提取工艺",
    "水稻育种",
    "土壤修复",
    "无人机",
    "集成电路设计",
    "储能系统",
    "轨道交通",
    "精密加工",
    "基因编辑",
    "纳米材料",
    "环境监测",
    "区块链",
    "激光加工",
    "疫苗",
    "高分子材料 改性",
]

# Filter combinations of the achievement list page: (label, query string).
PAGES = [
    ("all, newest first", {}),
    ("q=锂电池 (relevance)", {"q": "锂电池"}),
    ("q=人工智能, sort=newest", {"q": "人工智能", "sort": "newest"}),
    (
        "type=invention_patent, trl_min=5, sort=trl_desc",
        {"type": "invention_patent", "trl_min": "5", "sort": "trl_desc"},
    ),
    ("q=新材料, price_max=100 (万元), page 2", {"q": "新材料", "price_max": "100", "page": "2"}),
]


class Command(BaseCommand):
    help = (
        "Measure listing search, list pages and tokenisation on the current database; "
        "write the section to docs/benchmarks.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out", default="docs/benchmarks.md", help="Markdown file to write the section into."
        )
        parser.add_argument("--rounds", type=int, default=5, help="Rounds; the report shows their median.")
        parser.add_argument("--repeat", type=int, default=5, help="Runs of every query per round.")
        parser.add_argument(
            "--page-repeat", type=int, default=10, help="Requests per list-page variant per round."
        )
        parser.add_argument("--token-docs", type=int, default=2000, help="Documents to tokenise.")
        parser.add_argument("--queries", type=int, default=len(QUERIES), help="Use only the first N queries.")

    def handle(self, *args: Any, **opts: Any) -> None:
        from techbridge.achievements.models import Achievement
        from techbridge.demands.models import Demand

        total = Achievement.objects.count()
        if total == 0:
            raise CommandError(
                "The database has no achievements to measure. Load the demo listings first: "
                "`python manage.py load_demo` (or `make demo`), then run `make bench` again."
            )
        rounds, repeat, page_repeat = (
            max(1, opts["rounds"]),
            max(1, opts["repeat"]),
            max(1, opts["page_repeat"]),
        )
        queries = QUERIES[: max(1, opts["queries"])]
        counts = {
            "achievements": total,
            "published achievements": Achievement.objects.filter(status=ReviewStatus.PUBLISHED).count(),
            "demands": Demand.objects.count(),
            "published demands": Demand.objects.filter(status=ReviewStatus.PUBLISHED).count(),
            "indexed achievements": FullTextEntry.objects.filter(kind=KIND).count(),
            "indexed demands": FullTextEntry.objects.filter(kind="demand").count(),
        }
        if counts["indexed achievements"] == 0:
            self.stderr.write(
                "warning: the search index holds no achievements, so search times measure empty results."
            )
        backend = get_backend()
        started = timezone.localtime()
        self.stdout.write(
            f"Benchmarking {counts['achievements']} achievements on {database()} ({backend.name}), "
            f"{rounds} rounds …"
        )

        # DEBUG off, as in production: no query log growing through thousands of requests.
        with override_settings(DEBUG=False):
            search = self._search(backend, queries, rounds, repeat)
            pages = self._pages(rounds, page_repeat)
        tokens = self._tokenise(Achievement, opts["token_docs"], rounds)
        rss = peak_rss_mib()

        section = self._report(
            started=started,
            counts=counts,
            backend=backend.name,
            search=search,
            pages=pages,
            tokens=tokens,
            rss=rss,
            rounds=rounds,
            repeat=repeat,
            page_repeat=page_repeat,
            opts=opts,
        )
        out = Path(opts["out"])
        replace_section(out, section, SECTION_TITLE)
        self.stdout.write(
            f"search p50 {search['p50']:.2f} ms, p95 {search['p95']:.2f} ms; "
            f"tokenisation {tokens['docs_per_s']:.0f} docs/s; peak RSS {rss:.0f} MiB"
        )
        self.stdout.write(self.style.SUCCESS(f"Wrote the section “{SECTION_TITLE[3:]}” of {out}"))

    # ---- measurements -------------------------------------------------------------------------------

    def _search(self, backend: Any, queries: list[str], rounds: int, repeat: int) -> dict[str, Any]:
        hits = {q: len(backend.search(KIND, q)) for q in queries}  # warm-up, and the hit counts
        p50s, p95s = [], []
        per_query: dict[str, list[float]] = {q: [] for q in queries}
        for _ in range(rounds):
            samples = []
            for _ in range(repeat):
                for q in queries:
                    ms, _hits = timed(partial(backend.search, KIND, q))
                    samples.append(ms)
                    per_query[q].append(ms)
            p50s.append(percentile(samples, 50))
            p95s.append(percentile(samples, 95))
        return {
            "p50": statistics.median(p50s),
            "p95": statistics.median(p95s),
            "rounds_p50": p50s,
            "rounds_p95": p95s,
            "per_query": {
                q: (statistics.median(per_query[q]), percentile(per_query[q], 95), hits[q]) for q in queries
            },
            "without_hits": sum(1 for n in hits.values() if n == 0),
            "mean_hits": statistics.mean(hits.values()),
        }

    def _pages(self, rounds: int, page_repeat: int) -> list[dict[str, Any]]:
        try:
            base = reverse("achievements:list")
        except NoReverseMatch:
            base = "/achievements/"
        hosts = settings.ALLOWED_HOSTS
        host = "testserver" if ("testserver" in hosts or "*" in hosts or not hosts) else hosts[0].lstrip(".")
        client = Client(HTTP_HOST=host, raise_request_exception=False)
        results = []
        for label, params in PAGES:
            url = base + ("?" + urlencode(params) if params else "")
            response = client.get(url)  # warm-up
            p50s, p95s = [], []
            for _ in range(rounds):
                samples = []
                for _ in range(page_repeat):
                    ms, response = timed(partial(client.get, url))
                    samples.append(ms)
                p50s.append(percentile(samples, 50))
                p95s.append(percentile(samples, 95))
            results.append(
                {
                    "label": label,
                    "url": url,
                    "status": response.status_code,
                    "bytes": len(response.content),
                    "p50": statistics.median(p50s),
                    "p95": statistics.median(p95s),
                }
            )
        return results

    def _tokenise(self, model: Any, limit: int, rounds: int) -> dict[str, Any]:
        qs = (
            model.objects.select_related("owner", "discipline")
            .prefetch_related("fields")
            .order_by("pk")[: max(1, limit)]
        )
        docs = [obj.search_document() for obj in qs]
        text.index_tokens(docs[0])  # jieba's dictionary loads once per process: not part of the rate
        times, n_tokens = [], 0
        for _ in range(rounds):
            start = time.perf_counter()
            n_tokens = sum(len(text.index_tokens(doc)) for doc in docs)
            times.append(time.perf_counter() - start)
        seconds = statistics.median(times)
        chars = sum(len(doc) for doc in docs)
        return {
            "docs": len(docs),
            "mean_chars": chars / len(docs),
            "tokens_per_doc": n_tokens / len(docs),
            "docs_per_s": len(docs) / seconds if seconds else float("inf"),
            "chars_per_s": chars / seconds if seconds else float("inf"),
        }

    # ---- report -------------------------------------------------------------------------------------

    def _report(
        self,
        *,
        started: datetime,
        counts: dict[str, int],
        backend: str,
        search: dict[str, Any],
        pages: list[dict[str, Any]],
        tokens: dict[str, Any],
        rss: float,
        rounds: int,
        repeat: int,
        page_repeat: int,
        opts: dict[str, Any],
    ) -> str:
        m = machine()
        command = "python manage.py bench_listing_search --out " + str(opts["out"])
        defaults = {"rounds": 5, "repeat": 5, "page_repeat": 10, "token_docs": 2000, "queries": len(QUERIES)}
        for key, default in defaults.items():
            if opts.get(key) != default:
                command += f" --{key.replace('_', '-')} {opts[key]}"
        n_queries = len(search["per_query"])
        lines = [
            SECTION_TITLE,
            "",
            f"Measured {started:%Y-%m-%d %H:%M %Z} with `{command}` (`make bench`).",
            "",
            "| | |",
            "| --- | --- |",
            f"| Machine | {m['nproc']} CPUs (nproc), {m['cpu']}, {m['ram']} RAM |",
            f"| Software | Python {platform.python_version()}, Django {django.get_version()}, {database()} |",
            f"| Search backend | `{backend}` (FULLTEXT_BACKEND={settings.FULLTEXT_BACKEND}) |",
            f"| Data | {counts['achievements']:,} achievements "
            f"({counts['published achievements']:,} published, "
            f"{counts['indexed achievements']:,} in the search index); {counts['demands']:,} demands "
            f"({counts['published demands']:,} published, {counts['indexed demands']:,} indexed) |",
            f"| Peak RSS of the benchmark process | {rss:.0f} MiB |",
            "",
            "### Full-text search",
            "",
            f"{n_queries} Chinese queries against the `{backend}` backend (`get_backend().search`, "
            f"up to 2,000 ranked hits each), each run {repeat}× per round; p50/p95 over all samples "
            f"of a round, median of {rounds} rounds.",
            "",
            "| p50 | p95 | rounds' p50 (min–max) | mean hits per query | queries without hits |",
            "| ---: | ---: | ---: | ---: | ---: |",
            f"| {search['p50']:.2f} ms | {search['p95']:.2f} ms | {min(search['rounds_p50']):.2f}–"
            f"{max(search['rounds_p50']):.2f} ms | {search['mean_hits']:.0f} | "
            f"{search['without_hits']} of {n_queries} |",
            "",
            "<details><summary>Per query (median and p95 over all rounds, hits)</summary>",
            "",
            "| query | median | p95 | hits |",
            "| --- | ---: | ---: | ---: |",
        ]
        for q, (med, p95, hits) in search["per_query"].items():
            lines.append(f"| {q} | {med:.2f} ms | {p95:.2f} ms | {hits:,} |")
        lines += [
            "",
            "</details>",
            "",
            "### Achievement list page",
            "",
            f"Whole requests through Django's test `Client` (anonymous visitor, DEBUG off): {page_repeat} "
            f"requests per round after one warm-up, median of {rounds} rounds.",
            "",
            "| filters | URL | HTTP | p50 | p95 | size |",
            "| --- | --- | ---: | ---: | ---: | ---: |",
        ]
        for p in pages:
            lines.append(
                f"| {p['label']} | `{unquote(p['url'])}` | {p['status']} | {p['p50']:.1f} ms | "
                f"{p['p95']:.1f} ms | {p['bytes'] / 1024:.1f} KiB |"
            )
        if any(p["status"] != 200 for p in pages):
            lines += [
                "",
                "A status other than 200 means that variant did not render: its time is not a page time.",
            ]
        lines += [
            "",
            "### Tokenisation",
            "",
            f"`techbridge.lib.text.index_tokens` (jieba search mode) over the search documents of the first "
            f"{tokens['docs']:,} achievements, median of {rounds} passes, one process.",
            "",
            "| documents | mean length | tokens per document | documents/s | characters/s |",
            "| ---: | ---: | ---: | ---: | ---: |",
            f"| {tokens['docs']:,} | {tokens['mean_chars']:.0f} chars | {tokens['tokens_per_doc']:.0f} | "
            f"{tokens['docs_per_s']:,.0f} | {tokens['chars_per_s']:,.0f} |",
            "",
        ]
        return "\n".join(lines)
