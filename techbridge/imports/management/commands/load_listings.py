"""Import achievements, demands or organisations from a JSONL, CSV/TSV or XLSX file."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from techbridge.core.workflow import Source

from ...importers.base import BATCH_SIZE
from ...readers import ImportFileError, count_rows, read_rows
from ...registry import import_kind, import_kinds


class Command(BaseCommand):
    help = (
        "Import achievements, patents, demands or organisations from FILE (.jsonl, .csv, .tsv, .xlsx). "
        "Columns may be named by the model's field names or by the Chinese headers "
        "(标题, 行业领域, 需求名称 …). Rows are checked one by one; refused rows are listed with their "
        "line number and the rest are imported. "
        "Re-running the same file changes nothing. Exit code 1 only when the file cannot be read."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the file to import")
        parser.add_argument(
            "--kind", required=True, choices=sorted(k.code for k in import_kinds()), help="what the rows are"
        )
        parser.add_argument(
            "--source",
            required=True,
            choices=[s.value for s in Source],
            help="where the rows come from; rows are identified by (source, external id)",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="publish new listings (approve new organisations) directly instead of creating drafts",
        )
        parser.add_argument(
            "--batch", type=int, default=BATCH_SIZE, help="rows per transaction (default 500)"
        )
        parser.add_argument("--no-progress", action="store_true", help="do not show a progress bar")
        parser.add_argument(
            "--no-dedup", action="store_true", help="do not look for duplicates of the imported rows"
        )

    def handle(self, *args, **options) -> None:
        from tqdm import tqdm

        path = Path(options["file"])
        if options["batch"] < 1:
            raise CommandError(_("--batch must be at least 1."))
        try:
            rows = read_rows(path)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        importer = import_kind(options["kind"]).importer(
            source=options["source"],
            publish=options["publish"],
            batch_size=options["batch"],
            file_name=path.name,
        )
        show = not options["no_progress"] and options["verbosity"] > 0
        bar = tqdm(total=count_rows(path), desc=path.name, unit=_("rows"), file=sys.stderr, disable=not show)
        try:
            report = importer.run(rows, progress=bar.update)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            bar.close()
        for refused in report.refused:
            self.stdout.write(
                self.style.WARNING(
                    _("line %(line)s: %(reason)s") % {"line": refused.line, "reason": refused.reason}
                )
            )
        if report.ignored_columns:
            self.stdout.write(
                _("Ignored columns (not recognised): %(names)s")
                % {"names": "、".join(sorted(report.ignored_columns))}
            )
        style = self.style.SUCCESS if not report.refused else self.style.WARNING
        self.stdout.write(style(report.summary()))
        if not options["no_dedup"]:
            from ...batches import after_import
            from ...models import ImportBatch

            assert report.batch_id is not None
            batch = ImportBatch.objects.get(pk=report.batch_id)
            found = after_import(batch, importer.changed_pks)
            if found:
                self.stdout.write(
                    self.style.WARNING(
                        _("%(n)s possible duplicates found; review them in the console.") % {"n": found}
                    )
                )
