"""Close every auction lot whose end has passed and retry failed hand-offs (cron-friendly)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from techbridge.auctions.services import close_due_lots


class Command(BaseCommand):
    help = "Close due auction lots (winner → contract draft, reserve not met → negotiation room)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--loop", type=float, default=0, help="Repeat every N seconds until interrupted.")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            result = close_due_lots()
            self.stdout.write(f"closed {result['closed']} lots, handed off {result['handed_off']}")
            if not options["loop"]:
                return
            time.sleep(options["loop"])
