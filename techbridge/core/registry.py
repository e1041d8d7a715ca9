"""Extension points: how an app adds to the pages and work of the floors below it without being named.

A lower floor never imports an upper one (``docs/architecture.md``). Instead it declares a *slot* and the
upper apps fill it from their ``AppConfig.ready()`` (the way NetBox registers template extensions and
pretix lets plugins answer signals):

========================  ==========================================================================
registry                  what an app registers
========================  ==========================================================================
``panels``                a template shown in a slot of another app's page (``achievement.detail`` …)
``nav``                   a link in the portal menu (grouped) or in the console's section list
``home_blocks``           a block of the portal home page
``mine_sections``         a section of "my work" (the signed-in user's own records)
``counters``              a figure on the console home page (and the public home when ``public``)
``audit_labels``          the words for a dotted audit code (``deals.room.opened`` → 洽谈室已开启)
``sweeps``                daily housekeeping (expiry, staleness, reminders); each is idempotent
``metrics``               a named figure over the platform's records, by period, district and zone
``vetoes``                a rule of an upper app that can refuse an action of a lower one
``pickers``               a kind of record forms pick with a search-as-you-type box (``core.pickers``)
``documents``             a kind of generated document (a PDF made once in the background, ``core.documents``)
``screen_charts``         a chart or table of the public big screen (数据大屏, ``portal.screen``)
``digest_sources``        new records of an upper app named in saved-search digests (``subscriptions``)
========================  ==========================================================================

Every entry is a frozen dataclass; registering the same entry twice (``ready()`` can run twice in
tests) keeps one. Readers get entries sorted by ``order`` then registration order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.utils.functional import Promise

T = TypeVar("T")

# ---- the registry container ----------------------------------------------------------------------


class Registry(Generic[T]):
    """An ordered set of entries of one kind, filled at start-up and read on every request."""

    def __init__(self, name: str, *, key: Callable[[T], Any] | None = None):
        self.name = name
        self._entries: list[T] = []
        self._key = key

    def register(self, entry: T) -> T:
        """Add ``entry`` unless an equal one (or one with the same key) is already there."""
        if self._key is not None:
            k = self._key(entry)
            self._entries = [e for e in self._entries if self._key(e) != k]
        elif entry in self._entries:
            return entry
        self._entries.append(entry)
        return entry

    def unregister(self, entry: T) -> None:
        """Remove ``entry`` (tests that register a temporary entry use this to clean up)."""
        self._entries = [e for e in self._entries if e != entry]

    def __iter__(self) -> Iterator[T]:
        position = {id(e): i for i, e in enumerate(self._entries)}
        return iter(sorted(self._entries, key=lambda e: (getattr(e, "order", 100), position[id(e)])))

    def __len__(self) -> int:
        return len(self._entries)

    def filter(self, **attrs: Any) -> list[T]:
        """Entries whose attributes equal ``attrs`` (e.g. ``panels.filter(slot="achievement.detail")``)."""
        return [e for e in self if all(getattr(e, k) == v for k, v in attrs.items())]


def always(*_args: Any, **_kwargs: Any) -> bool:
    return True


def signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


# ---- page extensions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Panel:
    """A template rendered in ``slot`` of another app's page.

    The page passes its context (``obj`` is the record shown, ``user`` and ``request`` are there).
    ``context(request, obj)`` may add to it, or return ``None`` to leave the panel out for this viewer.
    Slots in use: ``achievement.detail``, ``demand.detail``, ``organization.detail``, ``room.detail``,
    ``contract.detail``, ``institution.detail``, ``event.detail``, ``lot.detail``; ``listing.results`` (under
    the results of a listing search; ``obj`` is the ``ListingApp``).
    """

    slot: str
    template: str
    order: int = 100
    context: Callable[[Any, Any], Mapping[str, Any] | None] | None = None


@dataclass(frozen=True)
class NavLink:
    """A link in a menu: ``menu`` is ``portal`` (the site header) or ``console`` (the console home).

    ``group`` places a portal link in a drop-down (``PORTAL_GROUPS``) or a console link under a section
    heading (``CONSOLE_GROUPS``). ``visible(user)`` decides who sees it; the page behind the link still
    checks permissions itself.
    """

    menu: str
    label: str | Promise
    url_name: str
    group: str = ""
    order: int = 100
    visible: Callable[[Any], bool] = always
    url_args: tuple[Any, ...] = ()


@dataclass(frozen=True)
class NavGroup:
    """A heading under which links of several apps appear."""

    key: str
    label: str | Promise
    order: int = 100


@dataclass(frozen=True)
class HomeBlock:
    """A block of the portal home page: ``context(request)`` gives its data, ``None`` leaves it out."""

    template: str
    order: int = 100
    context: Callable[[Any], Mapping[str, Any] | None] | None = None


@dataclass(frozen=True)
class MineSection:
    """A section of the signed-in user's "my work" page (listings, rooms, contracts, bookings …)."""

    template: str
    order: int = 100
    context: Callable[[Any], Mapping[str, Any] | None] | None = None


@dataclass(frozen=True)
class Counter:
    """A figure on the console home page.

    ``count()`` is evaluated for viewers for whom ``visible(user)`` holds; ``url_name`` links the
    figure to the page that lists what it counts; ``public`` also shows it on the portal home page.
    """

    key: str
    label: str | Promise
    count: Callable[[], int | Decimal | None]
    visible: Callable[[Any], bool] = always
    url_name: str = ""
    order: int = 100
    public: bool = False
    attention: bool = False  # work waiting for someone (review queues): shown first and highlighted


panels: Registry[Panel] = Registry("panels")
nav: Registry[NavLink] = Registry("nav")
nav_groups: Registry[NavGroup] = Registry("nav_groups", key=lambda g: g.key)
home_blocks: Registry[HomeBlock] = Registry("home_blocks")
mine_sections: Registry[MineSection] = Registry("mine_sections")
counters: Registry[Counter] = Registry("counters", key=lambda c: c.key)


def register_panel(slot: str, template: str, *, order: int = 100, context: Any = None) -> Panel:
    return panels.register(Panel(slot=slot, template=template, order=order, context=context))


def register_nav(
    menu: str,
    label: str | Promise,
    url_name: str,
    *,
    group: str = "",
    order: int = 100,
    visible: Callable[[Any], bool] = always,
    url_args: tuple[Any, ...] = (),
) -> NavLink:
    if menu not in ("portal", "console"):
        raise ValueError("menu must be 'portal' or 'console'")
    return nav.register(NavLink(menu, label, url_name, group, order, visible, url_args))


def register_home_block(template: str, *, order: int = 100, context: Any = None) -> HomeBlock:
    return home_blocks.register(HomeBlock(template=template, order=order, context=context))


def register_mine_section(template: str, *, order: int = 100, context: Any = None) -> MineSection:
    return mine_sections.register(MineSection(template=template, order=order, context=context))


def register_counter(
    key: str,
    label: str | Promise,
    count: Callable[[], int | Decimal | None],
    *,
    visible: Callable[[Any], bool] = always,
    url_name: str = "",
    order: int = 100,
    public: bool = False,
    attention: bool = False,
) -> Counter:
    return counters.register(Counter(key, label, count, visible, url_name, order, public, attention))


# ---- audit labels ---------------------------------------------------------------------------------

_audit_labels: dict[str, str | Promise] = {}


def register_audit_labels(labels: Mapping[str, str | Promise]) -> None:
    """Words for audit codes. Codes are dotted ``app.model.verb`` (``contracts.contract.signed``)."""
    for code, label in labels.items():
        if code.count(".") < 2:
            raise ValueError(f"audit code {code!r} is not of the form app.model.verb")
        _audit_labels[code] = label


def audit_label(code: str) -> str:
    """The translated words for an audit code; an unknown code is shown as it is."""
    label = _audit_labels.get(code)
    return str(label) if label is not None else code


def audit_codes() -> set[str]:
    return set(_audit_labels)


# ---- daily sweeps ----------------------------------------------------------------------------------

sweeps: Registry[Callable[[], Any]] = Registry("sweeps", key=lambda f: f"{f.__module__}.{f.__qualname__}")


def register_daily_sweep(func: Callable[[], Any]) -> Callable[[], Any]:
    """Register daily housekeeping; usable as a decorator. Each sweep must be idempotent."""
    sweeps.register(func)
    return func


# ---- metrics (named figures the governance dashboards read) ---------------------------------------


@dataclass(frozen=True)
class Period:
    """A closed date range ``start``–``end`` (both included)."""

    start: dt.date
    end: dt.date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def datetimes(self) -> tuple[dt.datetime, dt.datetime]:
        """Aware local datetimes ``[start 00:00, day after end 00:00)`` to filter a DateTimeField
        with ``__gte``/``__lt`` (an index range, unlike ``__date``)."""
        from django.utils import timezone

        tz = timezone.get_current_timezone()
        return (
            dt.datetime.combine(self.start, dt.time.min, tzinfo=tz),
            dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
        )


@dataclass(frozen=True)
class Metric:
    """A figure computed from the platform's own records.

    ``compute(period, district=..., zone=...)`` returns the value for records dated in ``period``
    (``None`` when the source has no data at all, which a dashboard shows as "no data", never as 0).
    ``cumulative`` metrics count what exists at the end of the period (carriers, trained staff);
    others sum what happened inside it (turnover). ``unit`` is a short word shown after the value.

    ``district`` is a ``organizations.District`` value; ``zone`` is an ``organizations.Zone`` (its parks
    included: ``zone.with_parks()``); both refer to where the record's organisation (owner, seller,
    enterprise) is located. ``by_organization(period)``, when given, returns ``{organisation id:
    value}`` for every organisation with records in ``period`` in one grouped query (the governance
    evaluation of universities reads it). ``by_place(period)``, given only for figures that add up
    (counts, sums), returns ``{(district, zone id): value}`` grouped by where the organisation is, in one
    query and with the metric's own rules, so a dashboard sums every district and zone from it instead of
    calling ``compute`` once per place. ``count_metric`` and ``min_count`` carry a disclosure rule:
    a figure whose group has fewer than ``min_count`` records (counted by the metric ``count_metric``)
    is shown as that count only (contract amounts: ``contracts.queries.PUBLIC_MIN_CELL``).
    """

    code: str
    label: str | Promise
    unit: str | Promise
    compute: Callable[..., int | Decimal | None]
    cumulative: bool = False
    description: str | Promise = ""
    order: int = 100
    by_organization: Callable[[Period], Mapping[int, int | Decimal | None]] | None = None
    by_place: Callable[[Period], Mapping[tuple[str, int | None], int | Decimal]] | None = None
    count_metric: str = ""
    min_count: int = 0


metrics: Registry[Metric] = Registry("metrics", key=lambda m: m.code)


def register_metric(metric: Metric) -> Metric:
    return metrics.register(metric)


def metric(code: str) -> Metric:
    for m in metrics:
        if m.code == code:
            return m
    raise KeyError(code)


def find_metric(code: str) -> Metric | None:
    """The metric registered under ``code``, or ``None`` (no app provides that figure yet)."""
    try:
        return metric(code)
    except KeyError:
        return None


# ---- vetoes -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Veto:
    """A rule an upper app adds to an action of a lower one.

    ``check(**kwargs)`` returns a translated reason to refuse, or ``None``. Actions in use:
    ``deals.invite_broker`` (kwargs ``room``, ``broker``), ``deals.open_room`` (``actor``, ``seller``,
    ``buyer``), ``accounts.erase`` (``user``: erasing an account, PIPL art. 47).
    """

    action: str
    check: Callable[..., str | Promise | None]
    order: int = 100


vetoes: Registry[Veto] = Registry("vetoes")


def register_veto(action: str, check: Callable[..., str | Promise | None], *, order: int = 100) -> Veto:
    return vetoes.register(Veto(action, check, order))


def refuse_if_vetoed(action: str, **kwargs: Any) -> None:
    """Raise ``ValidationError`` with the first registered reason against ``action``."""
    for veto in vetoes.filter(action=action):
        reason = veto.check(**kwargs)
        if reason:
            raise ValidationError(str(reason))


# ---- pickers -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PickerKind:
    """A kind of record a form picks by typing (``core.pickers.PickerField``) and its search endpoint.

    ``visible(user)`` is the queryset of what this user may find at all (anonymous: ``none()``); a form
    narrows it further with its own queryset. ``fulltext`` names the full-text index kind searched first;
    ``fields`` are matched by prefix or substring; ``name_field`` is the exact name a typed value may give
    instead of the number; ``label(obj)`` is how one choice reads. A kind whose records are not one
    queryset gives ``search(user, q, limit)`` instead, returning ``(id, label)`` pairs it lets this user
    choose (the case writer's platform records).
    """

    kind: str
    visible: Callable[[Any], Any]
    label: Callable[[Any], str]
    fields: tuple[str, ...] = ()
    prefix_fields: tuple[str, ...] = ()
    fulltext: str = ""
    name_field: str = ""
    order_by: tuple[str, ...] = ("-pk",)
    search: Callable[[Any, str, int], list[tuple[int, str]]] | None = None


pickers: Registry[PickerKind] = Registry("pickers", key=lambda p: p.kind)


def register_picker(picker: PickerKind) -> PickerKind:
    return pickers.register(picker)


def picker(kind: str) -> PickerKind | None:
    found = pickers.filter(kind=kind)
    return found[0] if found else None


def entries(registry: Iterable[T]) -> list[T]:
    """A registry's entries as a list (for templates and tests)."""
    return list(registry)


@dataclass
class Rendered:
    """An entry together with the context it contributes, ready for a template."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)


# ---- the public big screen -----------------------------------------------------------------------


@dataclass(frozen=True)
class ScreenChart:
    """A chart or table of the public big screen (数据大屏): public figures only.

    ``compute()`` returns ``{"kind": "bar" | "line" | "doughnut", "labels": [...], "series": [{"name":
    ..., "values": [...]}], "unit": ...}`` or ``{"kind": "table", "columns": [...], "rows": [[...], ...]}``,
    plus an optional ``"note"``; ``None`` when there is nothing to show. What it returns is shown to
    anyone, so it follows the app's disclosure rules (amounts of small groups withheld). The screen
    caches the whole set for a minute, so ``compute`` may run a few grouped queries.
    """

    key: str
    title: str | Promise
    compute: Callable[[], dict[str, Any] | None]
    order: int = 100
    wide: bool = False


screen_charts: Registry[ScreenChart] = Registry("screen_charts", key=lambda c: c.key)


def register_screen_chart(chart: ScreenChart) -> ScreenChart:
    return screen_charts.register(chart)


# ---- generated documents -------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentKind:
    """A document an app generates once per version of its source and serves from storage.

    ``key``: ``app.what`` (``mining.catalogue``); ``model``: ``app_label.ModelName`` of the owner;
    ``render(owner) -> bytes`` makes the file (in a background task, never in a request);
    ``source(owner) -> str`` is the text of everything the document shows (hashed: a change of it makes
    a new version); ``filename(owner) -> str`` names the download.
    """

    key: str
    model: str
    render: Callable[[Any], bytes]
    source: Callable[[Any], str]
    filename: Callable[[Any], str]
    # Called in the task once the file is stored: ``on_ready(owner, document)`` (a record that keeps
    # the file's name and hash on itself, like an issued valuation).
    on_ready: Callable[[Any, Any], None] | None = None


documents: Registry[DocumentKind] = Registry("documents", key=lambda k: k.key)


def document_kind(key: str) -> DocumentKind:
    for kind in documents:
        if kind.key == key:
            return kind
    raise LookupError(key)


# ---- saved-search digests ------------------------------------------------------------------------


@dataclass(frozen=True)
class DigestItem:
    """One record a digest names: its number (for dedupe), title and page."""

    pk: int
    title: str
    url: str


@dataclass(frozen=True)
class DigestQuery:
    """One saved search as a digest source reads it: ``filters`` are the list page's normalised query
    parameters (``q``, ``field`` as a field code, ``district``, ``budget_min``/``budget_max`` in 万元 …,
    all strings) and ``since`` the time after which a record is new for this search."""

    filters: Mapping[str, str]
    since: dt.datetime


@dataclass(frozen=True)
class DigestSource:
    """New records of an app that saved searches of ``kinds`` (``subscriptions.SearchKind`` values)
    also bring, in a section of their own in the same daily or weekly digest.

    ``new_items(user, queries, exclude, cap)`` returns the records published after a query's
    ``since`` that match its filters, that ``user`` may see, and whose number is not in ``exclude``
    (already sent to this user), newest first, at most ``cap`` of them, and how many there are in all.
    ``title`` heads the section; ``note`` tells on the saved-search page what the digest adds;
    ``more_url`` (a URL name) is where the rest is listed.
    """

    key: str
    kinds: tuple[str, ...]
    title: str | Promise
    note: str | Promise
    new_items: Callable[[Any, list[DigestQuery], Collection[int], int], tuple[list[DigestItem], int]]
    more_url: str = ""
    order: int = 100


digest_sources: Registry[DigestSource] = Registry("digest_sources", key=lambda s: s.key)


def register_digest_source(source: DigestSource) -> DigestSource:
    return digest_sources.register(source)


def digest_sources_for(kind: str) -> list[DigestSource]:
    """The sources whose records searches of ``kind`` also bring."""
    return [s for s in digest_sources if kind in s.kinds]
