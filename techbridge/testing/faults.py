"""Kill a real process part-way through its work (the fault tests of issue 20).

``FaultWorker`` runs ``manage.py <command>`` in a child process on the test database, optionally told
to pause at a named point (``techbridge.lib.faults.fault_point``), waits until it is there and SIGKILLs
it: nothing in the child gets to clean up, as after a crash, an OOM kill or a power cut.

PostgreSQL: the child connects to the test database itself (the test must use ``transactional_db``,
so what it set up is committed). SQLite: the test database lives in this process's memory, so it is
copied to a file for the child and copied back once the child is gone (SQLite's backup API; the
copy keeps what the child committed and drops what it had not, as the file itself does).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.db import connection

from techbridge.lib.faults import PAUSE_ENV, SIGNAL_ENV

MANAGE = Path(settings.BASE_DIR) / "manage.py"


class FaultWorker:
    """Runs management commands in child processes on the test database; see the module docstring."""

    def __init__(self, tmp_path: Path):
        self.tmp = tmp_path
        self.sqlite_file = tmp_path / "fault-worker.sqlite3"
        self.index_dir = tmp_path / "index"

    # ---- the database the child sees ----------------------------------------------------------------

    def _database_url(self) -> str:
        s = connection.settings_dict
        if connection.vendor == "sqlite":
            return f"sqlite:///{self.sqlite_file}"
        auth = f"{quote(s['USER'])}:{quote(s['PASSWORD'])}@" if s["USER"] else ""
        return f"postgres://{auth}{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{quote(str(s['NAME']))}"

    def push(self) -> None:
        """SQLite: hand the child the current test database."""
        if connection.vendor != "sqlite":
            return
        connection.ensure_connection()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.sqlite_file}{suffix}").unlink(missing_ok=True)
        target = sqlite3.connect(self.sqlite_file)
        try:
            connection.connection.backup(target)
        finally:
            target.close()

    def pull(self) -> None:
        """SQLite: take back what the child committed."""
        if connection.vendor != "sqlite":
            return
        source = sqlite3.connect(self.sqlite_file)
        try:
            source.backup(connection.connection)
        finally:
            source.close()

    # ---- children -------------------------------------------------------------------------------------

    def env(self, **extra: str) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("PYTEST_", "TECHBRIDGE_FAULT_")) and k != "DATABASE_TEST_NAME"
        }
        return (
            env
            | {
                "TECHBRIDGE_SKIP_DOTENV": "1",
                "DJANGO_SETTINGS_MODULE": "techbridge.settings",
                "DATABASE_URL": self._database_url(),
                "MEDIA_ROOT": str(settings.MEDIA_ROOT),
                "MATCHING_INDEX_DIR": str(self.index_dir),
                "EMBEDDED_TASKS": "inline",
                "EMBEDDED_SCHEDULER": "0",
                "CELERY_BROKER_URL": "",
                "AUDIT_CODES_STRICT": "1",
                "REDIS_URL": "",
            }
            | extra
        )

    def start(self, *args: str, pause: str, timeout: float = 90.0, **extra_env: str) -> subprocess.Popen:
        """Start ``manage.py *args`` and return once it has paused at ``pause`` (``name`` or ``name:N``)."""
        self.push()
        signal_file = self.tmp / f"paused-{time.monotonic_ns()}"
        proc = subprocess.Popen(
            [sys.executable, str(MANAGE), *args],
            cwd=settings.BASE_DIR,
            env=self.env(**{PAUSE_ENV: pause, SIGNAL_ENV: str(signal_file)}, **extra_env),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while not signal_file.exists():
            if proc.poll() is not None:
                out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
                raise AssertionError(f"{' '.join(args)} ended ({proc.returncode}) before {pause}:\n{out}")
            if time.monotonic() > deadline:
                self.kill(proc)
                raise AssertionError(f"{' '.join(args)} did not reach {pause} within {timeout:.0f} s")
            time.sleep(0.05)
        time.sleep(0.05)  # the signal file is written; let its writer reach the sleep
        self.paused_pid = int(signal_file.read_text().split()[1])
        return proc

    def kill(self, proc: subprocess.Popen) -> None:
        """SIGKILL the child (only it: what it started itself is its own business) and take its database."""
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        if proc.stdout:
            proc.stdout.close()
        self.pull()

    def run(self, *args: str, timeout: float = 120.0, **extra_env: str) -> subprocess.CompletedProcess[str]:
        """Run ``manage.py *args`` to its end (no pause) and take its database."""
        self.push()
        done = subprocess.run(
            [sys.executable, str(MANAGE), *args],
            cwd=settings.BASE_DIR,
            env=self.env(**extra_env),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        self.pull()
        return done


def children_of(pid: int) -> list[int]:
    """The direct children of ``pid`` (Linux /proc)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def alive(pid: int) -> bool:
    """Whether ``pid`` is still running (a zombie counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in {"Z", "X"}


def wait_gone(pid: int, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def kill_quietly(pid: int) -> None:
    """Clean-up after a failed assertion: end a process this test started (by its id)."""
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


__all__: list[Any] = ["FaultWorker", "alive", "children_of", "kill_quietly", "wait_gone"]
