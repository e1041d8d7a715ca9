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
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

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


def serve(port_file: str, workers: int) -> None:
    """Child process: the platform's WSGI app on a loopback port with a bounded thread pool."""
    import logging
    import socketserver

    logging.getLogger("django.request").setLevel(logging.ERROR)  # refused bids (4xx) are expected

    from django.core.handlers.wsgi import WSGIHandler
    from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer

    class Quiet(WSGIRequestHandler):
        protocol_version = "HTTP/1.0"  # one request per connection: a worker is never held idle

        def log_message(self, *args: Any) -> None:
            pass

    class PoolServer(WSGIServer):
        request_queue_size = 1024
        daemon_threads = True

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="wsgi")

        def process_request(self, request: Any, client_address: Any) -> None:
            self.pool.submit(self._work, request, client_address)

        def _work(self, request: Any, client_address: Any) -> None:
            try:
                self.finish_request(request, client_address)
            except Exception:
                self.handle_error(request, client_address)
            finally:
                self.shutdown_request(request)

    socketserver.TCPServer.allow_reuse_address = True
    server = PoolServer(("127.0.0.1", 0), Quiet, ipv6=False)
    server.set_app(WSGIHandler())
    Path(port_file).write_text(str(server.server_address[1]))
    server.serve_forever(poll_interval=0.2)


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
        parser.add_argument("--server-threads", type=int, default=8, help="worker threads per app server")
        parser.add_argument(
            "--app-servers", type=int, default=2, help="app server processes; bidders spread over them"
        )
        parser.add_argument("--json", action="store_true", help="print the result as JSON")
        parser.add_argument(
            "--out", default="", help="write the section for this database into this Markdown file"
        )
        parser.add_argument("--keep", action="store_true", help="keep the created records")
        parser.add_argument(
            "--serve", default="", help="internal: run the benchmark server and write its port to this file"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["serve"]:
            serve(opts["serve"], opts["server_threads"])
            return
        random.seed(20261127)
        run = int(time.time()) % 100000
        setup_started = time.perf_counter()
        fixture = self._setup(run, opts["bidders"])
        setup_s = time.perf_counter() - setup_started
        port_files = [
            Path(settings.BASE_DIR) / "var" / f"bench_auction_{run}_{i}.port"
            for i in range(opts["app_servers"])
        ]
        connection.close()
        children = []
        for port_file in port_files:
            port_file.unlink(missing_ok=True)
            children.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        str(Path(settings.BASE_DIR) / "manage.py"),
                        "bench_auction",
                        "--serve",
                        str(port_file),
                        "--server-threads",
                        str(opts["server_threads"]),
                    ],
                    env=os.environ.copy(),
                )
            )
        try:
            for _ in range(600):
                if all(f.exists() and f.read_text().strip() for f in port_files):
                    break
                time.sleep(0.1)
            else:
                raise CommandError("the benchmark servers did not start")
            ports = [int(f.read_text()) for f in port_files]
            result = self._drive(ports, fixture, opts["bids"])
        finally:
            for child in children:
                child.terminate()
                child.wait(timeout=20)
            for f in port_files:
                f.unlink(missing_ok=True)
        result.update(self._check(fixture, result))
        result["setup_seconds"] = round(setup_s, 1)
        result["load_average_1m_at_end"] = round(os.getloadavg()[0], 1)
        result["database"] = connection.vendor
        result["bidders"] = opts["bidders"]
        result["server_threads"] = opts["server_threads"]
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
            self.stdout.write(
                f"{result['accepted']} accepted, {sum(result['rejected'].values())} rejected, "
                f"{result['accepted_per_second']} bids/s, p50 {result['latency_ms']['p50']} ms, "
                f"p95 {result['latency_ms']['p95']} ms, "
                f"invariants {'OK' if result['all_invariants_hold'] else 'BROKEN'}"
            )
        if not result["all_invariants_hold"]:
            raise CommandError(f"invariants broken: {result['invariants']}")

    # ---- set-up ------------------------------------------------------------------------------------

    def _setup(self, run: int, n: int) -> dict[str, Any]:
        from techbridge.accounts.models import User
        from techbridge.accounts.services import issue_token
        from techbridge.achievements.models import Achievement
        from techbridge.auctions.choices import DepositStatus, LotStatus, SaleKind, SessionStatus
        from techbridge.auctions.models import AuctionSession, Lot, Registration
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

    def _drive(self, ports: list[int], fixture: dict[str, Any], total: int) -> dict[str, Any]:
        lot_id = fixture["lot"]
        path = f"/api/v1/auctions/lots/{lot_id}/bids/"
        lock = threading.Lock()
        state: dict[str, Any] = {"sent": 0, "minimum": Decimal("10000")}
        latencies: list[float] = []
        outcomes: Counter[str] = Counter()
        statuses: Counter[int] = Counter()
        accepted_nonces: dict[str, int] = {}
        replay_checks: list[bool] = []
        errors: list[str] = []

        def post(port: int, token: str, amount: Decimal, nonce: str) -> tuple[int, dict[str, Any], float]:
            body = json.dumps({"amount": f"{amount:.2f}", "nonce": nonce})
            started = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            try:
                conn.request(
                    "POST",
                    path,
                    body=body,
                    headers={
                        "Authorization": f"Token {token}",
                        "Content-Type": "application/json",
                        "Accept-Language": "en",
                    },
                )
                resp = conn.getresponse()
                data = json.loads(resp.read() or b"{}")
                return resp.status, data, (time.perf_counter() - started) * 1000
            finally:
                conn.close()

        def bidder(number: int) -> None:
            token = fixture["tokens"][number]
            port = ports[number % len(ports)]  # like a load balancer: each bidder sticks to one server
            rng = random.Random(number)
            mine: list[tuple[str, Any, Decimal, str]] = []
            n = 0
            while True:
                with lock:
                    if state["sent"] >= total:
                        return
                    state["sent"] += 1
                    minimum = state["minimum"]
                n += 1
                replay = bool(mine) and rng.random() < 0.02
                if replay:
                    nonce, original, amount, first_code = rng.choice(mine)  # the original body again
                else:
                    nonce = f"b{number:03d}-{n:06d}-{rng.randrange(10**8):08d}"
                    amount = minimum + Decimal(100) * rng.choice([0, 0, 0, 1, 2])
                try:
                    status, data, ms = post(port, token, amount, nonce)
                except Exception as exc:  # counted, and reported as a broken invariant
                    with lock:
                        errors.append(repr(exc))
                    continue
                code = data.get("code", str(status))
                with lock:
                    latencies.append(ms)
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
                    elif status == 201:
                        accepted_nonces[nonce] = data["bid"]["seq"]
                if not replay:
                    mine.append((nonce, data["bid"]["seq"] if status == 201 else None, amount, code))

        started = time.perf_counter()
        numbers = sorted(fixture["tokens"])
        with ThreadPoolExecutor(max_workers=len(numbers)) as pool:
            list(pool.map(bidder, numbers))
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
        title = f"## Auctions: concurrent bidding ({name})"
        m = machine()
        when = timezone.localtime().strftime("%Y-%m-%d %H:%M %Z")
        rejected = ", ".join(f"{k} {v}" for k, v in sorted(r["rejected"].items()))
        lat = r["latency_ms"]
        db_note = ""
        if os.environ.get("DATABASE_URL"):
            db_note = " with DATABASE_URL=" + (
                "postgres://…" if name == "PostgreSQL" else "sqlite:///<a throwaway file>"
            )
        lines = [
            title,
            "",
            f"Measured {when} on {m['nproc']} cores ({m['cpu']}, {m['ram']}), shared with other work; "
            f"{name} {_db_version()}; 1-minute load average at the end of the run: "
            f"{r['load_average_1m_at_end']} (other engineers' test suites were running). "
            f"Command: `manage.py bench_auction --bidders {opts['bidders']} --bids {opts['bids']} --json"
            f" --out docs/benchmarks.md`{db_note}. "
            f"Servers: {r['app_servers']} app server processes (the platform's WSGI app, "
            f"{r['server_threads']} worker threads each) sharing the database, as behind a load balancer; "
            "loopback HTTP, one connection per request, token-authenticated JSON API. Clients: one thread "
            "per bidder, all at once, bidding the latest minimum they have seen plus 0–2 increments; 2% of "
            "requests replay an earlier nonce with its original body.",
            "",
            "| measure | value |",
            "|---|---:|",
            f"| bidders (concurrent client threads) | {r['bidders']} |",
            f"| bid requests | {r['requests']} |",
            f"| accepted | {r['accepted']} |",
            f"| rejected | {sum(r['rejected'].values())} ({rejected}) |",
            f"| replays (answered with the original outcome) | {r['replays']} |",
            f"| wall time | {r['seconds']} s |",
            f"| accepted bids/s | {r['accepted_per_second']} |",
            f"| bids decided/s (accepted + refused) | {r['requests_per_second']} |",
            f"| latency p50 / p95 / p99 | {lat['p50']} / {lat['p95']} / {lat['p99']} ms |",
            f"| soft-close extensions applied | {r['extensions']} |",
            f"| final price | ¥{Decimal(r['final_price']):,.2f} |",
            "",
            "Invariants checked after the run (all must hold; the command fails otherwise):",
            "",
            *[f"- {'✔' if ok else '✘'} `{k}`" for k, ok in r["invariants"].items()],
            "",
        ]
        replace_section(path, "\n".join(lines), title)
