"""Portal pages of events: the list, an event's page, registering, the ticket and the calendar files."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from techbridge.auctions.queries import visible_lots
from techbridge.core.errors import message_of
from techbridge.core.workflow import ReviewStatus, TransitionError

from .. import ical, permissions, queries, services, tickets
from ..choices import EventStatus, RegistrationStatus
from ..forms import EventFilterForm, RegisterForm
from ..models import Event, Registration

PER_PAGE = 20
FEED_SIZE = 200


def event_list(request: HttpRequest) -> HttpResponse:
    """Upcoming events first; filter by kind, time, district and zone."""
    form = EventFilterForm(request.GET or None)
    f = form.filters() if request.GET else {}
    qs = queries.filter_events(queries.listed_events(request.user), f)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "events/portal/list.html", {"form": form, "page": page, "now": timezone.now()})


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = permissions.event_for(
        request.user, pk, Event.objects.select_related("organizer", "zone", "auction_session")
    )
    reg = None
    if request.user.is_authenticated:
        reg = Registration.objects.filter(event=event, user=cast(Any, request.user)).first()
    lots = list(visible_lots(request.user).filter(pk__in=event.lots.values("pk")).order_by("ends_at"))
    if event.auction_session_id:
        known = {lot.pk for lot in lots}
        lots += [
            lot
            for lot in visible_lots(request.user)
            .filter(session_id=event.auction_session_id)
            .order_by("ends_at")
            if lot.pk not in known
        ]
    position = None
    if reg is not None and reg.status == RegistrationStatus.WAITLISTED:
        position = (
            Registration.objects.filter(
                event=event, status=RegistrationStatus.WAITLISTED, created_at__lt=reg.created_at
            ).count()
            + 1
        )
    context = {
        "event": event,
        "sessions": list(event.sessions.all()),
        "achievements": list(
            event.achievements.filter(status=ReviewStatus.PUBLISHED).select_related("owner")
        ),
        "demands": list(event.demands.filter(status=ReviewStatus.PUBLISHED).select_related("enterprise")),
        "lots": lots,
        "registration": reg if reg is not None and reg.status != RegistrationStatus.CANCELLED else None,
        "waitlist_position": position,
        "register_form": RegisterForm(),
        "open": event.registration_open(),
        "can_manage": permissions.can_manage_events(request.user),
        "can_run_door": permissions.can_run_door(request.user, event),
        "can_see_figures": permissions.can_see_figures(request.user, event),
        "now": timezone.now(),
    }
    return render(request, "events/portal/detail.html", context)


@login_required
@require_POST
def event_register(request: HttpRequest, pk: int) -> HttpResponse:
    event = permissions.event_for(request.user, pk)
    form = RegisterForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        reg = services.register(event, actor=request.user, note=note)
    except TransitionError as exc:
        messages.error(request, message_of(exc))
        return redirect("events:detail", event.pk)
    if reg.status == RegistrationStatus.CONFIRMED:
        messages.success(request, _("Your seat is confirmed. Show the QR code of your ticket at the door."))
        return redirect("events:ticket", reg.code)
    messages.info(
        request, _("The event is full; you are on the waitlist. We will tell you when a seat is yours.")
    )
    return redirect("events:detail", event.pk)


@login_required
@require_POST
def event_cancel_registration(request: HttpRequest, pk: int) -> HttpResponse:
    event = permissions.event_for(request.user, pk)
    reg = (
        Registration.objects.filter(event=event, user=cast(Any, request.user))
        .exclude(status=RegistrationStatus.CANCELLED)
        .first()
    )
    if reg is None:
        messages.error(request, _("You are not registered for this event."))
        return redirect("events:detail", event.pk)
    reg.event = event
    try:
        services.cancel(reg, actor=request.user)
    except TransitionError as exc:
        messages.error(request, message_of(exc))
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect("events:detail", event.pk)


@login_required
def ticket(request: HttpRequest, code: str) -> HttpResponse:
    """The ticket with its QR code; only its holder (and the door staff) can open it."""
    reg = permissions.ticket_for(request.user, code)
    context = {
        "reg": reg,
        "event": reg.event,
        "qr": tickets.qr_svg(reg.code) if reg.status == RegistrationStatus.CONFIRMED else "",
    }
    return render(request, "events/portal/ticket.html", context)


@login_required
def my_tickets(request: HttpRequest) -> HttpResponse:
    regs = list(queries.tickets_of(request.user))
    now = timezone.now()
    return render(
        request,
        "events/portal/tickets.html",
        {
            "upcoming": [r for r in regs if r.event.ends_at > now],
            "past": [r for r in regs if r.event.ends_at <= now][-20:],
        },
    )


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def event_ical(request: HttpRequest, pk: int) -> HttpResponse:
    """One event as an .ics file for any calendar application."""
    event = permissions.event_for(request.user, pk)
    url = request.build_absolute_uri(f"/events/{event.pk}/")
    return _ics(ical.calendar([(event, url)], name=event.title), f"event-{event.pk}.ics")


def calendar_feed(request: HttpRequest) -> HttpResponse:
    """Upcoming published events as a calendar a calendar application can subscribe to."""
    now = timezone.now()
    events = (
        Event.objects.filter(status=EventStatus.PUBLISHED, ends_at__gt=now)
        .prefetch_related("sessions")
        .order_by("starts_at")[:FEED_SIZE]
    )
    pairs = [(e, request.build_absolute_uri(f"/events/{e.pk}/")) for e in events]
    return _ics(ical.calendar(pairs, name=_("TechBridge events")), "techbridge-events.ics")
