"""Compute the supply–demand snapshot: which open demands have no good achievement match."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from ...analysis import DEFAULT_MIN_TERMS, DEFAULT_THRESHOLD, compute_unmatched, open_demands


class Command(BaseCommand):
    help = (
        "Match every open demand against the published achievements and store the demands without a good "
        "match as a new analysis snapshot (shown on the console's supply–demand page)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--threshold",
            type=float,
            default=DEFAULT_THRESHOLD,
            help="meaning similarity a good match reaches (default 0.88)",
        )
        parser.add_argument(
            "--min-terms",
            type=int,
            default=DEFAULT_MIN_TERMS,
            help="shared terms a good match has when the semantic index is missing",
        )
        parser.add_argument("--no-progress", action="store_true", help="do not show a progress bar")

    def handle(self, *args, **options) -> None:
        from tqdm import tqdm

        if not 0 < options["threshold"] <= 1:
            raise CommandError(_("--threshold must be between 0 and 1."))
        show = not options["no_progress"] and options["verbosity"] > 0
        bar = tqdm(total=open_demands().count(), unit=_("demands"), file=sys.stderr, disable=not show)
        try:
            snapshot = compute_unmatched(
                threshold=options["threshold"], min_terms=options["min_terms"], progress=bar.update
            )
        finally:
            bar.close()
        self.stdout.write(
            self.style.SUCCESS(
                _("%(checked)s open demands checked in %(seconds)s s: %(n)s without a good match.")
                % {
                    "checked": snapshot.demands_checked,
                    "seconds": snapshot.seconds,
                    "n": len(snapshot.data["unmatched"]),
                }
            )
        )
