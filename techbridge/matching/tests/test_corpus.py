"""Small corpora other apps register (instruments, investors, products) are matched like listings."""

from __future__ import annotations

import pytest

from techbridge.matching import corpus
from techbridge.matching.corpus import Corpus, CorpusDoc, passage_text
from techbridge.matching.hybrid import QueryError
from techbridge.matching.models import Embedding

pytestmark = pytest.mark.django_db

DOCS = [
    CorpusDoc(
        1,
        passage_text("激光导热仪", "测量材料热扩散系数与导热系数，适用于陶瓷、金属和复合材料。"),
        fields=frozenset({"materials"}),
    ),
    CorpusDoc(
        2,
        passage_text("液相色谱质谱联用仪", "药物代谢产物定性定量分析，检测限低至皮克级。"),
        fields=frozenset({"bio"}),
    ),
    CorpusDoc(
        3,
        passage_text("扫描电子显微镜", "观察材料表面形貌与断口，配能谱仪做微区成分分析。"),
        fields=frozenset({"materials"}),
    ),
]


@pytest.fixture
def registered(e5_model):
    state = {"docs": list(DOCS), "version": 1}
    c = corpus.register_corpus(
        Corpus(name="test-instruments", load=lambda: state["docs"], version=lambda: state["version"])
    )
    yield state
    corpus._corpora.pop(c.name, None)
    corpus.forget(c.name)


def test_a_testing_need_in_plain_words_finds_the_instrument(registered):
    matches = corpus.search("test-instruments", "我们想测一下新型陶瓷材料的导热性能", k=2)

    assert matches[0].id == 1
    assert "导热" in matches[0].shared_terms
    assert matches[0].similarity is not None and matches[0].similarity > 0.8
    assert any("导热" in s for s in matches[0].explanation["sentences"])


def test_vectors_are_cached_by_content_so_a_rebuild_encodes_only_what_changed(registered):
    corpus.search("test-instruments", "质谱", k=1)
    cached = Embedding.objects.count()
    registered["docs"] = [*DOCS, CorpusDoc(4, passage_text("X射线衍射仪", "晶体结构与物相分析。"))]
    registered["version"] = 2

    assert corpus.search("test-instruments", "晶体结构分析", k=1)[0].id == 4
    assert Embedding.objects.count() == cached + 1


def test_filters_and_bad_queries(registered):
    assert [m.id for m in corpus.search("test-instruments", "材料分析", k=5, allowed={3})] == [3]
    with pytest.raises(QueryError):
        corpus.search("test-instruments", "   ")
    with pytest.raises(KeyError):
        corpus.search("no-such-corpus", "材料")


def test_rebuild_index_encodes_the_small_corpora_before_anyone_searches(registered):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("rebuild_index", "--workers", "1", "--no-progress", stdout=out, stderr=StringIO())

    assert "test-instruments 3" in out.getvalue()
    assert Embedding.objects.count() >= 3
    corpus.forget()  # a web process starting afresh builds its index from the cache alone
    before = Embedding.objects.count()
    assert corpus.search("test-instruments", "导热", k=1)[0].id == 1
    assert Embedding.objects.count() == before
