"""Train the classifiers (discipline → category; IPC class → section) and make them current.

    manage.py train_classifiers [--data-dir data] [--extra FILE.jsonl ...] [--no-corrections]

Trains from the repository's ``data/`` (CSL records, patent titles with IPC) plus reviewers'
corrections, writes ``var/models/classifiers/<version>.joblib`` and points ``current.json`` at it.
Running processes pick the new version up on their next classification.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from techbridge.mining import classifiers, training


class Command(BaseCommand):
    help = "Train the listing classifiers from data/ and reviewers' corrections; save a new version."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--data-dir", default=None, help="folder laid out like data/ (default: data/)")
        parser.add_argument("--extra", nargs="*", default=[], help="more labelled JSONL files (discipline)")
        parser.add_argument("--no-corrections", action="store_true", help="leave reviewers' corrections out")
        parser.add_argument(
            "--if-missing", action="store_true", help="do nothing when a version exists (make demo)"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["if_missing"] and classifiers.load_bundle() is not None:
            version = (classifiers.current_info() or {}).get("version")
            self.stdout.write(f"Classifier version {version} exists; nothing to do.")
            return
        started = time.perf_counter()
        data_dir = Path(opts["data_dir"]) if opts["data_dir"] else None
        try:
            bundle = training.train_bundle(
                data_dir=data_dir,
                extra=[Path(p) for p in opts["extra"]],
                corrections=not opts["no_corrections"],
                log=lambda msg: self.stdout.write("  " + msg),
            )
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        path = classifiers.save_bundle(bundle)
        self.stdout.write(
            self.style.SUCCESS(
                f"Classifier version {bundle.version} saved to {path} in {time.perf_counter() - started:.1f}s"
            )
        )
