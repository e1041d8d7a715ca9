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


def _ensure_initialised() -> None:
    global _initialised
    if _initialised:
        return
    with _lock:
        if not _initialised:
            jieba.initialize()
            _initialised = True


def add_words(words: Iterable[str]) -> None:
    """Teach jieba domain terms (keywords, industry fields) so they stay whole tokens."""
    _ensure_initialised()
    for word in words:
        word = word.strip()
        if 2 <= len(word) <= 20 and _CJK_RE.search(word):
            jieba.add_word(word, freq=2000)


def _clean(tokens: Iterable[str]) -> list[str]:
    out = []
    for tok in tokens:
        tok = tok.strip().lower()
        if not tok or tok in STOPWORDS or not _TOKEN_RE.fullmatch(tok):
            continue
        out.append(tok)
    return out


def index_tokens(text: str) -> list[str]:
    """Tokens to index a document with: jieba's search mode, so sub-words match too."""
    _ensure_initialised()
    return _clean(jieba.cut_for_search(text))


def query_tokens(text: str, limit: int = 32) -> list[str]:
    """Tokens of a user query, de-duplicated in order, at most ``limit`` of them."""
    _ensure_initialised()
    seen: dict[str, None] = {}
    for tok in _clean(jieba.cut(text)):
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
