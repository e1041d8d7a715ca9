"""The matching engine on real CSL records: BM25, dense, hybrid, re-ranking, explanations, bad input."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from django.utils import timezone

from techbridge.lib import text as textlib
from techbridge.matching import lexical
from techbridge.matching.explain import explain
from techbridge.matching.hybrid import (
    MAX_QUERY_CHARS,
    QueryContext,
    QueryError,
    prepare_query,
    trl_fit,
)
from techbridge.matching.lexical import MAX_QUERY_TERMS, BM25Index, query_tokenize

# Demands written for these tests in an enterprise's words, each answered by one record of data/csl.
DEMANDS = [
    ("线路板厂每天产生大量酸性废蚀刻液，希望从中回收铜等有价资源，降低危废处置成本。", "csl-bench-dev-0016"),
    ("蔬菜大棚布线困难，需要一套无线方式采集温湿度并远程控制通风和灌溉的系统。", "csl-bench-dev-0015"),
    ("口腔诊所拔除下颌智齿后牙槽骨缺损，希望用骨粉加胶原膜促进骨再生，需要疗效评价。", "csl-bench-dev-0023"),
    ("供电公司需要评估配电线路发生短路故障时，哪些区域的敏感用户会遭遇电压暂降。", "csl-bench-dev-0013"),
    ("红薯种植合作社想改用脱毒种苗提高产量和薯块品质，需要不同品种的对比数据。", "csl-bench-dev-0009"),
]


def top_ids(results, n: int = 1) -> list:
    return [c.id for c in results[:n]]


# ---- BM25 -------------------------------------------------------------------------------------------


def test_domain_dictionary_keeps_catalogue_keywords_whole():
    lexical.add_domain_words(["废蚀刻液回收"])
    assert "废蚀刻液回收" in textlib.index_tokens("从废蚀刻液回收资源")


def test_bm25_ranks_the_document_with_the_rare_shared_terms_first():
    index = BM25Index()
    index.add(1, "锂离子电池隔膜的制备方法，提高动力电池安全性")
    index.add(2, "城市污水处理厂剩余污泥减量化技术")
    index.add(3, "高分子隔膜用于海水淡化反渗透过滤")
    hits = index.search("动力电池隔膜", k=3)
    assert hits[0][0] == 1
    assert {doc for doc, _ in hits} == {1, 3}
    assert "隔膜" in index.terms("动力电池隔膜")


def test_bm25_update_remove_and_filter():
    index = BM25Index()
    index.add("a", "石墨烯导热膜用于手机散热")
    index.add("b", "碳纤维复合材料汽车轻量化")
    index.add("a", "光伏组件清洗机器人")  # replaces the text of "a"
    assert index.search("石墨烯", k=5) == []
    assert top_ids_of(index.search("光伏 清洗", k=5)) == ["a"]
    assert index.search("光伏", k=5, allowed={"b"}) == []
    index.remove("a")
    index.remove("missing")  # no error
    assert len(index) == 1
    assert index.search("光伏", k=5) == []


def test_bm25_segments_and_merges_rank_like_one_build(monkeypatch, csl_records):
    docs = [(r["id"], r["title"] + r["abstract"]) for r in csl_records]
    whole = BM25Index()
    whole.add_many(docs)
    monkeypatch.setattr(lexical, "BUFFER_SIZE", 3)
    pieces = BM25Index()
    for i, (doc_id, text) in enumerate(docs):
        pieces.add(doc_id, text)
        if i % 5 == 0:
            pieces.search("电压", k=1)  # a search seals the buffer: many small segments
    for query in ("配电网电压暂降", "无线通信温室测控", "牙槽骨再生"):
        a, b = whole.search(query, k=5), pieces.search(query, k=5)
        assert top_ids_of(a) == top_ids_of(b)
        assert np.allclose([s for _, s in a], [s for _, s in b], rtol=1e-4)


def top_ids_of(hits) -> list:
    return [doc for doc, _ in hits]


# ---- hybrid -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("fusion", ["linear", "rrf"])
@pytest.mark.parametrize(("demand", "paper"), DEMANDS)
def test_hybrid_puts_the_answering_paper_first(small_engine, demand, paper, fusion):
    results = small_engine.retriever(fusion=fusion).search(demand, k=10)
    assert top_ids(results) == [paper]
    best = results[0]
    assert best.bm25 is not None and best.dense is not None
    assert best.shared_terms, "the explanation needs the shared words"


@pytest.mark.parametrize("method", ["bm25", "dense"])
def test_each_method_alone_finds_the_paper_in_its_top_three(small_engine, method):
    retriever = small_engine.retriever()
    for demand, paper in DEMANDS:
        assert paper in top_ids(retriever.search(demand, k=10, method=method), 3), demand


def test_mixed_chinese_and_english_query_works(small_engine):
    results = small_engine.retriever().search("embedded Java chip 芯片内核 JVM 即时编译 JIT", k=5)
    assert top_ids(results) == ["csl-bench-dev-0030"]


def test_dense_alone_answers_a_query_without_shared_words(small_engine):
    results = small_engine.retriever().search("cable-stayed bridge pylon construction supervision", k=5)
    assert "csl-bench-dev-0022" in top_ids(results, 3)
    assert all(c.bm25 is None for c in results)
    assert results.notices  # the user is told no word matched


def test_structured_filter_limits_both_lists(small_engine):
    allowed = {"csl-bench-dev-0013", "csl-bench-dev-0026"}
    results = small_engine.retriever().search(DEMANDS[0][0], k=10, allowed=allowed)
    assert {c.id for c in results} <= allowed


def test_filter_that_matches_nothing_gives_an_empty_answer_with_a_reason(small_engine):
    results = small_engine.retriever().search(DEMANDS[0][0], k=10, allowed=set())
    assert list(results) == []
    assert results.notices


def test_field_match_and_trl_fit_lift_a_listing_in_the_rerank(small_engine):
    retriever = small_engine.retriever()
    query = "电压 控制 系统"
    plain = retriever.search(query, k=10)
    runner_up = plain[1].id
    now = timezone.now()

    def meta(doc_id):
        if doc_id == runner_up:
            return {"fields": {"smart-grid"}, "trl": 7, "updated_at": now}
        return {"fields": {"other"}, "trl": 2, "updated_at": now - timedelta(days=900)}

    ctx = QueryContext(text=query, fields={"smart-grid"}, trl=6)
    reranked = retriever.search(ctx, k=10, doc_meta=meta)
    assert reranked[0].id == runner_up
    assert reranked[0].rerank == {"field": 1.0, "trl": 1.0, "freshness": pytest.approx(1.0, abs=1e-3)}


def test_trl_fit_rewards_enough_maturity_and_ignores_unknown():
    assert trl_fit(6, 7) == 1.0
    assert trl_fit(6, 4) == 0.5
    assert trl_fit(6, None) is None
    assert trl_fit(None, 3) is None


def test_explanation_names_shared_terms_fields_and_trl(small_engine):
    ctx = QueryContext(text=DEMANDS[0][0], fields={"environment"}, trl=5)
    best = small_engine.retriever().search(ctx, k=3)[0]
    meta = {"fields": ["environment"], "trl": 4, "field_names": {"environment": "环保"}}
    why = explain(best, ctx, meta)
    assert why["shared_terms"] == best.shared_terms
    assert why["fields"]["shared"] == ["environment"]
    assert why["trl"] == {"wanted": 5, "listing": 4, "fit": 0.75}
    assert why["parts"]["bm25"] is not None and why["parts"]["dense"] is not None
    text = " ".join(why["sentences"])
    assert "环保" in text and best.shared_terms[0] in text


# ---- bad input --------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "   \n\t ", "😀😃🎉🚀", "👍🏻 ！？……", "\x00\x01"])
def test_empty_or_emoji_only_query_is_a_clear_query_error(small_engine, query):
    with pytest.raises(QueryError) as exc:
        small_engine.retriever().search(query, k=5)
    assert exc.value.message


def test_non_text_query_is_a_query_error():
    with pytest.raises(QueryError):
        prepare_query(None)


def test_unknown_method_is_a_query_error(small_engine):
    with pytest.raises(QueryError):
        small_engine.retriever().search("电压暂降", method="magic")


def test_very_long_query_is_cut_says_so_and_stays_bounded(small_engine):
    # A long query must not hold a worker: the encoder gets at most MAX_QUERY_CHARS (the model reads
    # one window of them) and BM25 scores at most MAX_QUERY_TERMS terms. How fast that is, is measured
    # by ``manage.py bench_matching``, not here.
    long_query = ("配电网电压暂降评估，敏感负荷，故障仿真。" * 1500)[: MAX_QUERY_CHARS + 5000]
    retriever = small_engine.retriever()
    encoded: list[str] = []
    encode = retriever.encoder
    retriever.encoder = lambda text: encoded.append(text) or encode(text)

    results = retriever.search(long_query, k=5)

    assert results.truncated
    assert "only the first 20,000 were used" in " ".join(str(n) for n in results.notices)
    assert top_ids(results) == ["csl-bench-dev-0013"]
    assert [len(text) for text in encoded] == [MAX_QUERY_CHARS]


def test_a_query_of_many_words_is_scored_on_its_first_terms_only(csl_records):
    many_words = " ".join(r["abstract"] for r in csl_records)
    terms = query_tokenize(many_words)
    assert len(terms) == MAX_QUERY_TERMS
    assert terms == query_tokenize(many_words, limit=10 * MAX_QUERY_TERMS)[:MAX_QUERY_TERMS]


def test_query_at_the_limit_is_not_cut(small_engine):
    results = small_engine.retriever().search("电压" * (MAX_QUERY_CHARS // 2), k=3)
    assert not results.truncated


def test_emoji_around_words_are_ignored(small_engine):
    results = small_engine.retriever().search("🔥🔥 废蚀刻液 回收铜 🔥🔥", k=3)
    assert top_ids(results) == ["csl-bench-dev-0016"]


def test_shared_terms_shown_are_telling_not_fragments_or_filler():
    index = BM25Index()
    lexical.add_domain_words(["无线传感器网络"])
    index.add(1, "无线传感器网络节点的低功耗设计，提高续航")
    for i in range(2, 40):
        index.add(i, f"提高产量的第{i}种方法")
    terms = index.terms("养殖场要部署无线传感器网络，低功耗，提高效率")
    shown = index.telling_terms(terms, 1)
    assert "无线传感器网络" in shown and "低功耗" in shown
    assert "传感" not in shown and "传感器" not in shown  # fragments of a longer shared term
    assert "提高" not in shown  # in most listings: says nothing
    assert set(shown) <= set(index.matched_terms(terms, 1))


def test_shared_terms_shown_drop_function_words():
    """以及, 比如, 想, 用, 会, 靠 say nothing about what two texts are about (issue 22.8)."""
    index = BM25Index()
    index.add(1, "以及比如想用会靠 依靠 可以 能够 通过 高温 隔膜 涂覆工艺")
    for i in range(2, 6):
        index.add(i, f"第{i}种 电解液 配方")
    terms = index.terms("我们想用高温隔膜，以及比如涂覆工艺，会靠依靠可以能够通过")

    shown = index.telling_terms(terms, 1)

    assert "隔膜" in shown
    assert not set(shown) & set(textlib.FUNCTION_WORDS)
    assert not {"以及", "比如", "想", "用", "会", "靠"} & set(shown)
