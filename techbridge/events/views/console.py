"""Console pages of events: list and edit events, publish/cancel/conclude, the registrations, the door
(QR check-in on a phone), an event's figures and the statistics by kind, district and zone."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from techbridge.core import audit
from techbridge.core.downloads import xlsx_response
from techbridge.core.errors import message_of
from techbridge.core.listing_views import add_service_errors
from techbridge.core.permissions import console_required, operator_required
from techbridge.core.workflow import TransitionError
from techbridge.lib.xlsx import Sheet

from .. import figures, permissions, queries, services
from ..choices import EventKind, EventStatus, RegistrationStatus
from ..forms import CheckInForm, ConcludeForm, EventForm, ReasonForm, StatsForm
from ..models import Event

PER_PAGE = 50


@console_required
def home(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    qs = Event.objects.select_related("zone").order_by("-starts_at", "-pk")
    if status in EventStatus.values:
        qs = qs.filter(status=status)
    return render(
        request,
        "events/console/home.html",
        {
            "events": list(qs[:PER_PAGE]),
            "status": status,
            "statuses": EventStatus.choices,
            "can_manage": permissions.can_manage_events(request.user),
        },
    )


def _save(request: HttpRequest, form: EventForm, event: Event | None) -> Event | None:
    if not form.is_valid():
        messages.error(request, _("Nothing was saved. Please correct the errors below."))
        return None
    try:
        with transaction.atomic():
            kwargs = form.service_kwargs()
            if event is None:
                event = services.create_event(actor=request.user, **kwargs)
            else:
                services.update_event(event, actor=request.user, **kwargs)
            if "sessions" in form.cleaned_data:
                services.set_sessions(event, actor=request.user, sessions=form.cleaned_data["sessions"])
    except ValidationError as exc:
        add_service_errors(form, exc)
    except TransitionError as exc:
        form.add_error(None, str(exc.message))
    else:
        return event
    messages.error(request, _("Nothing was saved. Please correct the errors below."))
    return None


@operator_required
def event_create(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    form = EventForm(request.POST or None, initial={"kind": kind} if kind in EventKind.values else None)
    if request.method == "POST":
        event = _save(request, form, None)
        if event is not None:
            messages.success(request, _("The event was saved as a draft. Publish it when it is ready."))
            return redirect("events_console:event", event.pk)
    return render(request, "events/console/form.html", {"form": form, "page_title": _("New event")})


@console_required
def event_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """An event's console page: the form (operators), the moves, links to the door and the figures."""
    event = permissions.event_for(request.user, pk, Event.objects.select_related("organizer", "zone"))
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST":
        permissions.check_manage_events(request.user)
        if _save(request, form, event) is not None:
            messages.success(request, _("Your changes were saved."))
            return redirect("events_console:event", event.pk)
    context = {
        "form": form,
        "event": event,
        "page_title": event.title,
        "reason_form": ReasonForm(),
        "conclude_form": ConcludeForm(initial={"outcome": event.outcome}),
        "can_manage": permissions.can_manage_events(request.user),
        "history": audit.history_rows(event, limit=30),
        "waitlisted": event.registrations.filter(status=RegistrationStatus.WAITLISTED).count(),
    }
    return render(request, "events/console/form.html", context)


@operator_required
@require_POST
def event_move(request: HttpRequest, pk: int) -> HttpResponse:
    event = permissions.event_for(request.user, pk)
    action = request.POST.get("action", "")
    try:
        if action == "publish":
            services.publish_event(event, actor=request.user)
            messages.success(request, _("The event is published; registration is open."))
        elif action == "cancel":
            n = services.cancel_event(event, actor=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, _("The event was cancelled; %(n)s people were told.") % {"n": n})
        elif action == "conclude":
            services.conclude_event(event, actor=request.user, outcome=request.POST.get("outcome", ""))
            messages.success(request, _("The event is concluded."))
        else:
            messages.error(request, _("Choose an action."))
    except (ValidationError, TransitionError) as exc:
        messages.error(request, message_of(exc))
    return redirect("events_console:event", event.pk)


@console_required
def registrations(request: HttpRequest, pk: int) -> HttpResponse:
    event = permissions.door_event_for(request.user, pk)
    regs = event.registrations.select_related("user", "organization").order_by("status", "created_at", "id")
    if request.GET.get("format") == "xlsx":
        rows = [
            [
                r.user.display_name,
                r.organization.name if r.organization else "",
                r.get_status_display(),
                r.created_at,
                r.checked_in_at,
                r.note,
            ]
            for r in regs
        ]
        headers = [
            _("Name"),
            _("Organisation"),
            _("Status"),
            pgettext("time of event registration", "Registered"),
            _("Checked in"),
            _("Note"),
        ]
        return xlsx_response([Sheet(_("Registrations"), headers, rows)], f"报名名单-{event.pk}.xlsx")
    return render(request, "events/console/registrations.html", {"event": event, "regs": list(regs[:2000])})


def _door_counts(event: Event) -> dict[str, int]:
    return {
        "confirmed": event.registrations.filter(status=RegistrationStatus.CONFIRMED).count(),
        "checked_in": event.registrations.filter(checked_in_at__isnull=False).count(),
    }


@login_required
def door(request: HttpRequest, pk: int) -> HttpResponse:
    """The door on a phone: scan the ticket's QR code (camera, where the browser can) or type the code.

    Works without JavaScript (the form posts and the page shows the result); with htmx only the result
    and the counter are swapped, so the camera keeps running between guests.
    """
    event = permissions.door_event_for(request.user, pk)
    result = None
    form = CheckInForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            result = services.check_in(event, actor=request.user, text=form.cleaned_data["code"])
        else:
            result = services.CheckIn("unknown", _("Type or scan a ticket code."))
        form = CheckInForm()
    context = {
        "event": event,
        "form": form,
        "result": result,
        "counts": _door_counts(event),
        "open": services.door_open(event),
    }
    if request.method == "POST" and request.headers.get("HX-Request") == "true":
        return render(request, "events/partials/door_result.html", context)
    return render(request, "events/console/door.html", context)


@console_required
def event_figures(request: HttpRequest, pk: int) -> HttpResponse:
    event = permissions.event_for(request.user, pk, Event.objects.select_related("zone", "auction_session"))
    permissions.check_see_figures(request.user, event)
    return render(request, "events/console/figures.html", {"event": event, **figures.figures(event)})


@console_required
def stats(request: HttpRequest) -> HttpResponse:
    form = StatsForm(request.GET or None)
    f = form.filters() if request.GET else {}
    year = f.get("year") or timezone.localdate().year
    context: dict[str, Any] = {
        "form": form,
        "year": year,
        **queries.event_stats(
            dt.date(year, 1, 1), dt.date(year, 12, 31), district=f.get("district"), zone=f.get("zone")
        ),
    }
    return render(request, "events/console/stats.html", context)
