"""Portal pages of the catalogue: search (in Chinese, explained), an instrument, its calendar, its upkeep."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from techbridge.core import audit
from techbridge.core.errors import act
from techbridge.core.permissions import role_required
from techbridge.matching.hybrid import QueryError

from .. import corpora, permissions, queries
from ..choices import BookingStatus
from ..forms import (
    BookingForm,
    CatalogueFilterForm,
    FeeRatesForm,
    InstrumentForm,
    InternalUseForm,
    MaintenanceForm,
    QualificationForm,
    ReasonForm,
)
from ..models import Booking, MaintenanceWindow, Qualification
from ..services import booking as booking_services
from ..services import catalogue as services
from ..services import usage as usage_services
from .common import form_error, parse_day

PAGE_SIZE = 20
SEARCH_DEPTH = 60


def filters_from(cd: dict[str, Any]) -> queries.CatalogueFilters:
    funded = {"yes": True, "no": False}.get(cd.get("funded") or "")
    return queries.CatalogueFilters(
        category=cd.get("category") or "",
        kind=cd.get("kind") or "",
        district=cd.get("district") or "",
        zone=cd.get("zone") or "",
        field=cd.get("field") or "",
        publicly_funded=funded,
        self_use=bool(cd.get("self_use")),
        bookable=bool(cd.get("bookable")),
        owner=cd.get("owner") or None,
    )


def search(user: Any, cd: dict[str, Any]) -> tuple[Any, list[dict[str, Any]] | None, str]:
    """The filtered queryset, and for a text query the explained matches (or the query's error)."""
    filters = filters_from(cd)
    qs = filters.apply(queries.visible_instruments(user))
    q = (cd.get("q") or "").strip()
    if not q:
        return qs, None, ""
    allowed = set(qs.values_list("pk", flat=True))
    try:
        matches = corpora.find(
            corpora.INSTRUMENTS,
            q,
            k=SEARCH_DEPTH,
            allowed=allowed,
            fields=[filters.field] if filters.field else (),
        )
    except QueryError as exc:
        return qs, [], exc.message
    objects = qs.in_bulk([m.id for m in matches])
    return qs, corpora.explained(matches, objects), ""


def instrument_list(request: HttpRequest) -> HttpResponse:
    """The catalogue: filters, and a search box that takes a testing need in plain Chinese."""
    form = CatalogueFilterForm(request.GET or None)
    cd = form.cleaned_data if form.is_valid() else {}
    status = 400 if form.is_bound and not form.is_valid() else 200
    qs, results, error = search(request.user, cd)
    if results is None:
        page = Paginator(qs.order_by("name", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
        rows = [{"object": i} for i in page.object_list]
    else:
        page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
        rows = list(page.object_list)
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "searching": results is not None,
        "query_error": error,
        "can_add": permissions.can_add_instrument(request.user),
    }
    template = "instruments/partials/results.html" if request.htmx else "instruments/portal/list.html"  # type: ignore[attr-defined]
    return render(request, template, context, status=status)


def instrument_detail(request: HttpRequest, pk: int) -> HttpResponse:
    instrument = permissions.instrument_for(request.user, pk)
    user = request.user
    manage = permissions.can_manage_instrument(user, instrument)
    today = timezone.localdate()
    context: dict[str, Any] = {
        "instrument": instrument,
        "obj": instrument,
        "rates": list(instrument.rates.all()),
        "fields": list(instrument.fields.order_by("order")),
        "can_manage": manage,
        "can_book": permissions.can_book(user, instrument),
        "can_suspend": manage or permissions.can_suspend_any(user),
        "week": queries.calendar_week(instrument, today, user),
        "offers": list(instrument.offers.filter(is_active=True).select_related("platform")),
        "maintenance": list(
            MaintenanceWindow.objects.filter(instrument=instrument, ends_at__gte=timezone.now()).order_by(
                "starts_at"
            )[:10]
        ),
        "qualified": user.is_authenticated and services.is_qualified(user, instrument, today),
        "reason_form": ReasonForm(),
    }
    if manage:
        context.update(
            {
                "pending": list(
                    Booking.objects.filter(instrument=instrument, status=BookingStatus.REQUESTED)
                    .select_related("organization", "requester")
                    .order_by("starts_at")[:50]
                ),
                "qualifications": list(
                    Qualification.objects.filter(instrument=instrument)
                    .select_related("user")
                    .order_by("-granted_at")[:100]
                ),
                "history": list(audit.history(instrument)[:20]),
                "maintenance_form": MaintenanceForm(),
                "qualification_form": QualificationForm(),
                "usage_form": InternalUseForm(),
            }
        )
    return render(request, "instruments/portal/detail.html", context)


def instrument_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """One week of the calendar (``?week=YYYY-MM-DD``); the fragment alone for htmx."""
    instrument = permissions.instrument_for(request.user, pk)
    week = queries.calendar_week(instrument, parse_day(request.GET.get("week")), request.user)
    context = {
        "instrument": instrument,
        "week": week,
        "can_book": permissions.can_book(request.user, instrument),
    }
    template = "instruments/partials/calendar.html" if request.htmx else "instruments/portal/calendar.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
def instrument_book(request: HttpRequest, pk: int) -> HttpResponse:
    """The booking form (prefilled from a free unit of the calendar: ``?start=…``)."""
    instrument = permissions.instrument_for(request.user, pk)
    permissions.check_may_book(request.user, instrument)
    initial: dict[str, Any] = {}
    start = request.GET.get("start")
    if start:
        try:
            when = dt.datetime.fromisoformat(start)
            when = timezone.make_aware(when) if timezone.is_naive(when) else when
            initial = {
                "starts_at": timezone.localtime(when),
                "ends_at": timezone.localtime(when + dt.timedelta(minutes=instrument.slot_minutes)),
            }
        except ValueError:
            initial = {}
    form = BookingForm(request.POST or None, initial=initial, user=request.user, instrument=instrument)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            booking = booking_services.request_booking(
                actor=request.user,
                instrument=instrument,
                starts_at=cd["starts_at"],
                ends_at=cd["ends_at"],
                purpose=cd["purpose"],
                mode=cd["mode"],
                sample_description=cd.get("sample_description", ""),
                sample_count=cd.get("sample_count") or 0,
                voucher=cd.get("voucher"),
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Your booking request was sent to the owner for approval."))
            return redirect("instruments:booking", booking.pk)
    context = {
        "instrument": instrument,
        "form": form,
        "week": queries.calendar_week(
            instrument, (initial.get("starts_at") or timezone.localtime()).date(), request.user
        ),
        "can_book": True,
    }
    return render(request, "instruments/portal/book.html", context, status=400 if form.errors else 200)


@role_required(
    permissions.can_add_instrument,
    message=_("Only members of an approved organisation can list instruments."),
)
def instrument_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    owner = user.organization
    form = InstrumentForm(request.POST or None, owner=owner)
    rates_form = FeeRatesForm(request.POST or None, prefix="rates")
    if request.method == "POST" and form.is_valid() and rates_form.is_valid():
        try:
            instrument = services.create_instrument(
                actor=request.user,
                data=form.service_data(),
                fields=form.cleaned_data.get("industry_fields") or [],
                rates=rates_form.rates(),
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("The instrument is listed and open for booking."))
            return redirect("instruments:detail", instrument.pk)
    context = {"form": form, "rates_form": rates_form, "instrument": None}
    return render(
        request,
        "instruments/portal/form.html",
        context,
        status=400 if form.errors or rates_form.errors else 200,
    )


@login_required
def instrument_edit(request: HttpRequest, pk: int) -> HttpResponse:
    instrument = permissions.instrument_to_manage(request.user, pk)
    form = InstrumentForm(request.POST or None, instance=instrument, owner=instrument.owner)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_instrument(
                instrument,
                actor=request.user,
                data=form.service_data(),
                fields=form.cleaned_data.get("industry_fields") or [],
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("instruments:detail", instrument.pk)
    return render(
        request,
        "instruments/portal/form.html",
        {"form": form, "instrument": instrument},
        status=400 if form.errors else 200,
    )


@login_required
def instrument_rates(request: HttpRequest, pk: int) -> HttpResponse:
    """The fee schedule as data: a price per hour and per sample, internal and external."""
    instrument = permissions.instrument_to_manage(request.user, pk)
    form = FeeRatesForm(request.POST or None, initial=FeeRatesForm.initial_for(instrument))
    if request.method == "POST" and form.is_valid():
        try:
            services.set_fee_rates(instrument, actor=request.user, rates=form.rates())
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("The fee schedule is saved; new usage is charged at these rates."))
            return redirect("instruments:detail", instrument.pk)
    return render(
        request,
        "instruments/portal/rates.html",
        {"form": form, "instrument": instrument},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def instrument_status(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Suspend, reopen or retire (owner staff; operators may suspend and reopen any instrument)."""
    instrument = permissions.instrument_for(request.user, pk)
    user = request.user
    if not (permissions.can_manage_instrument(user, instrument) or permissions.can_suspend_any(user)):
        raise PermissionDenied(_("Only the owner's staff or a platform operator can do this."))
    reason = (request.POST.get("reason") or "")[:500]
    funcs = {
        "suspend": (
            lambda: services.suspend_instrument(instrument, actor=user, reason=reason),
            _("The instrument is suspended."),
        ),
        "reactivate": (
            lambda: services.reactivate_instrument(instrument, actor=user),
            _("The instrument is open for booking again."),
        ),
        "retire": (
            lambda: services.retire_instrument(instrument, actor=user),
            _("The instrument is retired."),
        ),
    }
    if action not in funcs:
        raise PermissionDenied(_("Unknown action."))
    func, success = funcs[action]
    return act(request, func, success, "instruments:detail", instrument.pk)


@login_required
@require_POST
def qualification_grant(request: HttpRequest, pk: int) -> HttpResponse:
    instrument = permissions.instrument_to_manage(request.user, pk)
    form = QualificationForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("instruments:detail", instrument.pk)
    cd = form.cleaned_data
    return act(
        request,
        lambda: services.grant_qualification(
            instrument,
            actor=request.user,
            user=cd["username"],
            valid_until=cd.get("valid_until"),
            note=cd.get("note", ""),
        ),
        _("Training qualification recorded."),
        "instruments:detail",
        instrument.pk,
    )


@login_required
@require_POST
def qualification_revoke(request: HttpRequest, pk: int, qpk: int) -> HttpResponse:
    instrument = permissions.instrument_to_manage(request.user, pk)
    qualification = get_object_or_404(Qualification, pk=qpk, instrument=instrument)
    return act(
        request,
        lambda: services.revoke_qualification(qualification, actor=request.user),
        _("Qualification revoked."),
        "instruments:detail",
        instrument.pk,
    )


@login_required
@require_POST
def maintenance_add(request: HttpRequest, pk: int) -> HttpResponse:
    instrument = permissions.instrument_to_manage(request.user, pk)
    form = MaintenanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the start, the end and the reason of the maintenance."))
        return redirect("instruments:detail", instrument.pk)
    cd = form.cleaned_data
    return act(
        request,
        lambda: services.schedule_maintenance(
            instrument,
            actor=request.user,
            starts_at=cd["starts_at"],
            ends_at=cd["ends_at"],
            reason=cd["reason"],
        ),
        _("Maintenance scheduled; the calendar is blocked."),
        "instruments:detail",
        instrument.pk,
    )


@login_required
@require_POST
def maintenance_remove(request: HttpRequest, pk: int, mpk: int) -> HttpResponse:
    instrument = permissions.instrument_to_manage(request.user, pk)
    window = get_object_or_404(MaintenanceWindow, pk=mpk, instrument=instrument)
    return act(
        request,
        lambda: services.remove_maintenance(window, actor=request.user),
        _("Maintenance removed; the calendar is free again."),
        "instruments:detail",
        instrument.pk,
    )


@login_required
@require_POST
def internal_use(request: HttpRequest, pk: int) -> HttpResponse:
    """Owner staff enter walk-in use by their own organisation."""
    instrument = permissions.instrument_to_manage(request.user, pk)
    form = InternalUseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give when the use started and the machine hours."))
        return redirect("instruments:detail", instrument.pk)
    cd = form.cleaned_data
    return act(
        request,
        lambda: usage_services.record_internal_use(
            instrument,
            actor=request.user,
            started_at=cd["started_at"],
            hours=cd["hours"],
            samples=cd.get("samples") or 0,
            note=cd.get("note", ""),
        ),
        _("Usage recorded."),
        "instruments:detail",
        instrument.pk,
    )
