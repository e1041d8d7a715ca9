"""What the live lot page costs: N viewers polling one live lot once a second while bids move it.

The command creates its own seller, session, English lot and two paid bidders in the configured
database (and deletes them afterwards). ``--members`` of the viewers are signed in (a session cookie
each, a tenth by default: they get their own state in the token); the others are anonymous.

- In-process (default): the platform's WSGI application is called directly, as a server would, with
  DEBUG off. Each simulated second a Poisson number of bids (one a second on average) is placed
  through the services and every viewer polls once with the token it holds. Reported: CPU per poll
  (this thread's CPU, the database included on SQLite) as medians for unchanged (204) and changed
  (200) polls.
- ``--url http://127.0.0.1:PORT``: keep-alive HTTP clients (one persistent connection per viewer, all
  driven by one event loop: ``techbridge.lib.loadgen``) poll a running server in real time for ``--seconds``
  while this process places a bid a second; ``--server-pid`` (the server's master process; its
  children are counted too) gives the server's CPU from /proc (scripts/proc_cpu.py), and PostgreSQL's
  backends are counted when the database is PostgreSQL. Start a server with e.g. ``make serve`` or the
  command ``scripts/bench_servers.py`` uses.

Both report polls/s and the share of 2 cores that N viewers at one poll a second cost.
``--out docs/benchmarks.md`` writes the section "Live lot page (bench_live)".
"""

from __future__ import annotations

import asyncio
import itertools
import math
import os
import platform
import random
import statistics
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from techbridge.lib import loadgen

TITLE = "## Live lot page (bench_live)"


def _proc_cpu() -> Any:
    scripts = str(Path(settings.BASE_DIR) / "scripts")
    if scripts not in sys.path:
        sys.path.insert(0, scripts)
    import proc_cpu

    return proc_cpu


def _median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000 if values else 0.0


class Command(BaseCommand):
    help = "CPU per poll of the live lot page for N viewers (in-process WSGI loop or --url against a server)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--viewers", type=int, default=1000)
        parser.add_argument("--members", type=float, default=0.1, help="share of signed-in viewers")
        parser.add_argument("--seconds", type=int, default=10, help="simulated (in-process) or real seconds")
        parser.add_argument("--url", default="", help="poll a running server instead of calling WSGI")
        parser.add_argument("--server-pid", type=int, action="append", default=[])
        parser.add_argument("--out", default="", help="write the section into this markdown file")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["viewers"] < 1 or opts["seconds"] < 1:
            raise CommandError("--viewers and --seconds must be at least 1.")
        settings.DEBUG = False
        fixture = self._setup(opts["viewers"], opts["members"])
        try:
            result = self._over_http(fixture, opts) if opts["url"] else self._in_process(fixture, opts)
        finally:
            self._teardown(fixture)
        result["viewers"] = opts["viewers"]
        result["members"] = fixture["members"]
        # N viewers at one poll a second: CPU seconds per second, as a share of 2 cores.
        per_poll = result["cpu_per_poll_ms"]
        result["share_of_2_cores"] = opts["viewers"] * per_poll / 1000 / 2
        self._print(result)
        if opts["out"]:
            self._write(Path(opts["out"]), result, opts)

    # ---- fixture -------------------------------------------------------------------------------------

    def _setup(self, viewers: int, members: float) -> dict[str, Any]:
        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
        from django.contrib.sessions.backends.db import SessionStore

        from techbridge.accounts.models import User
        from techbridge.achievements.models import Achievement
        from techbridge.auctions.choices import DepositStatus, LotStatus, SaleKind, SessionStatus
        from techbridge.auctions.models import AuctionSession, Lot, Registration
        from techbridge.core.roles import Role
        from techbridge.core.workflow import ReviewStatus
        from techbridge.lib.credit_code import check_character
        from techbridge.organizations.choices import OrgKind, OrgStatus
        from techbridge.organizations.models import Organization

        run = int(time.time()) % 100000
        tag = f"LIVE{run:05d}"

        def code(i: int) -> str:
            body = f"91320200{run:05d}{i:04d}"
            return body + check_character(body)

        now = timezone.now()
        n_members = max(0, min(viewers, round(viewers * members)))
        with transaction.atomic():
            seller = Organization.objects.create(
                name=f"{tag} 卖方大学",
                kind=OrgKind.UNIVERSITY,
                credit_code=code(9999),
                status=OrgStatus.APPROVED,
            )
            orgs = [
                Organization.objects.create(
                    name=f"{tag} 企业{i}",
                    kind=OrgKind.ENTERPRISE,
                    credit_code=code(i),
                    status=OrgStatus.APPROVED,
                )
                for i in range(2)
            ]
            bidders = [
                User.objects.create(username=f"{tag.lower()}_b{i}", organization=o, role=Role.MEMBER)
                for i, o in enumerate(orgs)
            ]
            watchers = User.objects.bulk_create(
                [
                    User(username=f"{tag.lower()}_v{i:04d}", organization=orgs[i % 2], role=Role.MEMBER)
                    for i in range(n_members)
                ]
            )
            achievement = Achievement.objects.create(
                title=f"{tag} 基准测试用专利",
                kind="invention_patent",
                owner=seller,
                summary="基准测试",
                status=ReviewStatus.PUBLISHED,
                published_at=now,
            )
            session = AuctionSession.objects.create(
                title=f"{tag} 直播页基准",
                starts_at=now,
                status=SessionStatus.PUBLISHED,
                organizer=seller,
            )
            for i, (u, org) in enumerate(zip(bidders, orgs, strict=True)):
                Registration.objects.create(
                    session=session,
                    user=u,
                    organization=org,
                    number=i + 1,
                    deposit_status=DepositStatus.NOT_REQUIRED,
                )
            end = now + timedelta(hours=2)
            lot = Lot.objects.create(
                session=session,
                title=f"{tag} 基准拍品",
                achievement=achievement,
                seller=seller,
                sale_kind=SaleKind.ASSIGNMENT,
                starting_price=Decimal("10000"),
                increment=Decimal("100"),
                starts_at=now - timedelta(minutes=1),
                scheduled_end_at=end,
                ends_at=end,
                soft_close_minutes=0,
                status=LotStatus.LISTED,
            )
            cookies = []
            for u in watchers:
                store = SessionStore()
                store[SESSION_KEY] = str(u.pk)
                store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
                store[HASH_SESSION_KEY] = u.get_session_auth_hash()
                store.create()
                cookies.append(f"{settings.SESSION_COOKIE_NAME}={store.session_key}")
        return {
            "tag": tag,
            "lot": lot.pk,
            "session": session.pk,
            "bidders": bidders,
            "cookies": cookies,
            "members": n_members,
            "users": [u.pk for u in (*bidders, *watchers)],
            "orgs": [seller.pk, *(o.pk for o in orgs)],
            "achievement": achievement.pk,
        }

    def _teardown(self, fx: dict[str, Any]) -> None:
        from django.contrib.sessions.models import Session

        from techbridge.accounts.models import User
        from techbridge.achievements.models import Achievement
        from techbridge.auctions.models import AuctionSession, Bid, BidAttempt, Lot, Registration
        from techbridge.core.models import AuditEntry, Notification
        from techbridge.organizations.models import Organization

        with transaction.atomic():
            BidAttempt.objects.filter(lot_id=fx["lot"]).delete()
            Bid.objects.filter(lot_id=fx["lot"]).delete()
            Lot.objects.filter(pk=fx["lot"]).update(leader=None, winner=None)
            Lot.objects.filter(pk=fx["lot"]).delete()
            Registration.objects.filter(session_id=fx["session"]).delete()
            AuctionSession.objects.filter(pk=fx["session"]).delete()
            Achievement.objects.filter(pk=fx["achievement"]).delete()
            Notification.objects.filter(recipient_id__in=fx["users"]).delete()
            AuditEntry.objects.filter(actor_id__in=fx["users"]).delete()
            keys = [c.split("=", 1)[1] for c in fx["cookies"]]
            Session.objects.filter(session_key__in=keys).delete()
            User.objects.filter(pk__in=fx["users"]).delete()
            Organization.objects.filter(pk__in=fx["orgs"]).delete()

    def _bid(self, fx: dict[str, Any], n: int) -> None:
        from techbridge.auctions import services
        from techbridge.auctions.models import Lot

        lot = Lot.objects.get(pk=fx["lot"])
        services.place_bid(
            actor=fx["bidders"][n % 2],
            lot_id=lot.pk,
            amount=services.minimum_bid(lot),
            nonce=f"{fx['tag']}-{n:08d}",
        )

    # ---- in-process ----------------------------------------------------------------------------------

    def _in_process(self, fx: dict[str, Any], opts: dict[str, Any]) -> dict[str, Any]:
        from django.core.wsgi import get_wsgi_application

        app = get_wsgi_application()
        host = next((h for h in settings.ALLOWED_HOSTS if h and "*" not in h), "localhost").lstrip(".")
        path = f"/auctions/lots/{fx['lot']}/status/"
        cookies = fx["cookies"] + [""] * (opts["viewers"] - len(fx["cookies"]))
        tokens = [""] * opts["viewers"]
        cpu: dict[str, list[float]] = {"204": [], "200": []}
        other: Counter[str] = Counter()

        def start(status: str, headers: list[Any], exc_info: Any = None) -> Any:
            box.append(status)
            return lambda data: None

        def environ(i: int) -> dict[str, Any]:
            env = {
                "REQUEST_METHOD": "GET",
                "PATH_INFO": path,
                "QUERY_STRING": f"v={tokens[i]}" if tokens[i] else "",
                "SERVER_NAME": host,
                "SERVER_PORT": "80",
                "HTTP_HOST": host,
                "HTTP_ACCEPT_LANGUAGE": "zh-hans",
                "wsgi.url_scheme": "http",
                "wsgi.input": _Empty(),
                "wsgi.errors": sys.stderr,
                "SERVER_PROTOCOL": "HTTP/1.1",
            }
            if cookies[i]:
                env["HTTP_COOKIE"] = cookies[i]
            return env

        started = time.perf_counter()
        polls = 0
        rng = random.Random(23)
        bids = itertools.count(1)
        for second in range(opts["seconds"] + 1):
            # Bids arrive "about once a second": a Poisson count per second (none in ~37 % of seconds).
            for _ in range(_poisson(rng) if second else 0):  # the first pass hands every viewer its token
                self._bid(fx, next(bids))
            for i in range(opts["viewers"]):
                box: list[str] = []
                before = time.thread_time()
                body = b"".join(app(environ(i), start))
                spent = time.thread_time() - before
                code = box[0].split()[0]
                if code == "200":
                    found = body.split(b'"v": "', 1)
                    tokens[i] = found[1].split(b'"', 1)[0].decode() if len(found) == 2 else ""
                if second:
                    polls += 1
                    if code in cpu:
                        cpu[code].append(spent)
                    else:
                        other[code] += 1
        elapsed = time.perf_counter() - started
        return self._summary("in-process WSGI", cpu, other, polls, elapsed, client_cpu=None)

    # ---- over HTTP -----------------------------------------------------------------------------------

    def _over_http(self, fx: dict[str, Any], opts: dict[str, Any]) -> dict[str, Any]:
        proc_cpu = _proc_cpu()
        parts = urlsplit(opts["url"])
        host, port = parts.hostname or "127.0.0.1", parts.port or 80
        path = f"/auctions/lots/{fx['lot']}/status/"
        n = opts["viewers"]
        cookies = fx["cookies"] + [""] * (n - len(fx["cookies"]))
        counts: Counter[str] = Counter()
        errors: list[str] = []
        flags = {"stop": False, "measuring": False}

        async def viewer(i: int) -> None:
            """One viewer on its own kept-alive connection, polling once a second (``lib.loadgen``)."""
            conn = loadgen.Connection(host, port, timeout=30)
            headers = {"Accept-Language": "zh-hans"}
            if cookies[i]:
                headers["Cookie"] = cookies[i]
            token = ""
            tick = time.monotonic() + (i % 100) / 100  # viewers spread over the second
            while not flags["stop"]:
                await asyncio.sleep(max(0.0, tick - time.monotonic()))
                tick += 1
                try:
                    answer = await conn.request("GET", path + (f"?v={token}" if token else ""), b"", headers)
                except Exception as exc:  # a transport error is reported, the viewer reconnects
                    errors.append(repr(exc))
                    continue
                if answer.status == 200:
                    found = answer.body.split(b'"v": "', 1)
                    token = found[1].split(b'"', 1)[0].decode() if len(found) == 2 else ""
                if flags["measuring"]:
                    counts[str(answer.status)] += 1
            conn.close()

        async def viewers() -> None:
            await asyncio.gather(*(viewer(i) for i in range(n)))

        # the viewers' event loop runs beside this thread, which moves the lot with bids (the ORM)
        loop_thread = threading.Thread(target=loadgen.run, args=(viewers(),), daemon=True)
        loop_thread.start()
        time.sleep(3)  # every viewer holds a token and a connection
        pg = connection.vendor == "postgresql"
        db_name = settings.DATABASES["default"]["NAME"]

        def cpu_now() -> tuple[float, float, float]:
            server = sum(proc_cpu.process_tree_cpu_seconds(p) for p in opts["server_pid"])
            database = proc_cpu.postgres_cpu_seconds(db_name) if pg else 0.0
            return server, database, time.process_time()

        before = cpu_now()
        flags["measuring"] = True
        started = time.perf_counter()
        for second in range(1, opts["seconds"] + 1):
            self._bid(fx, second)
            time.sleep(max(0.0, started + second - time.perf_counter()))
        elapsed = time.perf_counter() - started
        flags["measuring"] = False
        after = cpu_now()
        flags["stop"] = True
        loop_thread.join(timeout=30)
        polls = sum(counts.values())
        server, database, client_cpu = (a - b for a, b in zip(after, before, strict=True))
        per_poll = (server + database) / polls if polls and opts["server_pid"] else 0.0
        result = {
            "mode": f"HTTP keep-alive against {opts['url']}",
            "polls": polls,
            "polls_per_s": polls / elapsed,
            "unchanged": counts.get("204", 0),
            "changed": counts.get("200", 0),
            "other": {k: v for k, v in counts.items() if k not in ("200", "204")},
            "errors": len(errors),
            "cpu_per_poll_ms": per_poll * 1000,
            "server_cpu_s": server,
            "db_cpu_s": database,
            "client_cpu_per_poll_ms": client_cpu / polls * 1000 if polls else 0.0,
            "elapsed_s": elapsed,
        }
        if not opts["server_pid"]:
            self.stderr.write("No --server-pid: the server's CPU is not measured.")
        return result

    # ---- report --------------------------------------------------------------------------------------

    def _summary(
        self,
        mode: str,
        cpu: dict[str, list[float]],
        other: Counter[str],
        polls: int,
        elapsed: float,
        client_cpu: float | None,
    ) -> dict[str, Any]:
        unchanged, changed = cpu["204"], cpu["200"]
        everything = unchanged + changed
        return {
            "mode": mode,
            "polls": polls,
            "polls_per_s": polls / elapsed if elapsed else 0.0,
            "unchanged": len(unchanged),
            "changed": len(changed),
            "other": dict(other),
            "errors": 0,
            "unchanged_ms": _median_ms(unchanged),
            "changed_ms": _median_ms(changed),
            "cpu_per_poll_ms": sum(everything) / len(everything) * 1000 if everything else 0.0,
            "elapsed_s": elapsed,
        }

    def _print(self, r: dict[str, Any]) -> None:
        for key, value in r.items():
            self.stdout.write(f"{key}: {value:.3f}" if isinstance(value, float) else f"{key}: {value}")

    def _write(self, path: Path, r: dict[str, Any], opts: dict[str, Any]) -> None:
        from techbridge.lib.markdown import replace_section

        load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
        vendor = connection.vendor
        args = " ".join(
            f"--{k.replace('_', '-')} {v}"
            for k, v in (("viewers", opts["viewers"]), ("seconds", opts["seconds"]))
        )
        if opts["url"]:
            args += f" --url {opts['url']}"
        lines = [
            TITLE,
            "",
            f"Machine: {platform.node()} ({os.cpu_count()} cores, shared with other agents' work, so "
            f"figures move between runs), Python {platform.python_version()}, {vendor}; "
            f"{timezone.now():%Y-%m-%d %H:%M} UTC; load average at the end {load}.",
            "",
            f"Command: `manage.py bench_live {args}` — {r['viewers']} viewers ({r['members']} signed in) "
            "polling one live English lot once a second while bids (a Poisson stream, one a second on "
            "average) move its version "
            f"({r['mode']}, DEBUG off).",
            "",
            "| figure | value |",
            "| --- | --- |",
            f"| polls measured | {r['polls']} ({r['unchanged']} unchanged 204, {r['changed']} changed 200) |",
            f"| polls/s | {r['polls_per_s']:.0f} |",
        ]
        if "unchanged_ms" in r:
            lines += [
                f"| CPU per unchanged poll (median, full Django stack) | {r['unchanged_ms']:.3f} ms |",
                f"| CPU per changed poll (median) | {r['changed_ms']:.3f} ms |",
            ]
        else:
            lines += [
                f"| server + PostgreSQL CPU per poll (mean) | {r['cpu_per_poll_ms']:.3f} ms |",
                f"| load generator CPU per poll | {r['client_cpu_per_poll_ms']:.3f} ms |",
                f"| transport errors | {r['errors']} |",
            ]
        lines += [
            f"| CPU per poll, all polls (mean) | {r['cpu_per_poll_ms']:.3f} ms |",
            f"| share of 2 cores for {r['viewers']} viewers at 1 poll/s "
            f"| {r['share_of_2_cores'] * 100:.1f} % |",
            "",
        ]
        if vendor == "sqlite" and not settings.DATABASES["default"].get("CONN_MAX_AGE"):
            lines.append(
                "SQLite here opens a new database connection for every request (no CONN_MAX_AGE; "
                "its PRAGMAs alone cost ~2.5 ms of the unchanged poll in a profile); the poll's own "
                "work is one indexed query."
            )
            lines.append("")
        title = TITLE.replace(")", f", {vendor}{', over HTTP' if opts['url'] else ''})")
        lines[0] = title
        replace_section(path, "\n".join(lines), title)
        self.stdout.write(f"Wrote {title!r} into {path}.")


def _poisson(rng: random.Random, rate: float = 1.0) -> int:
    limit, k, p = math.exp(-rate), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


class _Empty:
    def read(self, *args: Any) -> bytes:
        return b""

    def readline(self, *args: Any) -> bytes:
        return b""
