# The pgvector table of ListingVector (an unmanaged model) and its HNSW cosine index.
# PostgreSQL only: on SQLite both steps do nothing and the vectors live in local index files.

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS vector",
    """
    CREATE TABLE IF NOT EXISTS matching_listingvector (
        id bigserial PRIMARY KEY,
        kind varchar(16) NOT NULL,
        object_id bigint NOT NULL,
        embedding vector(384) NOT NULL,
        CONSTRAINT listing_vector_once_per_listing UNIQUE (kind, object_id)
    )
    """,
    "CREATE INDEX IF NOT EXISTS matching_listingvector_hnsw "
    "ON matching_listingvector USING hnsw (embedding vector_cosine_ops)",
]
DROP = ["DROP TABLE IF EXISTS matching_listingvector"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("matching", "0001_embedding_cache_index_queue_and_notices")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP), elidable=False)]
