"""The embedded backend waits for SQLite's write lock in Python (techbridge.core.sqlite).

The deadlock it removes: thread Y waits for the write lock inside SQLite (holding its connection's mutex),
while thread X, which holds the write lock, needs Y's connection for a moment (Python's garbage collector
finalising a leftover of Y's) — X stalls until Y's timeout ends, and Y then fails "database is locked".
"""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from django.conf import settings

from techbridge.core.sqlite.base import CursorWrapper, no_wait


def _pair(path, *, timeout: float) -> tuple[sqlite3.Connection, sqlite3.Connection]:
    a = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=timeout)
    a.execute("PRAGMA journal_mode=WAL")
    a.execute("CREATE TABLE t (x INTEGER)")
    b = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=timeout)
    return a, b


def _holder_touches_the_waiters_connection(a, b, cursor) -> dict[str, object]:
    """X holds the write lock (``a``); Y begins a write transaction on ``b`` through ``cursor``; X then
    runs one statement on ``b`` and commits."""
    a.execute("BEGIN IMMEDIATE")
    a.execute("INSERT INTO t VALUES (1)")
    seen: dict[str, object] = {}
    waiting = threading.Event()

    def waiter() -> None:
        try:
            waiting.set()
            cursor.execute("BEGIN IMMEDIATE")
            cursor.execute("INSERT INTO t VALUES (2)")
            cursor.execute("COMMIT")
            seen["waiter"] = "committed"
        except sqlite3.OperationalError as exc:
            seen["waiter"] = str(exc)

    thread = threading.Thread(target=waiter)
    thread.start()
    waiting.wait(10)
    time.sleep(0.3)  # the waiter is now waiting for the lock
    started = time.monotonic()
    b.execute("SELECT 1").fetchall()
    seen["holder_stalled_s"] = time.monotonic() - started
    a.execute("COMMIT")
    thread.join(10)
    return seen


def test_sqlites_own_busy_wait_stalls_the_lock_holder(tmp_path):
    """What the backend avoids (plain sqlite3, a 2 s busy timeout): the holder stalls, the waiter fails."""
    a, b = _pair(str(tmp_path / "plain.sqlite3"), timeout=2)
    seen = _holder_touches_the_waiters_connection(a, b, b.cursor())
    assert seen["holder_stalled_s"] > 1.0
    assert seen["waiter"] == "database is locked"


def test_the_backend_waits_outside_sqlite_so_both_go_on(tmp_path):
    a, b = _pair(str(tmp_path / "ours.sqlite3"), timeout=0)
    cursor = b.cursor(factory=CursorWrapper)
    cursor.wait_seconds = 5
    seen = _holder_touches_the_waiters_connection(a, b, cursor)
    assert seen["holder_stalled_s"] < 0.5
    assert seen["waiter"] == "committed"
    assert sorted(x for (x,) in a.execute("SELECT x FROM t")) == [1, 2]


def test_a_waiter_gives_up_after_the_timeout_and_no_wait_fails_at_once(tmp_path):
    a, b = _pair(str(tmp_path / "timeout.sqlite3"), timeout=0)
    a.execute("BEGIN IMMEDIATE")
    cursor = b.cursor(factory=CursorWrapper)
    cursor.wait_seconds = 0.3
    started = time.monotonic()
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        cursor.execute("BEGIN IMMEDIATE")
    assert 0.25 < time.monotonic() - started < 2
    started = time.monotonic()
    with no_wait(), pytest.raises(sqlite3.OperationalError, match="locked"):
        cursor.execute("INSERT INTO t VALUES (3)")
    assert time.monotonic() - started < 0.1
    a.execute("ROLLBACK")


def test_the_embedded_default_uses_the_backend_and_keeps_connections():
    if settings.DATABASES["default"]["ENGINE"] != "techbridge.core.sqlite":
        pytest.skip("runs on the embedded default (SQLite)")
    assert settings.DATABASES["default"]["OPTIONS"]["timeout"] == 20
