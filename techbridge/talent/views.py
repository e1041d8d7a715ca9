"""Portal pages of talent: the overview with the plan's figures, the technology-manager directory, a
person's own manager profile (certificates, routed demands, deals brokered), the training calendar and
one's training record. Thin: forms validate, services decide."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from techbridge.core.errors import act, message_of
from techbridge.core.listing_views import add_service_errors
from techbridge.core.workflow import TransitionError

from . import queries, services
from .choices import EnrolmentStatus, SecondmentProgramme, SessionStatus, TalentCategory
from .forms import CertificateForm, ManagerFilterForm, ManagerProfileForm
from .models import Certificate, Enrolment, Routing, Secondment, TalentEntry, TrainingSession
from .permissions import manager_for, routing_for

ERRORS = (ValidationError, PermissionDenied, TransitionError)
TARGETS: dict[str, int] = {
    TalentCategory.TOP_EXPERT: 100,
    TalentCategory.INNOVATIVE_ENTREPRENEUR: 200,
    TalentCategory.HIGH_LEVEL_FOUNDER: 3000,
    TalentCategory.STUDENT_FOUNDER: 20000,
}
TRAINED_TARGET = 500


def _act(request: HttpRequest, func: Callable[[], Any], success: str, back: str, *args: Any) -> HttpResponse:
    """A refused service call (also a refused permission) becomes a message on the page."""
    return act(request, func, success, back, *args, refusals=ERRORS)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The plan's talent figures, computed from the records (not entered)."""
    today = timezone.localdate()
    trained = queries.trained_people(today)
    by_category = dict(TalentEntry.objects.values_list("category").annotate(n=Count("id")))
    categories = [
        {"label": label, "count": by_category.get(code, 0), "target": TARGETS[code]}
        for code, label in TalentCategory.choices
    ]
    programmes = dict(
        Secondment.objects.filter(starts_on__lte=today, ends_on__gte=today)
        .values_list("programme")
        .annotate(n=Count("id"))
    )
    secondments = [
        {"label": label, "count": programmes.get(code, 0)} for code, label in SecondmentProgramme.choices
    ]
    sessions = (
        TrainingSession.objects.filter(status=SessionStatus.OPEN, registration_closes__gte=today)
        .select_related("course__base")
        .order_by("starts_on")[:6]
    )
    return render(
        request,
        "talent/portal/home.html",
        {
            "trained": trained,
            "trained_target": TRAINED_TARGET,
            "trained_pct": round(trained * 100 / TRAINED_TARGET, 1),
            "categories": categories,
            "secondments": secondments,
            "sessions": sessions,
        },
    )


# ---- technology managers --------------------------------------------------------------------


@require_GET
def managers(request: HttpRequest) -> HttpResponse:
    form = ManagerFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    page = Paginator(queries.listed_managers(**filters), 20).get_page(request.GET.get("page"))
    return render(request, "talent/portal/managers.html", {"form": form, "page": page})


@require_GET
def manager(request: HttpRequest, pk: int) -> HttpResponse:
    m = manager_for(request.user, pk)
    return render(
        request,
        "talent/portal/manager.html",
        {
            "m": m,
            "certificates": m.user.talent_certificates.filter(status="verified").order_by("-issued_on"),
            "deals": queries.deals_brokered(m.user),
        },
    )


@login_required
def manager_mine(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own manager profile, certificates, routed demands and deals brokered."""
    m = queries.manager_of(request.user)
    initial = None
    if m is not None:
        initial = {
            "level": m.level,
            "fields_": list(m.fields.all()),
            "bio": m.bio,
            "max_load": m.max_load,
            "accepting_routes": m.accepting_routes,
        }
    form = ManagerProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.save_manager_profile(
                actor=request.user,
                data={
                    "level": d["level"],
                    "fields": list(d["fields_"]),
                    "bio": d["bio"],
                    "max_load": d["max_load"],
                    "accepting_routes": d["accepting_routes"],
                },
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ERRORS as exc:
            messages.error(request, message_of(exc))
        else:
            messages.success(request, _("Profile saved; platform staff review it before it is listed."))
            return redirect("talent:manager_mine")
    routings = (
        Routing.objects.filter(manager=m).select_related("demand__enterprise").order_by("-routed_at")[:50]
        if m
        else []
    )
    return render(
        request,
        "talent/portal/manager_mine.html",
        {
            "m": m,
            "form": form,
            "routings": routings,
            "deals": queries.deals_brokered(request.user),
            "certificates": Certificate.objects.filter(holder_id=request.user.pk).order_by("-issued_on"),
            "certificate_form": CertificateForm(),
        },
    )


@login_required
@require_POST
def certificate_declare(request: HttpRequest) -> HttpResponse:
    form = CertificateForm(request.POST)
    back = (request.POST.get("back") == "training" and "talent:training_mine") or "talent:manager_mine"
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect(back)
    return _act(
        request,
        lambda: services.declare_certificate(actor=request.user, **form.cleaned_data),
        _("Certificate declared; it counts once platform staff have verified it."),
        back,
    )


@login_required
@require_POST
def routing_answer(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    routing = routing_for(request.user, pk)
    note = (request.POST.get("note") or "")[:500]
    if verb == "close":
        return _act(
            request,
            lambda: services.close_routing(routing, actor=request.user, note=note),
            _("Closed."),
            "demands:detail",
            routing.demand_id,
        )
    if verb not in ("accept", "decline"):
        raise Http404
    return _act(
        request,
        lambda: services.answer_routing(routing, actor=request.user, accept=verb == "accept", note=note),
        _("Accepted: the enterprise has been told.")
        if verb == "accept"
        else _("Declined: the demand goes to the next manager."),
        "talent:manager_mine",
    )


# ---- training -------------------------------------------------------------------------------


@require_GET
def training(request: HttpRequest) -> HttpResponse:
    sessions = (
        TrainingSession.objects.filter(Q(status=SessionStatus.OPEN) | Q(status=SessionStatus.CLOSED))
        .select_related("course__base")
        .order_by("starts_on", "pk")
    )
    page = Paginator(sessions, 30).get_page(request.GET.get("page"))
    return render(request, "talent/portal/training.html", {"page": page})


@require_GET
def session(request: HttpRequest, pk: int) -> HttpResponse:
    s = get_object_or_404(TrainingSession.objects.select_related("course__base__host"), pk=pk)
    mine = None
    if request.user.is_authenticated:
        mine = (
            Enrolment.objects.filter(session=s, user=request.user)
            .exclude(status=EnrolmentStatus.CANCELLED)
            .first()
        )
    return render(
        request, "talent/portal/session.html", {"s": s, "mine": mine, "today": timezone.localdate()}
    )


@login_required
@require_POST
def enrol(request: HttpRequest, pk: int) -> HttpResponse:
    s = get_object_or_404(TrainingSession, pk=pk)
    return _act(
        request, lambda: services.enrol(s, actor=request.user), _("You are registered."), "talent:session", pk
    )


@login_required
@require_POST
def cancel_enrolment(request: HttpRequest, pk: int) -> HttpResponse:
    e = get_object_or_404(Enrolment.objects.select_related("session"), pk=pk)
    if e.user_id != request.user.pk:
        raise Http404
    return _act(
        request,
        lambda: services.cancel_enrolment(e, actor=request.user),
        _("Registration cancelled."),
        "talent:training_mine",
    )


@login_required
def training_mine(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "talent/portal/training_mine.html",
        {"record": queries.training_record(request.user), "certificate_form": CertificateForm()},
    )
