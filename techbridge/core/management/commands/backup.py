"""manage.py backup [--output DIR]: one archive of the database and the uploaded and generated files."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from techbridge.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Back up the database and MEDIA_ROOT into one checked .tar.gz archive (docs/operations.md)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--output", default=str(settings.BASE_DIR / "var" / "backups"), help="folder for the archive"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = create_backup(options["output"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{result.path} ({result.engine}, {result.media_files} files, {result.size / 1e6:.1f} MB)"
        )
