"""Drive concurrent bidders over HTTP on loopback against one English lot and check every invariant.

The command creates its own session, lot, seller, N bidder organisations/users (API tokens, deposits
paid) in the configured database, starts the platform's WSGI app in child processes on free
loopback ports (``--app-servers`` processes, each a bounded pool of threads, so PostgreSQL connections
stay bounded; bidders are spread over them as behind a load balancer), fires ``--bids``
POST /api/v1/auctions/lots/<id>/bids/ requests from ``--bidders`` client threads at once (about 2% of
them replays of an earlier nonce), then checks the invariants, closes the lot twice at once, and
deletes everything it created. ``--out`` writes the section for this database into docs/benchmarks.md.
"""

from __future__ import annotations

import asyncio
import http.client
import itertools
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from techbridge.lib import loadgen

PASSWORD_UNUSABLE = "!bench"


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def _increases(values: list[Any]) -> int:
    """How many times the sequence goes up (the soft-close extensions)."""
    return sum(1 for a, b in itertools.pairwise(values) if a is not None and b is not None and b > a)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _proc_cpu() -> Any:
    """scripts/proc_cpu.py (CPU time of server and PostgreSQL processes from /proc)."""
    scripts = str(Path(settings.BASE_DIR) / "scripts")
    if scripts not in sys.path:
        sys.path.insert(0, scripts)
    import proc_cpu

    return proc_cpu


def _host_port(url: str) -> tuple[str, int]:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or 80


def _db_version() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
        else:
            cursor.execute("show server_version")
        return str(cursor.fetchone()[0])


class Command(BaseCommand):
    help = "Benchmark concurrent bidding over HTTP and check the auction invariants."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--bidders", type=int, default=200)
        parser.add_argument("--bids", type=int, default=20000, help="bid requests in total (incl. replays)")
        parser.add_argument(
            "--scenario",
            choices=["closed", "realistic"],
            default="closed",
            help="closed: every bidder bids again at once; realistic: bidders bid only when outbid, "
            "after 1–10 s of thought, while --viewers poll the live page once a second",
        )
        parser.add_argument("--viewers", type=int, default=1000, help="realistic: live-page viewers")
        parser.add_argument("--duration", type=float, default=60, help="realistic: seconds of bidding")
        parser.add_argument(
            "--server-workers", type=int, default=2, help="worker processes per app server (WEB_CONCURRENCY)"
        )
        parser.add_argument(
            "--server-threads",
            type=int,
            default=1,
            help="threads per worker process (WEB_THREADS, as deploy/serve.sh)",
        )
        parser.add_argument(
            "--app-servers",
            type=int,
            default=2,
            help="app servers started on one port (SO_REUSEPORT), as behind a load balancer",
        )
        parser.add_argument(
            "--url", default="", help="drive an already-running server (e.g. scripts/scaleout.sh) instead"
        )
        parser.add_argument(
            "--server-pid",
            type=int,
            action="append",
            default=[],
            help="with --url: a server master's pid (repeatable), for the server CPU read from /proc",
        )
        parser.add_argument(
            "--forwarded-proto", default="", help="send X-Forwarded-Proto as a TLS proxy would"
        )
        parser.add_argument("--json", action="store_true", help="print the result as JSON")
        parser.add_argument(
            "--out", default="", help="write the section for this database into this Markdown file"
        )
        parser.add_argument("--keep", action="store_true", help="keep the created records")
        parser.add_argument(
            "--prepare", default="", help="only create a live lot and its bidders; write them to this file"
        )
        parser.add_argument("--cleanup", default="", help="delete what --prepare wrote to this file")

    def handle(self, *args: Any, **opts: Any) -> None:
        random.seed(20261127)
        run = int(time.time()) % 100000
        if opts["cleanup"]:
            fixture = json.loads(Path(opts["cleanup"]).read_text())
            fixture["tokens"] = {int(k): v for k, v in fixture["tokens"].items()}
            self._cleanup(fixture)
            Path(opts["cleanup"]).unlink(missing_ok=True)
            return
        setup_started = time.perf_counter()
        fixture = self._setup(run, opts["bidders"])
        setup_s = time.perf_counter() - setup_started
        if opts["prepare"]:
            Path(opts["prepare"]).write_text(json.dumps(fixture | {"starting_price": "10000"}))
            self.stdout.write(f"lot {fixture['lot']} with {opts['bidders']} bidders: {opts['prepare']}")
            return
        connection.close()
        children: list[subprocess.Popen[bytes]] = []
        try:
            if opts["url"]:
                url = opts["url"]
                server_pids = list(opts["server_pid"])
            else:
                port = _free_port()
                url = f"http://127.0.0.1:{port}"
                children = self._start_servers(port, opts)
                server_pids = [c.pid for c in children]
            self._wait_for(url, opts["forwarded_proto"])
            self._warm_up(url, opts["forwarded_proto"])
            if opts["scenario"] == "realistic":
                result = self._realistic(url, fixture, opts, server_pids)
            else:
                result = self._measured(
                    server_pids, lambda: self._drive(url, fixture, opts["bids"], opts["forwarded_proto"])
                )
        finally:
            for child in children:
                child.terminate()
            for child in children:
                try:
                    child.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    child.kill()
                    child.wait()
        result.update(self._check(fixture, result))
        result["scenario"] = opts["scenario"]
        result["url"] = (
            "external: " + opts["url"] if opts["url"] else f"{opts['app_servers']} granian app servers"
        )
        result["setup_seconds"] = round(setup_s, 1)
        result["load_average_1m_at_end"] = round(os.getloadavg()[0], 1)
        result["database"] = connection.vendor
        result["bidders"] = opts["bidders"]
        result["server_threads"] = opts["server_threads"]
        result["server_workers"] = opts["server_workers"]
        result["app_servers"] = opts["app_servers"]
        result["all_invariants_hold"] = all(result["invariants"].values())
        if not opts["keep"]:
            try:
                self._cleanup(fixture)
            except Exception as exc:  # the numbers stand; say what was left behind
                self.stderr.write(f"clean-up failed ({exc}); records tagged {fixture['tag']} remain")
        if opts["out"]:
            self._write(Path(opts["out"]), result, opts)
        if opts["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            cpu = result["cpu_ms_per_decided_bid"]
            self.stdout.write(
                f"{result['accepted']} accepted, {sum(result['rejected'].values())} rejected, "
                f"{result['requests_per_second']} decided/s, p50 {result['latency_ms']['p50']} ms, "
                f"p95 {result['latency_ms']['p95']} ms, CPU/decided bid {cpu['total']} ms "
                f"(client {cpu['client']}, app {cpu['app']}, database {cpu['database']}), "
                f"invariants {'OK' if result['all_invariants_hold'] else 'BROKEN'}"
            )
        if not result["all_invariants_hold"]:
            raise CommandError(f"invariants broken: {result['invariants']}")

    # ---- servers and CPU ---------------------------------------------------------------------------

    def _start_servers(self, port: int, opts: dict[str, Any]) -> list[subprocess.Popen[bytes]]:
        """``--app-servers`` production app servers (``deploy/serve.sh``: granian) sharing one port with
        SO_REUSEPORT, ``--server-workers`` processes × ``--server-threads`` threads each."""
        env = os.environ.copy() | {
            "BIN": str(Path(sys.executable).parent),
            "DEBUG": "0",
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "WEB_CONCURRENCY": str(opts["server_workers"]),
            "WEB_THREADS": str(opts["server_threads"]),
            "WEB_LOG_LEVEL": "warning",
            "LOG_LEVEL": "ERROR",  # refused bids (4xx) are expected, not worth a log line each
        }
        # Django logs every refused bid (409) as a warning: the servers' output goes to a file, not here.
        log = Path(settings.BASE_DIR) / "var" / "bench_auction_servers.log"
        self.stderr.write(f"app servers' log: {log}")
        with log.open("ab") as sink:
            return [
                subprocess.Popen(  # serve.sh execs granian: the child's pid is the server's main pid
                    ["bash", "deploy/serve.sh"],
                    cwd=settings.BASE_DIR,
                    env=env,
                    stdout=sink,
                    stderr=sink,
                )
                for _ in range(opts["app_servers"])
            ]

    def _wait_for(self, url: str, proto: str) -> None:
        host, port = _host_port(url)
        for _ in range(600):
            try:
                conn = http.client.HTTPConnection(host, port, timeout=5)
                conn.request("GET", "/", headers={"X-Forwarded-Proto": proto} if proto else {})
                conn.getresponse().read()
                conn.close()
                return
            except OSError:
                time.sleep(0.1)
        raise CommandError(f"no server answers at {url}")

    def _warm_up(self, url: str, proto: str) -> None:
        """Steady state before measuring: each app server process builds its one-off tables (the OpenAPI
        operations the strict query check reads, URL resolvers, translations) on its first API request.
        Requests on new connections spread over the masters sharing the port (about 2⁻³¹ that one gets
        none)."""
        host, port = _host_port(url)
        headers = {"X-Forwarded-Proto": proto} if proto else {}
        for _ in range(32):
            conn = http.client.HTTPConnection(host, port, timeout=120)
            conn.request("GET", "/api/v1/auctions/lots/?open=1", headers=headers)
            conn.getresponse().read()
            conn.close()

    def _cpu_now(self, server_pids: list[int]) -> tuple[float, float, float]:
        pc = _proc_cpu()
        db = 0.0
        if connection.vendor == "postgresql":
            db = pc.postgres_cpu_seconds(settings.DATABASES["default"]["NAME"])
        app = sum(pc.process_tree_cpu_seconds(pid) for pid in server_pids)
        return time.process_time(), app, db

    def _measured(self, server_pids: list[int], work: Any) -> dict[str, Any]:
        before = self._cpu_now(server_pids)
        result: dict[str, Any] = work()
        after = self._cpu_now(server_pids)
        client, app, db = (after[i] - before[i] for i in range(3))
        n = max(result["requests"], 1)
        result["cpu_seconds"] = {"client": round(client, 1), "app": round(app, 1), "database": round(db, 1)}
        result["cpu_ms_per_decided_bid"] = {
            "client": round(client * 1000 / n, 2),
            "app": round(app * 1000 / n, 2),
            "database": round(db * 1000 / n, 2),
            "total": round((client + app + db) * 1000 / n, 2),
        }
        result["server_cpu_measured"] = bool(server_pids)
        return result

    # ---- set-up ------------------------------------------------------------------------------------

    def _setup(self, run: int, n: int) -> dict[str, Any]:
        from techbridge.accounts.models import User
        from techbridge.accounts.services import issue_token
        from techbridge.achievements.models import Achievement
        from techbridge.auctions.choices import DepositStatus, LotStatus, SaleKind, SessionStatus
        from techbridge.auctions.models import AuctionSession, Lot, Registration
        from techbridge.auctions.references import new_reference
        from techbridge.core.roles import Role
        from techbridge.core.workflow import ReviewStatus
        from techbridge.lib.credit_code import check_character
        from techbridge.organizations.choices import OrgKind, OrgStatus
        from techbridge.organizations.models import Organization

        def code(i: int) -> str:
            body = f"91320100{run:05d}{i:04d}"
            return body + check_character(body)

        tag = f"BENCH{run:05d}"
        now = timezone.now()
        with transaction.atomic():
            seller = Organization.objects.create(
                name=f"{tag} 卖方大学",
                kind=OrgKind.UNIVERSITY,
                credit_code=code(9999),
                status=OrgStatus.APPROVED,
            )
            orgs = Organization.objects.bulk_create(
                [
                    Organization(
                        name=f"{tag} 竞买企业{i:03d}",
                        kind=OrgKind.ENTERPRISE,
                        credit_code=code(i),
                        status=OrgStatus.APPROVED,
                    )
                    for i in range(n)
                ]
            )
            users = User.objects.bulk_create(
                [
                    User(
                        username=f"{tag.lower()}_{i:03d}",
                        organization=org,
                        role=Role.MEMBER,
                        password=PASSWORD_UNUSABLE,
                    )
                    for i, org in enumerate(orgs)
                ]
            )
            tokens = [issue_token(u, name="bench", actor=None)[1] for u in users]
            achievement = Achievement.objects.create(
                title=f"{tag} 基准测试用专利",
                kind="invention_patent",
                owner=seller,
                summary="基准测试",
                status=ReviewStatus.PUBLISHED,
                published_at=now,
            )
            session = AuctionSession.objects.create(
                title=f"{tag} 并发竞价基准",
                starts_at=now,
                deposit_amount=Decimal("1000"),
                status=SessionStatus.PUBLISHED,
                organizer=seller,
            )
            # one bulk INSERT, so the payment references are drawn distinct here (the register service
            # retries a rare collision; a bulk INSERT cannot)
            taken = set(Registration.objects.values_list("payment_code", flat=True))
            codes: list[str] = []
            while len(codes) < len(users):
                if (drawn := new_reference()) not in taken:
                    taken.add(drawn)
                    codes.append(drawn)
            regs = Registration.objects.bulk_create(
                [
                    Registration(
                        session=session,
                        user=u,
                        organization=u.organization,
                        number=i + 1,
                        deposit_amount=Decimal("1000"),
                        deposit_status=DepositStatus.PAID,
                        deposit_paid_at=now,
                        payment_code=codes[i],
                    )
                    for i, u in enumerate(users)
                ]
            )
            end = now + timedelta(minutes=10)
            lot = Lot.objects.create(
                session=session,
                title=f"{tag} 基准拍品",
                achievement=achievement,
                seller=seller,
                sale_kind=SaleKind.ASSIGNMENT,
                starting_price=Decimal("10000"),
                increment=Decimal("100"),
                increment_ladder=[["1000000", "500"]],
                starts_at=now - timedelta(minutes=1),
                scheduled_end_at=end,
                ends_at=end,
                soft_close_minutes=15,  # every bid lands in the soft-close window: each one extends
                extension_minutes=1,
                extension_cap_minutes=600,
                status=LotStatus.LISTED,
            )
        return {
            "tag": tag,
            "seller": seller.pk,
            "orgs": [o.pk for o in orgs],
            "users": [u.pk for u in users],
            "tokens": {r.number: key for r, key in zip(regs, tokens, strict=True)},
            "achievement": achievement.pk,
            "session": session.pk,
            "lot": lot.pk,
        }

    # ---- load ------------------------------------------------------------------------------------------

    def _drive(self, url: str, fixture: dict[str, Any], total: int, proto: str) -> dict[str, Any]:
        """The closed loop: every bidder a coroutine on its own kept-alive connection (``lib.loadgen``),
        sending its next bid as soon as the last one is answered."""
        lot_id = fixture["lot"]
        path = f"/api/v1/auctions/lots/{lot_id}/bids/"
        host, port = _host_port(url)
        state: dict[str, Any] = {"sent": 0, "minimum": Decimal("10000")}
        latencies: list[float] = []
        outcomes: Counter[str] = Counter()
        statuses: Counter[int] = Counter()
        accepted_nonces: dict[str, int] = {}
        replay_checks: list[bool] = []
        errors: list[str] = []

        async def bidder(number: int) -> None:
            token = fixture["tokens"][number]
            headers = {
                "Authorization": f"Token {token}",
                "Content-Type": "application/json",
                "Accept-Language": "en",
            }
            if proto:
                headers["X-Forwarded-Proto"] = proto
            conn = loadgen.Connection(host, port, timeout=120)
            rng = random.Random(number)
            mine: list[tuple[str, Any, Decimal, str]] = []
            n = 0
            while state["sent"] < total:
                state["sent"] += 1
                minimum = state["minimum"]
                n += 1
                replay = bool(mine) and rng.random() < 0.02
                if replay:
                    nonce, original, amount, first_code = rng.choice(mine)  # the original body again
                else:
                    nonce = f"b{number:03d}-{n:06d}-{rng.randrange(10**8):08d}"
                    amount = minimum + Decimal(100) * rng.choice([0, 0, 0, 1, 2])
                body = json.dumps({"amount": f"{amount:.2f}", "nonce": nonce}).encode()
                started = time.perf_counter()
                try:
                    answer = await conn.request("POST", path, body, headers)
                    data = answer.json()
                except Exception as exc:  # counted, and reported as a broken invariant
                    errors.append(repr(exc))
                    continue
                latencies.append((time.perf_counter() - started) * 1000)
                status = answer.status
                code = data.get("code", str(status))
                statuses[status] += 1
                outcomes["replay" if replay else code] += 1
                lot = data.get("lot") or {}
                if lot.get("minimum_bid"):
                    state["minimum"] = max(state["minimum"], Decimal(lot["minimum_bid"]))
                if replay:
                    if original is None:  # a refused attempt is answered with its original refusal
                        replay_checks.append(status != 201 and data.get("code") == first_code)
                    else:
                        replay_checks.append(status == 200 and data.get("bid", {}).get("seq") == original)
                else:
                    if status == 201:
                        accepted_nonces[nonce] = data["bid"]["seq"]
                    mine.append((nonce, data["bid"]["seq"] if status == 201 else None, amount, code))
            conn.close()

        async def everyone() -> None:
            await asyncio.gather(*(bidder(number) for number in sorted(fixture["tokens"])))

        started = time.perf_counter()
        loadgen.run(everyone())
        elapsed = time.perf_counter() - started
        accepted = outcomes.get("accepted", 0)
        return {
            "requests": sum(statuses.values()),
            "accepted": accepted,
            "rejected": {k: v for k, v in outcomes.items() if k not in ("accepted", "replay")},
            "replays": outcomes.get("replay", 0),
            "http_status": {str(k): v for k, v in sorted(statuses.items())},
            "transport_errors": len(errors),
            "transport_error_sample": errors[:3],
            "seconds": round(elapsed, 1),
            "accepted_per_second": round(accepted / elapsed, 1),
            "requests_per_second": round(sum(statuses.values()) / elapsed, 1),
            "latency_ms": {
                "p50": round(_percentile(latencies, 50), 1),
                "p95": round(_percentile(latencies, 95), 1),
                "p99": round(_percentile(latencies, 99), 1),
                "mean": round(statistics.fmean(latencies), 1) if latencies else 0,
            },
            "_accepted_nonces": accepted_nonces,
            "_replay_checks": replay_checks,
        }

    def _realistic(
        self, url: str, fixture: dict[str, Any], opts: dict[str, Any], server_pids: list[int]
    ) -> dict[str, Any]:
        """Bidders who bid only when outbid (1–10 s of thought first) while viewers poll the live page.

        Phase 1 measures the viewers alone (CPU per poll: app + database + this client, from /proc);
        phase 2 adds the bidders for ``--duration`` seconds (bid latency, CPU share of the machine). A
        bidder learns that it was outbid as a viewer of the live page would: from the newest accepted
        bid seen by the load generator. 5% of accepted bids are sent again with the same body (a client
        whose response was lost) and must get the original bid back.
        """
        import re

        host, port = _host_port(url)
        lot_id = fixture["lot"]
        bid_path = f"/api/v1/auctions/lots/{lot_id}/bids/"
        poll_path = f"/auctions/lots/{lot_id}/status/"
        token_re = re.compile(rb'"v":\s*"([^"]+)"')
        extra = {"X-Forwarded-Proto": opts["forwarded_proto"]} if opts["forwarded_proto"] else {}
        phase: dict[str, Any] = {"name": "viewers", "stop": False}
        polls: Counter[str] = Counter()
        poll_latency: dict[str, list[float]] = {"viewers": [], "both": []}
        errors: list[str] = []
        state: dict[str, Any] = {"minimum": Decimal("10000"), "leader": None, "seq": 0}
        latencies: list[float] = []
        outcomes: Counter[str] = Counter()
        statuses: Counter[int] = Counter()
        accepted_nonces: dict[str, int] = {}
        replay_checks: list[bool] = []
        measured: dict[str, Any] = {}

        async def viewer(i: int) -> None:
            conn = loadgen.Connection(host, port, timeout=60)
            version = ""
            await asyncio.sleep(random.Random(i).random())  # viewers arrive spread over a second
            while not phase["stop"]:
                started = time.perf_counter()
                try:
                    answer = await conn.request(
                        "GET", poll_path + (f"?v={version}" if version else ""), b"", extra
                    )
                except Exception as exc:
                    errors.append(f"poll: {exc!r}")
                    await asyncio.sleep(1)
                    continue
                ms = (time.perf_counter() - started) * 1000
                found = token_re.search(answer.body)
                if found:
                    version = found.group(1).decode()
                polls[f"{phase['name']}:{answer.status}"] += 1
                poll_latency[phase["name"]].append(ms)
                await asyncio.sleep(max(0.0, 1 - ms / 1000))
            conn.close()

        async def bidder(number: int, deadline: float) -> None:
            token = fixture["tokens"][number]
            rng = random.Random(number)
            conn = loadgen.Connection(host, port, timeout=60)
            headers = {"Authorization": f"Token {token}", "Content-Type": "application/json", **extra}
            n = 0
            while True:
                await asyncio.sleep(rng.uniform(1, 10))
                if time.perf_counter() >= deadline:
                    break
                if state["leader"] == number:
                    continue  # still leading: nothing to do
                amount = state["minimum"]
                n += 1
                nonce = f"r{number:03d}-{n:05d}"
                body = json.dumps({"amount": f"{amount:.2f}", "nonce": nonce}).encode()
                for replay in (False, True):
                    started = time.perf_counter()
                    try:
                        answer = await conn.request("POST", bid_path, body, headers)
                        data = answer.json()
                    except Exception as exc:
                        errors.append(f"bid: {exc!r}")
                        break
                    latencies.append((time.perf_counter() - started) * 1000)
                    statuses[answer.status] += 1
                    lot = data.get("lot") or {}
                    if lot.get("minimum_bid"):
                        state["minimum"] = max(state["minimum"], Decimal(lot["minimum_bid"]))
                    if replay:
                        outcomes["replay"] += 1
                        replay_checks.append(
                            answer.status == 200
                            and data.get("bid", {}).get("seq") == accepted_nonces.get(nonce)
                        )
                        break
                    outcomes[data.get("code", str(answer.status))] += 1
                    if answer.status == 201:
                        seq = data["bid"]["seq"]
                        accepted_nonces[nonce] = seq
                        if seq > state["seq"]:
                            state["seq"], state["leader"] = seq, number
                    if answer.status != 201 or rng.random() >= 0.05:
                        break
            conn.close()

        async def scenario() -> None:
            viewers = [asyncio.create_task(viewer(i)) for i in range(opts["viewers"])]
            await asyncio.sleep(5)  # every viewer connected and polling
            polls.clear()
            poll_latency["viewers"].clear()
            before = self._cpu_now(server_pids)
            await asyncio.sleep(window)
            after = self._cpu_now(server_pids)
            measured["viewers"] = (
                sum(v for k, v in polls.items() if k.startswith("viewers:")),
                before,
                after,
            )
            phase["name"] = "both"
            deadline = time.perf_counter() + opts["duration"]
            measured["before"] = self._cpu_now(server_pids)
            measured["started"] = time.perf_counter()
            await asyncio.gather(*(bidder(number, deadline) for number in sorted(fixture["tokens"])))
            measured["elapsed"] = time.perf_counter() - measured["started"]
            measured["after"] = self._cpu_now(server_pids)
            phase["stop"] = True
            await asyncio.wait(viewers, timeout=10)

        window = 15.0
        loadgen.run(scenario())
        n_polls, before, after = measured["viewers"]
        client, app, db = (after[i] - before[i] for i in range(3))
        viewers_only = {
            "polls": n_polls,
            "polls_per_second": round(n_polls / window, 1),
            "cpu_ms_per_poll": {
                "client": round(client * 1000 / max(n_polls, 1), 2),
                "app": round(app * 1000 / max(n_polls, 1), 2),
                "database": round(db * 1000 / max(n_polls, 1), 2),
                "server_total": round((app + db) * 1000 / max(n_polls, 1), 2),
            },
            "server_cpu_share_of_machine": round((app + db) / window / (os.cpu_count() or 1), 3),
            "poll_latency_ms": {
                "p50": round(_percentile(poll_latency["viewers"], 50), 1),
                "p95": round(_percentile(poll_latency["viewers"], 95), 1),
            },
        }
        elapsed, before, after = measured["elapsed"], measured["before"], measured["after"]
        client, app, db = (after[i] - before[i] for i in range(3))
        accepted = outcomes.get("accepted", 0)
        requests = sum(statuses.values())
        return {
            "requests": requests,
            "accepted": accepted,
            "rejected": {k: v for k, v in outcomes.items() if k not in ("accepted", "replay")},
            "replays": outcomes.get("replay", 0),
            "http_status": {str(k): v for k, v in sorted(statuses.items())},
            "transport_errors": len(errors),
            "transport_error_sample": errors[:3],
            "seconds": round(elapsed, 1),
            "accepted_per_second": round(accepted / elapsed, 1),
            "requests_per_second": round(requests / elapsed, 1),
            "latency_ms": {
                "p50": round(_percentile(latencies, 50), 1),
                "p95": round(_percentile(latencies, 95), 1),
                "p99": round(_percentile(latencies, 99), 1),
                "mean": round(statistics.fmean(latencies), 1) if latencies else 0,
            },
            "viewers": opts["viewers"],
            "viewers_only": viewers_only,
            "with_bidders": {
                "polls": sum(v for k, v in polls.items() if k.startswith("both:")),
                "poll_statuses": {k[5:]: v for k, v in polls.items() if k.startswith("both:")},
                "poll_latency_ms_p95": round(_percentile(poll_latency["both"], 95), 1),
                "server_cpu_share_of_machine": round((app + db) / elapsed / (os.cpu_count() or 1), 3),
                "client_cpu_share_of_machine": round(client / elapsed / (os.cpu_count() or 1), 3),
            },
            "cpu_seconds": {"client": round(client, 1), "app": round(app, 1), "database": round(db, 1)},
            "cpu_ms_per_decided_bid": {
                "client": "n/a",
                "app": "n/a",
                "database": "n/a",
                "total": "n/a (shared with the viewers; see viewers_only for CPU per poll)",
            },
            "server_cpu_measured": bool(server_pids),
            "_accepted_nonces": accepted_nonces,
            "_replay_checks": replay_checks,
        }

    # ---- invariants ---------------------------------------------------------------------------------

    def _check(self, fixture: dict[str, Any], result: dict[str, Any]) -> dict[str, Any]:
        from techbridge.auctions import services
        from techbridge.auctions.chain import verify_lot
        from techbridge.auctions.models import Bid, BidAttempt, Lot, Registration

        lot = Lot.objects.get(pk=fixture["lot"])
        bids = list(Bid.objects.filter(lot=lot).order_by("seq"))
        accepted_nonces = result.pop("_accepted_nonces")
        replay_checks = result.pop("_replay_checks")
        steps_ok = all(
            b.amount >= a.amount + services.step_for(lot, a.amount) for a, b in itertools.pairwise(bids)
        )
        chain_problems = verify_lot(lot)
        expected_end = lot.scheduled_end_at
        for b in bids:
            window = expected_end - timedelta(minutes=lot.soft_close_minutes)
            if b.created_at >= window:
                expected_end = min(expected_end + timedelta(minutes=lot.extension_minutes), lot.hard_end_at)
        invariants = {
            "no_transport_errors": result["transport_errors"] == 0,
            "no_server_errors": not any(k.startswith("5") for k in result["http_status"]),
            "accepted_responses_equal_stored_bids": result["accepted"] == len(bids) == lot.bid_count,
            "every_accepted_response_is_stored_with_its_sequence": all(
                Bid.objects.filter(lot=lot, nonce=n, seq=s).exists()
                for n, s in list(accepted_nonces.items())[:500]
            )
            and len(accepted_nonces) == len(bids),
            "sequence_gapless_and_unique": [b.seq for b in bids] == list(range(1, len(bids) + 1)),
            "prices_strictly_increasing_by_at_least_the_increment": steps_ok,
            "no_accepted_bid_below_the_minimum": bool(bids)
            and bids[0].amount >= lot.starting_price
            and steps_ok,
            "lot_price_equals_last_bid": bool(bids) and lot.current_price == bids[-1].amount,
            "single_leader_is_last_bidder": bool(bids) and lot.leader_id == bids[-1].registration_id,
            "soft_close_extensions_recomputed": lot.ends_at == expected_end
            and lot.extension_count == _increases([lot.scheduled_end_at, *[b.ends_after for b in bids]]),
            "sm3_chain_verifies": not chain_problems,
            "replays_changed_nothing": all(replay_checks),
            "every_attempt_kept_once": BidAttempt.objects.filter(lot=lot).count()
            == result["requests"] - result["replays"],
        }
        # Close it twice at once: exactly one closer wins, exactly one winner, the others refunded.
        Lot.objects.filter(pk=lot.pk).update(ends_at=timezone.now() - timedelta(seconds=1))
        winners: list[bool] = []

        def closer() -> None:
            try:
                winners.append(services.close_lot(lot.pk, handoff=False))
            finally:
                connection.close()

        threads = [threading.Thread(target=closer) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        lot.refresh_from_db()
        refunded = Registration.objects.filter(
            session_id=fixture["session"], deposit_status="refunded"
        ).count()
        invariants["closed_exactly_once"] = winners.count(True) == 1
        invariants["exactly_one_winner_at_last_price"] = (
            lot.status == "sold"
            and lot.winner_id == bids[-1].registration_id
            and lot.hammer_price == bids[-1].amount
        )
        invariants["winner_is_the_highest_valid_bid"] = (
            bool(bids) and lot.winner_id == max(bids, key=lambda b: (b.amount, -b.seq)).registration_id
        )
        invariants["deposits_refunded_to_all_others"] = refunded == len(fixture["users"]) - 1
        return {
            "invariants": invariants,
            "chain_problems": chain_problems[:5],
            "final_price": str(lot.hammer_price),
            "extensions": lot.extension_count,
        }

    # ---- clean-up -----------------------------------------------------------------------------------

    def _cleanup(self, fixture: dict[str, Any]) -> None:
        from django.contrib.contenttypes.models import ContentType

        from techbridge.accounts.models import User
        from techbridge.achievements.models import Achievement
        from techbridge.auctions.models import AuctionSession, Bid, BidAttempt, Lot, ProxyBid, Registration
        from techbridge.core.models import AuditEntry
        from techbridge.organizations.models import Organization

        with transaction.atomic():
            reg_ids = list(
                Registration.objects.filter(session_id=fixture["session"]).values_list("pk", flat=True)
            )
            for model, ids in (
                (Lot, [fixture["lot"]]),
                (AuctionSession, [fixture["session"]]),
                (Registration, reg_ids),
            ):
                AuditEntry.objects.filter(
                    content_type=ContentType.objects.get_for_model(model), object_id__in=[str(i) for i in ids]
                ).delete()
            BidAttempt.objects.filter(lot_id=fixture["lot"]).delete()
            Bid.objects.filter(lot_id=fixture["lot"]).delete()
            ProxyBid.objects.filter(lot_id=fixture["lot"]).delete()
            Lot.objects.filter(pk=fixture["lot"]).delete()
            Registration.objects.filter(pk__in=reg_ids).delete()
            AuctionSession.objects.filter(pk=fixture["session"]).delete()
            Achievement.objects.filter(pk=fixture["achievement"]).delete()
            User.objects.filter(pk__in=fixture["users"]).delete()
            Organization.objects.filter(pk__in=[*fixture["orgs"], fixture["seller"]]).delete()

    # ---- report -------------------------------------------------------------------------------------

    def _write(self, path: Path, r: dict[str, Any], opts: dict[str, Any]) -> None:
        from techbridge.core.benchmarks import machine
        from techbridge.lib.markdown import replace_section

        name = "PostgreSQL" if r["database"] == "postgresql" else "SQLite"
        realistic = r["scenario"] == "realistic"
        title = (
            f"## Auctions: realistic live auction ({name})"
            if realistic
            else f"## Auctions: concurrent bidding ({name})"
        )
        m = machine()
        when = timezone.localtime().strftime("%Y-%m-%d %H:%M %Z")
        rejected = ", ".join(f"{k} {v}" for k, v in sorted(r["rejected"].items()))
        lat = r["latency_ms"]
        db_note = ""
        if os.environ.get("DATABASE_URL"):
            db_note = " with DATABASE_URL=" + (
                "postgres://…" if name == "PostgreSQL" else "sqlite:///<a throwaway file>"
            )
        command = f"manage.py bench_auction --bidders {opts['bidders']}"
        command += (
            f" --scenario realistic --viewers {opts['viewers']} --duration {opts['duration']:g}"
            if realistic
            else f" --bids {opts['bids']}"
        )
        if opts["url"]:
            command += " --url <the scale-out layout> --server-pid …"
        servers = (
            "an already-running layout (scripts/scaleout.sh: two granian app servers on one port)"
            if opts["url"]
            else f"{r['app_servers']} granian app servers (deploy/serve.sh) sharing one port (SO_REUSEPORT), "
            f"{r.get('server_workers', 1)} worker processes × {r['server_threads']} "
            f"thread{'s' if r['server_threads'] != 1 else ''} each"
        )
        head = [
            title,
            "",
            f"Measured {when} on {m['nproc']} cores ({m['cpu']}, {m['ram']}), shared with other work; "
            f"{name} {_db_version()}; 1-minute load average at the end of the run: "
            f"{r['load_average_1m_at_end']} (the benchmark's own servers and load generator included). "
            f"Command: `{command} --out docs/benchmarks.md`{db_note}. Servers: {servers}, DEBUG off, the "
            "platform's WSGI app, token-authenticated JSON API; the load generator runs on the same 2 cores. "
            "Clients keep one HTTP/1.1 connection per simulated bidder (and per viewer), all driven by one "
            "event loop (`techbridge.lib.loadgen`).",
            "",
        ]
        if realistic:
            v = r["viewers_only"]
            w = r["with_bidders"]
            cpu = v["cpu_ms_per_poll"]
            body = [
                f"{r['bidders']} bidders bid only when outbid, after 1–10 s of thought each time, "
                "at the minimum "
                f"they were last told; {r['viewers']} viewers poll the live page's fragment "
                f"(`/auctions/lots/<id>/status/?v=<version>`) once a second. "
                "First the viewers alone for 15 s, "
                f"then bidders and viewers together for {opts['duration']:g} s.",
                "",
                "| measure | value |",
                "|---|---:|",
                f"| polls/s (viewers alone) | {v['polls_per_second']} |",
                f"| server CPU per poll (app + database) | {cpu['server_total']} ms "
                f"(app {cpu['app']}, database {cpu['database']}) |",
                f"| load generator CPU per poll | {cpu['client']} ms |",
                f"| server share of the machine's CPU, viewers alone | "
                f"{v['server_cpu_share_of_machine']:.0%} |",
                f"| poll latency p50 / p95, viewers alone | {v['poll_latency_ms']['p50']} / "
                f"{v['poll_latency_ms']['p95']} ms |",
                f"| bid requests / accepted / refused | {r['requests']} / {r['accepted']} / "
                f"{sum(r['rejected'].values())} ({rejected}) |",
                f"| replays (original body, original outcome expected) | {r['replays']} |",
                f"| bid latency p50 / p95 / p99 | {lat['p50']} / {lat['p95']} / {lat['p99']} ms |",
                f"| poll latency p95 while bidding | {w['poll_latency_ms_p95']} ms |",
                f"| server / load generator share of the machine's CPU while bidding | "
                f"{w['server_cpu_share_of_machine']:.0%} / {w['client_cpu_share_of_machine']:.0%} |",
                f"| transport errors | {r['transport_errors']} |",
            ]
        else:
            cpu = r["cpu_ms_per_decided_bid"]
            body = [
                "Closed loop: every bidder at once, each sending its next bid when the last is answered, "
                "bidding the latest minimum they have "
                "seen plus "
                "0–2 increments; 2% of requests replay an earlier nonce with its original body (same amount) "
                "and must get the original outcome back.",
                "",
                "| measure | value |",
                "|---|---:|",
                f"| bidders (concurrent keep-alive clients) | {r['bidders']} |",
                f"| bid requests | {r['requests']} |",
                f"| accepted | {r['accepted']} |",
                f"| rejected | {sum(r['rejected'].values())} ({rejected}) |",
                f"| replays (answered with the original outcome) | {r['replays']} |",
                f"| wall time | {r['seconds']} s |",
                f"| bids decided/s (accepted + refused) | {r['requests_per_second']} |",
                f"| accepted bids/s | {r['accepted_per_second']} |",
                f"| latency p50 / p95 / p99 | {lat['p50']} / {lat['p95']} / {lat['p99']} ms |",
                f"| CPU per decided bid: client + app + database | {cpu['total']} ms = {cpu['client']} + "
                f"{cpu['app']} + {cpu['database']} ms |",
                f"| transport errors | {r['transport_errors']} |",
                f"| soft-close extensions applied | {r['extensions']} |",
                f"| final price | ¥{Decimal(r['final_price']):,.2f} |",
            ]
        lines = [
            *head,
            *body,
            "",
            "Invariants checked after the run (all must hold; the command fails otherwise):",
            "",
            *[f"- {'✔' if ok else '✘'} `{k}`" for k, ok in r["invariants"].items()],
            "",
        ]
        replace_section(path, "\n".join(lines), title)
