"""Time the booking calendar and the utilisation pages on a synthetic market, without keeping any of it.

    python manage.py bench_instruments --instruments 5000 --usage 500000 --out docs/benchmarks.md

Inside one transaction that is rolled back at the end: creates 300 owner organisations, ``--instruments``
instruments with fee schedules, and ``--usage`` completed bookings over the last 12 months, each holding
its calendar slots and carrying a recorded usage record; the monthly figures are rebuilt from the
records (timed). Then renders the pages through Django's test client — the full request: middleware,
permission checks, queries, templates — several rounds after one warm-up, and reports the medians.
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
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from techbridge.accounts.models import User
from techbridge.core.benchmarks import database, machine
from techbridge.core.registry import Period, metric
from techbridge.core.roles import Role
from techbridge.lib.markdown import replace_section
from techbridge.organizations.choices import District, OrgKind, OrgStatus
from techbridge.organizations.models import Organization

from ... import slots
from ...choices import Audience, BookingStatus, InstrumentCategory, UsageMethod, UsageStatus
from ...models import Booking, FeeRate, Instrument, Slot, UsageMonth, UsageRecord
from ...services.usage import rebuild_months

SECTION_TITLE = "## Instruments: calendar and utilisation"
OWNERS = 300
BATCH = 5000


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Benchmark the booking calendar and utilisation pages on synthetic data (rolled back)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--instruments", type=int, default=5000)
        parser.add_argument("--usage", type=int, default=500_000)
        parser.add_argument("--rounds", type=int, default=7)
        parser.add_argument("--out", default="")

    def handle(self, *args: Any, **opts: Any) -> None:
        n_inst, n_usage, rounds = opts["instruments"], opts["usage"], opts["rounds"]
        results: dict[str, Any] = {"load": os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0}
        started = time.perf_counter()
        try:
            with transaction.atomic(), override_settings(ALLOWED_HOSTS=["testserver", "*"]):
                t0 = time.perf_counter()
                world = self._populate(n_inst, n_usage)
                results["populate_s"] = time.perf_counter() - t0
                t0 = time.perf_counter()
                results["months_rows"] = rebuild_months()
                results["rebuild_s"] = time.perf_counter() - t0
                t0 = time.perf_counter()
                self._analyze()
                results["analyze_s"] = time.perf_counter() - t0
                results["world"] = world
                results["timings"] = self._measure(world, rounds)
                raise _Rollback
        except _Rollback:
            pass
        results["total_s"] = time.perf_counter() - started
        self._report(results, n_inst, n_usage, rounds, opts["out"])

    def _analyze(self) -> None:
        """Refresh the planner's statistics, as autovacuum does on a live database.

        Rows bulk-loaded in an open transaction are otherwise planned as if the tables were empty
        (nested loops over sequential scans).
        """
        tables = [
            m._meta.db_table for m in (Organization, User, Instrument, FeeRate, Booking, Slot, UsageRecord)
        ]
        tables.append(UsageMonth._meta.db_table)
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")

    # ---- the synthetic market ----------------------------------------------------------------------

    def _populate(self, n_inst: int, n_usage: int) -> dict[str, Any]:
        rng = random.Random(2026)
        kinds = [OrgKind.UNIVERSITY, OrgKind.INSTITUTE, OrgKind.ENTERPRISE, OrgKind.SERVICE]
        owners = Organization.objects.bulk_create(
            Organization(
                name=f"基准仪器单位{i}",
                kind=kinds[i % len(kinds)],
                district=rng.choice(District.values[:-1]),
                status=OrgStatus.APPROVED,
            )
            for i in range(OWNERS)
        )
        users = User.objects.bulk_create(
            User(username=f"bench-inst-{o.pk}", organization=o, role=Role.ORG_ADMIN, password="!")
            for o in owners
        )
        operator = User.objects.create(username="bench-inst-operator", role=Role.OPERATOR, password="!")
        admin_of = {u.organization_id: u for u in users}
        # A few owners hold many instruments (a university analysis centre), most hold a few.
        weights = [40 if i < 10 else 1 for i in range(OWNERS)]
        categories = InstrumentCategory.values
        instruments = []
        for i in range(n_inst):
            owner = rng.choices(owners, weights)[0]
            instruments.append(
                Instrument(
                    name=f"基准仪器{i}",
                    model_number=f"M-{i}",
                    category=rng.choice(categories),
                    owner=owner,
                    purchase_value=Decimal(rng.randrange(200_000, 8_000_000)),
                    publicly_funded=rng.random() < 0.7,
                    description="基准测试数据",
                    slot_minutes=60,
                    horizon_days=366,
                )
            )
        instruments = Instrument.objects.bulk_create(instruments, batch_size=BATCH)
        FeeRate.objects.bulk_create(
            [
                FeeRate(instrument=i, audience=a, unit="hour", price=Decimal(p))
                for i in instruments
                for a, p in ((Audience.INTERNAL, "200"), (Audience.EXTERNAL, "400"))
            ],
            batch_size=BATCH,
        )
        # Completed bookings over the last 12 months (open weekdays 09:00–16:00 units), each with its
        # slots and its usage record; the calendar's week of the first instrument is busy.
        today = timezone.localdate()
        hours_rows = slots.rows_of_day(60, instruments[0].hours)
        taken: set[tuple[int, dt.datetime]] = set()
        week = slots.week_start(today - dt.timedelta(days=14))
        busy = instruments[0]
        made = 0
        bookings: list[Booking] = []
        plans: list[tuple[Instrument, dt.datetime, int, Organization, str]] = []

        def plan(instrument: Instrument, start: dt.datetime, units: int) -> bool:
            keys = [(instrument.pk, start + dt.timedelta(hours=u)) for u in range(units)]
            if any(k in taken for k in keys):
                return False
            taken.update(keys)
            external = rng.random() < 0.45
            org = rng.choice(owners) if external else instrument.owner
            if external and org.pk == instrument.owner_id:
                external = False
            plans.append(
                (instrument, start, units, org, Audience.EXTERNAL if external else Audience.INTERNAL)
            )
            return True

        for day in range(7):
            d = week + dt.timedelta(days=day)
            if d.isoweekday() > 5:
                continue
            for t in hours_rows[::2]:
                plan(busy, timezone.make_aware(dt.datetime.combine(d, t)), 2 if t.hour < 15 else 1)
        while len(plans) < n_usage:
            instrument = rng.choice(instruments)
            d = today - dt.timedelta(days=rng.randrange(1, 365))
            if d.isoweekday() > 5:
                continue
            t = rng.choice(hours_rows)
            units = min(rng.randint(1, 3), len([r for r in hours_rows if r >= t]))
            plan(instrument, timezone.make_aware(dt.datetime.combine(d, t)), units)
        for chunk in range(0, len(plans), BATCH):
            part = plans[chunk : chunk + BATCH]
            bookings = Booking.objects.bulk_create(
                [
                    Booking(
                        instrument=inst,
                        requester=admin_of[org.pk],
                        organization=org,
                        audience=aud,
                        starts_at=start,
                        ends_at=start + dt.timedelta(hours=units),
                        units=units,
                        purpose="基准",
                        status=BookingStatus.COMPLETED,
                    )
                    for inst, start, units, org, aud in part
                ]
            )
            Slot.objects.bulk_create(
                [
                    Slot(
                        instrument_id=b.instrument_id,
                        starts_at=b.starts_at + dt.timedelta(hours=u),
                        booking=b,
                    )
                    for b in bookings
                    for u in range(b.units)
                ],
                batch_size=BATCH,
            )
            usage = []
            for b in bookings:
                hours = Decimal(b.units) * Decimal(rng.choice(["0.5", "0.75", "1.0"]))
                rate = Decimal("400") if b.audience == Audience.EXTERNAL else Decimal("200")
                usage.append(
                    UsageRecord(
                        instrument_id=b.instrument_id,
                        booking=b,
                        organization_id=b.organization_id,
                        audience=b.audience,
                        started_at=b.starts_at,
                        ended_at=b.starts_at + dt.timedelta(hours=float(hours)),
                        hours=hours,
                        fee=(hours * rate).quantize(Decimal("0.01")),
                        method=UsageMethod.ENTERED,
                        status=UsageStatus.RECORDED,
                    )
                )
            UsageRecord.objects.bulk_create(usage, batch_size=BATCH)
            made += len(bookings)
        big_owner = max(owners[:10], key=lambda o: Instrument.objects.filter(owner=o).count())
        return {
            "busy": busy,
            "week": week,
            "operator": operator,
            "owner_admin": next(u for u in users if u.organization_id == big_owner.pk),
            "owner_instruments": Instrument.objects.filter(owner=big_owner).count(),
            "bookings": made,
            "slots": Slot.objects.count(),
        }

    # ---- measuring ------------------------------------------------------------------------------

    def _measure(self, world: dict[str, Any], rounds: int) -> dict[str, tuple[float, float, int]]:
        anon, owner, staff = Client(), Client(), Client()
        owner.force_login(world["owner_admin"])
        staff.force_login(world["operator"])
        busy, week = world["busy"], world["week"].isoformat()
        period = Period(timezone.localdate() - dt.timedelta(days=364), timezone.localdate())
        external_hours = metric("instruments.external_hours")
        cases: list[tuple[str, Any]] = [
            (
                "calendar page, one week (visitor)",
                lambda: anon.get(f"/instruments/{busy.pk}/calendar/?week={week}"),
            ),
            (
                "calendar fragment (htmx, owner staff with labels)",
                lambda: staff.get(f"/instruments/{busy.pk}/calendar/?week={week}", HTTP_HX_REQUEST="true"),
            ),
            (
                "instrument page (details, fees, this week's calendar)",
                lambda: anon.get(f"/instruments/{busy.pk}/"),
            ),
            (
                f"owner's utilisation page ({world['owner_instruments']} instruments, chart + table)",
                lambda: owner.get("/instruments/utilisation/"),
            ),
            (
                "console utilisation page (all owners, flags)",
                lambda: staff.get("/console/instruments/utilisation/"),
            ),
            (
                "API utilisation, scope=all, first page",
                lambda: staff.get("/api/v1/instruments/utilisation/?scope=all"),
            ),
            ("catalogue list, first page", lambda: anon.get("/instruments/")),
            ("metric instruments.external_hours (12 months)", lambda: external_hours.compute(period)),
        ]
        out: dict[str, tuple[float, float, int]] = {}
        for name, func in cases:
            func()  # warm-up: templates compiled, caches filled
            samples = []
            queries_count = 0
            for _ in range(rounds):
                with CaptureQueriesContext(connection) as ctx:
                    t = time.perf_counter()
                    response = func()
                    samples.append((time.perf_counter() - t) * 1000)
                queries_count = len(ctx.captured_queries)
                status = getattr(response, "status_code", 200)
                if status != 200:
                    raise RuntimeError(f"{name}: HTTP {status}")
            out[name] = (statistics.median(samples), max(samples), queries_count)
        return out

    def _report(self, results: dict[str, Any], n_inst: int, n_usage: int, rounds: int, out: str) -> None:
        m = machine()
        load = results["load"]
        world = results["world"]
        db = database()
        title = f"{SECTION_TITLE} ({'PostgreSQL' if connection.vendor == 'postgresql' else 'SQLite'})"
        rows = "\n".join(
            f"| {name} | {median:.1f} ms | {worst:.1f} ms | {q} |"
            for name, (median, worst, q) in results["timings"].items()
        )
        section = f"""{title}

Measured {timezone.localtime():%Y-%m-%d %H:%M %Z} with
`python manage.py bench_instruments --instruments {n_inst} --usage {n_usage} --rounds {rounds}`.
Synthetic market (created in a transaction and rolled back): {n_inst:,} instruments of {OWNERS} owners,
{world["bookings"]:,} completed bookings over the last 12 months holding {world["slots"]:,} calendar slots,
each with its usage record ({n_usage:,} usage records); populating took {results["populate_s"]:.0f} s;
rebuilding the monthly figures ({results["months_rows"]:,} rows) from them {results["rebuild_s"]:.1f} s;
refreshing the planner's statistics (`ANALYZE`, as autovacuum does on a live database)
{results["analyze_s"]:.1f} s.

| | |
| --- | --- |
| Machine | {m["nproc"]} CPUs (nproc), {m["cpu"]}, {m["ram"]} RAM |
| Software | Django {django.get_version()}, {db} |
| Load average at start (1 min) | {load:.1f} (a machine shared by several agents; timings grow with load) |

Full requests through Django's test client (middleware, permission checks, queries, templates), median and
slowest of {rounds} rounds after one warm-up. The utilisation pages read the monthly figures
(`UsageMonth`, kept in step with the records in the transaction that records usage), never the
{n_usage:,} records; the calendar reads one week of one instrument's slots through the unique
(instrument, start) index.

| page | median | slowest | queries |
| --- | ---: | ---: | ---: |
{rows}
"""
        self.stdout.write(section)
        if out:
            replace_section(Path(out), section, title)
        self.stdout.write(f"total {results['total_s']:.0f} s")
