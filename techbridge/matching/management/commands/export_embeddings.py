"""Write the embedding cache to a shipped vector file (``manage.py export_embeddings FILE.npz``).

Run it on a database whose index ``rebuild_index`` has completed (the demo's, after ``make demo``), then
commit the file; ``load_embeddings`` puts it back into a new database's cache.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = "Write every cached passage vector of the current model to a compact file (int8, by content hash)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the .npz file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        from techbridge.matching import shipped

        count = shipped.export(options["path"])
        self.stdout.write(
            _("%(count)s vectors written to %(path)s.") % {"count": count, "path": options["path"]}
        )
