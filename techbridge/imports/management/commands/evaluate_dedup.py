"""Measure the near-duplicate rule on synthetic perturbations of real records (no database writes).

Takes ``--n`` CSL records from ``data/``, makes one perturbed copy of each (the kinds of difference two
sources introduce: punctuation and spacing, a suffix such as 〔修订版〕, an abstract cut short or
lightly edited, a reworded title), runs the same candidate search and check as ``dedup.find_pairs``
over originals and copies together, and reports recall (copies found) and precision (found pairs
that are a record and its copy) per perturbation and overall.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from techbridge.imports import dedup
from techbridge.imports.demo import CSL_FILE
from techbridge.imports.readers import read_rows


def _punctuation(title: str, body: str, rng: random.Random) -> tuple[str, str]:
    return title.replace("的", " 的 ") + "。", body.replace("，", ",").replace("。", ". ")


def _suffix(title: str, body: str, rng: random.Random) -> tuple[str, str]:
    return title + rng.choice(["（修订版）", "研究", "及应用", "〔2024〕"]), body


def _truncate(title: str, body: str, rng: random.Random) -> tuple[str, str]:
    return title, body[: max(20, len(body) // 2)]


def _edit_body(title: str, body: str, rng: random.Random) -> tuple[str, str]:
    chars = list(body)
    for _ in range(max(1, len(chars) // 10)):  # one character in ten replaced or dropped
        i = rng.randrange(len(chars))
        chars[i] = "" if rng.random() < 0.5 else rng.choice("的了和与及其在中")
    return title, "".join(chars)


def _reword_title(title: str, body: str, rng: random.Random) -> tuple[str, str]:
    words = {"一种": "一类", "方法": "方案", "基于": "利用", "研究": "探讨", "设计": "开发", "分析": "研究"}
    for a, b in words.items():
        title = title.replace(a, b)
    return title, body


PERTURBATIONS = {
    "punctuation": _punctuation,
    "suffix": _suffix,
    "truncated text": _truncate,
    "10% of text edited": _edit_body,
    "reworded title": _reword_title,
}


class Command(BaseCommand):
    help = "Recall and precision of the near-duplicate rule on perturbed copies of real CSL records."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--n", type=int, default=2000, help="records to copy (default 2000)")
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, **options) -> None:
        rng = random.Random(options["seed"])
        path = Path(settings.BASE_DIR) / "data" / CSL_FILE
        records = [(r.get("title", ""), r.get("abstract", "")) for _line, r in read_rows(path)]
        rng.shuffle(records)
        records = records[: options["n"]]
        texts: dict[int, tuple[str, str]] = {}
        copy_of: dict[int, int] = {}
        kind_of: dict[int, str] = {}
        names = list(PERTURBATIONS)
        for i, (title, body) in enumerate(records):
            texts[2 * i] = (title, body[: dedup.TEXT_CHARS])
            name = names[i % len(names)]
            t, b = PERTURBATIONS[name](title, body, rng)
            texts[2 * i + 1] = (t, b[: dedup.TEXT_CHARS])
            copy_of[2 * i + 1] = 2 * i
            kind_of[2 * i + 1] = name
        started = time.monotonic()
        found = dedup.text_pairs(texts)
        seconds = time.monotonic() - started
        true = [(f.left_id, f.right_id) for f in found if copy_of.get(f.right_id) == f.left_id]
        per_kind = Counter(kind_of[b] for _a, b in true)
        total_kind = Counter(kind_of.values())
        self.stdout.write(f"{len(texts)} records ({len(records)} originals + copies), scan {seconds:.1f} s")
        self.stdout.write("| perturbation | copies | found | recall |")
        self.stdout.write("|---|---:|---:|---:|")
        for name in names:
            recall = per_kind[name] / max(1, total_kind[name])
            self.stdout.write(f"| {name} | {total_kind[name]} | {per_kind[name]} | {recall:.3f} |")
        precision = len(true) / len(found) if found else 1.0
        self.stdout.write(
            f"| **all** | {len(records)} | {len(true)} | **{len(true) / len(records):.3f}** |\n\n"
            f"pairs proposed: {len(found)}, of which a record and its copy: {len(true)}; "
            f"precision **{precision:.3f}**; false pairs: {len(found) - len(true)}"
        )
        for f in [f for f in found if copy_of.get(f.right_id) != f.left_id][:5]:
            self.stdout.write(f"  false: {texts[f.left_id][0]} ~ {texts[f.right_id][0]} ({f.score})")
