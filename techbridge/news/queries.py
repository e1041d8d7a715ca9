"""Reads of notices and news that several pages need: the public list with its filters, the newest
articles of a section for the home page and the feeds."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from .models import Article


def public_articles() -> QuerySet[Article]:
    return Article.objects.filter(Article.public_q())


def filter_articles(qs: QuerySet[Article], filters: dict[str, Any]) -> QuerySet[Article]:
    if filters.get("section"):
        qs = qs.filter(section=filters["section"])
    words = (filters.get("q") or "").split()
    for word in words[:5]:
        qs = qs.filter(Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word))
    return qs


def latest(section: str | None = None, limit: int = 6) -> list[Article]:
    """Pinned first, then the newest: what the home page and a feed show."""
    qs = public_articles().defer("body", "body_html")
    if section:
        qs = qs.filter(section=section)
    return list(qs.order_by("-pinned", "-publish_at", "-pk")[:limit])
