"""(Re)classify every listing in bulk with the current trained classifiers.

    manage.py classify_listings [--kind achievement|demand] [--force] [--published-only]

Listings whose text and model version did not change are skipped unless ``--force``. Reviewers'
corrections are never overwritten.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from techbridge.core.workflow import ReviewStatus
from techbridge.mining import classifiers, services


class Command(BaseCommand):
    help = "Classify achievements and demands with the current trained classifiers."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--kind", choices=["achievement", "demand"], help="only this kind")
        parser.add_argument("--force", action="store_true", help="classify unchanged listings again")
        parser.add_argument("--published-only", action="store_true")
        parser.add_argument("--batch-size", type=int, default=256)

    def handle(self, *args: Any, **opts: Any) -> None:
        bundle = classifiers.load_bundle()
        if bundle is None:
            raise CommandError("No trained classifier yet: run manage.py train_classifiers first.")
        started = time.perf_counter()
        totals = {"classified": 0, "unchanged": 0, "missing": 0}
        for kind in [opts["kind"]] if opts["kind"] else ["achievement", "demand"]:
            qs = services.model_of(kind).objects.order_by("pk")
            if opts["published_only"]:
                qs = qs.filter(status=ReviewStatus.PUBLISHED)
            pks = list(qs.values_list("pk", flat=True))
            done = [0]
            label = f"{kind}s"

            def progress(n: int, total: int = len(pks), label: str = label, done: list = done) -> None:
                done[0] += n
                width = 30
                filled = int(width * done[0] / max(total, 1))
                sys.stderr.write(f"\r{label:13} [{'#' * filled}{'.' * (width - filled)}] {done[0]}/{total}")
                sys.stderr.flush()

            counts = services.classify_listings(
                kind,
                pks,
                bundle=bundle,
                force=opts["force"],
                batch_size=opts["batch_size"],
                progress=progress,
            )
            if pks:
                sys.stderr.write("\n")
            for key in totals:
                totals[key] += counts[key]
        self.stdout.write(
            self.style.SUCCESS(
                f"{totals['classified']} classified, {totals['unchanged']} unchanged "
                f"(model {bundle.version}) in {time.perf_counter() - started:.1f}s"
            )
        )
