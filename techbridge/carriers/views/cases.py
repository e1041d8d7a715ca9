"""Portal pages of the typical-case library: browse, search in Chinese, read."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from techbridge.lib.text import query_tokens
from techbridge.organizations.queries import zone_ids

from .. import permissions, queries
from ..forms import CaseFilterForm
from .common import paginate


def case_list(request: HttpRequest) -> HttpResponse:
    """Published cases, newest first; a search ranks them by relevance (jieba full-text)."""
    form = CaseFilterForm(request.GET or None)
    f = form.filters() if request.GET else {}
    qs = queries.published_cases()
    if f.get("category"):
        qs = qs.filter(category=f["category"])
    if f.get("district"):
        qs = qs.filter(district=f["district"])
    if f.get("zone"):
        qs = qs.filter(zone_id__in=zone_ids(f["zone"]))
    if f.get("q"):
        qs, ranked = queries.search_cases(qs, f["q"])
        order = Case(
            *[When(pk=pk, then=Value(i)) for i, pk in enumerate(ranked)], output_field=IntegerField()
        )
        qs = qs.annotate(rank=order).order_by("rank") if ranked else qs.none()
    else:
        qs = qs.order_by("-published_at", "-pk")
    context = {"form": form, "page": paginate(request, qs), "terms": query_tokens(f.get("q", ""))}
    return render(request, "carriers/portal/cases.html", context)


def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = permissions.case_for(request.user, pk)
    context = {
        "case": case,
        "organizations": list(case.organizations.all()),
        "fields": list(case.fields.all()),
        "facts": case.source_facts or {},
        "can_write": permissions.can_write_cases(request.user),
    }
    return render(request, "carriers/portal/case.html", context)
