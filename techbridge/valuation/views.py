"""Portal and console pages of valuation. Views check who may do what (``permissions``: 404 for what
the user may not see, 403 with the reason for what they may not do), validate with a form and call
one service; the figures come from ``services.preview`` (open requests) or a frozen snapshot."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from techbridge.achievements.permissions import achievement_for
from techbridge.core import audit, documents
from techbridge.core.listing_views import add_service_errors
from techbridge.core.permissions import role_required, signed_in
from techbridge.core.workflow import TransitionError
from techbridge.lib.numbers import digits

from . import formulas as F
from . import permissions, queries, services
from .choices import Conclusion, RequestStatus
from .forms import (
    CancelForm,
    PanelForm,
    RequestForm,
    ScorecardForm,
    ScoreForm,
    ScreeningForm,
    WeightsForm,
)
from .models import Scorecard, ScorecardWeights, Valuation, ValuationRequest

PER_PAGE = 20


# The console of valuation is the operators' desk.
desk_required = role_required(permissions.can_run_desk, message=permissions.DESK)


# ---- portal ----------------------------------------------------------------------------------


@role_required()
def home(request: HttpRequest) -> HttpResponse:
    """My valuation requests and, for experts, my panel seats."""
    user: Any = request.user
    reqs = queries.visible_requests(user)
    if not permissions.can_run_desk(user):
        org = user.organization_id or -1
        reqs = reqs.filter(Q(requested_by=user) | Q(requester_org_id=org) | Q(achievement__owner_id=org))
    page = Paginator(reqs.order_by("-created_at", "-id"), PER_PAGE).get_page(request.GET.get("page"))
    expert = queries.expert_of(request.user)
    seats = list(queries.assignments_for(request.user)[:50]) if expert else []
    return render(
        request,
        "valuation/portal/home.html",
        {"page": page, "expert": expert, "seats": seats, "page_title": _("Valuations")},
    )


def screening(request: HttpRequest) -> HttpResponse:
    """成果筛选: published achievements with their grade, filtered and sorted by grade."""
    form = ScreeningForm(request.GET or None)
    grades: list[str] = []
    field, min_trl, sort = "", None, "grade"
    if form.is_valid():
        grades = form.cleaned_data.get("grade") or []
        field = form.cleaned_data.get("field") or ""
        min_trl = form.cleaned_data.get("min_trl")
        sort = form.cleaned_data.get("sort") or "grade"
    qs = queries.screening(grades=grades, field=field, min_trl=min_trl, sort=sort)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "valuation/portal/screening.html",
        {"form": form, "page": page, "page_title": _("Screening by grade (成果筛选)")},
    )


@role_required()
def request_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Request a valuation of one achievement (owners, operators, or a party of a negotiation room)."""
    achievement = achievement_for(request.user, pk)
    room_id = _room_id(request)
    room = services.get_room(room_id) if room_id else None
    if room_id and room is None:
        raise Http404(_("That negotiation room does not exist."))
    try:
        permissions.requester_role(request.user, achievement, room)  # refuse before the form is filled in
    except ValidationError as exc:  # a room about another achievement: not a page that exists
        raise Http404(" ".join(exc.messages)) from exc
    if request.method == "POST":
        form = RequestForm(request.POST)
        if form.is_valid():
            try:
                req = services.create_request(
                    achievement, actor=request.user, data=form.service_data(), room_id=room_id
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Your valuation request was sent to the platform operators."))
                return redirect("valuation:request", req.pk)
        messages.error(request, _("Nothing was saved. Please correct the errors below."))
    else:
        form = RequestForm(initial=services.initial_assumptions(achievement))
    return render(
        request,
        "valuation/portal/request_form.html",
        {
            "form": form,
            "achievement": achievement,
            "room_id": room_id,
            "page_title": _("Request a valuation"),
        },
    )


def _room_id(request: HttpRequest) -> int | None:
    raw = request.POST.get("room") or request.GET.get("room") or ""
    return int(raw) if digits(raw) else None


def _request_context(request: HttpRequest, req: ValuationRequest) -> dict[str, Any]:
    rec = services.preview(req) if req.is_open else None
    valuation = Valuation.objects.filter(request=req).first()
    return {
        "req": req,
        "rec": rec,
        "valuation": valuation,
        "can_edit": permissions.can_edit_assumptions(request.user, req),
        "can_cancel": permissions.can_cancel(request.user, req),
        "panel": list(req.panel.select_related("expert__user__organization")),
        "page_title": _("Valuation request #%(n)s") % {"n": req.pk},
        "formula_notes": _formula_notes(),
    }


def _formula_notes() -> dict[str, Any]:
    return {
        "min_comparables": F.MIN_COMPARABLES,
        "max_comparables": F.MAX_COMPARABLES,
        "deal_mode_factors": F.DEAL_MODE_FACTORS,
    }


@role_required()
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A request with its assumptions and the figures they give now (recomputed on every view)."""
    req = permissions.request_for(request.user, pk)
    return render(request, "valuation/portal/request.html", _request_context(request, req))


@role_required()
def request_edit(request: HttpRequest, pk: int) -> HttpResponse:
    req = permissions.request_for(request.user, pk)
    permissions.check_edit_assumptions(request.user, req)
    if request.method == "POST":
        form = RequestForm(request.POST, instance=ValuationRequest.objects.get(pk=req.pk))
        if form.is_valid():
            try:
                services.update_assumptions(req, actor=request.user, data=form.service_data())
            except ValidationError as exc:
                add_service_errors(form, exc)
            except TransitionError as exc:
                form.add_error(None, str(exc.message))
            else:
                messages.success(request, _("The assumptions were saved; the figures below follow them."))
                return redirect(_detail_url(request, req))
        messages.error(request, _("Nothing was saved. Please correct the errors below."))
    else:
        form = RequestForm(instance=req)
    return render(
        request,
        "valuation/portal/request_form.html",
        {"form": form, "achievement": req.achievement, "req": req, "page_title": _("Edit the assumptions")},
    )


def _detail_url(request: HttpRequest, req: ValuationRequest) -> str:
    if request.POST.get("console") and permissions.can_run_desk(request.user):
        return reverse("valuation_console:request", args=[req.pk])
    return reverse("valuation:request", args=[req.pk])


@require_POST
@role_required()
def request_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    req = permissions.request_for(request.user, pk)
    permissions.check_cancel(request.user, req)
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.cancel_request(req, actor=request.user, reason=reason)
    except TransitionError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The valuation request was cancelled."))
    return redirect(_detail_url(request, req))


def scorecard(request: HttpRequest, pk: int) -> HttpResponse:
    """The indicator scorecard of one achievement: public like its grade (and the API's scorecard);
    its owner or an operator enters the inputs."""
    if request.method == "POST" and not signed_in(request.user):
        return redirect_to_login(request.get_full_path())
    achievement = achievement_for(request.user, pk)
    card = Scorecard.objects.filter(achievement=achievement).first()
    can_edit = permissions.can_manage_scorecard(request.user, achievement)
    form = ScorecardForm(instance=card)
    if request.method == "POST":
        permissions.check_manage_scorecard(request.user, achievement)
        form = ScorecardForm(request.POST, instance=Scorecard(achievement=achievement))
        if form.is_valid():
            try:
                services.save_scorecard(achievement, actor=request.user, data=form.service_data())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The scorecard was saved and the grade recomputed."))
                return redirect("valuation:scorecard", achievement.pk)
        messages.error(request, _("Nothing was saved. Please correct the errors below."))
    version, weights = services.current_weights()
    from . import engine

    result, inputs = engine.score(achievement, card, weights)
    rows = [
        {
            "code": code,
            "input": inputs.get(code),
            "score": result.parts.get(code),
            "weight": weights.get(code),
        }
        for code in F.INDICATORS
    ]
    return render(
        request,
        "valuation/portal/scorecard.html",
        {
            "achievement": achievement,
            "form": form,
            "can_edit": can_edit,
            "result": result,
            "rows": rows,
            "weights_version": version,
            "page_title": _("Scorecard: %(title)s") % {"title": achievement.title},
        },
    )


@role_required()
def assignment(request: HttpRequest, pk: int) -> HttpResponse:
    """An expert's seat on the panel of request ``pk``: the subject, the figures, the score form."""
    member = permissions.seat_for(request.user, pk)
    req = member.request
    initial = {
        "score": member.score,
        "value_low": member.value_low,
        "value_high": member.value_high,
        "comment": member.comment,
    }
    form = ScoreForm(initial=initial)
    if request.method == "POST":
        form = ScoreForm(request.POST)
        if form.is_valid():
            cd = form.cleaned_data
            try:
                services.submit_score(
                    member,
                    actor=request.user,
                    score=cd["score"],
                    comment=cd["comment"],
                    value_low=cd.get("value_low"),
                    value_high=cd.get("value_high"),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except TransitionError as exc:
                form.add_error(None, str(exc.message))
            else:
                messages.success(
                    request, _("Your score was recorded. You may revise it until the valuation is issued.")
                )
                return redirect("valuation:assignment", req.pk)
        messages.error(request, _("Nothing was saved. Please correct the errors below."))
    context = _request_context(request, req)
    context.update(
        member=member, form=form, page_title=_("Panel: %(title)s") % {"title": req.achievement.title}
    )
    return render(request, "valuation/portal/assignment.html", context)


@role_required()
def valuation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An issued valuation, exactly as frozen, with links to its report and to its other versions."""
    valuation = permissions.valuation_for(request.user, pk)
    versions = Valuation.objects.filter(achievement=valuation.achievement).order_by("-version")
    return render(
        request,
        "valuation/portal/valuation.html",
        {
            "v": valuation,
            "rec": valuation.snapshot,
            "versions": versions,
            "formula_notes": _formula_notes(),
            "can_request": permissions.can_request(request.user, valuation.achievement),
            "page_title": _("Valuation v%(n)s: %(title)s")
            % {"n": valuation.version, "title": valuation.achievement.title},
        },
    )


@require_http_methods(["GET", "POST"])
@role_required()
def report(request: HttpRequest, pk: int) -> Any:
    """The stored PDF report, after the same check as the figures; never from MEDIA_URL.

    Until the background task has typeset it, the page shows its progress (and a retry if it failed).
    """
    valuation = permissions.valuation_for(request.user, pk)
    if not valuation.report or request.headers.get("HX-Request") == "true" or request.method == "POST":
        return documents.serve(request, valuation, "valuation.report")
    try:
        handle = valuation.report.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("The report file is missing.")) from exc
    name = f"评估报告-{valuation.achievement_id}-v{valuation.version}.pdf"
    response = FileResponse(handle, as_attachment=True, filename=name, content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# ---- console ---------------------------------------------------------------------------------

TABS = [
    ("submitted", RequestStatus.SUBMITTED.label),
    ("panel", RequestStatus.PANEL.label),
    ("issued", RequestStatus.ISSUED.label),
    ("cancelled", RequestStatus.CANCELLED.label),
]


@desk_required
def console_queue(request: HttpRequest) -> HttpResponse:
    """Requests by state, oldest open first (who waited longest is served first)."""
    tab = request.GET.get("tab") or "submitted"
    if tab not in dict(TABS):
        tab = "submitted"
    counts = ValuationRequest.objects.aggregate(**{t: Count("pk", filter=Q(status=t)) for t, _l in TABS})
    order = ["created_at", "id"] if tab in ("submitted", "panel") else ["-updated_at", "-id"]
    qs = (
        ValuationRequest.objects.filter(status=tab)
        .select_related("achievement__owner", "requested_by", "requester_org")
        .annotate(scored=Count("panel", filter=Q(panel__scored_at__isnull=False)), seats=Count("panel"))
        .order_by(*order)
    )
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "valuation/console/queue.html",
        {
            "tabs": [(t, label, counts[t]) for t, label in TABS],
            "tab": tab,
            "page": page,
            "page_title": _("Valuation requests"),
        },
    )


@desk_required
def console_request(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything about a request for the operator: figures, eligible experts, panel, issue."""
    req = permissions.request_for(request.user, pk)
    panel_form = PanelForm(initial={"size": req.panel_size})
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "panel":
                panel_form = PanelForm(request.POST)
                if panel_form.is_valid():
                    services.assign_panel(req, actor=request.user, size=panel_form.cleaned_data["size"])
                    messages.success(request, _("The panel was drawn and the experts notified."))
                    return redirect("valuation_console:request", req.pk)
                messages.error(request, _("Choose a panel size between 1 and 7."))
            elif action == "replace":
                member = get_object_or_404(req.panel.all(), pk=request.POST.get("member") or 0)
                new = services.replace_panel_member(
                    member, actor=request.user, reason=request.POST.get("reason", "").strip()
                )
                messages.success(request, _("%(name)s joins the panel instead.") % {"name": new.expert})
                return redirect("valuation_console:request", req.pk)
            elif action == "issue":
                valuation = services.issue_valuation(
                    req,
                    actor=request.user,
                    conclusion=request.POST.get("conclusion", ""),
                    reason=request.POST.get("conclusion_reason", "")[:2000],
                )
                messages.success(request, _("Issued as version %(n)s.") % {"n": valuation.version})
                return redirect("valuation:valuation", valuation.pk)
            else:
                raise Http404
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except TransitionError as exc:
            messages.error(request, str(exc.message))
    context = _request_context(request, req)
    eligible = services.eligible_experts(req) if req.status == RequestStatus.SUBMITTED else []
    context.update(
        panel_form=panel_form,
        eligible=eligible,
        excluded=services.excluded_organizations(req),
        console=True,
        history=audit.history_rows(req),
        conclusion_choices=[("", _("Choose…")), *Conclusion.choices],
    )
    return render(request, "valuation/console/request.html", context)


def console_experts(request: HttpRequest) -> HttpResponse:
    """The expert pool moved to talent's console (one pool for every panel): old links still work."""
    return redirect("talent_console:experts", permanent=True)


def console_expert(request: HttpRequest, pk: int) -> HttpResponse:
    return redirect("talent_console:expert", pk, permanent=True)


@desk_required
def console_weights(request: HttpRequest) -> HttpResponse:
    """The scorecard weights in force, their history, and a form that adds a new version."""
    version, current = services.current_weights()
    form = WeightsForm(current=current)
    if request.method == "POST":
        form = WeightsForm(request.POST, current=current)
        if form.is_valid():
            try:
                row = services.set_weights(
                    actor=request.user, weights=form.weights(), note=form.cleaned_data["note"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except TransitionError as exc:
                form.add_error(None, str(exc.message))
            else:
                messages.success(
                    request,
                    _("Weights version %(n)s is in force; grades were recomputed.") % {"n": row.version},
                )
                return redirect("valuation_console:weights")
        messages.error(request, _("Nothing was saved. Please correct the errors below."))
    history = ScorecardWeights.objects.select_related("created_by")[:20]
    return render(
        request,
        "valuation/console/weights.html",
        {
            "form": form,
            "version": version,
            "current": current,
            "history": history,
            "indicators": F.INDICATORS,
            "page_title": _("Scorecard weights"),
        },
    )
