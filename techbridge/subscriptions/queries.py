"""Reads of follows: whether a user follows a record, and their follows with the records still visible
to them (one query per kind)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .models import Follow
from .targets import TARGETS


@dataclass
class Followed:
    follow: Follow
    title: str
    url: str


def is_following(user: Any, kind: str, pk: int) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Follow.objects.filter(user=user, kind=kind, object_id=pk).exists()


def followed(user: Any, *, kind: str = "", limit: int | None = None) -> list[Followed]:
    """The user's follows, newest first, with each record's title and page; records the user can no longer
    see (withdrawn, cancelled) are left out."""
    follows = list(Follow.objects.filter(user=user, **({"kind": kind} if kind else {})))
    by_kind: dict[str, list[int]] = {}
    for item in follows:
        by_kind.setdefault(item.kind, []).append(item.object_id)
    records: dict[tuple[str, int], Any] = {}
    for k, ids in by_kind.items():
        target = TARGETS.get(k)
        if target is None:
            continue
        for obj in target.visible(user).filter(pk__in=ids):
            records[(k, obj.pk)] = obj
    out = []
    for item in follows:
        obj = records.get((item.kind, item.object_id))
        if obj is None:
            continue
        target = TARGETS[item.kind]
        out.append(Followed(item, target.title(obj), target.url(item.object_id)))
        if limit is not None and len(out) >= limit:
            break
    return out


@dataclass
class SavedRow:
    search: Any
    summary: str
    url: str


def saved_searches(user: Any) -> list[SavedRow]:
    """The user's saved searches with their filters in words and the list page they open (one query)."""
    from .digests import describe, list_url
    from .models import SavedSearch

    return [SavedRow(s, describe(s), list_url(s)) for s in SavedSearch.objects.filter(user=user)]
