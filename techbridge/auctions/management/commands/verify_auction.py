"""Verify a lot's SM3 bid chain and sealed outcome: detects an altered, inserted or deleted bid and an
outcome (winner, leader, price, end or close time) changed after closing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from techbridge.auctions.chain import verify_lot
from techbridge.auctions.models import Lot


class Command(BaseCommand):
    help = "Check the hash chain of one lot's bids (exit status 1 when it is broken)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("lot", type=int, help="Lot id")

    def handle(self, *args: Any, **options: Any) -> None:
        lot = Lot.objects.filter(pk=options["lot"]).first()
        if lot is None:
            raise CommandError(f"lot {options['lot']} does not exist")
        problems = verify_lot(lot)
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"lot {lot.pk}: bid chain BROKEN ({len(problems)} problems)")
        sealed = f", outcome sealed {lot.closing_hash[:16]}…" if lot.closing_hash else ", still open"
        self.stdout.write(
            f"lot {lot.pk}: {lot.bid_count} bids, SM3 chain intact, head {lot.head_hash[:16]}…{sealed}"
        )
