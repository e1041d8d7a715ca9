"""Saved searches run the way the list pages run them, and their digests.

``normalise`` reads a list page's query string with that page's filter form and keeps only the filters
that mean something (no page, no sort), in a fixed order. ``new_items`` runs the saved filters over the
listings published since the last digest, as the user may see them (capped). ``send_digests`` sends each
user with due searches ONE notification per period listing what is new (``digest:<date>`` dedupe key),
and nothing when nothing is new. Other apps add sections through ``core.registry.digest_sources`` (open
揭榜挂帅 challenges for demand searches); a record such a section names is remembered
(``DigestMention``) and never named to the same user again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from techbridge.core import listing_search, registry
from techbridge.core.notifications import notify
from techbridge.core.workflow import ReviewStatus

from .choices import Frequency, SearchKind
from .models import DigestMention, SavedSearch

DIGEST_CAP = 10  # listings named per saved search in one digest
SKIPPED = ("page", "sort")
PERIOD: dict[str, timedelta] = {Frequency.DAILY: timedelta(days=1), Frequency.WEEKLY: timedelta(days=7)}
SLACK = timedelta(hours=1)  # a sweep that runs a little early still counts


@dataclass(frozen=True)
class Searched:
    form: type
    visible: Any
    detail: str
    list: str


def searched(kind: str) -> Searched:
    if kind == SearchKind.ACHIEVEMENT:
        from techbridge.achievements.filters import AchievementFilterForm
        from techbridge.achievements.queries import visible_achievements

        return Searched(
            AchievementFilterForm, visible_achievements, "achievements:detail", "achievements:list"
        )
    if kind == SearchKind.DEMAND:
        from techbridge.demands.filters import DemandFilterForm
        from techbridge.demands.queries import visible_demands

        return Searched(DemandFilterForm, visible_demands, "demands:detail", "demands:list")
    raise ValidationError({"kind": _("Only searches of achievements and demands can be saved.")})


def normalise(kind: str, query: str) -> str:
    """The query string of the list page reduced to its meaningful filters; a bad filter is refused
    with the page's own message."""
    if len(query) > 2000:
        raise ValidationError({"query": _("This search has too many filters to save.")})
    data = QueryDict(query)
    form = searched(kind).form(data)
    if not form.is_valid():
        raise ValidationError({"query": form.error_message()})
    kept = QueryDict(mutable=True)
    for name in form.fields:
        if name in SKIPPED:
            continue
        value = form.cleaned_data.get(name)
        if value in (None, "", False):
            continue
        raw = str(form.data.get(name, "")).strip()
        if name == "q":
            raw = raw[:200]
        kept[name] = raw
    normalised = kept.urlencode()
    if len(normalised) > 1000:
        raise ValidationError({"query": _("This search has too many filters to save.")})
    return normalised


def describe(search: SavedSearch) -> str:
    """The saved filters in words, for the list of saved searches."""
    form = searched(search.kind).form(QueryDict(search.query))
    if not form.is_valid():
        return ""
    parts = []
    for name, value in form.cleaned_data.items():
        if name in SKIPPED or value in (None, "", False):
            continue
        field = form.fields[name]
        if value is True:
            parts.append(str(field.label))
            continue
        shown = value
        choices = dict(getattr(field, "choices", []) or [])
        if not hasattr(value, "pk") and value in choices:
            shown = choices[value]
        parts.append(f"{field.label}：{shown}")
    return "；".join(parts)


def list_url(search: SavedSearch) -> str:
    url = reverse(searched(search.kind).list)
    return f"{url}?{search.query}" if search.query else url


def since(search: SavedSearch) -> datetime:
    return search.last_digest_at or search.created_at


def new_items(search: SavedSearch, *, cap: int = DIGEST_CAP) -> tuple[list[Any], int]:
    """Listings matching the search that were published since its last digest (newest first, at most
    ``cap``) and how many there are; a search whose filters no longer hold finds nothing."""
    spec = searched(search.kind)
    form = spec.form(QueryDict(search.query))
    if not form.is_valid():
        return [], 0
    queryset = spec.visible(search.user).filter(status=ReviewStatus.PUBLISHED, published_at__gt=since(search))
    result = listing_search.run(
        form.filter(queryset),
        kind=search.kind,
        q=form.cleaned_data.get("q") or "",
        sort="newest",
        sort_fields=form.sort_fields,
        per_page=cap,
    )
    return list(result.page.object_list), result.total


def is_due(search: SavedSearch, now: datetime) -> bool:
    period = PERIOD.get(search.frequency)
    return period is not None and now - since(search) >= period - SLACK


def source_queries(source: registry.DigestSource, searches: list[SavedSearch]) -> list[registry.DigestQuery]:
    """The user's searches that bring ``source``'s records, as it reads them. The filters were
    normalised by the list page's form when saved; a source matches a value that no longer exists (a
    removed field code) with nothing."""
    queries = []
    for search in searches:
        if search.kind not in source.kinds:
            continue
        data = QueryDict(search.query)
        filters = {name: str(data.get(name, "")) for name in data if name not in SKIPPED}
        queries.append(registry.DigestQuery(filters=filters, since=since(search)))
    return queries


def source_block(
    user: Any, source: registry.DigestSource, searches: list[SavedSearch]
) -> tuple[str, int, list[int]]:
    """The digest's section for ``source``: new records any of the searches finds, each named once
    (never one an earlier digest named to this user), and the numbers of those it names."""
    queries = source_queries(source, searches)
    if not queries:
        return "", 0, []
    earliest = min(q.since for q in queries)
    sent = DigestMention.objects.filter(user=user, source=source.key, sent_at__gte=earliest)
    items, count = source.new_items(user, queries, set(sent.values_list("object_id", flat=True)), DIGEST_CAP)
    if not count:
        return "", 0, []
    lines = [
        _("%(title)s: %(n)s new") % {"title": source.title, "n": count},
        *[f"· {item.title} {item.url}" for item in items],
    ]
    if count > len(items) and source.more_url:
        more = {"n": count - len(items), "url": reverse(source.more_url)}
        lines.append(_("· and %(n)s more: %(url)s") % more)
    return "\n".join(lines), count, [item.pk for item in items]


def digest_for(user: Any, searches: list[SavedSearch]) -> tuple[str, str, int, list[tuple[str, int]]]:
    """The digest's title and body for these searches, how many new records it names, and the records
    of other apps' sections it names (``(source, number)``, remembered once the digest is sent)."""
    blocks, total = [], 0
    for search in searches:
        items, count = new_items(search)
        if not count:
            continue
        total += count
        detail = searched(search.kind).detail
        lines = [
            _("“%(name)s”: %(n)s new") % {"name": search.name, "n": count},
            *[f"· {obj.title} {reverse(detail, args=[obj.pk])}" for obj in items],
        ]
        if count > len(items):
            lines.append(_("· and %(n)s more: %(url)s") % {"n": count - len(items), "url": list_url(search)})
        blocks.append("\n".join(lines))
    mentioned: list[tuple[str, int]] = []
    for source in registry.digest_sources:
        block, count, pks = source_block(user, source, searches)
        if count:
            blocks.append(block)
            total += count
            mentioned += [(source.key, pk) for pk in pks]
    title = _("Your saved searches found %(n)s new listings") % {"n": total}
    return title, "\n\n".join(blocks), total, mentioned


def send_digest(user: Any, searches: list[SavedSearch], now: datetime) -> bool:
    """One digest for ``user`` in this period; False when nothing is new or it was sent already."""
    with override(settings.LANGUAGE_CODE):
        title, body, total, mentioned = digest_for(user, searches)
    if not total:
        return False
    sent = notify(
        user,
        kind="digest",
        title=title,
        body=body,
        link=reverse("subscriptions:follows") + "#saved-searches",
        dedupe_key=f"digest:{timezone.localdate(now).isoformat()}",
    )
    if sent:
        SavedSearch.objects.filter(pk__in=[s.pk for s in searches]).update(last_digest_at=now)
        DigestMention.objects.bulk_create(
            [DigestMention(user=user, source=key, object_id=pk, sent_at=now) for key, pk in mentioned],
            ignore_conflicts=True,
        )
    return sent


def also_included(kind: str) -> list[str]:
    """What else the digests of a search of ``kind`` name (the registered sources' notes)."""
    return [str(source.note) for source in registry.digest_sources_for(kind)]


def send_digests(now: datetime | None = None) -> int:
    """Send the digests that are due; returns how many users got one. Idempotent within a day."""
    now = now or timezone.now()
    by_user: dict[int, list[SavedSearch]] = {}
    rows = (
        SavedSearch.objects.exclude(frequency=Frequency.OFF).select_related("user").order_by("user_id", "pk")
    )
    for search in rows:
        if search.user.is_active and is_due(search, now):
            by_user.setdefault(search.user_id, []).append(search)
    return sum(1 for searches in by_user.values() if send_digest(searches[0].user, searches, now))
