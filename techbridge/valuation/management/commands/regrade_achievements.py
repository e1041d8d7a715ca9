"""Recompute every stored grade with the weights in force (also runs after a new weights version)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from techbridge.valuation.tasks import regrade_all


class Command(BaseCommand):
    help = "Recompute the scorecard grade of every published (or already scored) achievement."

    def handle(self, *args: Any, **opts: Any) -> None:
        count = regrade_all()
        self.stdout.write(f"{count} achievements regraded.")
