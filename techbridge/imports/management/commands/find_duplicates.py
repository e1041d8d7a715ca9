"""Look for duplicate listings across sources now (the console's “scan all listings now”)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from ... import dedup
from ...models import DuplicatePair


class Command(BaseCommand):
    help = (
        "Scan all active achievements and/or demands for duplicates (same patent number, or very similar "
        "title and text) and store new pairs for reviewers. Pairs already decided are never proposed again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--kind", choices=[*DuplicatePair.Kind.values, "all"], default="all", help="what to scan"
        )

    def handle(self, *args, **options) -> None:
        kinds = DuplicatePair.Kind.values if options["kind"] == "all" else [options["kind"]]
        for kind in kinds:
            started = time.monotonic()
            new = dedup.scan(kind)
            open_pairs = dedup.open_pairs(kind).count()
            self.stdout.write(
                _("%(kind)s: %(new)s new pairs in %(seconds).1f s; %(open)s awaiting a decision.")
                % {"kind": kind, "new": new, "seconds": time.monotonic() - started, "open": open_pairs}
            )
