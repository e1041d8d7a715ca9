"""Keeping refused bid attempts cheaply: one INSERT outside any transaction, never under the lot's lock.

PostgreSQL: the INSERT runs in autocommit (row locks only; nothing waits on it). SQLite has one write
lock for the whole file: a refusal must never wait for it (a winner's transaction may hold it), so the
INSERT is tried without waiting (``techbridge.core.sqlite.base.no_wait``); when the lock is
held, the row waits in this process's buffer and is written with the next refusal or by the task thread
(``flush_pending``). Replays and the by-nonce lookup consult the buffer first, so idempotency stays exact.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.db import IntegrityError, OperationalError, connection, transaction

from techbridge.core.prepared import prepared_cursor
from techbridge.core.sqlite.base import no_wait

from ..models import BidAttempt

log = logging.getLogger(__name__)
_lock = threading.Lock()
_pending: dict[tuple[int, int, str], BidAttempt] = {}


def pending(lot_id: int, user_id: int, nonce: str) -> BidAttempt | None:
    """A refused attempt still waiting in this process's buffer (SQLite under a held write lock)."""
    with _lock:
        return _pending.get((lot_id, user_id, nonce))


def pending_count() -> int:
    with _lock:
        return len(_pending)


#: Every column but the id, in the order of ``_insert``'s statement.
_FIELDS = [f for f in BidAttempt._meta.concrete_fields if not f.primary_key]
_statements: dict[str, str] = {}


def _insert(row: BidAttempt) -> None:
    """One INSERT of the row through a statement built once per database vendor (the ORM's ``save``
    would rebuild it each time, and nobody needs the new id back)."""
    sql = _statements.get(connection.vendor)
    if sql is None:
        quote = connection.ops.quote_name
        sql = "INSERT INTO {} ({}) VALUES ({})".format(
            quote(BidAttempt._meta.db_table),
            ", ".join(quote(str(f.column)) for f in _FIELDS),
            ", ".join(["%s"] * len(_FIELDS)),
        )
        _statements[connection.vendor] = sql
    with prepared_cursor(connection) as cursor:
        cursor.execute(sql, [f.get_db_prep_save(getattr(row, f.attname), connection) for f in _FIELDS])


def _write(rows: list[BidAttempt]) -> None:
    if len(rows) == 1:
        _insert(rows[0])
    else:
        BidAttempt.objects.bulk_create(rows, ignore_conflicts=True)


def keep(row: BidAttempt) -> bool:
    """Store a refused attempt. ``False`` when another request stored one with the same key first
    (unique (lot, user, nonce)); the caller answers with that one."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        try:
            if connection.in_atomic_block:  # a caller's transaction (a test, a command): a savepoint
                with transaction.atomic():
                    _insert(row)
            else:
                _insert(row)
        except IntegrityError:
            return False
        return True
    key = (row.lot_id, row.user_id, row.nonce)
    with _lock:
        if key in _pending:
            return False
        batch = [*_pending.values(), row]
    try:
        with no_wait():
            _write(batch)
    except IntegrityError:
        return False
    except OperationalError:  # the write lock is held (a winner, a command): keep it for later
        with _lock:
            _pending[key] = row
        _schedule_flush()
        return True
    with _lock:
        for done in batch[:-1]:
            _pending.pop((done.lot_id, done.user_id, done.nonce), None)
    return True


def _schedule_flush() -> None:
    from techbridge.core.tasks import enqueue

    from ..tasks import flush_bid_attempts

    _flush_at_exit_once()
    enqueue(flush_bid_attempts)


def flush_pending(tries: int = 3) -> int:
    """Write every buffered refusal (waiting for the write lock as any writer does, ``tries`` times);
    how many were written."""
    written = 0
    for _ in range(tries):
        with _lock:
            batch = list(_pending.values())
        if not batch:
            break
        try:
            BidAttempt.objects.bulk_create(batch, ignore_conflicts=True)
        except OperationalError:
            continue
        with _lock:
            for done in batch:
                _pending.pop((done.lot_id, done.user_id, done.nonce), None)
        written += len(batch)
    return written


_exit_hook = False


def _flush_at_exit() -> None:
    try:
        if flush_pending():
            connection.close()
    except Exception:  # the process is ending: say so, never raise
        log.exception("auctions: refused bid attempts could not be written at exit")


def _flush_at_exit_once() -> None:
    """A process that buffered refusals writes what is left when it ends (a server's worker stopping
    gracefully): ``atexit`` for ordinary processes, a multiprocessing finaliser for forked workers,
    which end without running ``atexit``."""
    global _exit_hook
    if _exit_hook:
        return
    _exit_hook = True
    import atexit
    import multiprocessing.util

    atexit.register(_flush_at_exit)
    multiprocessing.util.Finalize(None, _flush_at_exit, exitpriority=100)


def find(lot_id: int, user_id: int, nonce: str) -> Any:
    """The kept attempt (buffered or stored) with this key, or ``None``."""
    if (row := pending(lot_id, user_id, nonce)) is not None:
        return row
    return (
        BidAttempt.objects.filter(lot_id=lot_id, user_id=user_id, nonce=nonce)
        .select_related("bid__registration")
        .first()
    )
