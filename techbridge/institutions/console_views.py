"""Console pages of institutions: the review queue, an institution's file (review, designations,
self-reports, alliance, credit events, blacklist, appeals), quarterly scores, weights and standards."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from techbridge.core.audit import history
from techbridge.core.errors import act, message_of
from techbridge.core.listing_views import add_service_errors
from techbridge.core.permissions import console_required, operator_required, staff_required
from techbridge.core.roles import is_operator, is_staff_reviewer
from techbridge.core.workflow import TransitionError

from . import queries, services
from .choices import (
    AppealStatus,
    BlacklistStatus,
    DesignationStatus,
    InstitutionStatus,
    ReportStatus,
)
from .forms import (
    AllianceForm,
    ComputeForm,
    CreditEventForm,
    DecisionForm,
    ReasonForm,
    StandardForm,
    WeightsForm,
)
from .models import (
    Appeal,
    Blacklisting,
    CreditEvent,
    Designation,
    Institution,
    QuarterlyScore,
    ScorecardWeights,
    SelfReport,
    ServiceStandard,
)
from .scoring import Quarter

ERRORS = (ValidationError, PermissionDenied, TransitionError)


def _act(request: HttpRequest, func: Callable[[], Any], success: str, inst_pk: int) -> HttpResponse:
    """A refused service call (also a refused permission) becomes a message on the page."""
    return act(request, func, success, "institutions_console:institution", inst_pk, refusals=ERRORS)


def _reason(request: HttpRequest, name: str = "reason") -> str:
    return (request.POST.get(name) or "")[:3000]


@console_required
def queue(request: HttpRequest) -> HttpResponse:
    """Work waiting for a reviewer: applications, designations, self-reports and appeals."""
    context = {
        "applications": Institution.objects.filter(status=InstitutionStatus.SUBMITTED)
        .select_related("organization")
        .order_by("submitted_at")[:200],
        "designations": Designation.objects.filter(status=DesignationStatus.PENDING)
        .select_related("institution__organization")
        .order_by("declared_at")[:200],
        "reports": SelfReport.objects.filter(status=ReportStatus.SUBMITTED)
        .select_related("institution__organization")
        .order_by("submitted_at")[:200],
        "appeals": Appeal.objects.filter(status=AppealStatus.SUBMITTED)
        .select_related("blacklisting__institution__organization")
        .order_by("submitted_at")[:200],
    }
    return render(request, "institutions/console/queue.html", context)


@console_required
def institution_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    qs = Institution.objects.select_related("organization", "current_score", "current_credit").order_by(
        "organization__name", "pk"
    )
    if status in InstitutionStatus.values:
        qs = qs.filter(status=status)
    qs = qs.annotate(
        listed_now=Count("blacklistings", filter=Q(blacklistings__status=BlacklistStatus.LISTED))
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "institutions/console/list.html",
        {"page": page, "status": status, "statuses": InstitutionStatus.choices},
    )


@console_required
def institution(request: HttpRequest, pk: int) -> HttpResponse:
    inst = get_object_or_404(
        Institution.objects.select_related("organization", "host", "current_score", "current_credit"), pk=pk
    )
    listing = queries.listing_in_force(inst)
    context = {
        "inst": inst,
        "can_review": is_staff_reviewer(request.user),
        "can_operate": is_operator(request.user),
        "designations": inst.designations.select_related("declared_by", "verified_by"),
        "reports": inst.reports.all(),
        "events": inst.credit_events.select_related("recorded_by"),
        "listing": listing,
        "listings": inst.blacklistings.select_related("event", "listed_by", "lifted_by"),
        "appeals": Appeal.objects.filter(blacklisting__institution=inst).select_related(
            "submitted_by", "decided_by"
        ),
        "grades": inst.credit_grades.order_by("-version")[:10],
        "ratings": inst.ratings.select_related("rater", "rater_org", "contract").order_by("-created_at")[:50],
        "rating_summary": queries.rating_summary(inst),
        "record": queries.work_record(inst),
        "scores": inst.scores.order_by("-year", "-quarter", "-version")[:8],
        "history": history(inst)[:50],
        "event_form": CreditEventForm(),
        "alliance_form": AllianceForm(
            initial={"alliance_role": inst.alliance_role, "alliance_joined_on": inst.alliance_joined_on}
        ),
        "reason_form": ReasonForm(),
        "decision_form": DecisionForm(),
    }
    return render(request, "institutions/console/institution.html", context)


@staff_required
@require_POST
def decide_application(request: HttpRequest, pk: int) -> HttpResponse:
    inst = get_object_or_404(Institution.objects.select_related("organization"), pk=pk)
    if request.POST.get("decision") == "approve":
        return _act(
            request,
            lambda: services.approve_application(inst, actor=request.user, note=_reason(request)),
            _("The institution is listed."),
            pk,
        )
    return _act(
        request,
        lambda: services.return_application(inst, actor=request.user, reason=_reason(request)),
        _("The application was returned with your reason."),
        pk,
    )


@staff_required
@require_POST
def verify_designation(request: HttpRequest, pk: int) -> HttpResponse:
    designation = get_object_or_404(Designation.objects.select_related("institution"), pk=pk)
    accept = request.POST.get("decision") == "verify"
    return _act(
        request,
        lambda: services.verify_designation(
            designation, actor=request.user, accept=accept, note=_reason(request)
        ),
        _("Designation verified.") if accept else _("Designation not verified."),
        designation.institution_id,
    )


@staff_required
@require_POST
def revoke_designation(request: HttpRequest, pk: int) -> HttpResponse:
    from datetime import date

    designation = get_object_or_404(Designation.objects.select_related("institution"), pk=pk)
    try:
        revoked_on = date.fromisoformat(request.POST.get("revoked_on", ""))
    except ValueError:
        messages.error(request, _("Give the date of the revocation."))
        return redirect("institutions_console:institution", designation.institution_id)
    return _act(
        request,
        lambda: services.revoke_designation(
            designation, actor=request.user, revoked_on=revoked_on, reason=_reason(request)
        ),
        _("Designation revoked."),
        designation.institution_id,
    )


@staff_required
@require_POST
def decide_report(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(SelfReport.objects.select_related("institution"), pk=pk)
    if request.POST.get("decision") == "accept":
        return _act(
            request,
            lambda: services.accept_report(report, actor=request.user, note=_reason(request)),
            _("Self-report accepted."),
            report.institution_id,
        )
    return _act(
        request,
        lambda: services.return_report(report, actor=request.user, reason=_reason(request)),
        _("Self-report returned."),
        report.institution_id,
    )


@operator_required
@require_POST
def alliance(request: HttpRequest, pk: int) -> HttpResponse:
    inst = get_object_or_404(Institution, pk=pk)
    form = AllianceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the alliance role and date."))
        return redirect("institutions_console:institution", pk)
    d = form.cleaned_data
    return _act(
        request,
        lambda: services.set_alliance_role(
            inst, actor=request.user, role=d["alliance_role"], joined_on=d["alliance_joined_on"]
        ),
        _("Alliance role saved."),
        pk,
    )


@staff_required
@require_POST
def record_event(request: HttpRequest, pk: int) -> HttpResponse:
    inst = get_object_or_404(Institution.objects.select_related("organization"), pk=pk)
    form = CreditEventForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(
            request,
            " ".join(
                f"{form.fields[k].label}: {' '.join(map(str, v))}"
                for k, v in form.errors.items()
                if k in form.fields
            ),
        )
        return redirect("institutions_console:institution", pk)
    d = form.cleaned_data
    return _act(
        request,
        lambda: services.record_event(
            inst,
            actor=request.user,
            kind=d["kind"],
            severity=d["severity"],
            occurred_on=d["occurred_on"],
            description=d["description"],
            reference=d["reference"],
            evidence=d.get("evidence"),
        ),
        _("Credit event recorded."),
        pk,
    )


@staff_required
@require_POST
def blacklist_for_event(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(CreditEvent.objects.select_related("institution"), pk=pk)
    return _act(
        request,
        lambda: services.blacklist(
            event.institution, actor=request.user, event=event, reason=_reason(request)
        ),
        _("The institution is on the blacklist."),
        event.institution_id,
    )


@staff_required
@require_POST
def lift(request: HttpRequest, pk: int) -> HttpResponse:
    listing = get_object_or_404(Blacklisting.objects.select_related("institution"), pk=pk)
    return _act(
        request,
        lambda: services.lift_blacklisting(listing, actor=request.user, reason=_reason(request)),
        _("The blacklisting was lifted."),
        listing.institution_id,
    )


@staff_required
@require_POST
def decide_appeal(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = get_object_or_404(
        Appeal.objects.select_related("blacklisting__institution", "blacklisting__event"), pk=pk
    )
    uphold = request.POST.get("outcome") == "uphold"
    return _act(
        request,
        lambda: services.decide_appeal(
            appeal, actor=request.user, uphold=uphold, decision=_reason(request, "decision")
        ),
        _("Appeal upheld; the blacklisting is lifted.") if uphold else _("Appeal dismissed."),
        appeal.blacklisting.institution_id,
    )


@console_required
def scores(request: HttpRequest) -> HttpResponse:
    """Scores of one quarter (newest version of each institution), and the run form (operators)."""
    form = ComputeForm(request.POST or None)
    if request.method == "POST":
        if not is_operator(request.user):
            raise PermissionDenied(_("Only platform operators compute scores."))
        if form.is_valid():
            try:
                result = services.compute_quarter(
                    Quarter(form.cleaned_data["year"], form.cleaned_data["quarter"]), actor=request.user
                )
            except ERRORS as exc:
                messages.error(request, message_of(exc))
            else:
                messages.success(
                    request,
                    _("%(created)s new score versions; %(unchanged)s institutions unchanged.") % result,
                )
                return redirect(
                    f"{request.path}?year={form.cleaned_data['year']}&quarter={form.cleaned_data['quarter']}"
                )
    try:
        quarter = Quarter(int(request.GET.get("year", "")), int(request.GET.get("quarter", "")))
    except ValueError:
        quarter = None
    latest = QuarterlyScore.objects.order_by("-year", "-quarter").first()
    if quarter is None and latest is not None:
        quarter = Quarter(latest.year, latest.quarter)
    rows: list[QuarterlyScore] = []
    if quarter is not None:
        newest: dict[int, QuarterlyScore] = {}
        for s in (
            QuarterlyScore.objects.filter(year=quarter.year, quarter=quarter.quarter)
            .select_related("institution__organization")
            .order_by("institution_id", "version")
        ):
            newest[s.institution_id] = s
        rows = sorted(newest.values(), key=lambda s: (-s.total, s.institution.organization.name))
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "institutions/console/scores.html",
        {"form": form, "quarter": quarter, "page": page, "can_operate": is_operator(request.user)},
    )


@operator_required
def weights(request: HttpRequest) -> HttpResponse:
    current = queries.current_weights()
    form = WeightsForm(request.POST or None, initial=current.as_dict() if current else None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            row = services.set_weights(
                actor=request.user, weights={c: d[c] for c in ScorecardWeights.CATEGORIES}, note=d["note"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ERRORS as exc:
            messages.error(request, message_of(exc))
        else:
            messages.success(request, _("Weights version %(n)s is in force.") % {"n": row.version})
            return redirect("institutions_console:weights")
    return render(
        request,
        "institutions/console/weights.html",
        {
            "form": form,
            "current": current,
            "versions": ScorecardWeights.objects.select_related("created_by")[:30],
        },
    )


@operator_required
def standards(request: HttpRequest) -> HttpResponse:
    form = StandardForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            version = services.publish_standard_version(
                actor=request.user,
                code=d["code"],
                title=d["title"],
                scope=d["scope"],
                body=d["body"],
                published_on=d["published_on"],
                change_note=d["change_note"],
                document=d.get("document"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ERRORS as exc:
            messages.error(request, message_of(exc))
        else:
            messages.success(
                request,
                _("%(code)s version %(v)s is published.")
                % {"code": version.standard.code, "v": version.version},
            )
            return redirect("institutions_console:standards")
    items = ServiceStandard.objects.annotate(n=Count("versions")).order_by("code")
    return render(request, "institutions/console/standards.html", {"form": form, "standards": items})


@console_required
def credit(request: HttpRequest) -> HttpResponse:
    """Credit events and blacklistings across institutions, newest first."""
    events = CreditEvent.objects.select_related("institution__organization").order_by("-recorded_at")[:200]
    listings = Blacklisting.objects.filter(status=BlacklistStatus.LISTED).select_related(
        "institution__organization", "event"
    )
    return render(request, "institutions/console/credit.html", {"events": events, "listings": listings})
