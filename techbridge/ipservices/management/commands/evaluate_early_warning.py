"""Measure the early-warning matcher: ``manage.py evaluate_early_warning [--out docs/benchmarks.md]``.

Product descriptions written for BDCI patents (``data/eval/early_warning/``) are compared with the
stream of BDCI patents the way the platform compares imported patents with registered products; the
threshold and term weight are chosen on the development part and reported on the held part
(``techbridge.ipservices.evaluation``). Query vectors are cached in ``var/cache/embeddings.sqlite3``,
so a re-run encodes nothing. Product vectors go through the platform's embedding cache.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from techbridge.core.benchmarks import machine
from techbridge.lib.markdown import replace_section

from ... import evaluation, warning

SECTION_TITLE = "## IP services: early-warning quality"
HEADER = (
    "| part | products | threshold | term weight | recall@10 | alert recall | alerts | precision (exact) "
    "| precision (related) | alerts / product / 1,000 patents |\n"
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
)


class Command(BaseCommand):
    help = "Recall@10 and precision of patent alerts on the held part of the early-warning evaluation set."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--products", default=str(evaluation.eval_file()), help="evaluation products JSONL"
        )
        parser.add_argument(
            "--patents",
            default="",
            help="BDCI patents JSONL (default: shared/data/bdci2022_fewshot_patents/patents.jsonl)",
        )
        parser.add_argument("--stream", choices=("all", "gold"), default="all", help="patents compared")
        parser.add_argument(
            "--limit", type=int, default=0, help="compare only the first N patents (quick look)"
        )
        parser.add_argument(
            "--cache",
            default=str(Path(settings.BASE_DIR) / "var" / "cache" / "embeddings.sqlite3"),
            help="query vector cache",
        )
        parser.add_argument("--out", default="", help="write the section into this Markdown file")
        parser.add_argument("--json", action="store_true", help="print JSON only")

    def handle(self, *args: Any, **opts: Any) -> None:
        from techbridge.matching.embeddings import EmbeddingCache, cached_encode_queries

        patents_path = Path(opts["patents"] or evaluation.shared_data_dir() / evaluation.BDCI_FILE)
        if not patents_path.is_file():
            raise CommandError(f"{patents_path} not found: pass --patents or set IPSERVICES_EVAL_DATA")
        products = evaluation.read_products(Path(opts["products"]))
        stream = evaluation.read_stream(patents_path, gold_only=opts["stream"] == "gold")
        if opts["limit"]:
            wanted = {p.patent_id for p in products}
            head = stream[: opts["limit"]]
            stream = head + [p for p in stream[opts["limit"] :] if p.id in wanted]
        missing = {p.patent_id for p in products} - {p.id for p in stream}
        if missing:
            raise CommandError(f"{len(missing)} evaluation patents are not in {patents_path}")
        dev = [p for p in products if p.split == "dev"]
        held = [p for p in products if p.split == "held"]
        started = time.monotonic()
        cache = EmbeddingCache(opts["cache"])
        texts = [warning.patent_text(p.title, p.abstract) for p in stream]
        vectors = cached_encode_queries(texts, cache)
        encode_s = time.monotonic() - started
        t0 = time.monotonic()
        dev_pairs = evaluation.collect_pairs(dev, stream, query_vectors=vectors)
        held_pairs = evaluation.collect_pairs(held, stream, query_vectors=vectors)
        compare_s = time.monotonic() - t0
        best, _tried = evaluation.choose(dev, stream, dev_pairs)
        held_chosen = evaluation.score(
            held, stream, held_pairs, threshold=best.threshold, term_weight=best.term_weight
        )
        held_platform = evaluation.score(
            held, stream, held_pairs, threshold=warning.ALERT_THRESHOLD, term_weight=warning.TERM_WEIGHT
        )
        dev_platform = evaluation.score(
            dev, stream, dev_pairs, threshold=warning.ALERT_THRESHOLD, term_weight=warning.TERM_WEIGHT
        )
        tradeoff = [
            evaluation.score(held, stream, held_pairs, threshold=t, term_weight=best.term_weight).as_dict()
            for t in sorted({round(best.threshold + d, 4) for d in (-0.015, -0.0075, 0.0, 0.0075, 0.015)})
        ]
        result = {
            "stream": opts["stream"],
            "patents": len(stream),
            "dev_products": len(dev),
            "held_products": len(held),
            "chosen_on_dev": best.as_dict(),
            "held_at_chosen": held_chosen.as_dict(),
            "platform": {"threshold": warning.ALERT_THRESHOLD, "term_weight": warning.TERM_WEIGHT},
            "dev_at_platform": dev_platform.as_dict(),
            "held_at_platform": held_platform.as_dict(),
            "held_tradeoff": tradeoff,
            "seconds": {"encode": round(encode_s, 1), "compare": round(compare_s, 1)},
        }
        if opts["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(self._section(result, opts))
        if opts["out"]:
            replace_section(Path(opts["out"]), self._section(result, opts), SECTION_TITLE)
        if (best.threshold, best.term_weight) != (warning.ALERT_THRESHOLD, warning.TERM_WEIGHT):
            self.stderr.write(
                self.style.WARNING(
                    f"The development part chooses threshold {best.threshold} and term weight "
                    f"{best.term_weight}; the platform uses {warning.ALERT_THRESHOLD} "
                    f"and {warning.TERM_WEIGHT}."
                )
            )

    def _section(self, r: dict[str, Any], opts: dict[str, Any]) -> str:
        m = machine()
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0

        def row(name: str, s: dict[str, Any]) -> str:
            return (
                f"| {name} | {s['products']} | {s['threshold']:.4f} | {s['term_weight']} | "
                f"{s['recall_at_10']:.2f} | {s['alert_recall']:.2f} | {s['alerts']} | "
                f"{s['precision_exact']:.3f} | {s['precision_related']:.2f} | "
                f"{s['alerts_per_product_per_1000']:.2f} |"
            )

        same = (r["chosen_on_dev"]["threshold"], r["chosen_on_dev"]["term_weight"]) == (
            r["platform"]["threshold"],
            r["platform"]["term_weight"],
        )
        platform_rows = (
            ""
            if same
            else row("development, platform setting", r["dev_at_platform"])
            + "\n"
            + row("held, platform setting", r["held_at_platform"])
            + "\n"
        )
        tradeoff_rows = "\n".join(row("held", s) for s in r["held_tradeoff"])
        command = "python manage.py evaluate_early_warning" + (
            " --stream gold" if r["stream"] == "gold" else ""
        )
        return f"""{SECTION_TITLE}

Measured {timezone.localtime():%Y-%m-%d %H:%M %Z} with `{command} --out docs/benchmarks.md`
on {m["nproc"]} CPUs ({m["cpu"]}, load {load:.1f}). Evaluation set: `data/eval/early_warning/products.jsonl`
({r["dev_products"]} development + {r["held_products"]} held product descriptions written by the platform
team in an enterprise's words, one per BDCI 2022 gold patent, two per technology class; see its
README). Stream: {r["patents"]:,} BDCI patent abstracts, each compared with the products of one part the
way the platform compares an imported patent with registered products (`ipservices.warning.compare`:
hybrid retrieval, the {warning.CANDIDATES} closest products per patent, closeness = similarity +
term weight × shared telling terms, at most {warning.TERM_CAP}). Encoding the stream took
{r["seconds"]["encode"]} s in this run (query vectors are cached in var/cache/embeddings.sqlite3; a first
run encodes the 4,097 abstracts at about 0.3 s each on an idle machine), comparing
{r["seconds"]["compare"]} s.

The threshold and the term weight were chosen on the development part (best F2 of alert recall and
related precision: recall weighted twice, since a close patent an enterprise never hears of costs more
than an alert it dismisses) and are reported unchanged on the held part. recall@10: the product's own patent
is among the 10 closest patents that came to it. Alert recall: its own patent raises an alert.
Precision: share of all alerts raised on the product's own patent (exact) or on a patent of the same
technology class (related; classes of non-gold patents are pseudo-labels). Alerts per product per
1,000 patents: the volume an enterprise would see.

{HEADER}
{row("development (chosen here)", r["chosen_on_dev"])}
{row("**held**", r["held_at_chosen"])}
{platform_rows}
Held part at neighbouring thresholds (for information only; nothing was chosen on it):

{HEADER}
{tradeoff_rows}

The platform uses threshold {r["platform"]["threshold"]} and term weight {r["platform"]["term_weight"]}
(`techbridge/ipservices/warning.py`).
"""
