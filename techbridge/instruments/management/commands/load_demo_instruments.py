"""Load the demo instruments, service platforms, voucher programme and demo usage history (idempotent)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from techbridge.imports.readers import ImportFileError

from ...demo import load


class Command(BaseCommand):
    help = (
        "Load the demo instruments and pilot lines (data/demo/sample_instruments.jsonl), the demo service "
        "platforms (data/demo/sample_platforms.json), a demo voucher programme and demo bookings with their "
        "recorded hours, all marked as demo data. Run after load_demo and demo_accounts. Idempotent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--data-dir", type=Path, default=None, help="folder with the demo files")
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="load demo data even when TECHBRIDGE_ENV=production",
        )

    def handle(self, *args, **options) -> None:
        if getattr(settings, "PRODUCTION", False) and not options["allow_production"]:
            raise CommandError(
                _("This is a production installation; add --allow-production to load demo data.")
            )
        try:
            result = load(options["data_dir"])
        except (ImportFileError, FileNotFoundError) as exc:
            raise CommandError(str(exc)) from exc
        i = result.instruments
        self.stdout.write(
            _(
                "Instruments: %(created)s created, %(updated)s updated, %(unchanged)s unchanged, "
                "%(refused)s refused. Platforms: %(platforms)s new, offers: %(offers)s new, vouchers: "
                "%(vouchers)s new, demo bookings: %(bookings)s (%(hours)s machine hours)."
            )
            % {
                **i,
                "platforms": result.platforms,
                "offers": result.offers,
                "vouchers": result.vouchers,
                "bookings": result.bookings,
                "hours": result.hours,
            }
        )
