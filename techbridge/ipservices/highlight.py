"""Showing why a patent came close to a product: the claim sentences that carry the shared terms, with
the terms marked. Pure (text in, data out); templates render the parts with ``<mark>``."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Claims are long sentences joined by ；, ，其特征在于 … and numbered claims; split on the strong stops.
_SENTENCE_RE = re.compile(r"(?<=[。；;！？!?])|\n+|(?=\d{1,3}\s*[.、．]\s*(?:根据|如|一种))")
MAX_SENTENCE = 240
MAX_SENTENCES = 3


@dataclass(frozen=True)
class Part:
    text: str
    marked: bool


def sentences(text: str) -> list[str]:
    """The sentences of a claims text (long ones cut to ``MAX_SENTENCE`` characters around nothing)."""
    out = []
    for piece in _SENTENCE_RE.split(text or ""):
        piece = piece.strip()
        if len(piece) >= 4:
            out.append(piece)
    return out


def matching_sentences(text: str, terms: list[str], limit: int = MAX_SENTENCES) -> list[dict]:
    """The sentences of ``text`` that contain most of ``terms``, best first, each with the terms it
    contains: ``[{"text": ..., "terms": [...]}]``. A long sentence is cut to a window around its first
    term so the overlap shows."""
    wanted = [t for t in dict.fromkeys(terms) if t]
    if not wanted:
        return []
    scored = []
    for position, sentence in enumerate(sentences(text)):
        lower = sentence.lower()
        found = [t for t in wanted if t.lower() in lower]
        if found:
            scored.append((-len(found), position, sentence, found))
    scored.sort()
    out = []
    for _n, _p, sentence, found in scored[:limit]:
        out.append({"text": window(sentence, found), "terms": found})
    return out


def window(sentence: str, terms: list[str], size: int = MAX_SENTENCE) -> str:
    """``sentence`` cut to ``size`` characters around the first occurrence of any of ``terms``."""
    if len(sentence) <= size:
        return sentence
    lower = sentence.lower()
    first = min((lower.find(t.lower()) for t in terms if t.lower() in lower), default=0)
    start = max(0, min(first - size // 3, len(sentence) - size))
    cut = sentence[start : start + size]
    return ("…" if start > 0 else "") + cut + ("…" if start + size < len(sentence) else "")


def mark(text: str, terms: list[str]) -> list[Part]:
    """``text`` split into parts, the occurrences of ``terms`` (longest first) marked."""
    wanted = sorted({t for t in terms if t}, key=len, reverse=True)
    if not text or not wanted:
        return [Part(text or "", False)]
    pattern = re.compile("|".join(re.escape(t) for t in wanted), re.IGNORECASE)
    parts: list[Part] = []
    last = 0
    for match in pattern.finditer(text):
        if match.start() > last:
            parts.append(Part(text[last : match.start()], False))
        parts.append(Part(match.group(0), True))
        last = match.end()
    if last < len(text):
        parts.append(Part(text[last:], False))
    return parts
