"""Vector backends behind one interface: exact numpy, HNSW (usearch), pgvector; embeddings helpers.

The pgvector tests run when the suite runs on PostgreSQL (``DATABASE_URL=postgres://… pytest``).
"""

from __future__ import annotations

import numpy as np
import pytest
from django.db import connection

from techbridge.matching import embeddings, vectors
from techbridge.matching.vectors import ExactIndex, HNSWIndex, PgVectorIndex, VectorIndex

DIM = embeddings.DIM


def clustered(n: int, seed: int = 0, clusters: int = 20) -> np.ndarray:
    """Unit vectors in a few clusters, like embeddings of listings in a few fields."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(clusters, DIM))
    mat = centres[rng.integers(0, clusters, n)] + 0.35 * rng.normal(size=(n, DIM))
    return (mat / np.linalg.norm(mat, axis=1, keepdims=True)).astype(np.float32)


def pg_index() -> PgVectorIndex:
    if connection.vendor != "postgresql":
        pytest.skip("pgvector needs PostgreSQL (DATABASE_URL=postgres://…)")
    return PgVectorIndex("test-kind")


BACKENDS = {
    "exact": ExactIndex,
    "hnsw": HNSWIndex,
    "pgvector": pg_index,
}


@pytest.fixture(params=list(BACKENDS))
def backend(request):
    if request.param == "pgvector":
        request.getfixturevalue("db")
    return BACKENDS[request.param]()


def test_every_backend_speaks_the_one_interface(backend):
    assert isinstance(backend, VectorIndex)


def test_search_finds_the_nearest_vectors_best_first(backend):
    mat = clustered(300)
    ids = list(range(1, 301))
    backend.upsert(ids, mat)
    assert len(backend) == 300
    hits = backend.search(mat[41], k=5)
    assert hits[0][0] == 42
    assert hits[0][1] == pytest.approx(1.0, abs=1e-2)
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)


def test_allowed_ids_restrict_the_search(backend):
    mat = clustered(300, seed=1)
    backend.upsert(list(range(1, 301)), mat)
    allowed = {7, 8, 9, 150}
    hits = backend.search(mat[41], k=10, allowed=allowed)
    assert {doc for doc, _ in hits} == allowed
    assert backend.search(mat[41], k=10, allowed=set()) == []
    assert backend.search(mat[41], k=10, allowed={999}) == []


def test_a_filter_of_many_ids_works(backend):
    mat = clustered(300, seed=7)
    backend.upsert(list(range(1, 301)), mat)
    allowed = set(range(2, 100_000, 2))  # more ids than PostgreSQL takes as separate parameters
    hits = backend.search(mat[41], k=5, allowed=allowed)
    assert hits and all(doc in allowed for doc, _ in hits)


def test_upsert_replaces_and_remove_forgets(backend):
    mat = clustered(50, seed=2)
    backend.upsert(list(range(1, 51)), mat)
    backend.upsert([1], mat[10:11])  # listing 1 now says what listing 11 says
    top2 = {doc for doc, _ in backend.search(mat[10], k=2)}
    assert top2 == {1, 11}
    backend.remove([11, 999])
    assert len(backend) == 49
    assert backend.search(mat[10], k=1)[0][0] == 1


def test_hnsw_agrees_with_exact_search():
    mat = clustered(5000, seed=3)
    ids = list(range(5000))
    exact, graph = ExactIndex(), HNSWIndex()
    exact.upsert(ids, mat)
    graph.upsert(ids, mat)
    rng = np.random.default_rng(4)
    queries = mat[rng.integers(0, 5000, 50)] + 0.3 * rng.normal(size=(50, DIM)).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    overlap = [
        len({d for d, _ in exact.search(q, 10)} & {d for d, _ in graph.search(q, 10)}) / 10 for q in queries
    ]
    # Isotropic noise in 384 dimensions is harder for a graph than real embeddings (measured on those
    # in docs/benchmarks.md); the graph is built with threads, so allow for run-to-run variation.
    assert np.mean(overlap) >= 0.9
    # a filter that keeps half of the listings: still only allowed ones, still close to exact
    allowed = set(range(0, 5000, 2))
    for q in queries[:10]:
        hits = graph.search(q, 10, allowed=allowed)
        assert len(hits) == 10 and all(d in allowed for d, _ in hits)


def test_local_indexes_save_and_load(tmp_path):
    mat = clustered(100, seed=5)
    for cls, name in ((ExactIndex, "x.npz"), (HNSWIndex, "x.usearch")):
        index = cls()
        index.upsert([f"id-{i}" for i in range(100)], mat)
        index.save(tmp_path / name)
        again = cls.load(tmp_path / name)
        assert len(again) == 100
        assert again.search(mat[3], 3) == index.search(mat[3], 3)


def test_exact_index_refuses_a_file_of_another_model(tmp_path):
    index = ExactIndex()
    index.upsert([1], clustered(1))
    index.save(tmp_path / "x.npz")
    data = dict(np.load(tmp_path / "x.npz"))
    data["model"] = np.array("another-model")
    np.savez(tmp_path / "y.npz", **data)
    with pytest.raises(ValueError):
        ExactIndex.load(tmp_path / "y.npz")


def test_local_index_is_exact_up_to_the_threshold_then_hnsw():
    assert isinstance(vectors.new_local_index(1000), ExactIndex)
    assert isinstance(vectors.new_local_index(vectors.HNSW_THRESHOLD + 1), HNSWIndex)


@pytest.mark.django_db
def test_local_index_is_built_from_the_embedding_cache_and_saved(settings, tmp_path):
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL uses pgvector, not a local index")
    from techbridge.matching.models import Embedding, IndexEntry

    settings.MATCHING_INDEX_DIR = tmp_path
    mat = clustered(3, seed=6)
    for object_id, vec in zip((11, 12, 13), mat, strict=True):
        digest = embeddings.content_hash(f"listing {object_id}")
        Embedding.objects.create(
            content_hash=digest, model_id=embeddings.MODEL_ID, vector=embeddings.to_bytes(vec)
        )
        IndexEntry.objects.create(kind="achievement", object_id=object_id, content_hash=digest, state="done")
    IndexEntry.objects.create(kind="achievement", object_id=14, content_hash="x", state="pending")
    vectors.forget_local_indexes()
    try:
        index = vectors.get_vector_index("achievement", reload=True)
        assert len(index) == 3
        assert index.search(mat[1], 1)[0][0] == 12
        path = vectors.save_local_index("achievement", index)
        vectors.forget_local_indexes()
        assert path.exists()
        assert len(vectors.get_vector_index("achievement")) == 3
    finally:
        vectors.forget_local_indexes()


@pytest.mark.django_db
def test_postgres_gets_the_pgvector_backend():
    index = vectors.get_vector_index("achievement")
    expected = PgVectorIndex if connection.vendor == "postgresql" else (ExactIndex, HNSWIndex)
    assert isinstance(index, expected)
    vectors.forget_local_indexes()


def test_the_backend_setting_overrides_the_database_vendor(settings):
    settings.MATCH_VECTOR_BACKEND = "pgvector"
    assert isinstance(vectors.get_vector_index("demand"), PgVectorIndex)


# ---- embeddings -------------------------------------------------------------------------------------


def test_vectors_round_trip_through_bytes():
    vec = clustered(1)[0]
    raw = embeddings.to_bytes(vec)
    assert len(raw) == DIM * 4
    assert np.array_equal(embeddings.from_bytes(raw), vec)


def test_content_hash_ignores_spacing_and_width_but_not_content():
    a = embeddings.content_hash("锂电池 隔膜，ABC")
    assert a == embeddings.content_hash("  锂电池   隔膜,ＡＢＣ ")
    assert a != embeddings.content_hash("锂电池 隔膜，ABD")
    assert len(a) == 64


def test_passage_text_puts_title_and_keywords_before_a_cut_body():
    text = embeddings.passage_text("标题", "正文" * 2000, "关键词一、关键词二")
    assert text.startswith("标题\n关键词一、关键词二\n正文")
    assert len(text) == embeddings.MAX_PASSAGE_CHARS


def test_encoders_give_unit_vectors_and_fit_one_window(e5_model):
    mats = embeddings.encode_passages(["锂离子电池隔膜", "污水处理 sludge reduction"], batch_size=2)
    assert mats.shape == (2, DIM) and mats.dtype == np.float32
    assert np.allclose(np.linalg.norm(mats, axis=1), 1.0, atol=1e-4)
    assert embeddings.encode_passages([]).shape == (0, DIM)
    long = "电池隔膜" * 5000
    assert e5_model.token_count(embeddings.fit_window(long, is_query=True), True) <= embeddings.MAX_TOKENS + 2
    vec = embeddings.encode_query(long)
    assert vec.shape == (DIM,)
    near, far = embeddings.encode_query("电池隔膜材料"), embeddings.encode_query("水稻病虫害防治")
    assert float(mats[0] @ near) > float(mats[0] @ far)


def test_a_query_asked_again_is_not_encoded_again(monkeypatch):
    """A match page encodes its listing's text as the query; viewing it again reuses the vector."""
    calls: list[str] = []

    class Model:
        def token_count(self, text, *args, **kwargs):
            return len(text)

        def query(self, text):
            calls.append(text)
            return [float(len(calls))] + [0.0] * (embeddings.DIM - 1)

    monkeypatch.setattr(embeddings, "get_model", lambda: Model())
    monkeypatch.setattr(embeddings, "_query_cache", embeddings.OrderedDict())
    monkeypatch.setattr(embeddings, "QUERY_CACHE_SIZE", 2)
    first = embeddings.encode_query("锂电池隔膜 涂覆工艺")
    again = embeddings.encode_query("锂电池隔膜  涂覆工艺")  # the same text once normalised
    assert len(calls) == 1 and (first == again).all()
    again[0] = 42.0  # a caller changing its copy does not change the cache
    assert embeddings.encode_query("锂电池隔膜 涂覆工艺")[0] == first[0]
    embeddings.encode_query("水稻病虫害防治")
    embeddings.encode_query("光伏组件回收")  # the cache holds two: the first query is dropped
    embeddings.encode_query("锂电池隔膜 涂覆工艺")
    assert len(calls) == 4
