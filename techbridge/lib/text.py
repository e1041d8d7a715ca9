"""Chinese text helpers: jieba tokenisation for search, with a domain dictionary."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable

import jieba

jieba.setLogLevel(logging.WARNING)

_lock = threading.Lock()
_initialised = False
_TOKEN_RE = re.compile(r"[\w\u4e00-\u9fff]+", re.UNICODE)
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
# Words too common in listings to help a search.
STOPWORDS = frozenset(
    "的 了 和 与 及 或 在 是 对 为 于 以 中 等 并 其 将 从 由 把 被 也 而 之 "
    "一种 一个 我们 本 该 进行 通过 基于 "
    "研究 方法 技术 需要 希望 要求 问题 the a an of and or to in for on with by is are".split()
)

# Function words and light verbs: indexed (changing the index tokens would need a rebuild), but never
# shown to a person as "shared words" of two texts — they say nothing about what the texts are about.
FUNCTION_WORDS = frozenset(
    "以及 而且 并且 或者 还是 但是 然而 因为 所以 因此 如果 比如 例如 譬如 诸如 以便 以免 "
    "想 想要 用 用于 使用 利用 采用 会 能 能够 可以 可 可能 应 应该 靠 依靠 依托 借助 "
    "进行 实现 具有 具备 包括 包含 涉及 提供 提出 提高 目前 现在 已经 正在 仍然 "
    "一些 这些 那些 这个 那个 这种 那种 什么 如何 怎样 怎么 哪些 为了 对于 关于 有关 相关 "
    "方面 其中 之间 以上 以下 我们 我司 你们 他们 本文 所述 一种 一套 一项".split()
)


def _ensure_initialised() -> None:
    global _initialised
    if _initialised:
        return
    with _lock:
        if not _initialised:
            jieba.initialize()
            _initialised = True


# The domain dictionary (listing keywords, industry field names) is kept apart from jieba's own
# dictionary: teaching jieba a word such as 膜材料 would change how it cuts 隔膜材料 (into 隔 + 膜材料),
# so documents indexed before and after the lesson would disagree and searches would depend on the
# order things happened in. Instead jieba's segmentation never changes, and every domain term found
# in a document is indexed as one extra, whole token (``index_tokens``). Lookup walks a set of the
# terms' prefixes, so a document costs about one set lookup per character.
_domain_terms: set[str] = set()
_domain_prefixes: set[str] = set()


def add_words(words: Iterable[str]) -> int:
    """Add domain terms (2–20 characters, with Chinese) that documents are also indexed with, whole.

    Returns how many terms were new. jieba's own dictionary is left untouched.
    """
    added = 0
    with _lock:
        for word in words:
            word = (word or "").strip().lower()
            if not (2 <= len(word) <= 20 and _CJK_RE.search(word)) or word in _domain_terms:
                continue
            _domain_terms.add(word)
            for end in range(1, len(word) + 1):
                _domain_prefixes.add(word[:end])
            added += 1
    return added


def domain_terms_in(text: str) -> list[str]:
    """Every occurrence of a domain term in ``text`` (lower-cased), longest first at each position."""
    if not _domain_terms or not text:
        return []
    lowered = text.lower()
    found: list[str] = []
    n = len(lowered)
    for start in range(n):
        if lowered[start] not in _domain_prefixes:
            continue
        end = start + 1
        while end <= n and lowered[start:end] in _domain_prefixes:
            if lowered[start:end] in _domain_terms:
                found.append(lowered[start:end])
            end += 1
    return found


# Chemical element symbols as papers write them (Pb、Cd) and the Chinese names engineers use (铅、镉).
# Case-sensitive two-letter symbols only, so English words (as, in, no, be) are never taken for one.
ELEMENT_NAMES = {
    "Li": "锂", "Be": "铍", "Na": "钠", "Mg": "镁", "Al": "铝", "Si": "硅", "Cl": "氯", "Ca": "钙",
    "Ti": "钛", "Cr": "铬", "Mn": "锰", "Fe": "铁", "Co": "钴", "Ni": "镍", "Cu": "铜", "Zn": "锌",
    "Ga": "镓", "Ge": "锗", "As": "砷", "Se": "硒", "Sr": "锶", "Zr": "锆", "Mo": "钼", "Pd": "钯",
    "Ag": "银", "Cd": "镉", "In": "铟", "Sn": "锡", "Sb": "锑", "Te": "碲", "Cs": "铯", "Ba": "钡",
    "La": "镧", "Ce": "铈", "Nd": "钕", "Gd": "钆", "Hf": "铪", "Ta": "钽", "Pt": "铂", "Au": "金",
    "Hg": "汞", "Tl": "铊", "Pb": "铅", "Bi": "铋", "Rb": "铷", "Nb": "铌", "Ru": "钌", "Rh": "铑",
    "Ir": "铱", "Os": "锇", "Re": "铼", "Sc": "钪", "Yb": "镱", "Er": "铒", "Eu": "铕", "Sm": "钐",
}  # fmt: skip


def _clean(tokens: Iterable[str], *, elements: str = "both") -> list[str]:
    """Lower-case, drop stopwords and punctuation; element symbols become (or also give) their name.

    ``elements="both"`` (documents) keeps ``pb`` and adds ``铅``; ``"name"`` (queries that must match
    every token) keeps only ``铅``, which documents written either way are indexed with.
    """
    out = []
    for tok in tokens:
        tok = tok.strip()
        name = ELEMENT_NAMES.get(tok)
        if name is not None:
            if elements == "both":
                out.append(tok.lower())
            out.append(name)
            continue
        tok = tok.lower()
        if not tok or tok in STOPWORDS or not _TOKEN_RE.fullmatch(tok):
            continue
        out.append(tok)
    return out


def index_tokens(text: str) -> list[str]:
    """Tokens to index a document with: jieba's search mode, so sub-words match too, plus the domain
    terms the text contains (as whole tokens, when jieba did not already produce them)."""
    _ensure_initialised()
    tokens = _clean(jieba.cut_for_search(text))
    if _domain_terms:
        present = set(tokens)
        tokens.extend(t for t in domain_terms_in(text) if t not in present and t not in STOPWORDS)
    return tokens


def query_tokens(text: str, limit: int = 32) -> list[str]:
    """Tokens of a user query, de-duplicated in order, at most ``limit`` of them.

    Only jieba's own segmentation, never the domain terms: full-text search requires every query
    token, and a document indexed before a term was added must still match.
    """
    _ensure_initialised()
    seen: dict[str, None] = {}
    for tok in _clean(jieba.cut(text), elements="name"):
        seen.setdefault(tok, None)
        if len(seen) >= limit:
            break
    return list(seen)


def split_list(value: str, *, slash: bool = True) -> list[str]:
    """Split a user-typed list on Chinese or Western commas, semicolons, 、, | or new lines.

    Slashes separate items too, unless ``slash=False`` (IPC codes such as ``G06F 16/35`` contain one).
    """
    pattern = r"[,，;；、/\n|]+" if slash else r"[,，;；、\n|]+"
    parts = re.split(pattern, value or "")
    return [p.strip() for p in parts if p.strip()]


# Bidirectional controls (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI, LRM, RLM, ALM) and zero-width
# characters (ZWSP, ZWNJ, ZWJ, word joiner, BOM): invisible, and a right-to-left override makes a title
# read differently from what it says (issue 20 point 12).
_INVISIBLE = dict.fromkeys(
    map(
        ord,
        "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u200b\u200c\u200d\u2060\ufeff",
    )
)


def strip_invisible(text: str) -> str:
    """``text`` without bidirectional controls and zero-width characters, trimmed."""
    return (text or "").translate(_INVISIBLE).strip()
