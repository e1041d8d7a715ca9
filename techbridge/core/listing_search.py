"""Listing search: search, filter, sort and page through listings, the same way for the portal and the API."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db import models

from .fulltext import get_backend

RELEVANCE = "relevance"


@dataclass
class SearchResult:
    """One page of results, with the total and whether a full-text query drove the order."""

    page: Page
    total: int
    searched: bool
    scores: dict[int, float] = field(default_factory=dict)


def run(
    queryset: models.QuerySet,
    *,
    kind: str,
    q: str,
    sort: str,
    sort_fields: dict[str, list[str]],
    page: int | str = 1,
    per_page: int = 20,
) -> SearchResult:
    """Apply an optional full-text query ``q`` to an already filtered ``queryset``.

    With a query and ``sort == "relevance"`` results follow the search rank; otherwise they follow
    ``sort_fields[sort]``. Query count: one search, one id query, one page query (plus prefetches).
    """
    if q.strip():
        hits = get_backend().search(kind, q)
        scores = {h.object_id: h.score for h in hits}
        if sort == RELEVANCE or sort not in sort_fields:
            allowed = set(queryset.filter(pk__in=list(scores)).values_list("pk", flat=True))
            ordered = [pk for pk in scores if pk in allowed]
            paginator = Paginator(ordered, per_page)
            page_obj = paginator.get_page(page)
            objects = queryset.in_bulk(list(page_obj.object_list))
            page_obj.object_list = [objects[pk] for pk in page_obj.object_list if pk in objects]
            return SearchResult(page_obj, paginator.count, True, scores)
        queryset = queryset.filter(pk__in=list(scores))
        searched = True
    else:
        scores, searched = {}, False
    order = sort_fields.get(sort) or next(iter(sort_fields.values()))
    paginator = Paginator(queryset.order_by(*order), per_page)
    page_obj = paginator.get_page(page)
    return SearchResult(page_obj, paginator.count, searched, scores)
