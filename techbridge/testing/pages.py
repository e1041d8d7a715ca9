"""Reading pages as a user does, for assertions: ``card(html, title)`` is the listing card that shows
``title`` (so a test can say what is shown on *that* record, not just somewhere on the page)."""

from __future__ import annotations

import re

_CARD = re.compile(r"<article\b[^>]*>.*?</article>", re.S)


def card(html: str, title: str) -> str:
    """The ``<article>`` card whose text contains ``title``; fails when there is not exactly one."""
    found = [c for c in _CARD.findall(html) if title in c]
    assert len(found) == 1, f"{len(found)} cards show {title!r}"
    return found[0]
