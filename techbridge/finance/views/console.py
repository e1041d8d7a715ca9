"""Console pages of technology finance, mounted at /console/finance/: qualifying investors and the
statistics (capital per field, district, stage and instrument; time to funding)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from techbridge.core.errors import act
from techbridge.core.permissions import console_required, operator_required
from techbridge.core.registry import Period
from techbridge.core.roles import is_operator
from techbridge.lib.numbers import whole_number

from .. import services, stats
from ..choices import InvestorStatus
from ..forms import ReasonForm
from ..models import Investor

PER_PAGE = 30


@console_required
def investors(request: HttpRequest) -> HttpResponse:
    qs = (
        Investor.objects.select_related("organization")
        .annotate(
            pending=Case(
                When(status=InvestorStatus.SUBMITTED, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("pending", "-created_at", "pk")
    )
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "finance/console/investors.html",
        {"page": page, "reject_form": ReasonForm(), "can_qualify": is_operator(request.user)},
    )


@operator_required
@require_POST
def qualify(request: HttpRequest, pk: int) -> HttpResponse:
    inv = get_object_or_404(Investor, pk=pk)
    return act(
        request,
        lambda: services.qualify_investor(inv, actor=request.user),
        _("Investor qualified."),
        "finance_console:investors",
    )


@operator_required
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    inv = get_object_or_404(Investor, pk=pk)
    return act(
        request,
        lambda: services.reject_investor(inv, actor=request.user, reason=request.POST.get("reason", "")),
        _("Investor marked as not qualified."),
        "finance_console:investors",
    )


@console_required
def statistics(request: HttpRequest) -> HttpResponse:
    from django.utils import timezone

    year = whole_number(request.GET.get("year"), 2000, 2100)
    period = Period.year(year) if year else None
    return render(
        request,
        "finance/console/stats.html",
        {"year": year, "this_year": timezone.localdate().year, "stats": stats.breakdown(period)},
    )
