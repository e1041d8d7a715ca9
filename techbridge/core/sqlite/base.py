"""Django's SQLite backend with one change: a statement that finds the write lock taken waits for it in
Python, not inside SQLite.

SQLite's own busy timeout waits inside ``sqlite3_step`` while holding the connection's mutex. With
connections kept open between requests (``DB_CONN_MAX_AGE``) that can deadlock for the whole timeout:
thread Y waits in ``BEGIN IMMEDIATE`` holding its connection's mutex; thread X, which holds the write
lock, runs Python's garbage collector, which finalises a leftover cursor of Y's connection and so needs
that mutex; X cannot commit until Y gives up 20 s later (every request behind them answered "database is
locked"). Measured with ``bench_auction`` on SQLite: the lock holder frozen mid-statement for seconds
while the other threads of its process waited in ``BEGIN IMMEDIATE``.

Here the connection's busy timeout is 0 and the cursor retries a statement refused with SQLITE_BUSY
itself, sleeping between tries (1 ms doubling to 50 ms) without holding any SQLite mutex, for up to the
configured ``timeout`` (``OPTIONS["timeout"]``, 20 s). Only statements outside a transaction are retried —
``BEGIN IMMEDIATE`` and single writes in autocommit — where a refused statement has done nothing; inside a
transaction the error is raised as before (with IMMEDIATE transactions a transaction already holds the
lock, so this does not happen). ``no_wait()`` lets a caller try once without waiting.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db.backends.sqlite3 import base

FIRST_PAUSE = 0.001
LONGEST_PAUSE = 0.05

_local = threading.local()


@contextmanager
def no_wait() -> Iterator[None]:
    """Within the block, a statement that finds the write lock taken fails at once (OperationalError)."""
    before = getattr(_local, "no_wait", False)
    _local.no_wait = True
    try:
        yield
    finally:
        _local.no_wait = before


def _busy(exc: sqlite3.OperationalError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return bool(code & 0xFF == sqlite3.SQLITE_BUSY)
    return "database is locked" in str(exc)


class CursorWrapper(base.SQLiteCursorWrapper):
    """Django's SQLite cursor, retrying a statement refused with SQLITE_BUSY outside a transaction."""

    wait_seconds: float = 20.0

    def _retrying(self, run: Any) -> Any:
        deadline = None
        pause = FIRST_PAUSE
        while True:
            try:
                return run()
            except sqlite3.OperationalError as exc:
                if not _busy(exc) or self.connection.in_transaction or getattr(_local, "no_wait", False):
                    raise
                now = time.monotonic()
                if deadline is None:
                    deadline = now + self.wait_seconds
                if now >= deadline:
                    raise
                time.sleep(min(pause, deadline - now))
                pause = min(pause * 2, LONGEST_PAUSE)

    def execute(self, query: str, params: Any = None) -> Any:
        return self._retrying(lambda: super(CursorWrapper, self).execute(query, params))

    def executemany(self, query: str, param_list: Any) -> Any:
        rows = list(param_list)
        return self._retrying(lambda: super(CursorWrapper, self).executemany(query, rows))


class DatabaseWrapper(base.DatabaseWrapper):
    """SQLite with the busy wait moved out of SQLite (see the module's docstring)."""

    def get_connection_params(self) -> dict[str, Any]:
        params = super().get_connection_params()
        self.wait_seconds = float(params.get("timeout", 5.0))
        return params

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        # The set-up statements (foreign keys, WAL) wait inside SQLite as before: nobody else holds
        # this new connection yet. From then on the cursor does the waiting.
        conn = super().get_new_connection(conn_params)
        conn.execute("PRAGMA busy_timeout = 0")
        return conn

    def create_cursor(self, name: str | None = None) -> Any:
        cursor = self.connection.cursor(factory=CursorWrapper)
        cursor.wait_seconds = getattr(self, "wait_seconds", 5.0)
        return cursor
