"""Quality of the early-warning matcher (``evaluate_early_warning``; results in docs/benchmarks.md).

The evaluation set (``data/eval/early_warning/products.jsonl``, README beside it): product
descriptions written by the platform team, in an enterprise's words, each for one patent of the BDCI
2022 patent abstracts (gold-labelled, two per technology class: one in the development part, one in
the held part). The stream of "new patents" is the whole BDCI file (4,097 abstracts, or the 958 gold
ones): every patent is compared with the products of one part exactly as the platform compares an
imported patent with the registered products (``warning.compare``), so each product collects the
patents that came close to it.

Measures, per part:

- **recall@10**: share of products whose own patent is among the 10 closest patents that came to it
  (ranked by closeness, before any threshold);
- **alert recall**: share of products whose own patent raises an alert at the threshold;
- **precision of alerts**: of all alerts raised, the share on the product's own patent (exact) and
  the share on a patent of the same technology class (related; classes are the competition's, the
  pseudo-labelled ones are noisy);
- alerts per product per 1,000 patents (the volume an enterprise would see).

The threshold and the term weight are chosen on the development part — the best F2 of alert recall
and related precision (recall weighted twice: a patent an enterprise does not hear about costs more
than an alert it dismisses) — and then reported, unchanged, on the held part.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from . import warning

EVAL_FILE = Path("data") / "eval" / "early_warning" / "products.jsonl"
BDCI_FILE = Path("bdci2022_fewshot_patents") / "patents.jsonl"
THRESHOLDS = [round(0.86 + 0.0025 * i, 4) for i in range(33)]  # 0.86 … 0.94
TERM_WEIGHTS = (0.0, 0.0025, 0.005, 0.01, 0.02)


def eval_file() -> Path:
    return Path(settings.BASE_DIR) / EVAL_FILE


def shared_data_dir() -> Path:
    """``IPSERVICES_EVAL_DATA``, else the first ``shared/data`` found above the checkout."""
    env = os.environ.get("IPSERVICES_EVAL_DATA") or os.environ.get("MATCHING_EVAL_DATA")
    if env:
        return Path(env)
    base = Path(settings.BASE_DIR).resolve()
    for parent in (base.parent, *base.parents):
        candidate = parent / "shared" / "data"
        if (candidate / BDCI_FILE).is_file():
            return candidate
    return base.parent / "shared" / "data"


@dataclass(frozen=True)
class EvalProduct:
    name: str
    description: str
    patent_id: str
    label: int
    split: str


@dataclass(frozen=True)
class StreamPatent:
    id: str
    title: str
    abstract: str
    label: int
    gold: bool


def read_products(path: Path | None = None) -> list[EvalProduct]:
    out = []
    with open(path or eval_file(), encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                out.append(
                    EvalProduct(
                        row["product"],
                        row["description"],
                        row["patent_id"],
                        int(row["label_id"]),
                        row["split"],
                    )
                )
    return out


def read_stream(path: Path, *, gold_only: bool = False) -> list[StreamPatent]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            row = json.loads(line)
            gold = row.get("label_source") == "gold"
            if gold_only and not gold:
                continue
            out.append(StreamPatent(row["id"], row["title"], row["abstract"], int(row["label_id"]), gold))
    return out


@dataclass
class Pair:
    product: int
    patent: str
    similarity: float
    terms: int

    def score(self, term_weight: float) -> float:
        return warning.closeness(self.similarity, ["t"] * self.terms, term_weight=term_weight)


@dataclass
class Scores:
    products: int
    patents: int
    recall_at_10: float
    alert_recall: float
    alerts: int
    precision_exact: float
    precision_related: float
    alerts_per_product_per_1000: float
    f2: float
    threshold: float
    term_weight: float
    examples: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "examples"}


def collect_pairs(
    products: Sequence[EvalProduct],
    stream: Sequence[StreamPatent],
    *,
    query_vectors: Any = None,
    corpus_name: str = "ipservices.evaluation",
    progress: Callable[[int], Any] | None = None,
) -> list[Pair]:
    """Compare every patent of ``stream`` with ``products`` the way the platform does; the pairs that
    came close (each patent's ``warning.CANDIDATES`` closest products) with their similarity and
    number of shared telling terms."""
    from techbridge.matching import corpus
    from techbridge.matching.corpus import Corpus, CorpusDoc

    docs = [CorpusDoc(i, warning.product_text(p.name, p.description)) for i, p in enumerate(products)]
    corpus.register_corpus(Corpus(name=corpus_name, load=lambda: docs, version=lambda: len(docs)))
    pairs: list[Pair] = []
    try:
        for n, patent in enumerate(stream):
            qv = query_vectors[n] if query_vectors is not None else None
            text = warning.patent_text(patent.title, patent.abstract)
            if not warning.shares_terms(text, corpus_name=corpus_name):
                continue  # as the platform: not compared at all
            for c in warning.compare(text, corpus_name=corpus_name, query_vec=qv):
                pairs.append(
                    Pair(int(str(c.product_id)), patent.id, c.similarity or 0.0, len(c.shared_terms))
                )
            if progress:
                progress(1)
    finally:
        corpus._corpora.pop(corpus_name, None)
        corpus.forget(corpus_name)
    return pairs


def score(
    products: Sequence[EvalProduct],
    stream: Sequence[StreamPatent],
    pairs: Iterable[Pair],
    *,
    threshold: float,
    term_weight: float,
    examples: int = 0,
) -> Scores:
    labels = {p.id: p.label for p in stream}
    by_product: dict[int, list[tuple[float, str]]] = defaultdict(list)
    for pair in pairs:
        by_product[pair.product].append((pair.score(term_weight), pair.patent))
    hits_10 = hits_alert = alerts = exact = related = 0
    shown: list[dict[str, Any]] = []
    for i, product in enumerate(products):
        ranked = sorted(by_product.get(i, []), key=lambda sp: -sp[0])
        top = [pid for _s, pid in ranked[:10]]
        hits_10 += product.patent_id in top
        raised = [(s, pid) for s, pid in ranked if s >= threshold]
        hits_alert += any(pid == product.patent_id for _s, pid in raised)
        alerts += len(raised)
        exact += sum(pid == product.patent_id for _s, pid in raised)
        related += sum(labels.get(pid) == product.label for _s, pid in raised)
        if len(shown) < examples:
            shown.append(
                {
                    "product": product.name,
                    "rank": top.index(product.patent_id) + 1 if product.patent_id in top else None,
                    "alerts": len(raised),
                }
            )
    n = max(len(products), 1)
    recall = hits_alert / n
    precision = related / alerts if alerts else 0.0
    f2 = 5 * precision * recall / (4 * precision + recall) if precision + recall else 0.0
    return Scores(
        products=len(products),
        patents=len(stream),
        recall_at_10=hits_10 / n,
        alert_recall=recall,
        alerts=alerts,
        precision_exact=exact / alerts if alerts else 0.0,
        precision_related=precision,
        alerts_per_product_per_1000=alerts / n / max(len(stream), 1) * 1000,
        f2=f2,
        threshold=threshold,
        term_weight=term_weight,
        examples=shown,
    )


def choose(
    products: Sequence[EvalProduct], stream: Sequence[StreamPatent], pairs: list[Pair]
) -> tuple[Scores, list[Scores]]:
    """The (threshold, term weight) with the best F2 on a development part, and every setting tried."""
    tried = [
        score(products, stream, pairs, threshold=t, term_weight=w) for w in TERM_WEIGHTS for t in THRESHOLDS
    ]
    best = max(tried, key=lambda s: (round(s.f2, 4), s.precision_related, -s.threshold))
    return best, tried
