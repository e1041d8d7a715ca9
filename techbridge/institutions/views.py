"""Portal pages of institutions: the directory, an institution's page, its own workspace (apply,
designations, self-reports, scores with inputs, ratings received, credit and appeals), the alliance's
standards, and rating a service from a performed contract. Thin: forms validate, services decide."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from techbridge.contracts.models import Contract
from techbridge.contracts.permissions import can_view as can_view_contract
from techbridge.core.errors import act, message_of
from techbridge.core.listing_views import add_service_errors
from techbridge.core.roles import is_console_user
from techbridge.core.workflow import TransitionError
from techbridge.organizations.models import Organization

from . import queries, services
from .choices import BlacklistStatus, ReportStatus
from .forms import AppealForm, DesignationForm, DirectoryForm, ProfileForm, RateForm, SelfReportForm
from .models import (
    Appeal,
    CreditEvent,
    Designation,
    Institution,
    QuarterlyScore,
    SelfReport,
    ServiceStandard,
    StandardVersion,
)
from .permissions import (
    can_apply,
    can_see_inputs,
    institution_for,
    is_member,
    own_institution,
)
from .presenters import score_breakdown

ERRORS = (ValidationError, PermissionDenied, TransitionError)


def _act(request: HttpRequest, func: Callable[[], Any], success: str, back: str, *args: Any) -> HttpResponse:
    """A refused service call (also a refused permission) becomes a message on the page."""
    return act(request, func, success, back, *args, refusals=ERRORS)


# ---- the directory and an institution's page ------------------------------------------------


@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryForm(request.GET or None)
    filters = form.filters() if form.is_bound and form.is_valid() else {}
    page = Paginator(queries.directory(**filters), 20).get_page(request.GET.get("page"))
    return render(request, "institutions/portal/directory.html", {"form": form, "page": page})


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    inst = institution_for(request.user, pk)
    inputs = can_see_inputs(request.user, inst)
    scores = list(
        QuarterlyScore.objects.filter(institution=inst)
        .select_related("weights")
        .order_by("-year", "-quarter", "-version")[:12]
    )
    context = {
        "inst": inst,
        "obj": inst,
        "is_member": is_member(request.user, inst),
        "can_see_inputs": inputs,
        "record": queries.work_record(inst),
        "ratings": queries.rating_summary(inst),
        "scores": scores,
        "breakdown": score_breakdown(inst.current_score) if inst.current_score else None,
        "designations": inst.designations.filter(status__in=["verified", "revoked"]),
        "listing": queries.listing_in_force(inst),
        "events": queries.events_in_force(inst).order_by("-occurred_on"),
    }
    return render(request, "institutions/portal/detail.html", context)


@require_GET
def score_detail(request: HttpRequest, pk: int, score_pk: int) -> HttpResponse:
    """One quarter's score with every input (the institution and the console); others see the figures."""
    inst = institution_for(request.user, pk)
    score = get_object_or_404(
        QuarterlyScore.objects.select_related("weights", "computed_by"), pk=score_pk, institution=inst
    )
    versions = QuarterlyScore.objects.filter(
        institution=inst, year=score.year, quarter=score.quarter
    ).order_by("-version")
    return render(
        request,
        "institutions/portal/score.html",
        {
            "inst": inst,
            "score": score,
            "versions": versions,
            "can_see_inputs": can_see_inputs(request.user, inst),
            "breakdown": score_breakdown(score),
        },
    )


# ---- the institution's own workspace --------------------------------------------------------


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    inst = own_institution(request.user)
    if inst is None:
        return render(
            request, "institutions/portal/mine.html", {"inst": None, "can_apply": can_apply(request.user)}
        )
    listing = queries.listing_in_force(inst)
    context = {
        "inst": inst,
        "designations": inst.designations.all(),
        "designation_form": DesignationForm(),
        "reports": inst.reports.all(),
        "report_years": _report_years(inst),
        "scores": inst.scores.order_by("-year", "-quarter", "-version")[:8],
        "ratings": inst.ratings.order_by("-created_at")[:50],
        "rating_summary": queries.rating_summary(inst),
        "events": inst.credit_events.order_by("-occurred_on"),
        "listing": listing,
        "open_appeal": listing.appeals.filter(status="submitted").first() if listing else None,
        "appeal_form": AppealForm(),
        "grades": inst.credit_grades.order_by("-version")[:10],
        "record": queries.work_record(inst),
    }
    return render(request, "institutions/portal/mine.html", context)


def _report_years(inst: Institution) -> list[int]:
    """Years a self-report may be written for: this year and the last two, while not yet submitted."""
    year = timezone.localdate().year
    done = set(
        inst.reports.exclude(status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED]).values_list(
            "year", flat=True
        )
    )
    return [y for y in (year, year - 1, year - 2) if y not in done]


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    """Apply (a new draft) or change the profile of the member's institution."""
    inst = own_institution(request.user)
    if inst is None and not can_apply(request.user):
        raise PermissionDenied(_("Only members of an approved service organisation can apply."))
    form = ProfileForm(request.POST or None, initial=ProfileForm.initial_of(inst) if inst else None)
    if request.method == "POST" and form.is_valid():
        try:
            inst = services.save_profile(actor=request.user, data=form.service_data(), institution=inst)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("institutions:mine")
    return render(request, "institutions/portal/profile.html", {"form": form, "inst": inst})


def _own(request: HttpRequest) -> Institution:
    inst = own_institution(request.user)
    if inst is None:
        raise Http404
    return inst


@login_required
@require_POST
def submit(request: HttpRequest) -> HttpResponse:
    inst = _own(request)
    return _act(
        request,
        lambda: services.submit_application(inst, actor=request.user),
        _("Application submitted; a platform reviewer will look at it."),
        "institutions:mine",
    )


@login_required
@require_POST
def withdraw(request: HttpRequest) -> HttpResponse:
    inst = _own(request)
    return _act(
        request,
        lambda: services.withdraw_listing(inst, actor=request.user, reason=request.POST.get("reason", "")),
        _("The institution was withdrawn from the directory."),
        "institutions:mine",
    )


@login_required
@require_POST
def designation_new(request: HttpRequest) -> HttpResponse:
    inst = _own(request)
    form = DesignationForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(
            request,
            " ".join(
                f"{form.fields[k].label}: {' '.join(map(str, v))}"
                for k, v in form.errors.items()
                if k in form.fields
            ),
        )
        return redirect("institutions:mine")
    d = form.cleaned_data
    return _act(
        request,
        lambda: services.declare_designation(
            inst,
            actor=request.user,
            level=d["level"],
            designated_on=d["designated_on"],
            valid_until=d["valid_until"],
            certificate_number=d["certificate_number"],
            issued_by=d["issued_by"],
            certificate=d.get("certificate"),
        ),
        _("Designation declared; it counts once a platform reviewer has verified it."),
        "institutions:mine",
    )


@login_required
def report_edit(request: HttpRequest, year: int) -> HttpResponse:
    inst = _own(request)
    if not 2000 <= year <= timezone.localdate().year:
        raise Http404
    report = SelfReport.objects.filter(institution=inst, year=year).first()
    editable = report is None or report.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)
    form = SelfReportForm(request.POST or None, request.FILES or None, instance=report)
    if request.method == "POST" and editable and form.is_valid():
        data = {k: form.cleaned_data[k] for k in SelfReportForm.Meta.fields}
        try:
            services.save_report(
                inst, actor=request.user, year=year, data=data, evidence=form.cleaned_data.get("evidence")
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except (PermissionDenied, TransitionError) as exc:
            messages.error(request, message_of(exc))
        else:
            messages.success(request, _("Self-report saved. Submit it when it is complete."))
            return redirect("institutions:report", year)
    return render(
        request,
        "institutions/portal/report.html",
        {"inst": inst, "year": year, "report": report, "form": form, "editable": editable},
    )


@login_required
@require_POST
def report_submit(request: HttpRequest, year: int) -> HttpResponse:
    inst = _own(request)
    report = get_object_or_404(SelfReport, institution=inst, year=year)
    return _act(
        request,
        lambda: services.submit_report(report, actor=request.user),
        _("Self-report submitted for review."),
        "institutions:mine",
    )


@login_required
@require_POST
def appeal(request: HttpRequest) -> HttpResponse:
    inst = _own(request)
    listing = inst.blacklistings.filter(status=BlacklistStatus.LISTED).first()
    if listing is None:
        messages.error(request, _("Your institution is not on the blacklist."))
        return redirect("institutions:mine")
    form = AppealForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Give the grounds of the appeal."))
        return redirect("institutions:mine")
    return _act(
        request,
        lambda: services.file_appeal(
            listing,
            actor=request.user,
            grounds=form.cleaned_data["grounds"],
            evidence=form.cleaned_data.get("evidence"),
        ),
        _("Appeal submitted; a platform reviewer will decide on it."),
        "institutions:mine",
    )


# ---- rating a service from a performed contract ---------------------------------------------


@login_required
@require_POST
def rate(request: HttpRequest, contract_pk: int) -> HttpResponse:
    contract = get_object_or_404(Contract, pk=contract_pk)
    if not can_view_contract(request.user, contract):
        raise Http404
    form = RateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a rating from 1 to 5."))
        return redirect("contracts:detail", contract.pk)
    inst = (
        Institution.objects.filter(pk=form.cleaned_data["institution"]).select_related("organization").first()
    )
    if inst is None:
        raise Http404
    return _act(
        request,
        lambda: services.rate_service(
            contract,
            actor=request.user,
            institution=inst,
            score=form.cleaned_data["score"],
            comment=form.cleaned_data["comment"],
        ),
        _("Thank you: your rating was recorded. The institution does not see who rated it."),
        "contracts:detail",
        contract.pk,
    )


# ---- standards ------------------------------------------------------------------------------


@require_GET
def standards(request: HttpRequest) -> HttpResponse:
    items = ServiceStandard.objects.prefetch_related("versions").order_by("code")
    return render(request, "institutions/portal/standards.html", {"standards": items})


@require_GET
def standard(request: HttpRequest, pk: int, version: int | None = None) -> HttpResponse:
    std = get_object_or_404(ServiceStandard, pk=pk)
    versions = list(std.versions.select_related("published_by").order_by("-version"))
    if not versions:
        raise Http404
    shown = versions[0] if version is None else next((v for v in versions if v.version == version), None)
    if shown is None:
        raise Http404
    return render(
        request, "institutions/portal/standard.html", {"std": std, "versions": versions, "shown": shown}
    )


# ---- helpers: organisation suggestions and files ---------------------------------------------


@login_required
@require_GET
def org_search(request: HttpRequest) -> HttpResponse:
    """Up to 10 approved organisations whose name or credit code contains ``q`` (a datalist)."""
    q = (request.GET.get("q") or "").strip()[:60]
    orgs = []
    if len(q) >= 2:
        orgs = list(
            Organization.objects.filter(
                Q(name__icontains=q) | Q(credit_code__startswith=q.upper()), status="approved"
            ).order_by("name")[:10]
        )
    return render(request, "institutions/partials/org_options.html", {"orgs": orgs})


FILE_KINDS: dict[str, tuple[Any, str]] = {
    "certificate": (Designation, "certificate"),
    "report": (SelfReport, "evidence"),
    "event": (CreditEvent, "evidence"),
    "appeal": (Appeal, "evidence"),
    "standard": (StandardVersion, "document"),
}


@require_GET
def file(request: HttpRequest, kind: str, pk: int) -> FileResponse:
    """A stored document: standards are public; certificates, reports and evidence go to the
    institution's members and the console only."""
    if kind not in FILE_KINDS:
        raise Http404
    model, field = FILE_KINDS[kind]
    obj = get_object_or_404(model, pk=pk)
    if kind != "standard":
        inst = obj.blacklisting.institution if kind == "appeal" else obj.institution
        if not (is_member(request.user, inst) or is_console_user(request.user)):
            raise Http404
    stored = getattr(obj, field)
    if not stored:
        raise Http404
    return FileResponse(stored.open("rb"), as_attachment=True, filename=stored.name.rsplit("/", 1)[-1])
