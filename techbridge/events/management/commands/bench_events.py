"""Time registration, the waitlist, the door and the statistics on synthetic data, keeping none of it.

    python manage.py bench_events --people 2000 --out docs/benchmarks.md

Inside one transaction that is rolled back at the end: ``--people`` users register for an event with
half as many seats (the rest join the waitlist); a tenth cancel (each seat goes to the waitlist); every
confirmed ticket is checked in at the door, then scanned a second time (duplicates). Then, over
``--carriers`` approved carriers and as many designations spread over districts and zones, the
statistics page data (by kind, district and zone) and the six governance metrics are timed. Reports
medians and 95th percentiles (per operation) and throughput.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import time
from pathlib import Path
from typing import Any

import django
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from techbridge.core import registry
from techbridge.core.benchmarks import database, machine, percentile
from techbridge.lib.markdown import replace_section

SECTION_TITLE = "## Events and carriers"


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Benchmark event registration, the door and carrier statistics on synthetic data (rolled back)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--people", type=int, default=2000)
        parser.add_argument("--carriers", type=int, default=2000)
        parser.add_argument("--rounds", type=int, default=5)
        parser.add_argument("--out", default="")

    def handle(self, *args: Any, **opts: Any) -> None:
        results: dict[str, Any] = {}
        try:
            with transaction.atomic():
                results.update(self._door(opts["people"]))
                results.update(self._statistics(opts["carriers"], opts["rounds"]))
                raise _Rollback
        except _Rollback:
            pass
        section = self._section(opts, results)
        self.stdout.write(section)
        if opts["out"]:
            replace_section(Path(opts["out"]), section, self._title())
            self.stdout.write(self.style.SUCCESS(f"wrote {self._title()} to {opts['out']}"))

    # ---- registration and the door -----------------------------------------------------------------

    def _door(self, people: int) -> dict[str, Any]:
        from techbridge.accounts.models import User
        from techbridge.core.roles import Role
        from techbridge.events import services
        from techbridge.events.choices import EventKind, EventStatus
        from techbridge.events.models import Event, Registration

        now = timezone.now()
        staff = User.objects.create(username="bench-door", role=Role.OPERATOR)
        users = User.objects.bulk_create(
            [User(username=f"bench-guest-{i:06d}", role=Role.MEMBER, password="!") for i in range(people)]
        )
        event = Event.objects.create(
            title="基准测试洽谈会",
            kind=EventKind.MATCHMAKING,
            venue="基准会场",
            starts_at=now - dt.timedelta(minutes=30),
            ends_at=now + dt.timedelta(hours=3),
            registration_closes_at=now + dt.timedelta(hours=1),
            capacity=max(1, people // 2),
            status=EventStatus.PUBLISHED,
        )
        register_ms = []
        regs = []
        for user in users:
            t0 = time.perf_counter()
            regs.append(services.register(event, actor=user))
            register_ms.append((time.perf_counter() - t0) * 1000)
        confirmed = [r for r in regs if r.status == "confirmed"]
        cancel_ms = []
        for reg in confirmed[: max(1, len(confirmed) // 10)]:
            reg.event = event
            t0 = time.perf_counter()
            services.cancel(reg, actor=reg.user)
            cancel_ms.append((time.perf_counter() - t0) * 1000)
        event.refresh_from_db()
        seated = list(
            Registration.objects.filter(event=event, status="confirmed").values_list("code", flat=True)
        )
        random.Random(7).shuffle(seated)
        scan_ms, again_ms = [], []
        t_all = time.perf_counter()
        for code in seated:
            t0 = time.perf_counter()
            services.check_in(event, actor=staff, text=f"TB-EV:{code}")
            scan_ms.append((time.perf_counter() - t0) * 1000)
        door_s = time.perf_counter() - t_all
        for code in seated[: min(200, len(seated))]:
            t0 = time.perf_counter()
            services.check_in(event, actor=staff, text=code)
            again_ms.append((time.perf_counter() - t0) * 1000)
        assert event.registered_count == len(seated) == event.capacity, "seat counter out of step"
        return {
            "people": people,
            "capacity": event.capacity,
            "register": register_ms,
            "cancel": cancel_ms,
            "scan": scan_ms,
            "again": again_ms,
            "door_per_min": len(seated) / door_s * 60 if door_s else 0,
            "checked_in": len(seated),
        }

    # ---- statistics -----------------------------------------------------------------------------------

    def _statistics(self, n: int, rounds: int) -> dict[str, Any]:
        from techbridge.carriers.choices import CarrierKind, CarrierStatus, DesignationKind, Level
        from techbridge.carriers.models import Carrier, Designation
        from techbridge.carriers.queries import carrier_stats, designation_stats
        from techbridge.organizations.choices import District, OrgKind, OrgStatus
        from techbridge.organizations.models import Organization, Zone

        rng = random.Random(11)
        zones: list[Any] = [*Zone.objects.all(), None, None]
        districts = [d for d, _l in District.choices]
        orgs = Organization.objects.bulk_create(
            [
                Organization(
                    name=f"基准企业{i:05d}",
                    kind=OrgKind.ENTERPRISE,
                    status=OrgStatus.APPROVED,
                    district=rng.choice(districts),
                    zone=rng.choice(zones),
                )
                for i in range(max(10, n))
            ]
        )
        kinds = [k for k, _l in CarrierKind.choices]
        levels = [lv for lv, _l in Level.choices if lv != Level.NONE]
        Carrier.objects.bulk_create(
            [
                Carrier(
                    name=f"基准载体{i:05d}",
                    kind=rng.choice(kinds),
                    level=rng.choice(levels),
                    recognised_on=dt.date(2016 + rng.randrange(9), 1 + rng.randrange(12), 1),
                    operator=rng.choice(orgs),
                    district=rng.choice(districts),
                    zone=rng.choice(zones),
                    status=CarrierStatus.APPROVED,
                )
                for i in range(n)
            ]
        )
        designation_kinds = [k for k, _l in DesignationKind.choices]
        Designation.objects.bulk_create(
            [
                Designation(
                    organization=org,
                    kind=rng.choice(designation_kinds),
                    year=2016 + i % 9,
                    granted_on=dt.date(2016 + i % 9, 11, 1),
                    evidence="基准",
                )
                for i, org in enumerate(orgs[:n])
            ]
        )
        today = timezone.localdate()
        timings: dict[str, list[float]] = {"stats": [], "stats_zone": [], "metrics": []}
        for _ in range(rounds):
            t0 = time.perf_counter()
            carrier_stats(today)
            designation_stats(today)
            timings["stats"].append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            carrier_stats(today, zone="hitech")
            designation_stats(today, zone="hitech")
            timings["stats_zone"].append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            period = registry.Period.year(today.year)
            for code in (
                "carriers.new_rd_institutions",
                "carriers.university_science_parks",
                "carriers.maker_spaces",
                "enterprises.demonstration",
                "enterprises.high_tech",
                "events.held",
            ):
                registry.metric(code).compute(period, district="jiangning", zone="jiangbei")
            timings["metrics"].append((time.perf_counter() - t0) * 1000)
        return {"carriers": n, "timings": timings}

    # ---- report -------------------------------------------------------------------------------------

    def _title(self) -> str:
        return f"{SECTION_TITLE} ({'PostgreSQL' if connection.vendor == 'postgresql' else 'SQLite'})"

    def _section(self, opts: dict[str, Any], r: dict[str, Any]) -> str:
        m = machine()
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0

        def row(label: str, samples: list[float]) -> str:
            if not samples:
                return f"| {label} | – | – | 0 |"
            median, p95 = statistics.median(samples), percentile(samples, 95)
            return f"| {label} | {median:.2f} ms | {p95:.2f} ms | {len(samples)} |"

        t = r["timings"]
        cmd = (
            f"python manage.py bench_events --people {opts['people']} --carriers {opts['carriers']} "
            f"--rounds {opts['rounds']}"
        )
        return f"""{self._title()}

Measured {timezone.localtime():%Y-%m-%d %H:%M %Z} with
`{cmd}`.
Synthetic data, created in a transaction and rolled back: {r["people"]:,} people register for an event
with {r["capacity"]:,} seats (the rest wait), a tenth of the seated cancel (their seats go to the
waitlist), every ticket is checked in, 200 are scanned again; {r["carriers"]:,} approved carriers and
as many designations over districts and zones.

| | |
| --- | --- |
| Machine | {m["nproc"]} CPUs (nproc), {m["cpu"]}, {m["ram"]} RAM |
| Software | Django {django.get_version()}, {database()} |
| Load average at start (1 min) | {load:.1f} (the machine is shared; timings grow with load) |

| operation | median | p95 | n |
| --- | ---: | ---: | ---: |
{row("register (seat or waitlist)", r["register"])}
{row("cancel a seat (and promote the next)", r["cancel"])}
{row("check in at the door", r["scan"])}
{row("scan a ticket again (duplicate)", r["again"])}
{row("carrier + designation statistics (all)", t["stats"])}
{row("the same, one zone with its parks", t["stats_zone"])}
{row("six governance metrics (district + zone)", t["metrics"])}

The door checked in {r["checked_in"]:,} tickets at {r["door_per_min"]:,.0f} per minute (server time only;
a person at the door takes seconds), and the seat counter equalled the confirmed registrations at the end.
"""
