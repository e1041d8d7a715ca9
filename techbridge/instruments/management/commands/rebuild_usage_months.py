"""Recompute the monthly usage figures (``UsageMonth``) from the recorded usage.

    python manage.py rebuild_usage_months [--instrument ID ...]

The figures are kept in step with the records when usage is recorded; this repairs them after records
were loaded or corrected outside the services (a data migration, a bulk load).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ...services.usage import rebuild_months


class Command(BaseCommand):
    help = (
        "Recompute the monthly usage figures of all instruments (or of the given ids) from the usage records."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--instrument", type=int, action="append", default=None, help="an instrument id (repeatable)"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        written = rebuild_months(opts["instrument"])
        self.stdout.write(f"{written} monthly rows written")
