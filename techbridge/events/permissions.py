"""Who may see and change events, registrations and the door: look-ups (``event_for``) that 404,
checks (``check_run_door``) that raise ``PermissionDenied`` with the reason, predicates for buttons.

- published, concluded and cancelled events are public; drafts are seen by console users only;
- platform operators create, change, publish, cancel and conclude events;
- anyone signed in registers for a published event (one registration each);
- a ticket is seen by its holder, operators and the event's door staff;
- the door (check-in) and the list of registrations: platform reviewers and operators, and the admins
  of the organising organisation;
- an event's post-event figures: console users and the organiser's admins.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from techbridge.core.permissions import deny, signed_in
from techbridge.core.roles import Role, is_console_user, is_operator, is_staff_reviewer

from .choices import PUBLIC_STATUSES
from .models import Event, Registration


def events_visible_q(user: Any) -> Q:
    return Q() if is_console_user(user) else Q(status__in=PUBLIC_STATUSES)


def visible_events(user: Any) -> QuerySet[Event]:
    return Event.objects.filter(events_visible_q(user))


def event_for(user: Any, pk: int, queryset: QuerySet[Event] | None = None) -> Event:
    qs = queryset if queryset is not None else Event.objects.all()
    event = qs.filter(events_visible_q(user), pk=pk).first()
    if event is None:
        raise Http404
    return event


def can_manage_events(user: Any) -> bool:
    return is_operator(user)


def check_manage_events(user: Any) -> None:
    if not can_manage_events(user):
        deny(_("Only platform operators create and change events."))


def check_register(user: Any) -> None:
    if not signed_in(user):
        deny(_("Sign in to register."))


def can_cancel_registration(user: Any, registration: Registration) -> bool:
    """The person registered, or an operator on their behalf."""
    return registration.user_id == getattr(user, "pk", None) or can_manage_events(user)


def check_cancel_registration(user: Any, registration: Registration) -> None:
    if not can_cancel_registration(user, registration):
        deny(_("Only the person registered can cancel this registration."))


def is_organiser_admin(user: Any, event: Event) -> bool:
    return bool(
        signed_in(user)
        and event.organizer_id is not None
        and user.organization_id == event.organizer_id
        and user.role == Role.ORG_ADMIN
    )


def can_run_door(user: Any, event: Event) -> bool:
    """Check people in and read the registrations."""
    return is_staff_reviewer(user) or is_organiser_admin(user, event)


def check_run_door(user: Any, event: Event) -> None:
    if not can_run_door(user, event):
        deny(_("Only the event's organisers and platform staff run the door."))


def door_event_for(user: Any, pk: int) -> Event:
    event = event_for(user, pk)
    check_run_door(user, event)
    return event


def can_see_figures(user: Any, event: Event) -> bool:
    return is_console_user(user) or is_organiser_admin(user, event)


def check_see_figures(user: Any, event: Event) -> None:
    if not can_see_figures(user, event):
        deny(_("Only platform staff and the organisers see an event's figures."))


def ticket_for(user: Any, code: str) -> Registration:
    reg = Registration.objects.select_related("event", "user", "organization").filter(code=code).first()
    if reg is None or not signed_in(user):
        raise Http404
    if reg.user_id != user.pk and not can_run_door(user, reg.event) and not is_operator(user):
        raise Http404
    return reg
