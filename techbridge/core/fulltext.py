"""Chinese full-text search behind one interface.

Documents are tokenised with jieba (search mode) and stored in ``FullTextEntry``. On SQLite an FTS5
table kept in step by triggers answers queries with BM25 ranking; on PostgreSQL a GIN index over
``to_tsvector('simple', tokens)`` answers them with ``ts_rank``. Both return ranked primary keys, so
callers combine them with ordinary filters.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction

from techbridge.lib import text

from .models import FullTextEntry

MAX_HITS = 2000


@dataclass(frozen=True)
class Hit:
    object_id: int
    score: float


class FullTextBackend:
    """Index and search tokenised documents of several kinds (``achievement``, ``demand`` …)."""

    name = "base"

    def index(self, kind: str, object_id: int, document: str) -> None:
        tokens = " ".join(text.index_tokens(document))
        FullTextEntry.objects.update_or_create(kind=kind, object_id=object_id, defaults={"tokens": tokens})

    def index_many(self, kind: str, docs: Iterable[tuple[int, str]]) -> int:
        """Index many documents at once (three queries per call); returns how many were written."""
        rows = {object_id: " ".join(text.index_tokens(document)) for object_id, document in docs}
        if not rows:
            return 0
        with transaction.atomic():
            existing = dict(
                FullTextEntry.objects.filter(kind=kind, object_id__in=list(rows)).values_list(
                    "object_id", "id"
                )
            )
            FullTextEntry.objects.bulk_update(
                [
                    FullTextEntry(id=existing[oid], kind=kind, object_id=oid, tokens=rows[oid])
                    for oid in existing
                ],
                ["tokens"],
                batch_size=500,
            )
            FullTextEntry.objects.bulk_create(
                [
                    FullTextEntry(kind=kind, object_id=oid, tokens=tok)
                    for oid, tok in rows.items()
                    if oid not in existing
                ],
                batch_size=500,
            )
        return len(rows)

    def remove(self, kind: str, object_id: int) -> None:
        FullTextEntry.objects.filter(kind=kind, object_id=object_id).delete()

    def search(self, kind: str, query: str, limit: int = MAX_HITS) -> list[Hit]:
        """Ranked hits for ``query``: all terms must match; if none do, any term may."""
        tokens = text.query_tokens(query)
        if not tokens:
            return []
        hits = self._search(kind, tokens, require_all=True, limit=limit)
        if not hits and len(tokens) > 1:
            hits = self._search(kind, tokens, require_all=False, limit=limit)
        return hits

    def _search(self, kind: str, tokens: list[str], *, require_all: bool, limit: int) -> list[Hit]:
        raise NotImplementedError


class SQLiteFTS5Backend(FullTextBackend):
    name = "sqlite-fts5"

    def _search(self, kind: str, tokens: list[str], *, require_all: bool, limit: int) -> list[Hit]:
        joiner = " AND " if require_all else " OR "
        # Quote every token so FTS5 never reads user text as query syntax.
        match = joiner.join('"' + t.replace('"', '""') + '"' for t in tokens)
        sql = (
            "SELECT e.object_id, bm25(core_fulltext_fts) AS score "
            "FROM core_fulltext_fts JOIN core_fulltextentry e ON e.id = core_fulltext_fts.rowid "
            "WHERE core_fulltext_fts MATCH %s AND e.kind = %s ORDER BY score LIMIT %s"
        )
        with connection.cursor() as cur:
            cur.execute(sql, [match, kind, limit])
            # bm25() is lower-is-better; flip it so every backend returns higher-is-better.
            return [Hit(int(oid), -float(score)) for oid, score in cur.fetchall()]


class PostgresBackend(FullTextBackend):
    name = "postgres"

    def _search(self, kind: str, tokens: list[str], *, require_all: bool, limit: int) -> list[Hit]:
        joiner = " & " if require_all else " | "
        # Each token becomes a quoted lexeme, so punctuation in user input never reaches tsquery syntax.
        query = joiner.join("'" + t.replace("'", "''").replace("\\", "") + "'" for t in tokens)
        sql = (
            "SELECT object_id, ts_rank(to_tsvector('simple', tokens), q) AS score "
            "FROM core_fulltextentry, to_tsquery('simple', %s) q "
            "WHERE kind = %s AND to_tsvector('simple', tokens) @@ q ORDER BY score DESC, object_id LIMIT %s"
        )
        with connection.cursor() as cur:
            cur.execute(sql, [query, kind, limit])
            return [Hit(int(oid), float(score)) for oid, score in cur.fetchall()]


def get_backend() -> FullTextBackend:
    """The backend for the configured database (``FULLTEXT_BACKEND=auto``) or the one named."""
    choice = settings.FULLTEXT_BACKEND
    if choice == "auto":
        choice = "postgres" if connection.vendor == "postgresql" else "sqlite-fts5"
    if choice == "postgres":
        return PostgresBackend()
    if choice == "sqlite-fts5":
        return SQLiteFTS5Backend()
    raise ValueError(f"Unknown FULLTEXT_BACKEND {choice!r}")
