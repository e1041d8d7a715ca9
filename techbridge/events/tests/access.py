"""Who may open the pages and endpoints of events (see techbridge.testing.access).

The records (``techbridge/testing/fixtures/records.py``): a published event tomorrow, a draft event, the
buyer's ticket for another event, an event running now organised by 示范大学 (its admin runs the door),
and a roadshow migrated from auctions.
"""

from __future__ import annotations

from techbridge.testing.access import BAD, DENY, HIDE, LOGIN, OK, Route, outcomes
from techbridge.testing.fixtures.records import (
    draft_event,
    event_ticket,
    migrated_roadshow,
    pk_of,
    published_event,
    running_event,
)

CONSOLE = outcomes(reviewer=OK, operator=OK, official=OK)
STAFF = outcomes(reviewer=OK, operator=OK)
ORGANISER = outcomes(univ_admin=OK)  # an admin of the organising organisation

an_event = pk_of(published_event)
a_draft = pk_of(draft_event)
door_event = pk_of(running_event)


def a_ticket(cast):
    return {"code": event_ticket(cast).code}


def a_legacy_roadshow(cast):
    return {"pk": migrated_roadshow(cast).legacy_roadshow_id}


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
        univ_admin=BAD,
    ),
    Route("api:event-figures", kwargs=an_event, anonymous=LOGIN, default=DENY, **CONSOLE),
    Route("api:event-ticket-list", anonymous=LOGIN),
    Route("api:event-stats", anonymous=LOGIN, default=DENY, **CONSOLE),
]
