"""The production app server and the scale-out tooling, seen from outside: over HTTP.

- ``make serve`` starts granian (the chosen production server), which keeps HTTP/1.1 connections alive;
- ``scripts/smoke.py`` passes against a running server with a lot made by ``bench_auction --prepare``,
  and ``bench_auction --cleanup`` removes it again;
- ``scripts/proc_cpu.py`` reads a process tree's CPU time from /proc (the benchmarks' server CPU).
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

ROOT = Path(settings.BASE_DIR)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_make_serve_runs_granian_with_keep_alive(tmp_path):
    port = _free_port()
    env = os.environ | {
        "WEB_CONCURRENCY": "1",
        "WEB_THREADS": "2",
        "DEBUG": "0",
        "TECHBRIDGE_SKIP_DOTENV": "1",
        # The embedded default: an SQLite file (nothing else set). API root and static files need no table.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
    }
    proc = subprocess.Popen(
        ["make", "--no-print-directory", "serve", "HOST=127.0.0.1", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        conn = None
        for _ in range(300):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                conn.request("GET", "/api/v1/", headers={"Accept-Language": "zh-hans"})
                first = conn.getresponse()
                body = first.read()
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(f"make serve exited: {proc.stdout.read().decode() if proc.stdout else ''}")
                time.sleep(0.1)
        else:
            pytest.fail("make serve did not answer within 30 s")
        assert first.status == 200
        assert "achievements" in json.loads(body)["sections"]
        assert first.getheader("Server", "").startswith("granian")
        # The same connection answers a second request: clients and proxies reuse it.
        conn.request("GET", "/static/css/site.css")
        second = conn.getresponse()
        assert second.status == 200
        assert "text/css" in second.getheader("Content-Type", "")
        assert len(second.read()) > 100
        conn.close()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_smoke_script_passes_against_a_running_server(
    live_server, transactional_db, django_db_serialized_rollback, tmp_path
):
    from techbridge.auctions.models import Lot

    fixture_file = tmp_path / "smoke.json"
    call_command("bench_auction", bidders=2, prepare=str(fixture_file))
    fixture = json.loads(fixture_file.read_text())
    assert Lot.objects.get(pk=fixture["lot"]).status == "listed"

    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "smoke.py"),
            "--url",
            live_server.url,
            "--fixture",
            str(fixture_file),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "smoke: OK" in run.stdout
    assert "ok   a bid on the live lot is accepted (201)" in run.stdout
    assert "ok   the same bid again returns the original outcome" in run.stdout
    lot = Lot.objects.get(pk=fixture["lot"])
    assert lot.bid_count == 1  # the replay did not bid twice

    call_command("bench_auction", cleanup=str(fixture_file))
    assert not Lot.objects.filter(pk=fixture["lot"]).exists()
    assert not fixture_file.exists()


def test_process_cpu_is_read_from_proc():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import proc_cpu
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    started = time.process_time()
    while time.process_time() - started < 0.2:  # burn a little CPU in this process
        sum(range(10_000))
    seconds = proc_cpu.process_tree_cpu_seconds(os.getpid())
    assert seconds >= 0.2
    assert os.getpid() in proc_cpu.descendants(os.getppid())
