"""Load the demo listings from the repository's data/ folder (idempotent)."""

from __future__ import annotations

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ...demo import default_data_dir, load_demo
from ...readers import ImportFileError
from ..table import format_table


class Command(BaseCommand):
    help = (
        "Load the demo listings: CSL paper records, patent records and patent titles as published "
        "achievements, and the sample enterprise demands, all marked as demo data. Idempotent: a second run "
        "changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=None,
            help="folder with the demo files (default: the repository's data/)",
        )
        parser.add_argument("--limit", type=int, default=None, help="load only the first N rows of each file")
        parser.add_argument("--no-progress", action="store_true", help="do not show progress bars")
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="load demo data even when TECHBRIDGE_ENV=production",
        )

    def handle(self, *args, **options) -> None:
        from tqdm import tqdm

        if getattr(settings, "PRODUCTION", False) and not options["allow_production"]:
            raise CommandError(
                _("This is a production installation; add --allow-production to load demo data.")
            )
        if options["limit"] is not None and options["limit"] < 1:
            raise CommandError(_("--limit must be at least 1."))
        show = not options["no_progress"] and options["verbosity"] > 0

        def bar(label: str, total: int | None):
            return tqdm(total=total, desc=label, unit=_("rows"), file=sys.stderr, disable=not show)

        data_dir = options["data_dir"] or default_data_dir()
        try:
            result = load_demo(data_dir, limit=options["limit"], progress_factory=bar)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc

        totals = {"created": 0, "updated": 0, "unchanged": 0, "refused": 0}
        rows = []
        for label, report in result.reports:
            counts = (report.created, report.updated, report.unchanged, len(report.refused))
            for key, value in zip(totals, counts, strict=True):
                totals[key] += value
            rows.append((label, *counts))
        # Column heads of row counts; "created" and "updated" alone are the timestamps of the models.
        header = (
            _("part"),
            pgettext("row count", "created"),
            pgettext("row count", "updated"),
            _("unchanged"),
            _("refused"),
        )
        self.stdout.write(format_table(header, rows, right=(1, 2, 3, 4)))
        for label, report in result.reports:
            for refused in report.refused[:20]:
                line = _("line %(line)s: %(reason)s") % {"line": refused.line, "reason": refused.reason}
                self.stdout.write(self.style.WARNING(f"{label} · {line}"))
            if len(report.refused) > 20:
                more = _("… and %(n)s more refused rows.") % {"n": len(report.refused) - 20}
                self.stdout.write(self.style.WARNING(f"{label} · {more}"))
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Demo data loaded in %(seconds).1f s: %(created)s created, %(updated)s updated, "
                    "%(unchanged)s unchanged, %(refused)s refused."
                )
                % {"seconds": result.seconds, **totals}
            )
        )
