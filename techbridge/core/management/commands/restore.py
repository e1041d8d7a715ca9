"""manage.py restore ARCHIVE --yes: put back the database and the files of a backup archive."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from techbridge.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore the database and MEDIA_ROOT from an archive made by manage.py backup. Stop the server and "
        "workers first; run manage.py migrate and manage.py rebuild_index afterwards."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive", help="a techbridge-backup-*.tar.gz file")
        parser.add_argument(
            "--yes", action="store_true", help="replace the current database and files without asking"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            answer = input("This replaces the whole database and all uploaded files. Type 'yes' to go on: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing was restored.")
        try:
            result = restore_backup(options["archive"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored the {result.engine} backup of {result.created_at} ({result.media_files} files)."
        )
        if result.previous_media:
            self.stdout.write(f"The previous files were kept in {result.previous_media}.")
        self.stdout.write("Now run: manage.py migrate && manage.py rebuild_index")
