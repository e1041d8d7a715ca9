"""The supply–demand analysis page (供需分析) of the console, its Excel export and its recomputation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from techbridge.core.downloads import xlsx_response
from techbridge.core.listing_api import error_responses
from techbridge.core.permissions import RolePermission, role_required
from techbridge.core.tasks import enqueue
from techbridge.organizations.choices import District
from techbridge.taxonomy.models import IndustryField

from . import analysis
from . import permissions as perms

MONTH_CHOICES = (3, 6, 12)


def _months(request: HttpRequest) -> int:
    try:
        months = int(request.GET.get("months", analysis.DEFAULT_MONTHS))
    except ValueError:
        return analysis.DEFAULT_MONTHS
    return months if months in MONTH_CHOICES else analysis.DEFAULT_MONTHS


def _data(months: int) -> dict[str, Any]:
    fields = analysis.by_field()
    districts = analysis.by_district()
    topics = analysis.rising_topics(months)
    snapshot = analysis.latest_snapshot()
    return {"fields": fields, "districts": districts, "topics": topics, "snapshot": snapshot}


@role_required(perms.can_see_analysis, message=perms.SEE_ANALYSIS)
def analysis_view(request: HttpRequest) -> HttpResponse:
    """Supply against demand per field and district, rising topics and unmatched demands."""
    months = _months(request)
    data = _data(months)
    snapshot = data["snapshot"]
    unmatched = snapshot.data.get("unmatched", []) if snapshot else []
    field_names = dict(IndustryField.objects.values_list("code", "name"))
    district_names = dict(District.choices)
    for u in unmatched:
        u["field_names"] = [field_names.get(c, c) for c in u["fields"]]
        u["district_name"] = district_names.get(u["district"], "")
    chart = {
        "fields": {
            "labels": [r.label for r in data["fields"]],
            "supply": [r.achievements for r in data["fields"]],
            "demand": [r.demands for r in data["fields"]],
        },
        "districts": {
            "labels": [r.label for r in data["districts"]],
            "supply": [r.achievements for r in data["districts"]],
            "demand": [r.demands for r in data["districts"]],
        },
        "names": {"supply": _("Published achievements"), "demand": _("Open demands")},
    }
    context = {
        **data,
        "unmatched": unmatched,
        "chart": chart,
        "months": months,
        "month_choices": MONTH_CHOICES,
        "can_recompute": perms.can_recompute_analysis(request.user),
        "total_achievements": analysis.published_achievements().count(),
        "total_demands": analysis.open_demands().count(),
    }
    return render(request, "mining/analysis.html", context)


@role_required(perms.can_see_analysis, message=perms.SEE_ANALYSIS)
def analysis_export_view(request: HttpRequest) -> HttpResponse:
    data = _data(_months(request))
    sheets = analysis.export_sheets(data["fields"], data["districts"], data["topics"], data["snapshot"])
    return xlsx_response(sheets, "供需分析.xlsx")


@require_POST
@role_required(perms.can_recompute_analysis, message=perms.RECOMPUTE_ANALYSIS)
def analysis_recompute_view(request: HttpRequest) -> HttpResponse:
    """Recompute the demands without a good match (a task; inline on the embedded default)."""
    enqueue(analysis.compute_unmatched_task, request.user.pk)
    messages.success(
        request, _("The matching of open demands has been recomputed (or queued on the workers).")
    )
    return redirect("mining_console:analysis")


# ---- REST API ------------------------------------------------------------------------------------------


class RowSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField(source="label")
    achievements = serializers.IntegerField()
    demands = serializers.IntegerField()
    ratio = serializers.FloatField(allow_null=True)
    gap = serializers.IntegerField()


class TopicSerializer(serializers.Serializer):
    term = serializers.CharField()
    current = serializers.IntegerField()
    previous = serializers.IntegerField()
    rise = serializers.IntegerField()
    growth = serializers.FloatField()


class SnapshotSerializer(serializers.Serializer):
    computed_at = serializers.DateTimeField()
    threshold = serializers.FloatField()
    demands_checked = serializers.IntegerField()
    unmatched = serializers.SerializerMethodField()

    def get_unmatched(self, obj: Any) -> list[dict]:
        return list(obj.data.get("unmatched", []))


class SupplyDemandSerializer(serializers.Serializer):
    months = serializers.IntegerField()
    by_field = RowSerializer(many=True, source="fields")
    by_district = RowSerializer(many=True, source="districts")
    topics = TopicSerializer(many=True)
    snapshot = SnapshotSerializer(allow_null=True)


class SupplyDemandView(APIView):
    """Supply against demand per field and district, rising topics and the latest unmatched snapshot."""

    permission_classes = [RolePermission.of(perms.can_see_analysis, perms.SEE_ANALYSIS)]

    @extend_schema(
        parameters=[
            OpenApiParameter("months", int, description="span of the rising-topics windows: 3, 6 or 12")
        ],
        responses=SupplyDemandSerializer,
    )
    def get(self, request: Request) -> Response:
        months = _months(request)
        return Response(SupplyDemandSerializer({"months": months, **_data(months)}).data)


class SupplyDemandRecomputeView(APIView):
    """Recompute the demands without a good match now (reviewers and operators)."""

    permission_classes = [RolePermission.of(perms.can_recompute_analysis, perms.RECOMPUTE_ANALYSIS)]

    @extend_schema(request=None, responses={200: SnapshotSerializer, **error_responses(401, 403)})
    def post(self, request: Request) -> Response:
        snapshot = analysis.compute_unmatched(actor=request.user)
        return Response(SnapshotSerializer(snapshot).data)
