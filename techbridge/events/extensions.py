"""What events add to the shared pages: menus, panels on listings and auction pages, the home block,
"my tickets", console figures, audit words, reminders, the ``events.held`` metric and the lot source of
typical cases."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from techbridge.core import registry
from techbridge.core.permissions import signed_in
from techbridge.core.registry import Metric, Period
from techbridge.core.roles import is_console_user

AUDIT_LABELS = {
    "events.event.created": _("Event created"),
    "events.event.updated": _("Event changed"),
    "events.event.programme_changed": _("Programme changed"),
    "events.event.published": _("Event published"),
    "events.event.cancelled": _("Event cancelled"),
    "events.event.concluded": _("Event concluded"),
    "events.event.migrated": _("Roadshow moved to events"),
    # Written only by events.0002_copy_roadshows: the seats of auction roadshows, before they were events.
    "events.event.seat_taken": _("Roadshow seat booked"),
    "events.event.seat_released": _("Roadshow seat given back"),
    "events.registration.created": pgettext_lazy("event seat", "Registered"),
    "events.registration.confirmed": _("Seat confirmed"),
    "events.registration.waitlisted": _("Put on the waitlist"),
    "events.registration.promoted": _("Seat given from the waitlist"),
    "events.registration.cancelled": _("Registration cancelled"),
    "events.registration.expired": _("Waitlist place lapsed"),
    "events.registration.checked_in": _("Checked in at the door"),
}


def _upcoming_panel(request: HttpRequest, obj: Any, *, field: str) -> dict[str, Any] | None:
    from .choices import PUBLIC_STATUSES
    from .models import Event

    if obj is None or getattr(obj, "pk", None) is None:
        return None
    events = list(
        Event.objects.filter(status__in=PUBLIC_STATUSES, **{field: obj.pk})
        .exclude(status="cancelled")
        .order_by("-starts_at")[:5]
    )
    return {"panel_events": events, "now": timezone.now()} if events else None


def _achievement_panel(request: HttpRequest, obj: Any) -> dict[str, Any] | None:
    return _upcoming_panel(request, obj, field="achievements")


def _demand_panel(request: HttpRequest, obj: Any) -> dict[str, Any] | None:
    return _upcoming_panel(request, obj, field="demands")


def _lot_panel(request: HttpRequest, obj: Any) -> dict[str, Any] | None:
    from .choices import PUBLIC_STATUSES
    from .models import Event

    if obj is None or getattr(obj, "pk", None) is None:
        return None
    events = list(
        Event.objects.filter(status__in=PUBLIC_STATUSES)
        .filter(Q(lots=obj.pk) | Q(auction_session_id=getattr(obj, "session_id", None)))
        .exclude(status="cancelled")
        .distinct()
        .order_by("-starts_at")[:5]
    )
    return {"panel_events": events, "now": timezone.now()} if events else None


def _session_panel(request: HttpRequest, obj: Any) -> dict[str, Any] | None:
    return _upcoming_panel(request, obj, field="auction_session_id")


def _auction_index_panel(request: HttpRequest, obj: Any) -> dict[str, Any] | None:
    from .choices import EventKind, EventStatus
    from .models import Event

    events = list(
        Event.objects.filter(
            status=EventStatus.PUBLISHED, kind=EventKind.ROADSHOW, ends_at__gte=timezone.now()
        ).order_by("starts_at")[:10]
    )
    return {"panel_events": events, "now": timezone.now(), "roadshows": True}


def _console_panel(request: HttpRequest, obj: Any) -> dict[str, Any] | None:
    from .choices import EventKind
    from .models import Event

    return {"panel_events": list(Event.objects.filter(kind=EventKind.ROADSHOW).order_by("-starts_at")[:10])}


def _home_block(request: HttpRequest) -> dict[str, Any] | None:
    from .queries import upcoming

    events = upcoming(request.user, limit=5)
    return {"events": events} if events else None


def _mine(request: HttpRequest) -> dict[str, Any] | None:
    from .queries import tickets_of

    regs = [r for r in tickets_of(request.user)[:50] if r.event.ends_at > timezone.now()][:10]
    return {"tickets": regs} if regs else None


def _upcoming_count() -> int:
    from .choices import EventStatus
    from .models import Event

    return Event.objects.filter(status=EventStatus.PUBLISHED, ends_at__gt=timezone.now()).count()


def events_held(period: Period, district: str | None = None, zone: Any = None) -> int | None:
    """Events held (published or concluded, ended) that started inside the period."""
    from .models import Event
    from .queries import held_events

    if not Event.objects.exists():
        return None
    return held_events(period.start, period.end, district=district, zone=zone).count()


def _pickable_lots(user: Any) -> Any:
    from techbridge.auctions.models import Lot
    from techbridge.auctions.queries import PUBLIC_LOT

    if not signed_in(user):
        return Lot.objects.none()
    return Lot.objects.filter(status__in=PUBLIC_LOT)


def register() -> None:
    # Public auction lots, for the roadshow form's "lots presented" (registered here, above auctions,
    # because the event form is their only picker so far).
    registry.register_picker(
        registry.PickerKind(
            "lots", visible=_pickable_lots, label=lambda lot: lot.title, fields=("title",), name_field="title"
        )
    )
    from techbridge.carriers.case_sources import CaseSource, register_case_source

    from . import sources
    from .services import send_event_reminders

    registry.register_nav("portal", _("Events"), "events:list", group="services", order=20)
    registry.register_nav(
        "portal", _("My tickets"), "events:tickets", group="work", order=50, visible=signed_in
    )
    registry.register_nav(
        "console",
        _("Events"),
        "events_console:home",
        group="console.services",
        order=20,
        visible=is_console_user,
    )
    registry.register_nav(
        "console",
        _("Event statistics"),
        "events_console:stats",
        group="console.data",
        order=50,
        visible=is_console_user,
    )
    registry.register_counter(
        "events.upcoming",
        _("Upcoming events"),
        _upcoming_count,
        visible=is_console_user,
        url_name="events:list",
        order=60,
        public=True,
    )
    registry.register_panel(
        "achievement.detail", "events/partials/listing_panel.html", order=70, context=_achievement_panel
    )
    registry.register_panel(
        "demand.detail", "events/partials/listing_panel.html", order=70, context=_demand_panel
    )
    registry.register_panel("lot.detail", "events/partials/listing_panel.html", order=20, context=_lot_panel)
    registry.register_panel("lot.console", "events/partials/listing_panel.html", order=20, context=_lot_panel)
    registry.register_panel(
        "auction.session", "events/partials/listing_panel.html", order=20, context=_session_panel
    )
    registry.register_panel(
        "auction.index", "events/partials/auction_index.html", order=20, context=_auction_index_panel
    )
    registry.register_panel(
        "auction.console", "events/partials/auction_console.html", order=20, context=_console_panel
    )
    registry.register_home_block("events/partials/home_block.html", order=40, context=_home_block)
    registry.register_mine_section("events/partials/mine.html", order=45, context=_mine)
    registry.register_audit_labels(AUDIT_LABELS)
    registry.register_daily_sweep(send_event_reminders)
    registry.register_metric(
        Metric(
            "events.held",
            _("Events held"),
            _("events"),
            compute=events_held,
            description=_("Exhibitions, matchmaking, roadshows, training and consulting held in the period."),
            order=60,
        )
    )
    register_case_source(CaseSource("lot", _("Auction lot"), sources.find_lots, sources.lot_facts, order=30))
