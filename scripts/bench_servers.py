#!/usr/bin/env python3
"""Choose the production app server by measurement: the same WSGI app under gunicorn and granian.

Each candidate runs the platform's WSGI app (``techbridge.wsgi``) with DEBUG off on the configured
database (set DATABASE_URL=postgres://… for the real comparison), as the same number of worker processes
and threads; keep-alive clients (one persistent HTTP/1.1 connection per client thread) hit, in turn, the
home page, the achievements list API (token-authenticated) and the bid API of a live lot created for the
run, for a fixed time each. Reported per server and target: requests/s, p50/p95 latency, the client's own
CPU time and the server processes' CPU time (from /proc) per request. ``--out`` writes the section
"Production app server" into docs/benchmarks.md.

    DATABASE_URL=postgres://… .venv/bin/python scripts/bench_servers.py --seconds 15 --out docs/benchmarks.md

gunicorn is not a dependency (granian was chosen, docs/deployment.md "Why granian"):
``.venv/bin/pip install gunicorn==27.0.1`` before comparing, or pass ``--servers granian``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from proc_cpu import process_tree_cpu_seconds  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_command(name: str, port: int, workers: int, threads: int) -> list[str]:
    bin_dir = Path(sys.executable).parent
    if name == "gunicorn":
        return [
            str(bin_dir / "gunicorn"),
            "techbridge.wsgi",
            "--worker-class",
            "gthread",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--keep-alive",
            "75",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ]
    if name == "granian":
        return [
            str(bin_dir / "granian"),
            "--interface",
            "wsgi",
            "--workers",
            str(workers),
            "--blocking-threads",
            str(threads),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "techbridge.wsgi:application",
        ]
    raise SystemExit(f"unknown server {name}")


def wait_until_up(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/")
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server on port {port} did not start")


def drive(
    port: int, clients: int, seconds: float, make_request: Any
) -> tuple[list[float], int, dict[int, int], float]:
    """Closed loop: ``clients`` threads, each on one persistent connection, for ``seconds``."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors = 0
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client(i: int) -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        rng = random.Random(i)
        mine: list[float] = []
        counts: dict[int, int] = {}
        while time.perf_counter() < stop:
            method, path, body, headers = make_request(i, rng)
            started = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                resp = conn.getresponse()
                resp.read()
            except (OSError, http.client.HTTPException):
                with lock:
                    errors += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                continue
            mine.append((time.perf_counter() - started) * 1000)
            counts[resp.status] = counts.get(resp.status, 0) + 1
        conn.close()
        with lock:
            latencies.extend(mine)
            for k, v in counts.items():
                statuses[k] = statuses.get(k, 0) + v

    cpu0 = time.process_time()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors, statuses, time.process_time() - cpu0


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--servers", default="gunicorn,granian")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--out", default="")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "techbridge.settings")
    os.environ["DEBUG"] = "0"
    import django

    django.setup()
    from django.db import connection

    from techbridge.auctions.management.commands.bench_auction import Command as BenchAuction

    bench = BenchAuction()
    fixture = bench._setup(int(time.time()) % 100000, args.clients)
    tokens = [fixture["tokens"][n] for n in sorted(fixture["tokens"])]
    lot_path = f"/api/v1/auctions/lots/{fixture['lot']}/bids/"
    minimum = {"value": Decimal("10000")}
    connection.close()

    def home(i: int, rng: random.Random) -> tuple[str, str, None, dict[str, str]]:
        return "GET", "/", None, {"Accept-Language": "zh-hans"}

    def listing(i: int, rng: random.Random) -> tuple[str, str, None, dict[str, str]]:
        return "GET", "/api/v1/achievements/", None, {"Authorization": f"Token {tokens[i]}"}

    def bid(i: int, rng: random.Random) -> tuple[str, str, str, dict[str, str]]:
        minimum["value"] += Decimal(100)  # racing clients: some accepted, most refused as outbid
        amount = minimum["value"] + Decimal(100) * rng.choice([0, 0, 1])
        body = json.dumps({"amount": f"{amount:.2f}", "nonce": f"s{i}-{rng.randrange(10**12)}"})
        headers = {"Authorization": f"Token {tokens[i]}", "Content-Type": "application/json"}
        return "POST", lot_path, body, headers

    rows: list[dict[str, Any]] = []
    env = {**os.environ, "DEBUG": "0", "PYTHONUNBUFFERED": "1", "LOG_LEVEL": "ERROR"}
    try:
        for name in args.servers.split(","):
            port = free_port()
            proc = subprocess.Popen(
                server_command(name, port, args.workers, args.threads),
                cwd=ROOT,
                env=env,
                start_new_session=True,
            )
            try:
                wait_until_up(port)
                for target, make in (("home page", home), ("achievements list API", listing), ("bid", bid)):
                    drive(port, args.clients, 2, make)  # warm-up: imports, connections, caches
                    server0 = process_tree_cpu_seconds(proc.pid)
                    started = time.perf_counter()
                    lat, errors, statuses, client_cpu = drive(port, args.clients, args.seconds, make)
                    wall = time.perf_counter() - started
                    server_cpu = process_tree_cpu_seconds(proc.pid) - server0
                    n = len(lat)
                    row = {
                        "server": name,
                        "target": target,
                        "requests": n,
                        "rps": round(n / wall, 1),
                        "p50": round(percentile(lat, 50), 1),
                        "p95": round(percentile(lat, 95), 1),
                        "errors": errors,
                        "statuses": statuses,
                        "server_cpu_ms": round(server_cpu * 1000 / max(n, 1), 2),
                        "client_cpu_ms": round(client_cpu * 1000 / max(n, 1), 2),
                    }
                    rows.append(row)
                    print(json.dumps(row, ensure_ascii=False), flush=True)
            finally:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
    finally:
        bench._cleanup(fixture)
    if args.out:
        write(Path(args.out), rows, args, connection.vendor)


def write(path: Path, rows: list[dict[str, Any]], args: argparse.Namespace, vendor: str) -> None:
    from django.utils import timezone

    from techbridge.core.benchmarks import machine
    from techbridge.lib.markdown import replace_section

    title = "## Production app server: gunicorn or granian"
    m = machine()
    db = "PostgreSQL" if vendor == "postgresql" else "SQLite"
    lines = [
        title,
        "",
        f"Measured {timezone.localtime().strftime('%Y-%m-%d %H:%M %Z')} on {m['nproc']} cores ({m['cpu']}, "
        f"{m['ram']}), shared with other engineers' work (load average {os.getloadavg()[0]:.1f}); {db}. "
        f"Command: `scripts/bench_servers.py --workers {args.workers} --threads {args.threads} "
        f"--clients {args.clients} --seconds {args.seconds:g}`. Same WSGI app (`techbridge.wsgi`), "
        "DEBUG off, "
        f"{args.workers} worker processes × {args.threads} threads each; {args.clients} keep-alive clients "
        "(one persistent HTTP/1.1 connection each), closed loop. CPU columns: "
        "milliseconds of CPU per request, "
        "server processes read from /proc, the load generator's own process time.",
        "",
        "| server | target | requests/s | p50 ms | p95 ms | errors | server CPU ms/req | client CPU ms/req |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
        *[
            f"| {r['server']} | {r['target']} | {r['rps']} | {r['p50']} | {r['p95']} | {r['errors']} | "
            f"{r['server_cpu_ms']} | {r['client_cpu_ms']} |"
            for r in rows
        ],
        "",
    ]
    replace_section(path, "\n".join(lines), title)


if __name__ == "__main__":
    main()
