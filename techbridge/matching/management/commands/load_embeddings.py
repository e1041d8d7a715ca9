"""Fill the embedding cache from a shipped vector file (``manage.py load_embeddings FILE.npz``).

Only the cache is filled; ``rebuild_index`` then indexes every listing whose passage hash is in the file
without encoding it, and encodes the rest (listings added or edited since the file was written).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = "Fill the embedding cache from a vector file written by export_embeddings."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the .npz file to read")
        parser.add_argument(
            "--if-exists", action="store_true", help="do nothing (and succeed) when the file is missing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from pathlib import Path

        from techbridge.matching import shipped

        if options["if_exists"] and not Path(options["path"]).exists():
            self.stdout.write(
                _("No vector file at %(path)s: the index will be encoded.") % {"path": options["path"]}
            )
            return
        try:
            result = shipped.load(options["path"])
        except shipped.ShippedVectorsError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("%(added)s vectors added to the cache, %(already)s were there already (%(total)s in the file).")
            % {"added": result.added, "already": result.already, "total": result.in_file}
        )
