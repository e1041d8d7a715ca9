"""Full-text search on the backend the active database selects (FTS5 on SQLite, tsvector on PostgreSQL).

The same tests run on both: `pytest techbridge/core/tests` and `DATABASE_URL=postgres://… pytest …`.
"""

from __future__ import annotations

import itertools

import pytest
from django.db import connection

from techbridge.core.fulltext import PostgresBackend, SQLiteFTS5Backend, get_backend
from techbridge.core.models import FullTextEntry

pytestmark = pytest.mark.django_db

KIND = "core-test"
DOCS = {
    1: "一种高效锂离子电池隔膜的制备方法，提高动力电池安全性和循环寿命。",
    2: "城市污水处理厂剩余污泥减量化技术，降低污泥处置成本。",
    3: "高分子隔膜材料用于海水淡化反渗透过滤，耐污染。",
    4: "基于深度学习的工业视觉缺陷检测系统，适用于电池极片和隔膜生产线。",
    5: "Graphene thermal film for smartphone heat dissipation 石墨烯导热膜",
}


@pytest.fixture
def backend():
    backend = get_backend()
    backend.index_many(KIND, DOCS.items())
    return backend


def ids(hits) -> list[int]:
    return [h.object_id for h in hits]


def test_auto_picks_the_backend_of_the_database():
    expected = PostgresBackend if connection.vendor == "postgresql" else SQLiteFTS5Backend
    assert isinstance(get_backend(), expected)


def test_unknown_backend_name_is_an_error(settings):
    settings.FULLTEXT_BACKEND = "elastic"
    with pytest.raises(ValueError, match="elastic"):
        get_backend()


def test_chinese_query_finds_the_document(backend):
    assert ids(backend.search(KIND, "锂离子电池")) == [1]
    assert ids(backend.search(KIND, "污泥减量")) == [2]
    assert ids(backend.search(KIND, "石墨烯导热")) == [5]
    assert ids(backend.search(KIND, "graphene")) == [5]  # Latin text is case-folded


def test_all_terms_must_match_when_some_document_has_them_all(backend):
    # 隔膜 alone is in 1, 3 and 4; with 电池 only 1 and 4 have both.
    assert set(ids(backend.search(KIND, "隔膜"))) == {1, 3, 4}
    assert set(ids(backend.search(KIND, "电池 隔膜"))) == {1, 4}


def test_falls_back_to_any_term_when_no_document_has_them_all(backend):
    hits = ids(backend.search(KIND, "锂离子 污泥"))
    assert set(hits) == {1, 2}


def test_no_match_and_empty_queries_return_nothing(backend):
    assert backend.search(KIND, "量子计算机") == []
    assert backend.search(KIND, "") == []
    assert backend.search(KIND, "   ") == []
    assert backend.search(KIND, "的 了 和") == []  # stopwords only
    assert backend.search(KIND, "，。！？、") == []  # punctuation only


def test_kinds_are_kept_apart(backend):
    backend.index("other-kind", 1, "污泥减量")
    assert ids(backend.search(KIND, "污泥减量")) == [2]
    assert ids(backend.search("other-kind", "污泥减量")) == [1]


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "'",
        '"锂离子',
        "锂离子'",
        '电池" OR "1"="1',
        "' OR 1=1 --",
        "AND OR NOT",
        "NEAR(电池 隔膜)",
        "电池 NEAR/3 隔膜",
        "电池*",
        "*",
        "^电池",
        "-电池",
        "+电池",
        "电池:隔膜",
        "tokens:电池",
        "(电池",
        "电池)",
        "{电池}",
        "电池 & 隔膜 | !污泥",
        "电池 <-> 隔膜",
        "a_b",
        "_",
        "\\",
        "\\'",
        "电池\x00隔膜",
        "%_%",
        "🔋电池🔋",
        "👩‍🔬🧪",
        "ＡＮＤ　全角",
        "电池" * 40,
    ],
)
def test_query_syntax_and_odd_characters_never_raise(backend, query):
    hits = backend.search(KIND, query)
    assert isinstance(hits, list)
    if "电池" in query and "污泥" not in query:
        # Whatever the syntax around it, the words themselves still search.
        assert 1 in ids(hits)


def test_a_20000_character_query_never_raises(backend):
    query = ("锂离子电池隔膜制备方法，提高安全性。" * 1200)[:20000]
    assert len(query) == 20000
    hits = backend.search(KIND, query)
    assert ids(hits)[:1] == [1]
    assert isinstance(backend.search(KIND, "x" * 20000), list)
    assert isinstance(backend.search(KIND, "\"'()*:^" * 3000), list)


def test_removal_takes_the_document_out_of_results(backend):
    backend.remove(KIND, 1)
    assert backend.search(KIND, "锂离子") == []
    # With 锂离子 gone, the query falls back to documents that have any of its terms.
    assert ids(backend.search(KIND, "锂离子电池")) == [4]
    assert not FullTextEntry.objects.filter(kind=KIND, object_id=1).exists()
    backend.remove(KIND, 1)  # removing twice is harmless
    backend.remove(KIND, 999)


def test_reindexing_replaces_the_old_text(backend):
    backend.index(KIND, 2, "智能电网储能调度")
    assert backend.search(KIND, "污泥减量") == []
    assert ids(backend.search(KIND, "储能调度")) == [2]
    assert FullTextEntry.objects.filter(kind=KIND, object_id=2).count() == 1


def test_ranking_puts_the_better_match_first():
    backend = get_backend()
    backend.index_many(
        KIND,
        [
            (10, "工业机器人减速器的装配工艺，兼谈数控机床、注塑成型、焊接自动化、物流分拣与仓储管理系统。"),
            (11, "石墨烯导热膜：石墨烯薄膜制备、石墨烯导热系数测试，石墨烯散热应用于手机。"),
            (12, "复合材料：碳纤维、玻璃纤维、芳纶与石墨烯改性树脂，用于风电叶片和汽车轻量化结构件的成型。"),
        ],
    )
    hits = backend.search(KIND, "石墨烯")
    assert ids(hits)[:2] == [11, 12]
    assert hits[0].score > hits[1].score
    # Scores are higher-is-better on every backend.
    assert all(a.score >= b.score for a, b in itertools.pairwise(hits))


def test_limit_caps_the_number_of_hits():
    backend = get_backend()
    backend.index_many(KIND, [(i, f"储能电池管理系统 第{i}号") for i in range(1, 31)])
    assert len(backend.search(KIND, "储能", limit=7)) == 7
    assert len(backend.search(KIND, "储能")) == 30


def test_index_many_counts_what_it_wrote():
    assert get_backend().index_many(KIND, iter([(1, "光伏组件"), (2, "风电叶片")])) == 2
    assert FullTextEntry.objects.filter(kind=KIND).count() == 2
