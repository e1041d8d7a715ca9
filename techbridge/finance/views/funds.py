"""Pages of conversion funds: open calls and applying (portal), an application with its checks, panel,
scores and tranches; operators set up funds and calls, draw panels, decide and disburse (console)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from techbridge.core import audit
from techbridge.core.errors import act, message_of
from techbridge.core.permissions import console_required, operator_required, signed_in
from techbridge.core.roles import is_operator
from techbridge.core.workflow import TransitionError

from .. import funding, permissions
from ..forms import AwardForm, CallForm, DisburseForm, FundApplicationForm, FundForm, ScoreForm
from ..models import Fund, FundApplication, FundCall

REFUSALS = (ValidationError, TransitionError)


def call_list(request: HttpRequest) -> HttpResponse:
    calls = list(
        funding.open_calls().select_related("fund", "fund__sponsor").order_by("closes_on", "pk")[:100]
    )
    return render(request, "finance/portal/calls.html", {"calls": calls})


def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(FundCall.objects.select_related("fund", "fund__sponsor"), pk=pk)
    mine = None
    user: Any = request.user
    if permissions._member(user):
        mine = FundApplication.objects.filter(call=call, organization_id=user.organization_id).first()
    return render(
        request,
        "finance/portal/call.html",
        {
            "call": call,
            "fields": list(call.fund.fields.all()),
            "form": FundApplicationForm() if permissions.can_post_request(request.user) else None,
            "mine": mine,
        },
    )


@require_POST
def call_apply(request: HttpRequest, pk: int) -> HttpResponse:
    if not signed_in(request.user):
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    call = get_object_or_404(FundCall, pk=pk)
    permissions.check_post_request(request.user)
    form = FundApplicationForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, str(e))
        return redirect("finance:call", call.pk)
    try:
        app = funding.apply(
            call, actor=request.user, data=form.cleaned_data, fields=form.cleaned_data["fields_"]
        )
    except REFUSALS as exc:
        messages.error(request, message_of(exc))
        return redirect("finance:call", call.pk)
    if app.status == "eligible":
        messages.success(
            request, _("Application submitted and found eligible; an expert panel will review it.")
        )
    else:
        messages.warning(request, _("Application submitted but not eligible: see the checks below."))
    return redirect("finance:fund_application", app.pk)


def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not signed_in(request.user):
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    app = funding.application_for(request.user, pk)
    seat = funding.seat_of(request.user, app)
    operator = is_operator(request.user)
    return render(
        request,
        "finance/portal/fund_application.html",
        {
            "app": app,
            "seats": list(app.seats.select_related("expert__user")),
            "tranches": list(app.tranches.all()),
            "seat": seat,
            "conflict": seat is not None and funding.has_conflict(seat),
            "score_form": ScoreForm(),
            "operator": operator,
            "award_form": AwardForm(),
            "disburse_form": DisburseForm(),
            "show_scores": operator or seat is not None or app.status in ("awarded", "rejected"),
            "history": audit.history_rows(app, limit=30),
        },
    )


@require_POST
def application_score(request: HttpRequest, pk: int) -> HttpResponse:
    if not signed_in(request.user):
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    app = funding.application_for(request.user, pk)
    if funding.seat_of(request.user, app) is None:
        permissions.deny(_("Only the experts on this application's panel score it."))
    form = ScoreForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, str(e))
        return redirect("finance:fund_application", app.pk)
    d = form.cleaned_data
    return act(
        request,
        lambda: funding.score(app, actor=request.user, value=d["score"], comment=d.get("comment") or ""),
        _("Score recorded."),
        "finance:fund_application",
        app.pk,
        refusals=REFUSALS,
    )


# ---- console


@console_required
def funds(request: HttpRequest) -> HttpResponse:
    fund_form = FundForm(request.POST or None, prefix="fund")
    call_form = CallForm(prefix="call")
    if request.method == "POST":
        funding.check_operator(request.user)
        if fund_form.is_valid():
            try:
                data = {k: fund_form.cleaned_data[k] for k in ("name", "sponsor", "size", "rules")}
                funding.create_fund(actor=request.user, data=data, fields=fund_form.cleaned_data["fields_"])
            except ValidationError as exc:
                fund_form.add_error(None, message_of(exc))
            else:
                messages.success(request, _("Fund set up."))
                return redirect("finance_console:funds")
    return render(
        request,
        "finance/console/funds.html",
        {
            "funds": list(Fund.objects.select_related("sponsor").order_by("name")[:100]),
            "calls": list(FundCall.objects.select_related("fund").order_by("-created_at")[:50]),
            "applications": list(
                FundApplication.objects.select_related("call", "organization").order_by("-created_at")[:100]
            ),
            "fund_form": fund_form,
            "call_form": call_form,
            "can_manage": is_operator(request.user),
        },
    )


@operator_required
@require_POST
def call_create(request: HttpRequest) -> HttpResponse:
    form = CallForm(request.POST, prefix="call")
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, str(e))
        return redirect("finance_console:funds")
    d = dict(form.cleaned_data)
    fund = d.pop("fund")
    return act(
        request,
        lambda: funding.open_call(fund, actor=request.user, data=d),
        _("Call opened."),
        "finance_console:funds",
    )


def _app(pk: int) -> FundApplication:
    return get_object_or_404(FundApplication.objects.select_related("call", "call__fund"), pk=pk)


@operator_required
@require_POST
def panel(request: HttpRequest, pk: int) -> HttpResponse:
    app = _app(pk)
    return act(
        request,
        lambda: funding.draw_panel(app, actor=request.user),
        _("Expert panel drawn."),
        "finance:fund_application",
        app.pk,
    )


@operator_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    app = _app(pk)
    form = AwardForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, str(e))
        return redirect("finance:fund_application", app.pk)
    d: dict[str, Any] = form.cleaned_data
    return act(
        request,
        lambda: funding.decide(
            app,
            actor=request.user,
            award=d["award"],
            amount=d.get("amount"),
            tranches=form.tranche_rows(),
            note=d.get("note") or "",
        ),
        _("Decision recorded."),
        "finance:fund_application",
        app.pk,
    )


@operator_required
@require_POST
def disburse(request: HttpRequest, pk: int) -> HttpResponse:
    app = _app(pk)
    form = DisburseForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, str(e))
        return redirect("finance:fund_application", app.pk)
    d = form.cleaned_data
    return act(
        request,
        lambda: funding.disburse(app, d["number"], actor=request.user, evidence=d["evidence"]),
        _("Tranche disbursed."),
        "finance:fund_application",
        app.pk,
    )
