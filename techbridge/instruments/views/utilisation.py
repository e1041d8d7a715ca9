"""Utilisation for owners (charts and table of their instruments) and the demand page's matches."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from techbridge.demands.queries import visible_demands
from techbridge.lib.numbers import digits
from techbridge.matching.hybrid import QueryError

from .. import corpora, permissions, queries
from ..choices import InstrumentStatus, PlatformStatus
from ..models import Instrument, ServiceOffer
from ..rules import LowExternalUseRule

DEMAND_MATCHES = 5


@login_required
def utilisation(request: HttpRequest) -> HttpResponse:
    """Hours used per month (internal and outside users), per instrument, with the low-use flag.

    The figures owners show to prove their instruments are open (“全面开放”). ``?instrument=`` draws one
    instrument's months instead of the whole organisation's.
    """
    user = request.user
    managed = (
        Instrument.objects.filter(permissions.managed_instruments_q(user))
        .exclude(status=InstrumentStatus.RETIRED)
        .select_related("owner")
        .order_by("name", "id")
    )
    rule = LowExternalUseRule.from_settings()
    months = queries.months_back(rule.window_months)
    chosen = None
    picked = request.GET.get("instrument") or ""
    if digits(picked):
        chosen = managed.filter(pk=int(picked)).first()
    series = queries.monthly_series(managed.filter(pk=chosen.pk) if chosen else managed, months)
    page = Paginator(managed, 50).get_page(request.GET.get("page"))
    table = queries.utilisation_table(
        managed.filter(pk__in=[i.pk for i in page.object_list]), months, rule=rule
    )
    context = {
        "page": page,
        "table": table,
        "series": series,
        "series_chart": chart_data(series),
        "chosen": chosen,
        "rule": rule,
        "months": months,
        "totals": _totals(series),
    }
    return render(request, "instruments/portal/utilisation.html", context)


def chart_data(series: dict[str, Any]) -> dict[str, Any]:
    """The monthly series with the translated names the chart shows."""
    return {
        **series,
        "names": {
            "internal": _("Internal users"),
            "external": _("Outside users"),
            "hours": _("Machine hours"),
        },
    }


def _totals(series: dict[str, Any]) -> dict[str, float]:
    internal = sum(series["internal"])
    external = sum(series["external"])
    total = internal + external
    return {
        "internal": internal,
        "external": external,
        "total": total,
        "fee": sum(series["fee"]),
        "share": external / total if total else 0.0,
    }


@login_required
def mine_fragment(request: HttpRequest) -> HttpResponse:
    """The "my work" section of instruments: upcoming bookings, approvals waiting, open orders."""
    summary = queries.mine_summary(request.user)
    if summary is None:
        return HttpResponse("")
    return render(request, "instruments/partials/mine_body.html", {"section": summary})


def demand_matches(request: HttpRequest, pk: int) -> HttpResponse:
    """Instruments and platform services that fit a demand (loaded by htmx into the demand page)."""
    demand = get_object_or_404(visible_demands(request.user), pk=pk)
    text = "\n".join(p for p in (demand.title, demand.problem, demand.indicators) if p)
    fields = [f.code for f in demand.fields.all()]
    instruments: list[dict[str, Any]] = []
    offers: list[dict[str, Any]] = []
    try:
        matches = corpora.find(corpora.INSTRUMENTS, text, k=DEMAND_MATCHES, fields=fields)
        found = (
            Instrument.objects.filter(status=InstrumentStatus.ACTIVE)
            .select_related("owner")
            .in_bulk([m.id for m in matches])
        )
        instruments = corpora.explained(matches, found)
        offer_matches = corpora.find(corpora.OFFERS, text, k=DEMAND_MATCHES, fields=fields)
        found_offers = (
            ServiceOffer.objects.filter(is_active=True, platform__status=PlatformStatus.OPERATING)
            .select_related("platform")
            .in_bulk([m.id for m in offer_matches])
        )
        offers = corpora.explained(offer_matches, found_offers)
    except QueryError:
        pass
    return render(
        request,
        "instruments/partials/demand_matches.html",
        {"demand": demand, "instruments": instruments, "offers": offers},
    )
