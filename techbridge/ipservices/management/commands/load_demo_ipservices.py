"""Load the demo patent register and the IP-intensive industry bases (after ``load_demo`` and
``demo_accounts``; idempotent). Reads only the repository's data/ folder."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from techbridge.imports.readers import ImportFileError


class Command(BaseCommand):
    help = (
        "Load the demo patent register (data/cn_patent_records_sample, data/cn_patent_ipc_titles) "
        "and the industry bases."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--data-dir", type=Path, default=None)
        parser.add_argument("--limit", type=int, default=None, help="only the first N rows of each file")
        parser.add_argument("--allow-production", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        from tqdm import tqdm

        from ...demo import load

        if getattr(settings, "PRODUCTION", False) and not options["allow_production"]:
            raise CommandError(
                _("This is a production installation; add --allow-production to load demo data.")
            )
        started = time.monotonic()
        bar = tqdm(desc="patents", unit="rows", file=sys.stderr, disable=options["verbosity"] == 0)
        try:
            reports = load(options["data_dir"], limit=options["limit"], progress=bar.update)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            bar.close()
        for name, report in reports:
            self.stdout.write(f"{name}: {report.summary()}")
        self.stdout.write(
            self.style.SUCCESS(
                _("IP services demo data loaded in %(s).1f s.") % {"s": time.monotonic() - started}
            )
        )
