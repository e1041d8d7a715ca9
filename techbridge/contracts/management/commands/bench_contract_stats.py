"""Time the technology-contract statistics on a synthetic registry, without keeping any of it.

    python manage.py bench_contract_stats --contracts 20000 --out docs/benchmarks.md

Inside one transaction that is rolled back at the end: creates organisations and ``--contracts``
registered contracts spread over 36 months, the five contract types, the industry fields, districts
and organisation kinds; then times the summary, the six breakdowns (what the statistics pages run)
and the Excel export, several rounds, and reports the medians.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import django
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from techbridge.contracts import queries
from techbridge.contracts.choices import SUB_TYPES, ContractStatus
from techbridge.contracts.models import Contract
from techbridge.core.benchmarks import machine
from techbridge.lib.markdown import replace_section
from techbridge.lib.xlsx import Sheet, workbook_bytes
from techbridge.organizations.choices import District, OrgKind, OrgStatus
from techbridge.organizations.models import Organization
from techbridge.taxonomy.models import IndustryField

SECTION_TITLE = "## Contract statistics"


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Benchmark the contract turnover statistics on synthetic data (rolled back)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--contracts", type=int, default=20000)
        parser.add_argument("--rounds", type=int, default=5)
        parser.add_argument("--out", default="")

    def handle(self, *args: Any, **opts: Any) -> None:
        n, rounds = opts["contracts"], opts["rounds"]
        results: dict[str, Any] = {}
        try:
            with transaction.atomic():
                t0 = time.perf_counter()
                self._populate(n)
                results["populate_s"] = time.perf_counter() - t0
                results.update(self._measure(rounds))
                raise _Rollback
        except _Rollback:
            pass
        m = machine()
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
        version = (
            getattr(getattr(connection, "Database", None), "sqlite_version", "")
            if connection.vendor == "sqlite"
            else ""
        )
        vendor = f"{connection.vendor} {version}"
        rows = "\n".join(f"| {name} | {ms:.1f} ms |" for name, ms in results["timings"].items())
        title = f"{SECTION_TITLE} ({'PostgreSQL' if connection.vendor == 'postgresql' else 'SQLite'})"
        section = f"""{title}

Measured {timezone.localtime():%Y-%m-%d %H:%M %Z} with
`python manage.py bench_contract_stats --contracts {n} --rounds {rounds}`.
Synthetic registry (created in a transaction and rolled back): {n:,} registered contracts, 200 organisations,
36 months; populating took {results["populate_s"]:.1f} s.

| | |
| --- | --- |
| Machine | {m["nproc"]} CPUs (nproc), {m["cpu"]}, {m["ram"]} RAM |
| Software | Django {django.get_version()}, {vendor.strip()} |
| Load average at start (1 min) | {load:.1f} (the machine is shared; timings grow with load) |

Median of {rounds} rounds of the uncached queries (the statistics pages and the API cache these
figures until the set of registered contracts changes, so a page pays this once per registration):

| what | median |
| --- | ---: |
{rows}
"""
        self.stdout.write(section)
        if opts["out"]:
            replace_section(Path(opts["out"]), section, title)

    def _populate(self, n: int) -> None:
        rng = random.Random(2026)
        kinds = [OrgKind.UNIVERSITY, OrgKind.INSTITUTE, OrgKind.ENTERPRISE, OrgKind.SERVICE]
        orgs = Organization.objects.bulk_create(
            Organization(
                name=f"基准机构{i}",
                kind=kinds[i % len(kinds)],
                district=rng.choice(District.values),
                status=OrgStatus.APPROVED,
            )
            for i in range(200)
        )
        fields: list[IndustryField | None] = [*IndustryField.objects.all()] or [None]
        now = timezone.now()
        batch = []
        for i in range(n):
            seller, buyer = rng.sample(orgs, 2)
            ctype = rng.choice(list(SUB_TYPES))
            total = Decimal(rng.randrange(10_000, 5_000_000))
            batch.append(
                Contract(
                    number=f"BENCH{i:08d}",
                    title=f"基准合同{i}",
                    contract_type=ctype,
                    sub_type=SUB_TYPES[ctype][0],
                    seller=seller,
                    buyer=buyer,
                    field=rng.choice(fields),
                    total_amount=total,
                    technology_amount=(total * Decimal("0.8")).quantize(Decimal("0.01")),
                    status=ContractStatus.REGISTERED,
                    registered_at=now - timedelta(days=rng.randrange(0, 36 * 30)),
                    registration_number=f"B{i:012d}",
                )
            )
        Contract.objects.bulk_create(batch, batch_size=2000)

    def _measure(self, rounds: int) -> dict[str, Any]:
        def timed(func: Any) -> float:
            samples = []
            for _ in range(rounds):
                t = time.perf_counter()
                func()
                samples.append((time.perf_counter() - t) * 1000)
            return statistics.median(samples)

        timings: dict[str, float] = {"summary": timed(queries.summary)}
        for dim in queries.DIMENSIONS:
            timings[f"by {dim}"] = timed(lambda d=dim: queries.breakdown(d))
        timings["all six breakdowns + summary (console page data)"] = timed(
            lambda: (queries.summary(), queries.all_breakdowns())
        )

        def export() -> bytes:
            tables = queries.all_breakdowns()
            return workbook_bytes(
                [
                    Sheet(
                        str(k),
                        ["k", "n", "t", "x"],
                        [[r["label"], r["count"], r["turnover"], r["technology"]] for r in rows],
                    )
                    for k, rows in tables.items()
                ]
            )

        timings["Excel export"] = timed(export)
        return {"timings": timings}
