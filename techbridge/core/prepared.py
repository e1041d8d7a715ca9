"""Hot reads compiled to SQL once: a queryset built once, run again with new parameters.

Building and compiling a queryset costs a millisecond or more of CPU (expressions resolved, joins set up,
SQL assembled); the database then answers a one-row read in a tenth of that. For the few reads on a hot
path (the API token, the lot a bid is decided on), ``PreparedRead`` builds the ``values()`` queryset
once per thread and database alias with sentinel arguments, remembers where each argument lands among
the SQL parameters and which converters the columns need, and afterwards only executes the SQL.

The queryset must have the same shape for every argument (no ``None`` that would turn ``=`` into
``IS NULL``, no branches on the arguments): pass plain ints and strings.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.db import connections
from django.db.models import QuerySet

NEVER_AUTOMATICALLY = 2**31 - 1


class _ServerPrepared:
    """A psycopg cursor with server-side binding that asks PostgreSQL to prepare each statement
    (parse and plan once per connection, then only bind and execute)."""

    def __init__(self, raw: Any) -> None:
        self._raw = raw
        self._query: Any = None

    def execute(self, sql: str, params: Any = None) -> Any:
        # what Django's query log shows (``last_executed_query`` reads ``_query.query``)
        self._query = SimpleNamespace(query=f"{sql} -- {list(params or ())!r}".encode())
        return self._raw.execute(sql, params, prepare=True)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


def prepared_cursor(connection: Any) -> Any:
    """A cursor of ``connection`` (Django's wrapper: logged, counted, errors translated) whose statements
    PostgreSQL prepares once per connection; on other databases the ordinary cursor (SQLite caches
    its statements itself)."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    import psycopg

    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:
        # Django turns psycopg's preparing off (for transaction poolers); Django's own cursors bind on
        # the client and never prepare, so a threshold no query reaches prepares only what asks.
        raw.prepare_threshold = NEVER_AUTOMATICALLY
    return connection._prepare_cursor(_ServerPrepared(psycopg.Cursor(raw)))


@dataclass
class _Compiled:
    sql: str
    slots: list[tuple[bool, Any]]  # (is an argument, its name or the constant)
    names: list[str]
    compiler: Any
    converters: dict[int, Any]


class PreparedRead:
    """``build(**arguments)`` returns a ``values()`` queryset; ``one(**arguments)`` runs it and returns
    the first row as a dict (or ``None``), with the values the ORM would give."""

    def __init__(self, build: Callable[..., QuerySet], **sentinels: Any) -> None:
        self._build = build
        self._sentinels = sentinels
        self._local = threading.local()

    def _compiled(self, using: str) -> _Compiled:
        cache: dict[str, _Compiled] = self._local.__dict__.setdefault("by_alias", {})
        if (found := cache.get(using)) is not None:
            return found
        queryset = self._build(**self._sentinels)
        query = queryset.query
        compiler = query.get_compiler(using)
        sql, params = compiler.as_sql()
        slots: list[tuple[bool, Any]] = []
        for param in params:
            name = next(
                (k for k, v in self._sentinels.items() if type(v) is type(param) and v == param), None
            )
            slots.append((True, name) if name is not None else (False, param))
        missing = set(self._sentinels) - {name for is_arg, name in slots if is_arg}
        if missing:
            raise ValueError(f"arguments not found among the SQL parameters: {sorted(missing)}")
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
        selected = [col for col, _sql, _alias in compiler.select][: len(names)]
        found = _Compiled(sql, slots, names, compiler, compiler.get_converters(selected))
        cache[using] = found
        return found

    def one(self, using: str = "default", **arguments: Any) -> dict[str, Any] | None:
        compiled = self._compiled(using)
        params = [arguments[value] if is_arg else value for is_arg, value in compiled.slots]
        with prepared_cursor(connections[using]) as cursor:
            cursor.execute(compiled.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        if compiled.converters:
            row = next(iter(compiled.compiler.apply_converters([row], compiled.converters)))
        return dict(zip(compiled.names, row, strict=False))


class ChainedRead:
    """Two prepared reads as one statement: ``first``'s row, and ``second`` run with some of its
    arguments taken from columns of that row (``links``: argument name → column of ``first``).

    On PostgreSQL this is one round trip (``second`` joined LATERAL to ``first``): a hot path that would
    read a row and then a second row depending on it (an API token's user, then what that user may do on
    a lot) pays one statement's overhead in the app, the driver and the server instead of two. Elsewhere
    (SQLite: no round trips to save) the two reads run one after the other. ``one`` returns the two rows
    as :meth:`PreparedRead.one` would (``(None, None)`` when ``first`` finds nothing, ``(row, None)``
    when ``second`` does).
    """

    def __init__(self, first: PreparedRead, second: PreparedRead, links: dict[str, str]) -> None:
        self.first, self.second, self.links = first, second, links
        self._local = threading.local()

    def _compiled(self, using: str) -> tuple[str, list[tuple[int, Any]], int, _Compiled, _Compiled]:
        cache: dict[str, Any] = self._local.__dict__.setdefault("by_alias", {})
        if (found := cache.get(using)) is not None:
            return found
        quote = connections[using].ops.quote_name
        a, b = self.first._compiled(using), self.second._compiled(using)
        # (0, name): an argument of the call; the second's linked arguments become column references
        slots: list[tuple[int, Any]] = [(0, value) if is_arg else (1, value) for is_arg, value in a.slots]
        pieces = b.sql.split("%s")
        assert len(pieces) == len(b.slots) + 1, "a literal %s in the second read's SQL"
        sql_b = pieces[0]
        for (is_arg, value), piece in zip(b.slots, pieces[1:], strict=True):
            if is_arg and value in self.links:
                sql_b += f'"first".{quote(self.links[value])}' + piece
            else:
                sql_b += "%s" + piece
                slots.append((0, value) if is_arg else (1, value))
        sql = (
            f'SELECT "first".*, "second".* FROM ({a.sql}) AS "first" '
            f'LEFT JOIN LATERAL ({sql_b}) AS "second" ON TRUE'
        )
        found = (sql, slots, len(a.compiler.select), a, b)  # every column "first".* brings
        cache[using] = found
        return found

    def one(
        self, using: str = "default", **arguments: Any
    ) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        connection = connections[using]
        if connection.vendor != "postgresql":
            row_a = self.first.one(using, **{k: arguments[k] for k in self.first._sentinels})
            if row_a is None:
                return None, None
            linked = {arg: row_a[column] for arg, column in self.links.items()}
            second_args = {k: arguments[k] for k in self.second._sentinels if k not in self.links}
            return row_a, self.second.one(using, **second_args, **linked)
        sql, slots, width, a, b = self._compiled(using)
        params = [arguments[value] if kind == 0 else value for kind, value in slots]
        with prepared_cursor(connection) as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row is None:
            return None, None
        return _converted(a, row[:width]), (None if row[width] is None else _converted(b, row[width:]))


def _converted(compiled: _Compiled, row: tuple[Any, ...]) -> dict[str, Any]:
    if compiled.converters:
        row = next(iter(compiled.compiler.apply_converters([row], compiled.converters)))
    return dict(zip(compiled.names, row, strict=False))
