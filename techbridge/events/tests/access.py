"""Who may open the pages and endpoints of events (see techbridge.testing.access).

The records: a published event tomorrow (the buyer holds a confirmed ticket), a draft event, an event
running now organised by 示范企业 (its admin runs the door), and a roadshow migrated from auctions.
"""

from __future__ import annotations

from typing import Any

from techbridge.core.roles import Role
from techbridge.events import services
from techbridge.events.choices import EventKind, EventStatus
from techbridge.events.models import Event
from techbridge.testing.access import BAD, DENY, HIDE, LOGIN, OK, Route
from techbridge.testing.factories.events import event_now, make_event

CONSOLE: Any = {"reviewer": OK, "operator": OK, "official": OK}
STAFF: Any = {"reviewer": OK, "operator": OK}


def an_event(cast: Any) -> dict[str, Any]:
    return {"pk": make_event().pk}


def a_draft(cast: Any) -> dict[str, Any]:
    return {"pk": make_event(status=EventStatus.DRAFT).pk}


def a_ticket(cast: Any) -> dict[str, Any]:
    reg = services.register(make_event(), actor=cast.buyer)
    return {"code": reg.code}


def a_running_event(cast: Any) -> dict[str, Any]:
    return {"pk": event_now(organizer=cast.enterprise).pk}


def a_legacy_roadshow(cast: Any) -> dict[str, Any]:
    event = make_event(kind=EventKind.ROADSHOW, legacy_roadshow_id=Event.objects.count() + 900)
    return {"pk": event.legacy_roadshow_id}


def _promote_buyer(cast: Any) -> None:
    """The buyer is an admin of 示范企业, the organiser of the running event, for the door routes."""
    type(cast.buyer).objects.filter(pk=cast.buyer.pk).update(role=Role.ORG_ADMIN)


def door_event(cast: Any) -> dict[str, Any]:
    _promote_buyer(cast)
    cast.buyer.refresh_from_db()
    return a_running_event(cast)


ORGANISER: Any = {"buyer": OK}

ROUTES = [
    Route("events:list"),
    Route("events:calendar"),
    Route("events:detail", kwargs=an_event),
    Route("events:detail", kwargs=a_draft, default=HIDE, **CONSOLE),
    Route("events:ical", kwargs=an_event),
    Route("events:ical", kwargs=a_draft, default=HIDE, **CONSOLE),
    Route("events:register", kwargs=an_event, method="POST", anonymous=LOGIN, default=OK),
    Route("events:register", kwargs=a_draft, method="POST", anonymous=LOGIN, default=HIDE, **CONSOLE),
    Route("events:cancel", kwargs=an_event, method="POST", anonymous=LOGIN, default=OK),
    Route("events:tickets", anonymous=LOGIN),
    Route(
        "events:ticket",
        kwargs=a_ticket,
        anonymous=LOGIN,
        default=HIDE,
        buyer=OK,
        reviewer=OK,
        operator=OK,
        note="its holder and the door staff",
    ),
    # ---- console
    Route("events_console:home", anonymous=LOGIN, default=DENY, **CONSOLE),
    Route("events_console:stats", anonymous=LOGIN, default=DENY, **CONSOLE),
    Route("events_console:create", anonymous=LOGIN, default=DENY, operator=OK),
    Route("events_console:event", kwargs=an_event, anonymous=LOGIN, default=DENY, **CONSOLE),
    Route("events_console:event", kwargs=an_event, method="POST", anonymous=LOGIN, default=DENY, operator=OK),
    Route("events_console:move", kwargs=an_event, method="POST", anonymous=LOGIN, default=DENY, operator=OK),
    Route(
        "events_console:registrations",
        kwargs=door_event,
        anonymous=LOGIN,
        default=DENY,
        **STAFF,
        note="console users who do not run the door are refused too",
    ),
    Route("events_console:door", kwargs=door_event, anonymous=LOGIN, default=DENY, **STAFF, **ORGANISER),
    Route(
        "events_console:door",
        kwargs=door_event,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        **STAFF,
        **ORGANISER,
    ),
    Route("events_console:door", kwargs=a_draft, anonymous=LOGIN, default=HIDE, official=DENY, **STAFF),
    Route("events_console:figures", kwargs=an_event, anonymous=LOGIN, default=DENY, **CONSOLE),
    # ---- old roadshow addresses
    Route("roadshows_legacy:list"),
    Route("roadshows_legacy:detail", kwargs=a_legacy_roadshow),
    Route("roadshows_legacy:register", kwargs=a_legacy_roadshow, method="POST"),
    Route("api:legacy-roadshow-list"),
    Route("api:legacy-roadshow-detail", kwargs=a_legacy_roadshow),
    # ---- API
    Route("api:event-list"),
    Route("api:event-list", method="POST", anonymous=LOGIN, default=DENY, operator=BAD),
    Route("api:event-detail", kwargs=an_event),
    Route("api:event-detail", kwargs=a_draft, default=HIDE, **CONSOLE),
    Route("api:event-detail", kwargs=an_event, method="PATCH", anonymous=LOGIN, default=DENY, operator=OK),
    Route(
        "api:event-publish",
        kwargs=a_draft,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        reviewer=DENY,
        official=DENY,
        operator=OK,
    ),
    Route("api:event-cancel", kwargs=an_event, method="POST", anonymous=LOGIN, default=DENY, operator=BAD),
    Route(
        "api:event-conclude",
        kwargs=an_event,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        operator=BAD,
        note="an event that has not ended cannot be concluded",
    ),
    Route("api:event-register", kwargs=an_event, method="POST", anonymous=LOGIN, default=OK),
    Route(
        "api:event-register",
        kwargs=an_event,
        method="DELETE",
        anonymous=LOGIN,
        default=BAD,
        note="nobody is registered yet: a clear refusal",
    ),
    Route("api:event-registrations", kwargs=door_event, anonymous=LOGIN, default=DENY, **STAFF, **ORGANISER),
    Route(
        "api:event-checkin",
        kwargs=door_event,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        reviewer=BAD,
        operator=BAD,
        buyer=BAD,
    ),
    Route("api:event-figures", kwargs=an_event, anonymous=LOGIN, default=DENY, **CONSOLE),
    Route("api:event-ticket-list", anonymous=LOGIN),
    Route("api:event-stats", anonymous=LOGIN, default=DENY, **CONSOLE),
]
