"""Database-specific full-text index: FTS5 mirror table on SQLite, GIN index on PostgreSQL."""

from django.db import migrations

SQLITE_UP = [
    "CREATE VIRTUAL TABLE core_fulltext_fts USING fts5("
    "tokens, content='core_fulltextentry', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER core_fulltext_ai AFTER INSERT ON core_fulltextentry BEGIN "
    "INSERT INTO core_fulltext_fts(rowid, tokens) VALUES (new.id, new.tokens); END",
    "CREATE TRIGGER core_fulltext_ad AFTER DELETE ON core_fulltextentry BEGIN "
    "INSERT INTO core_fulltext_fts(core_fulltext_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens); END",
    "CREATE TRIGGER core_fulltext_au AFTER UPDATE ON core_fulltextentry BEGIN "
    "INSERT INTO core_fulltext_fts(core_fulltext_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens); "
    "INSERT INTO core_fulltext_fts(rowid, tokens) VALUES (new.id, new.tokens); END",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS core_fulltext_au",
    "DROP TRIGGER IF EXISTS core_fulltext_ad",
    "DROP TRIGGER IF EXISTS core_fulltext_ai",
    "DROP TABLE IF EXISTS core_fulltext_fts",
]
PG_UP = [
    "CREATE INDEX core_fulltext_gin ON core_fulltextentry USING gin (to_tsvector('simple', tokens))",
]
PG_DOWN = ["DROP INDEX IF EXISTS core_fulltext_gin"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": PG_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": PG_DOWN}),
        )
    ]
