"""Search-as-you-type lists for the forms (organisations, carriers, achievements, contracts, records).

Each answers ``?q=`` with at most ``LIMIT`` choices as a small HTML list the form's script turns into
clicks that fill the field; forms stay light however many organisations the platform holds.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from techbridge.achievements.models import Achievement
from techbridge.contracts.queries import contracts_for
from techbridge.core.workflow import ReviewStatus
from techbridge.organizations.choices import OrgStatus
from techbridge.organizations.models import Organization

from .. import permissions
from ..case_sources import case_source
from ..choices import CarrierStatus
from ..models import Carrier

LIMIT = 10


@login_required
def pick(request: HttpRequest, kind: str) -> HttpResponse:
    q = (request.GET.get("q") or "").strip()[:100]
    choices: list[tuple[str, str]] = []
    if len(q) >= 1:
        if kind == "organizations":
            qs = Organization.objects.filter(status=OrgStatus.APPROVED).filter(
                Q(name__icontains=q) | Q(credit_code__istartswith=q.upper())
            )
            choices = [(o.name, o.name) for o in qs.order_by("name")[:LIMIT]]
        elif kind == "carriers":
            carriers = Carrier.objects.filter(status=CarrierStatus.APPROVED, name__icontains=q)
            choices = [(c.name, c.name) for c in carriers.order_by("name")[:LIMIT]]
        elif kind == "achievements":
            org = getattr(request.user, "organization_id", None)
            found = Achievement.objects.filter(Q(status=ReviewStatus.PUBLISHED) | Q(owner_id=org)).filter(
                title__icontains=q
            )
            choices = [(str(a.pk), f"#{a.pk} {a.title}") for a in found.order_by("-pk")[:LIMIT]]
        elif kind == "contracts":
            contracts = contracts_for(request.user).filter(Q(number__icontains=q) | Q(title__icontains=q))
            choices = [(c.number, f"{c.number} {c.title}") for c in contracts.order_by("-pk")[:LIMIT]]
        elif kind.startswith("source-"):
            source = case_source(kind.removeprefix("source-"))
            if source is None or not permissions.can_write_cases(request.user):
                raise Http404
            choices = [(str(pk), label) for pk, label in source.find(request.user, q)[:LIMIT]]
        else:
            raise Http404
    elif kind not in ("organizations", "carriers", "achievements", "contracts") and not kind.startswith(
        "source-"
    ):
        raise Http404
    return render(request, "carriers/partials/pick.html", {"choices": choices, "q": q})
