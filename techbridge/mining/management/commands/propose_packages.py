"""Propose achievement packages (科技成果包) from the published achievements' embeddings.

    manage.py propose_packages [--method spectral] [--k N] [--min-size 3]

The same as the console's "Propose packages": earlier automatic drafts nobody edited are replaced.
Only achievements whose vector is already in matching's embedding cache take part (``rebuild_index``
encodes the listings); nothing is encoded here.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from techbridge.mining import packages, services


class Command(BaseCommand):
    help = "Group published achievements into draft packages by their embeddings, named by key terms."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--method", choices=packages.METHODS, default=packages.DEFAULT_METHOD)
        parser.add_argument("--k", type=int, default=None, help="number of groups (default: automatic)")
        parser.add_argument("--min-size", type=int, default=packages.MIN_SIZE)

    def handle(self, *args: Any, **opts: Any) -> None:
        started = time.perf_counter()
        created = services.generate_packages(
            actor=None, method=opts["method"], k=opts["k"], min_size=opts["min_size"]
        )
        for p in created[:10]:
            self.stdout.write(
                f"  {p.title} ({p.proposal_info.get('size')}, cohesion {p.proposal_info.get('cohesion')})"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(created)} draft packages proposed in {time.perf_counter() - started:.1f}s"
            )
        )
