"""Time the governance dashboards on a large synthetic market, without keeping any of it.

    python manage.py bench_governance --achievements 1000000 --contracts 100000 --out docs/benchmarks.md

Inside one transaction that is rolled back at the end: loads the seed plan, creates 2,000 organisations
(universities, institutes, enterprises in every district, some in the zones' parks), ``--achievements``
published achievements and ``--contracts`` registered contracts spread from 2016 to today, demands and
negotiation rooms; analyses the tables (a live database has planner statistics); then requests the
leadership overview (the page an official opens), the public summary, the districts-and-zones page and the
evaluation ranking through the test client — cold (figure cache emptied before each request) and warm — and
reports the medians.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import django
from django.core.cache import cache
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from techbridge.core.benchmarks import database, machine, peak_rss_mib

SECTION_TITLE = "## Governance dashboards"


class _Rollback(Exception):
    pass


def aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


class Command(BaseCommand):
    help = "Benchmark the governance overview over a large synthetic market (rolled back)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--achievements", type=int, default=1_000_000)
        parser.add_argument("--contracts", type=int, default=100_000)
        parser.add_argument("--rounds", type=int, default=3)
        parser.add_argument("--out", default="")

    def handle(self, *args: Any, **opts: Any) -> None:
        results: dict[str, Any] = {}
        try:
            with transaction.atomic():
                t0 = time.perf_counter()
                counts = self._populate(opts["achievements"], opts["contracts"])
                results["populate_s"] = time.perf_counter() - t0
                # A production database has planner statistics; rows written in this transaction have none
                # until analysed (PostgreSQL otherwise picks nested loops over 100,000 contracts).
                with connection.cursor() as cur:
                    cur.execute("ANALYZE")
                results["counts"] = counts
                results["timings"] = self._measure(opts["rounds"])
                raise _Rollback
        except _Rollback:
            pass
        self._report(results, opts)

    # ---- data ------------------------------------------------------------------------------------

    def _populate(self, n_achievements: int, n_contracts: int) -> dict[str, int]:
        from techbridge.achievements.choices import AchievementType
        from techbridge.achievements.models import Achievement
        from techbridge.contracts.models import Contract
        from techbridge.core.workflow import ReviewStatus
        from techbridge.deals.models import Room
        from techbridge.demands.models import Demand
        from techbridge.governance.services.plans import load_plan_file
        from techbridge.organizations.choices import District, OrgKind, OrgStatus
        from techbridge.organizations.models import Organization, Zone

        rng = random.Random(2026)
        load_plan_file()
        hitech = Zone.objects.get(code="hitech")
        park, _ = Zone.objects.get_or_create(
            code="bench-park", defaults={"name": "基准园区", "parent": hitech}
        )
        zones = [None, None, None, Zone.objects.get(code="jiangbei"), hitech, park]
        kinds = [OrgKind.UNIVERSITY, OrgKind.INSTITUTE] + [OrgKind.ENTERPRISE] * 8
        districts = [d for d in District.values if d != District.OUTSIDE] * 9 + [District.OUTSIDE]
        orgs = Organization.objects.bulk_create(
            Organization(
                name=f"基准单位{i}",
                kind=kinds[i % len(kinds)],
                district=rng.choice(districts),
                zone=rng.choice(zones),
                status=OrgStatus.APPROVED,
            )
            for i in range(2000)
        )
        sellers = [o for o in orgs if o.kind != OrgKind.ENTERPRISE]
        buyers = [o for o in orgs if o.kind == OrgKind.ENTERPRISE]
        start = dt.date(2016, 1, 1)
        span = (timezone.localdate() - start).days

        def some_day() -> dt.date:
            return start + dt.timedelta(days=rng.randrange(span))

        batch: list[Any] = []
        for i in range(n_achievements):
            day = aware(some_day())
            batch.append(
                Achievement(
                    title=f"基准成果{i}",
                    kind=AchievementType.INVENTION_PATENT,
                    summary="基准数据",
                    owner=rng.choice(sellers),
                    status=ReviewStatus.PUBLISHED,
                    published_at=day,
                    created_at=day,
                    updated_at=day,
                    content_updated_at=day,
                    price_negotiable=True,
                )
            )
            if len(batch) == 5000:
                Achievement.objects.bulk_create(batch)
                batch = []
        Achievement.objects.bulk_create(batch)
        batch = []
        for i in range(n_contracts):
            day = aware(some_day())
            total = Decimal(rng.randrange(10_000, 50_000_000))
            batch.append(
                Contract(
                    number=f"GOVB{i:08d}",
                    title=f"基准合同{i}",
                    contract_type=rng.choice(["transfer", "license", "development", "service", "consulting"]),
                    seller=rng.choice(sellers),
                    buyer=rng.choice(buyers),
                    total_amount=total,
                    technology_amount=total,
                    status="registered",
                    signed_at=day,
                    submitted_at=day,
                    registered_at=day,
                    registration_number=f"GB{i:012d}",
                )
            )
            if len(batch) == 5000:
                Contract.objects.bulk_create(batch)
                batch = []
        Contract.objects.bulk_create(batch)
        n_demands = max(n_achievements // 20, 1)
        Demand.objects.bulk_create(
            (
                Demand(
                    title=f"基准需求{i}",
                    problem="基准数据",
                    enterprise=rng.choice(buyers),
                    status=ReviewStatus.PUBLISHED,
                    published_at=aware(some_day()),
                    budget_negotiable=True,
                )
                for i in range(n_demands)
            ),
            batch_size=5000,
        )
        n_rooms = max(n_contracts // 10, 1)
        Room.objects.bulk_create(
            (
                Room(
                    subject_key=f"bench:{i}",
                    title=f"基准洽谈{i}",
                    seller=rng.choice(sellers),
                    buyer=rng.choice(buyers),
                    status="closed",
                    created_at=aware(some_day()),
                )
                for i in range(n_rooms)
            ),
            batch_size=5000,
        )
        return {
            "achievements": n_achievements,
            "contracts": n_contracts,
            "demands": n_demands,
            "rooms": n_rooms,
            "organisations": len(orgs),
        }

    # ---- timings ---------------------------------------------------------------------------------

    def _measure(self, rounds: int) -> dict[str, tuple[float, float]]:
        from techbridge.accounts.models import User
        from techbridge.core.roles import Role
        from techbridge.organizations.models import Organization

        official = User.objects.create(
            username="bench-official",
            role=Role.OFFICIAL,
            organization=Organization.objects.get(name="南京市科学技术委员会"),
        )
        client = Client()
        client.force_login(official)
        last_year = timezone.localdate().year - 1
        areas, ranking = reverse("governance_console:areas"), reverse("governance_console:evaluation")
        pages = {
            "leadership overview (console)": reverse("governance_console:overview"),
            "public summary": reverse("governance:summary"),
            f"districts and zones ({last_year})": f"{areas}?year={last_year}",
            f"evaluation ranking ({last_year})": f"{ranking}?year={last_year}",
        }
        out = {}
        for name, url in pages.items():
            cold, warm = [], []
            for _ in range(rounds):
                cache.clear()
                t = time.perf_counter()
                assert client.get(url).status_code == 200
                cold.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                assert client.get(url).status_code == 200
                warm.append((time.perf_counter() - t) * 1000)
            out[name] = (statistics.median(cold), statistics.median(warm))
        return out

    # ---- report ----------------------------------------------------------------------------------

    def _report(self, results: dict[str, Any], opts: dict[str, Any]) -> None:
        m = machine()
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
        c = results["counts"]
        rows = "\n".join(
            f"| {name} | {cold:,.0f} ms | {warm:,.0f} ms |"
            for name, (cold, warm) in results["timings"].items()
        )
        title = f"{SECTION_TITLE} ({'PostgreSQL' if connection.vendor == 'postgresql' else 'SQLite'})"
        section = f"""{title}

Measured {timezone.localtime():%Y-%m-%d %H:%M %Z} with
`python manage.py bench_governance --achievements {opts["achievements"]} --contracts {opts["contracts"]} \
--rounds {opts["rounds"]}`.
Synthetic market (created in a transaction and rolled back): {c["achievements"]:,} published achievements,
{c["contracts"]:,} registered contracts, {c["demands"]:,} demands, {c["rooms"]:,} negotiation rooms,
{c["organisations"]:,} organisations, dated 2016 to today; the seed plan loaded. Populating took
{results["populate_s"]:.0f} s, then `ANALYZE` (planner statistics, as a live database has them); peak memory
{peak_rss_mib():.0f} MiB.

| | |
| --- | --- |
| Machine | {m["nproc"]} CPUs (nproc), {m["cpu"]}, {m["ram"]} RAM |
| Software | Django {django.get_version()}, {database()} |
| Load average at start (1 min) | {load:.1f} (the machine is shared; timings grow with load) |

Whole page requests through the test client (view, queries, template), median of {opts["rounds"]} rounds.
*Cold*: the figure cache emptied before the request, so every metric is computed by its aggregate query;
*warm*: the same page again within `GOVERNANCE_FIGURE_SECONDS` (600 s), as most visitors see it.

| page | cold | warm |
| --- | ---: | ---: |
{rows}
"""
        self.stdout.write(section)
        if opts["out"]:
            from techbridge.lib.markdown import replace_section

            replace_section(Path(opts["out"]), section, title)
