"""Benchmark bulk import and write the "Bulk import" section of docs/benchmarks.md.

Builds a realistic file of ``--rows`` achievements from the repository's data (CSL paper records and
patent bibliographic records, repeated with distinct external ids), then imports it ``--runs`` times,
each time into a fresh, migrated SQLite database in a child process (the platform's own database is
never touched). Every run reports rows per second and the child's peak resident memory
(``resource.getrusage``), before and after the import, so the growth the import causes is visible.
The report gives the median of the runs.
"""

from __future__ import annotations

import csv
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from itertools import cycle, islice
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from techbridge.lib.markdown import replace_section

SECTION_TITLE = "## Bulk import"
BENCH_ORG = "基准测试大学"
COLUMNS = [
    "外部编号",
    "成果名称",
    "成果类型",
    "所属单位",
    "单位类型",
    "所在区",
    "行业领域",
    "学科",
    "专利号",
    "IPC分类号",
    "关键词",
    "成果简介",
]


def source_rows(data_dir: Path) -> list[dict[str, Any]]:
    """Rows in the importer's Chinese columns, from the demo data files (real titles and abstracts)."""
    from techbridge.imports import demo

    rows: list[dict[str, Any]] = []
    for _line, rec in demo.csl_rows(data_dir / demo.CSL_FILE):
        rows.append(
            {
                "成果名称": rec["title"],
                "成果类型": "其他",
                "学科": rec["discipline"],
                "行业领域": "；".join(rec["fields"]),
                "关键词": "、".join(rec["keywords"]),
                "成果简介": rec["summary"],
            }
        )
    for _line, rec in demo.patent_title_rows(data_dir / demo.PATENT_TITLES_FILE):
        rows.append(
            {
                "成果名称": rec["title"],
                "成果类型": rec["kind"],
                "行业领域": "；".join(rec["fields"]),
                "专利号": "；".join(rec["patent_numbers"]),
                "IPC分类号": "；".join(rec["ipc_codes"]),
                "成果简介": rec["summary"],
            }
        )
    return rows


def write_file(path: Path, n: int, data_dir: Path) -> None:
    """``n`` rows cycling through the real records, each with its own external id (.csv or .xlsx)."""
    base = source_rows(data_dir)
    rows = (
        {**rec, "外部编号": f"BENCH-{i:07d}", "所属单位": BENCH_ORG, "单位类型": "高校", "所在区": "鼓楼区"}
        for i, rec in enumerate(islice(cycle(base), n))
    )
    if path.suffix == ".xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("成果")
        ws.append(COLUMNS)
        for row in rows:
            ws.append([row.get(c, "") for c in COLUMNS])
        wb.save(path)
        return
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Command(BaseCommand):
    help = (
        "Generate a CSV of --rows achievements from the repository's data and import it --runs times, "
        "each into a fresh SQLite database in a child process; report rows/s and peak memory (median of "
        "the runs) and "
        "write them to the 'Bulk import' section of --out."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rows", type=int, default=100_000)
        parser.add_argument("--runs", type=int, default=3)
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv", help="file to generate")
        parser.add_argument(
            "--publish",
            action="store_true",
            help="publish the rows (adds full-text indexing and the listeners of each listing)",
        )
        parser.add_argument(
            "--out", type=Path, default=None, help="write the section into this Markdown file"
        )
        parser.add_argument("--child", type=Path, default=None, help=argparse_hidden())

    def handle(self, *args, **options) -> None:
        if options["child"]:
            self._child(options["child"], publish=options["publish"])
            return
        if options["rows"] < 1 or options["runs"] < 1:
            raise CommandError("--rows and --runs must be at least 1.")
        started = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
            path = Path(tmp) / f"achievements.{options['format']}"
            write_file(path, options["rows"], Path(settings.BASE_DIR) / "data")
            size_mib = path.stat().st_size / 1024 / 1024
            self.stdout.write(f"file: {options['rows']:,} rows, {size_mib:.1f} MiB")
            runs = []
            for run in range(options["runs"]):
                db = Path(tmp) / f"run{run}.sqlite3"
                # DEBUG off as in production: Django's debug cursor would time and keep every query.
                env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "CELERY_BROKER_URL": "", "DEBUG": "0"}
                manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
                subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True)
                cmd = [*manage, "bench_import", "--child", str(path)] + (
                    ["--publish"] if options["publish"] else []
                )
                out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout
                result = json.loads(out.strip().splitlines()[-1])
                runs.append(result)
                self.stdout.write(json.dumps(result))
                db.unlink(missing_ok=True)
        section = self._section(options, runs, size_mib, time.monotonic() - started)
        self.stdout.write(section)
        if options["out"]:
            replace_section(options["out"], section, self._title(options))

    @staticmethod
    def _title(options: dict[str, Any]) -> str:
        return SECTION_TITLE + (" (Excel)" if options["format"] == "xlsx" else "")

    def _child(self, path: Path, *, publish: bool) -> None:
        from techbridge.imports.demo import ensure_vocabularies
        from techbridge.imports.importers.listings import AchievementImporter
        from techbridge.imports.readers import read_rows
        from techbridge.organizations.choices import District, OrgKind, OrgStatus
        from techbridge.organizations.models import Organization

        ensure_vocabularies()
        Organization.objects.get_or_create(
            name=BENCH_ORG,
            kind=OrgKind.UNIVERSITY,
            defaults={"status": OrgStatus.APPROVED, "district": District.GULOU, "is_demo": True},
        )
        before = peak_rss_mib()
        importer = AchievementImporter(source="national", publish=publish, file_name=path.name)
        t0 = time.perf_counter()
        report = importer.run(read_rows(path))
        seconds = time.perf_counter() - t0
        result = {
            "rows": report.total,
            "created": report.created,
            "refused": len(report.refused),
            "seconds": round(seconds, 1),
            "rows_per_s": round(report.total / seconds, 1),
            "rss_before_mib": round(before, 1),
            "peak_rss_mib": round(peak_rss_mib(), 1),
        }
        self.stdout.write(json.dumps(result))

    def _section(
        self, options: dict[str, Any], runs: list[dict[str, Any]], size_mib: float, total: float
    ) -> str:
        from techbridge.core.benchmarks import machine

        m = machine()
        med = {
            k: statistics.median(r[k] for r in runs)
            for k in ("rows_per_s", "seconds", "peak_rss_mib", "rss_before_mib")
        }
        when = timezone.localtime().strftime("%Y-%m-%d %H:%M %Z")
        cmd = f"manage.py bench_import --rows {options['rows']} --runs {options['runs']}"
        cmd += f" --format {options['format']}" if options["format"] != "csv" else ""
        cmd += " --publish" if options["publish"] else ""
        lines = [
            self._title(options),
            "",
            f"Measured {when} on {m['nproc']} cores ({m['cpu']}, {m['ram']}), shared with other work; Python "
            f"{sys.version.split()[0]}, SQLite (a fresh database per run, in a child process, DEBUG off). "
            f"Command: `{cmd}`, "
            f"{total / 60:.0f} min in all.",
            "",
            f"The file: {options['rows']:,} achievement rows "
            f"({size_mib:.0f} MiB {options['format'].upper()}, Chinese headers) "
            "cycling through the 3,758 CSL paper records and 9,740 patent records of `data/`, each row with "
            "its own external id; "
            + (
                "rows are **published** (full-text indexing and every listener of a published listing run)."
                if options["publish"]
                else "rows arrive as **drafts** (no indexing; what an unreviewed national feed does)."
            ),
            "",
            "| run | rows | created | refused | seconds | rows/s | RSS before import | peak RSS |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for i, r in enumerate(runs, start=1):
            lines.append(
                f"| {i} | {r['rows']:,} | {r['created']:,} | {r['refused']} | {r['seconds']} "
                f"| {r['rows_per_s']:,.0f} | {r['rss_before_mib']:.0f} MiB | {r['peak_rss_mib']:.0f} MiB |"
            )
        lines += [
            f"| **median** | | | | {med['seconds']} | **{med['rows_per_s']:,.0f}** "
            f"| {med['rss_before_mib']:.0f} MiB | **{med['peak_rss_mib']:.0f} MiB** |",
            "",
            "Memory stays bounded because the file is read row by row (CSV/JSONL by the line, XLSX in "
            "openpyxl's read-only mode) and written in transactions of 500 rows; what grows with the file is "
            "only the set of external ids already seen (to refuse a repeated row) and the ids of changed "
            "records (for the duplicate check), a few dozen bytes per row.",
            f"_Last run: {datetime.now():%Y-%m-%d}._",
        ]
        return "\n".join(lines) + "\n"


def argparse_hidden() -> str:
    import argparse

    return argparse.SUPPRESS
