"""Time the quarterly scoring of institutions on a synthetic platform, without keeping any of it.

    python manage.py bench_institutions --institutions 1000 --contracts 100000 --out docs/benchmarks.md

Inside one transaction that is rolled back at the end: creates ``--institutions`` listed institutions
(each with a broker), 300 client organisations and ``--contracts`` contracts signed over the four
quarters of a year — 40 % service/consulting contracts the institutions provide (half of them 技术中介),
20 % deals brokered in negotiation rooms (room, broker invitation, accepted offer), the rest between
clients; 70 % of them registered — plus client ratings, credit events, accepted self-reports and
designations. Then scores every quarter (every institution, every input) and scores it again (nothing
changed: no new version), and reports medians and query counts.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import time
import typing
from decimal import Decimal
from pathlib import Path
from typing import Any

import django
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from techbridge.accounts.models import User
from techbridge.contracts.choices import ContractStatus, ContractType, SubType
from techbridge.contracts.models import Contract
from techbridge.core.benchmarks import machine
from techbridge.deals.choices import OfferStatus, RoomStatus
from techbridge.deals.models import BrokerInvitation, Offer, Room
from techbridge.lib.markdown import replace_section
from techbridge.organizations.choices import District, OrgKind, OrgStatus
from techbridge.organizations.models import Organization

from ...choices import DesignationStatus, InstitutionStatus, ReportStatus
from ...models import (
    CreditEvent,
    Designation,
    Institution,
    InstitutionService,
    QuarterlyScore,
    Rating,
    SelfReport,
)
from ...scoring import Quarter
from ...services import compute_quarter

SECTION_TITLE = "## Institution scoring"
YEAR = 2025


class _Rollback(Exception):
    pass


def _at(contract: Contract) -> dt.datetime:
    assert contract.signed_at is not None
    return contract.signed_at


class Command(BaseCommand):
    help = "Benchmark the quarterly scoring of institutions on synthetic data (rolled back)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--institutions", type=int, default=1000)
        parser.add_argument("--contracts", type=int, default=100_000)
        parser.add_argument("--out", default="")

    def handle(self, *args: Any, **opts: Any) -> None:
        n_inst, n_contracts = opts["institutions"], opts["contracts"]
        results: dict[str, Any] = {}
        try:
            with transaction.atomic():
                t0 = time.perf_counter()
                counts = self._populate(n_inst, n_contracts)
                results["populate_s"] = time.perf_counter() - t0
                results.update(self._measure())
                results["counts"] = counts
                raise _Rollback
        except _Rollback:
            pass
        section = self._section(results, n_inst, n_contracts)
        self.stdout.write(section)
        if opts["out"]:
            title = section.splitlines()[0]
            replace_section(Path(opts["out"]), section, title)

    # ---- data -----------------------------------------------------------------------------------

    def _populate(self, n_inst: int, n_contracts: int) -> dict[str, int]:
        rng = random.Random(2026)
        tz = timezone.get_current_timezone()
        districts = District.values
        inst_orgs = Organization.objects.bulk_create(
            Organization(
                name=f"基准服务机构{i}",
                kind=OrgKind.SERVICE,
                district=rng.choice(districts),
                status=OrgStatus.APPROVED,
            )
            for i in range(n_inst)
        )
        clients = Organization.objects.bulk_create(
            Organization(
                name=f"基准客户{i}",
                kind=OrgKind.UNIVERSITY if i % 3 == 0 else OrgKind.ENTERPRISE,
                district=rng.choice(districts),
                status=OrgStatus.APPROVED,
            )
            for i in range(300)
        )
        brokers = User.objects.bulk_create(
            User(username=f"bench_broker_{i}", organization=o, password="!") for i, o in enumerate(inst_orgs)
        )
        client_user = User.objects.create(username="bench_client", organization=clients[0], password="!")
        now = timezone.now()
        insts = Institution.objects.bulk_create(
            Institution(
                organization=o,
                summary="基准机构简介",
                staff_count=rng.randrange(3, 60),
                contact_name="联系人",
                contact_phone="025-00000000",
                status=InstitutionStatus.APPROVED,
                listed_at=now,
                alliance_role="member" if rng.random() < 0.4 else "",
                alliance_joined_on=dt.date(YEAR - 1, 6, 1),
            )
            for o in inst_orgs
        )
        InstitutionService.objects.bulk_create(
            InstitutionService(institution=i, code=c)
            for i in insts
            for c in ("transfer", "ip", "valuation")[: rng.randrange(1, 4)]
        )
        through = Institution.fields.through
        from techbridge.taxonomy.models import IndustryField

        field_ids = list(IndustryField.objects.values_list("pk", flat=True))
        if field_ids:
            through.objects.bulk_create(
                through(institution_id=i.pk, industryfield_id=rng.choice(field_ids)) for i in insts
            )

        contracts, rooms, invitations, offers = [], [], [], []
        start = dt.datetime(YEAR, 1, 1, tzinfo=tz)
        for k in range(n_contracts):
            signed = start + dt.timedelta(minutes=rng.randrange(0, 365 * 24 * 60))
            total = Decimal(rng.randrange(20_000, 3_000_000))
            registered = rng.random() < 0.7
            roll = rng.random()
            if roll < 0.4:
                seller, buyer = rng.choice(inst_orgs), rng.choice(clients)
                ctype = rng.choice([ContractType.SERVICE, ContractType.CONSULTING])
                sub = (
                    SubType.INTERMEDIATION
                    if ctype == ContractType.SERVICE and rng.random() < 0.5
                    else (SubType.SERVICE if ctype == ContractType.SERVICE else SubType.CONSULTING)
                )
            else:
                seller, buyer = rng.sample(clients, 2)
                ctype, sub = ContractType.TRANSFER, SubType.PATENT_RIGHT
            c = Contract(
                number=f"BI{k:09d}",
                title=f"基准合同{k}",
                contract_type=ctype,
                sub_type=sub,
                seller=seller,
                buyer=buyer,
                total_amount=total,
                technology_amount=(total * Decimal("0.8")).quantize(Decimal("0.01")) if registered else None,
                status=ContractStatus.REGISTERED if registered else ContractStatus.SIGNED,
                signed_at=signed,
                registered_at=signed + dt.timedelta(days=rng.randrange(5, 40)) if registered else None,
                registration_number=f"BI{k:012d}" if registered else "",
                created_at=signed,
            )
            contracts.append(c)
        Contract.objects.bulk_create(contracts, batch_size=2000)
        brokered = [c for c in contracts if c.contract_type == ContractType.TRANSFER and rng.random() < 1 / 3]
        for c in brokered:
            opened = _at(c) - dt.timedelta(days=rng.randrange(10, 150))
            rooms.append(
                Room(
                    subject_key=f"bench:{c.number}",
                    title=c.title,
                    # The bench's sellers and buyers are organisations.
                    seller_id=typing.cast(int, c.seller_id),
                    buyer_id=typing.cast(int, c.buyer_id),
                    status=RoomStatus.AGREED,
                    created_at=opened,
                    updated_at=_at(c),
                )
            )
        Room.objects.bulk_create(rooms, batch_size=2000)
        for c, room in zip(brokered, rooms, strict=True):
            invitations.append(
                BrokerInvitation(
                    room=room, broker=rng.choice(brokers), created_at=room.created_at + dt.timedelta(days=1)
                )
            )
            offers.append(
                Offer(
                    room=room,
                    side="buyer",
                    made_by=client_user,
                    deal_mode="assignment",
                    price=c.total_amount,
                    payment_terms="lump_sum",
                    status=OfferStatus.ACCEPTED,
                    answered_at=_at(c) - dt.timedelta(days=2),
                    contract=c,
                )
            )
        BrokerInvitation.objects.bulk_create(invitations, batch_size=2000)
        Offer.objects.bulk_create(offers, batch_size=2000)
        served = [c for c in contracts if c.contract_type != ContractType.TRANSFER][: n_contracts // 20]
        by_org = {i.organization_id: i for i in insts}
        Rating.objects.bulk_create(
            (
                Rating(
                    institution=by_org[typing.cast(int, c.seller_id)],
                    contract=c,
                    relation="served",
                    rater=client_user,
                    rater_org_id=typing.cast(int, c.buyer_id),
                    score=rng.randrange(2, 6),
                    created_at=_at(c) + dt.timedelta(days=30),
                )
                for c in served
            ),
            batch_size=2000,
        )
        CreditEvent.objects.bulk_create(
            CreditEvent(
                institution=rng.choice(insts),
                kind="complaint_upheld",
                severity=rng.choice(["minor", "minor", "major"]),
                occurred_on=dt.date(YEAR, rng.randrange(1, 13), 1),
                description="基准投诉",
                reference="基准",
            )
            for _ in range(n_inst // 5)
        )
        SelfReport.objects.bulk_create(
            SelfReport(
                institution=i,
                year=YEAR,
                full_time_staff=20,
                staff_with_degree=12,
                certified_managers=rng.randrange(0, 8),
                services_delivered=50,
                clients_served=30,
                has_articles=True,
                has_financial_audit=rng.random() < 0.7,
                status=ReportStatus.ACCEPTED,
            )
            for i in insts[: int(n_inst * 0.6)]
        )
        Designation.objects.bulk_create(
            Designation(
                institution=i,
                level=rng.choice(["national", "provincial", "municipal"]),
                designated_on=dt.date(YEAR - 2, 5, 1),
                certificate_number=f"D{i.pk}",
                issued_by="基准",
                status=DesignationStatus.VERIFIED,
            )
            for i in insts[: n_inst // 20]
        )
        return {
            "institutions": len(insts),
            "contracts": len(contracts),
            "rooms": len(rooms),
            "ratings": len(served),
        }

    # ---- timing -----------------------------------------------------------------------------------

    def _measure(self) -> dict[str, Any]:
        first: list[float] = []
        again: list[float] = []
        queries: list[int] = []
        created = 0
        for q in range(1, 5):
            quarter = Quarter(YEAR, q)
            with CaptureQueriesContext(connection) as ctx:
                t = time.perf_counter()
                result = compute_quarter(quarter)
                first.append(time.perf_counter() - t)
            queries.append(len(ctx))
            created += result["created"]
            t = time.perf_counter()
            unchanged = compute_quarter(quarter)
            again.append(time.perf_counter() - t)
            assert unchanged["created"] == 0, unchanged
        sample = QuarterlyScore.objects.filter(year=YEAR, quarter=2).order_by("-total").first()
        return {
            "first_s": first,
            "again_s": again,
            "queries": queries,
            "scores": created,
            "best": (sample.total, sample.grade) if sample else None,
        }

    def _section(self, r: dict[str, Any], n_inst: int, n_contracts: int) -> str:
        m = machine()
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
        db = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
        version = (
            getattr(getattr(connection, "Database", None), "sqlite_version", "")
            if connection.vendor == "sqlite"
            else ""
        )
        c = r["counts"]
        first, again = r["first_s"], r["again_s"]
        per_inst_ms = statistics.median(first) * 1000 / max(1, c["institutions"])
        fmt = "{:.2f}".format
        rows = [
            (
                f"score a quarter, first time ({c['institutions']:,} new versions)",
                f"{fmt(statistics.median(first))} s",
                f"{fmt(min(first))}–{fmt(max(first))} s",
            ),
            ("per institution", f"{per_inst_ms:.2f} ms", ""),
            (
                "score it again, nothing changed (no new version)",
                f"{fmt(statistics.median(again))} s",
                f"{fmt(min(again))}–{fmt(max(again))} s",
            ),
            (
                "queries per quarter (first run)",
                f"{statistics.median(r['queries']):.0f}",
                f"{min(r['queries'])}–{max(r['queries'])}",
            ),
        ]
        table = "\n".join(f"| {a} | {b} | {c_} |" for a, b, c_ in rows)
        return f"""{SECTION_TITLE} ({db})

Measured {timezone.localtime():%Y-%m-%d %H:%M %Z} with
`python manage.py bench_institutions --institutions {n_inst} --contracts {n_contracts}`.
Synthetic platform (created in a transaction and rolled back; populating took {r["populate_s"]:.0f} s):
{c["institutions"]:,} listed institutions, {c["contracts"]:,} contracts signed over the four quarters
of {YEAR} (40 % service/consulting provided by institutions, {c["rooms"]:,} brokered in negotiation
rooms, 70 % registered), {c["ratings"]:,} client ratings, credit events, accepted self-reports and
designations.

| | |
| --- | --- |
| Machine | {m["nproc"]} CPUs (nproc), {m["cpu"]}, {m["ram"]} RAM |
| Software | Django {django.get_version()}, {connection.vendor} {version} |
| Load average at start (1 min) | {load:.1f} (the machine is shared; timings grow with load) |

Scoring one quarter computes every input of every institution (records, designations, self-reports,
credit events, ratings) in a fixed number of queries and writes one score version per institution:

| what | median of 4 quarters | range |
| --- | ---: | ---: |
{table}

{r["scores"]:,} score versions were written in all; the re-runs added none. The daily sweep scores the
last finished quarter, so this cost is paid once a quarter (plus once per operator re-run).
"""
