"""Console pages of talent: manager reviews, certificate verification, the expert pool, training
(bases, courses, sessions, results, completion), secondments, the talent register and hard-demand
routing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from techbridge.core.errors import act
from techbridge.core.listing_views import add_service_errors
from techbridge.core.permissions import console_required, operator_required, staff_required
from techbridge.core.roles import is_operator, is_staff_reviewer
from techbridge.core.workflow import TransitionError
from techbridge.demands.models import Demand
from techbridge.lib.numbers import digits

from . import panels, queries, services
from .choices import CertificateStatus, EnrolmentStatus, ManagerStatus, TalentCategory
from .forms import (
    BaseForm,
    CourseForm,
    ExpertForm,
    ReviewForm,
    SecondmentForm,
    SessionForm,
    TalentEntryForm,
)
from .models import (
    Certificate,
    Course,
    Expert,
    Secondment,
    TalentEntry,
    TechnologyManager,
    TrainingBase,
    TrainingSession,
)

ERRORS = (ValidationError, PermissionDenied, TransitionError)


def _act(request: HttpRequest, func: Callable[[], Any], success: str, back: str, *args: Any) -> HttpResponse:
    """A refused service call (also a refused permission) becomes a message on the page."""
    return act(request, func, success, back, *args, refusals=ERRORS)


def _form_error(request: HttpRequest, form: Any) -> None:
    messages.error(
        request,
        " ".join(
            f"{form.fields[k].label if k in form.fields else ''} {' '.join(map(str, v))}".strip()
            for k, v in form.errors.items()
        ),
    )


# ---- managers and certificates ----------------------------------------------------------------


@console_required
def managers(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", ManagerStatus.SUBMITTED)
    qs = TechnologyManager.objects.select_related("user__organization", "institution__organization").order_by(
        "-updated_at", "pk"
    )
    if status in ManagerStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "talent/console/managers.html",
        {"page": page, "status": status, "statuses": ManagerStatus.choices},
    )


@console_required
def manager(request: HttpRequest, pk: int) -> HttpResponse:
    m = get_object_or_404(
        TechnologyManager.objects.select_related("user__organization", "institution"), pk=pk
    )
    form = ReviewForm(request.POST or None, initial={"level": m.level})
    if request.method == "POST":
        if not is_staff_reviewer(request.user):
            raise PermissionDenied(_("Only platform reviewers and operators can do that."))
        if form.is_valid():
            approve = request.POST.get("decision") == "approve"
            return _act(
                request,
                lambda: services.review_manager(
                    m,
                    actor=request.user,
                    approve=approve,
                    note=form.cleaned_data["note"],
                    level=form.cleaned_data["level"] or None,
                ),
                _("The manager is listed.") if approve else _("The profile was returned."),
                "talent_console:manager",
                pk,
            )
    return render(
        request,
        "talent/console/manager.html",
        {
            "m": m,
            "form": form,
            "certificates": m.user.talent_certificates.order_by("-issued_on"),
            "deals": queries.deals_brokered(m.user),
            "can_review": is_staff_reviewer(request.user),
        },
    )


@console_required
def certificates(request: HttpRequest) -> HttpResponse:
    pending = Certificate.objects.filter(status=CertificateStatus.PENDING).select_related(
        "holder__organization"
    )
    recent = (
        Certificate.objects.exclude(status=CertificateStatus.PENDING)
        .select_related("holder")
        .order_by("-created_at")[:50]
    )
    return render(
        request,
        "talent/console/certificates.html",
        {"pending": pending[:200], "recent": recent, "can_review": is_staff_reviewer(request.user)},
    )


@staff_required
@require_POST
def certificate_verify(request: HttpRequest, pk: int) -> HttpResponse:
    cert = get_object_or_404(Certificate.objects.select_related("holder"), pk=pk)
    accept = request.POST.get("decision") == "verify"
    return _act(
        request,
        lambda: services.verify_certificate(
            cert, actor=request.user, accept=accept, note=request.POST.get("note", "")[:500]
        ),
        _("Certificate verified.") if accept else _("Certificate not verified."),
        "talent_console:certificates",
    )


# ---- the expert pool (moved here from valuation) ---------------------------------------------


@operator_required
def experts(request: HttpRequest) -> HttpResponse:
    form = ExpertForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            cd = form.cleaned_data
            try:
                services.save_expert(
                    actor=request.user,
                    user=cd["username"],
                    fields=list(cd["expertise"]),
                    title=cd["title"],
                    bio=cd["bio"],
                    active=cd["active"],
                    conflicts=cd["conflicts"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The expert was added to the pool."))
                return redirect("talent_console:experts")
        messages.error(request, _("Nothing was saved. Please correct the errors below."))
    qs = (
        Expert.objects.select_related("user__organization")
        .prefetch_related("fields")
        .order_by("-active", "id")
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    loads = panels.workload(e.pk for e in page)
    for e in page:
        e.open_seats = loads[e.pk]  # type: ignore[attr-defined]
    return render(request, "talent/console/experts.html", {"form": form, "page": page})


@operator_required
def expert(request: HttpRequest, pk: int) -> HttpResponse:
    e = get_object_or_404(Expert.objects.select_related("user__organization"), pk=pk)
    form = ExpertForm(expert=e)
    if request.method == "POST":
        data = request.POST.copy()
        data["username"] = e.user.username
        form = ExpertForm(data, expert=e)
        if form.is_valid():
            cd = form.cleaned_data
            try:
                services.save_expert(
                    actor=request.user,
                    user=e.user,
                    fields=list(cd["expertise"]),
                    title=cd["title"],
                    bio=cd["bio"],
                    active=cd["active"],
                    conflicts=cd["conflicts"],
                    expert=e,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The expert was saved."))
                return redirect("talent_console:experts")
        messages.error(request, _("Nothing was saved. Please correct the errors below."))
    return render(request, "talent/console/expert.html", {"form": form, "expert": e})


# ---- training ------------------------------------------------------------------------------


@console_required
def training(request: HttpRequest) -> HttpResponse:
    """Bases, courses and sessions, with the forms that add them (staff)."""
    forms_ = {"base_form": BaseForm(), "course_form": CourseForm(), "session_form": SessionForm()}
    if request.method == "POST":
        if not is_staff_reviewer(request.user):
            raise PermissionDenied(_("Only platform reviewers and operators can do that."))
        what = request.POST.get("what")
        try:
            if what == "base":
                form: Any = BaseForm(request.POST)
                forms_["base_form"] = form
                if form.is_valid():
                    services.save_base(actor=request.user, data=form.cleaned_data)
                    messages.success(request, _("Training base saved."))
                    return redirect("talent_console:training")
            elif what == "course":
                form = CourseForm(request.POST)
                forms_["course_form"] = form
                if form.is_valid():
                    services.save_course(actor=request.user, data=form.cleaned_data)
                    messages.success(request, _("Course saved."))
                    return redirect("talent_console:training")
            elif what == "session":
                form = SessionForm(request.POST)
                forms_["session_form"] = form
                if form.is_valid():
                    d = dict(form.cleaned_data)
                    course = d.pop("course")
                    s = services.create_session(actor=request.user, course=course, data=d)
                    messages.success(request, _("Session scheduled."))
                    return redirect("talent_console:session", s.pk)
            else:
                messages.error(request, _("Unknown form."))
        except ValidationError as exc:
            add_service_errors(form, exc)
    context = {
        **forms_,
        "bases": TrainingBase.objects.select_related("host").order_by("name"),
        "courses": Course.objects.select_related("base").order_by("base__name", "code"),
        "sessions": TrainingSession.objects.select_related("course").order_by("-starts_on", "-pk")[:100],
        "trained": queries.trained_people(timezone.localdate()),
        "can_edit": is_staff_reviewer(request.user),
    }
    return render(request, "talent/console/training.html", context)


@console_required
def session(request: HttpRequest, pk: int) -> HttpResponse:
    s = get_object_or_404(TrainingSession.objects.select_related("course__base"), pk=pk)
    enrolments = list(
        s.enrolments.exclude(status=EnrolmentStatus.CANCELLED).select_related(
            "user__organization", "certificate"
        )
    )
    return render(
        request,
        "talent/console/session.html",
        {"s": s, "enrolments": enrolments, "can_edit": is_staff_reviewer(request.user)},
    )


@staff_required
@require_POST
def session_results(request: HttpRequest, pk: int) -> HttpResponse:
    s = get_object_or_404(TrainingSession.objects.select_related("course"), pk=pk)
    rows = [
        {
            "enrolment": key.removeprefix("hours-"),
            "hours": value,
            "exam_score": request.POST.get(f"score-{key.removeprefix('hours-')}"),
        }
        for key, value in request.POST.items()
        if key.startswith("hours-") and digits(key.removeprefix("hours-"))
    ]
    return _act(
        request,
        lambda: services.record_results(s, actor=request.user, rows=rows),
        _("Hours and exam results saved."),
        "talent_console:session",
        pk,
    )


@staff_required
@require_POST
def session_complete(request: HttpRequest, pk: int) -> HttpResponse:
    s = get_object_or_404(TrainingSession.objects.select_related("course__base"), pk=pk)
    result: dict[str, int] = {}

    def do() -> None:
        result.update(services.complete_session(s, actor=request.user))

    response = _act(request, do, _("Session completed."), "talent_console:session", pk)
    if result:
        messages.info(
            request, _("%(passed)s passed and received their certificate; %(failed)s did not pass.") % result
        )
    return response


@staff_required
@require_POST
def session_registration(request: HttpRequest, pk: int) -> HttpResponse:
    s = get_object_or_404(TrainingSession, pk=pk)
    open_ = request.POST.get("open") == "1"
    return _act(
        request,
        lambda: services.set_registration_open(s, actor=request.user, open_=open_),
        _("Registration reopened.") if open_ else _("Registration closed."),
        "talent_console:session",
        pk,
    )


# ---- secondments and the talent register -------------------------------------------------------


@console_required
def secondments(request: HttpRequest) -> HttpResponse:
    form = SecondmentForm(request.POST or None)
    if request.method == "POST":
        if not is_staff_reviewer(request.user):
            raise PermissionDenied(_("Only platform reviewers and operators can do that."))
        if form.is_valid():
            try:
                services.save_secondment(actor=request.user, data=form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Secondment recorded."))
                return redirect("talent_console:secondments")
    programme = request.GET.get("programme", "")
    qs = Secondment.objects.select_related("from_org", "to_org").order_by("-starts_on", "-pk")
    if programme:
        qs = qs.filter(programme=programme)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "talent/console/secondments.html",
        {"form": form, "page": page, "can_edit": is_staff_reviewer(request.user)},
    )


@console_required
def register(request: HttpRequest) -> HttpResponse:
    form = TalentEntryForm(request.POST or None)
    if request.method == "POST":
        if not is_staff_reviewer(request.user):
            raise PermissionDenied(_("Only platform reviewers and operators can do that."))
        if form.is_valid():
            try:
                services.save_entry(actor=request.user, data=form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Entry added."))
                return redirect("talent_console:register")
    qs = TalentEntry.objects.select_related("organization", "field").order_by(
        "-year", "programme", "person_name", "pk"
    )
    category = request.GET.get("category", "")
    if category in TalentCategory.values:
        qs = qs.filter(category=category)
    year = request.GET.get("year", "")
    if digits(year):
        qs = qs.filter(year=int(year))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "talent/console/register.html",
        {
            "form": form,
            "page": page,
            "categories": TalentCategory.choices,
            "category": category,
            "year": year,
            "can_edit": is_staff_reviewer(request.user),
            "can_import": is_operator(request.user),
        },
    )


# ---- hard-demand routing ----------------------------------------------------------------------


@console_required
def routing(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "talent/console/routing.html",
        {
            "open": queries.open_routings().order_by("-routed_at")[:200],
            "unrouted": queries.hard_demands_without_manager()[:200],
            "can_route": is_staff_reviewer(request.user),
        },
    )


@staff_required
@require_POST
def route_now(request: HttpRequest, pk: int) -> HttpResponse:
    demand = get_object_or_404(Demand, pk=pk)
    found: list[Any] = []

    def do() -> None:
        found.append(services.route_demand(demand, actor=request.user))

    response = _act(request, do, _("Routing checked."), "talent_console:routing")
    if found and found[0] is None:
        messages.warning(
            request, _("No eligible technology manager (field, level and load) for this demand.")
        )
    return response
