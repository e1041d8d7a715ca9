"""Import contracts made outside the platform from an .xlsx/.csv file (one signed contract per row).

    python manage.py import_contracts contracts.xlsx --user operator

Good rows are saved, bad rows are listed with their line numbers; the summary line says how many.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from techbridge.accounts.models import User
from techbridge.contracts.importing import import_contracts
from techbridge.imports.readers import ImportFileError


class Command(BaseCommand):
    help = "Import technology contracts signed outside the platform (Excel/CSV, template columns)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path")
        parser.add_argument(
            "--user", required=True, help="who enters them: a registry officer or a seller member"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        user = User.objects.filter(username=opts["user"]).first()
        if user is None:
            raise CommandError(f"No user {opts['user']!r}.")
        try:
            report = import_contracts(actor=user, path=opts["path"])
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        for line, reason in report.errors:
            self.stderr.write(f"line {line}: {reason}")
        self.stdout.write(f"{len(report.created)} contracts imported, {len(report.errors)} rows refused.")
