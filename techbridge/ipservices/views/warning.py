"""Early warning pages of an enterprise: its watched products, the alerts and the decision on each,
and the freedom-to-operate opportunities of its fields."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from techbridge.core import audit
from techbridge.core.errors import message_of
from techbridge.core.permissions import role_required
from techbridge.core.workflow import TransitionError

from .. import highlight, queries
from ..choices import AlertStatus
from ..forms import AlertDecisionForm, AnalysisAskForm, ProductForm
from ..permissions import WATCH_MESSAGE, alert_for, alerts_of, may_watch, product_for, products_of
from ..services import warning as services
from . import apply_errors, page_of

watcher_required = role_required(may_watch, message=WATCH_MESSAGE)
ERRORS = (ValidationError, PermissionDenied, TransitionError)


@watcher_required
def overview(request: HttpRequest) -> HttpResponse:
    products = list(products_of(request.user).order_by("-is_active", "name"))
    counts = {s: 0 for s in AlertStatus.values}
    from django.db.models import Count

    for row in alerts_of(request.user).values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    recent = alerts_of(request.user).select_related("product", "patent").filter(status=AlertStatus.NEW)[:10]
    return render(
        request,
        "ipservices/portal/warning.html",
        {"products": products, "counts": counts, "recent": recent, "form": ProductForm()},
    )


@watcher_required
def product_new(request: HttpRequest) -> HttpResponse:
    form = ProductForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            product = services.register_product(actor=request.user, values=form.cleaned_data)
        except ERRORS as exc:
            if isinstance(exc, ValidationError):
                apply_errors(form, exc)
            else:
                messages.error(request, message_of(exc))
        else:
            messages.success(
                request,
                _("“%(name)s” is watched: every new patent is compared with it.") % {"name": product.name},
            )
            return redirect("ipservices:warning")
    return render(request, "ipservices/portal/product_form.html", {"form": form, "product": None})


@watcher_required
def product_edit(request: HttpRequest, pk: int) -> HttpResponse:
    product = product_for(request.user, pk)
    initial = {f: getattr(product, f) for f in ("name", "description", "keywords", "ipc_codes")}
    form = ProductForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_product(product, actor=request.user, values=form.cleaned_data)
        except ERRORS as exc:
            if isinstance(exc, ValidationError):
                apply_errors(form, exc)
            else:
                messages.error(request, message_of(exc))
        else:
            messages.success(request, _("Product saved."))
            return redirect("ipservices:warning")
    return render(request, "ipservices/portal/product_form.html", {"form": form, "product": product})


@watcher_required
@require_POST
def product_watch(request: HttpRequest, pk: int) -> HttpResponse:
    product = product_for(request.user, pk)
    watched = request.POST.get("watched") == "1"
    try:
        services.set_product_watched(product, actor=request.user, watched=watched)
    except ERRORS as exc:
        messages.error(request, message_of(exc))
    return redirect("ipservices:warning")


@watcher_required
def alert_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    qs = alerts_of(request.user).select_related("product", "patent")
    if status in AlertStatus.values:
        qs = qs.filter(status=status)
    page = page_of(request, qs)
    return render(
        request,
        "ipservices/portal/alerts.html",
        {"page": page, "alerts": page.object_list, "status": status, "statuses": AlertStatus.choices},
    )


@watcher_required
def alert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    alert = alert_for(request.user, pk)
    patent = alert.patent
    terms = list(alert.shared_terms or [])
    sentences = [
        {"parts": highlight.mark(s["text"], s.get("terms") or terms), "terms": s.get("terms") or []}
        for s in alert.claim_sentences or []
    ]
    context = {
        "alert": alert,
        "patent": patent,
        "title_parts": highlight.mark(patent.title, terms),
        "abstract_parts": highlight.mark(patent.abstract, terms),
        "product_parts": highlight.mark(alert.product.description, terms),
        "sentences": sentences,
        "status_now": queries.effective_status(patent),
        "days_left": queries.remaining_term(patent),
        "decision_form": AlertDecisionForm(),
        "ask_form": AnalysisAskForm(initial={"question": _default_question(alert)}),
        "history": audit.history(alert)[:10],
        "analysis": getattr(alert, "analysis_request", None),
    }
    return render(request, "ipservices/portal/alert.html", context)


def _default_question(alert) -> str:  # type: ignore[no-untyped-def]
    return _(
        "Does our product “%(product)s” fall within the claims of %(number)s, and how could we avoid them?"
    ) % {
        "product": alert.product.name,
        "number": alert.patent.number,
    }


@watcher_required
@require_POST
def alert_decide(request: HttpRequest, pk: int) -> HttpResponse:
    alert = alert_for(request.user, pk)
    form = AlertDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to do with the alert."))
        return redirect("ipservices:alert", alert.pk)
    try:
        services.decide_alert(
            alert, actor=request.user, decision=form.cleaned_data["decision"], note=form.cleaned_data["note"]
        )
    except ERRORS as exc:
        messages.error(request, message_of(exc))
    else:
        messages.success(request, _("Alert marked: %(status)s.") % {"status": alert.get_status_display()})
    return redirect("ipservices:alert", alert.pk)


@watcher_required
@require_POST
def alert_analysis(request: HttpRequest, pk: int) -> HttpResponse:
    alert = alert_for(request.user, pk)
    form = AnalysisAskForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("ipservices:alert", alert.pk)
    try:
        req = services.ask_for_analysis(
            alert,
            actor=request.user,
            provider=form.cleaned_data["provider"],
            question=form.cleaned_data["question"],
        )
    except ERRORS as exc:
        messages.error(request, message_of(exc))
        return redirect("ipservices:alert", alert.pk)
    messages.success(
        request,
        _("Analysis requested from %(provider)s.") % {"provider": req.provider.organization.name},
    )
    return redirect("ipservices:analysis", req.pk)


@watcher_required
def opportunities(request: HttpRequest) -> HttpResponse:
    try:
        horizon = min(max(int(request.GET.get("months", "12")), 1), 60)
    except ValueError:
        horizon = 12
    org_id = int(getattr(request.user, "organization_id", 0) or 0)
    qs = queries.opportunities(org_id, horizon_days=horizon * 30)
    page = page_of(request, qs)
    for p in page.object_list:
        p.status_now = queries.effective_status(p)
        p.days_left = queries.remaining_term(p)
    return render(
        request,
        "ipservices/portal/opportunities.html",
        {"page": page, "patents": page.object_list, "months": horizon, "month_choices": (3, 6, 12, 24, 36)},
    )
