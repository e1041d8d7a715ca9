"""Measure the discipline (or category) classifier: train on one JSONL file, score on another.

    manage.py evaluate_classifier --train T.jsonl --test E.jsonl --label discipline --json
    manage.py evaluate_classifier --make-split data/csl/csl_records.jsonl --out var/eval/mining \
        [--extra ../shared/data/fewclue_csldcp/csldcp_labeled.jsonl]

Records are CSL-like JSON Lines (``title``, ``abstract``, ``keywords``, ``discipline``, ``category``).
Training rows that are also in the test file (same abstract start) are dropped before training. The
method is the platform's own (``mining.classifiers.TextClassifier``); nothing is tuned on the test file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from techbridge.mining import training


class Command(BaseCommand):
    help = "Train the text classifier on --train and print accuracy and macro-F1 on --test."
    requires_system_checks: list = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--train", help="training records (JSONL)")
        parser.add_argument("--test", help="test records (JSONL)")
        parser.add_argument("--label", default="discipline", choices=["discipline", "category"])
        parser.add_argument("--json", action="store_true", help="print the result as JSON")
        parser.add_argument("--c", type=float, default=0.5, help="SVM regularisation (default 0.5)")
        parser.add_argument(
            "--make-split", metavar="RECORDS", help="write a fixed-seed train/test split and stop"
        )
        parser.add_argument("--out", default="var/eval/mining", help="folder of --make-split")
        parser.add_argument("--extra", nargs="*", default=[], help="with --make-split: more training files")
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--test-share", type=float, default=0.2)
        parser.add_argument("--no-vectors", action="store_true", help="text model only")
        parser.add_argument("--no-encode", action="store_true", help="use cached vectors only")
        parser.add_argument("--reference", action="store_true", help="score the plain reference recipe")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["make_split"]:
            return self.make_split(opts)
        if not opts["train"] or not opts["test"]:
            raise CommandError("Give --train and --test (or --make-split).")
        try:
            train = list(training.read_jsonl(opts["train"]))
            test = list(training.read_jsonl(opts["test"]))
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        if not [r for r in test if r.get(opts["label"])]:
            raise CommandError(f"No test record has a {opts['label']!r} label.")
        result = training.evaluate_files(
            train,
            test,
            opts["label"],
            c=opts["c"],
            vectors=not opts["no_vectors"],
            encode=not opts["no_encode"],
            reference=opts["reference"],
        )
        result.update({"train_file": opts["train"], "test_file": opts["test"]})
        if opts["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=1))
        else:
            self.stdout.write(
                f"{opts['label']}: accuracy {result['accuracy']:.4f}, macro-F1 {result['macro_f1']:.4f} "
                f"on {result['test']} test records (trained on {result['train']}, "
                f"{result['dropped_as_in_test']} dropped as in the test set, {result['seconds']}s)"
            )

    def make_split(self, opts: dict[str, Any]) -> None:
        records = list(training.read_jsonl(opts["make_split"]))
        train, test = training.split_holdout(records, test_share=opts["test_share"], seed=opts["seed"])
        for path in opts["extra"]:
            for row in training.read_jsonl(path):
                train.append(
                    {
                        k: row[k]
                        for k in ("title", "abstract", "keywords", "discipline", "category")
                        if k in row
                    }
                )
        out = Path(opts["out"])
        out.mkdir(parents=True, exist_ok=True)
        for name, rows in (("train", train), ("test", test)):
            with open(out / f"{name}.jsonl", "w", encoding="utf-8") as fh:
                for row in rows:
                    fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        self.stdout.write(
            f"{len(train)} training and {len(test)} test records written to {out}/ (seed {opts['seed']})"
        )
