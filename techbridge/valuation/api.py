"""Valuation API: requests and their assumptions, panels and scores, issued valuations and reports,
scorecards, the screening list and weights (the expert pool is in the talent API).

Who sees what is the same as on the pages: requests to the requester, the owner organisation, their
panel's experts and staff; issued figures and reports only to those who may see the achievement's
confidential detail (owner, reviewers, NDA acceptors); grades to everyone.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import exceptions, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from techbridge.achievements.permissions import achievement_for
from techbridge.core import documents
from techbridge.core.api import Pagination
from techbridge.core.documents import DocumentStatusSerializer
from techbridge.core.listing_api import (
    StrictModelSerializer,
    StrictSerializer,
    error_responses,
    service_errors,
)
from techbridge.lib.numbers import digits
from techbridge.organizations.api import OrganizationBriefSerializer
from techbridge.taxonomy.models import IndustryField

from . import formulas as F
from . import permissions as valuation_permissions
from . import queries, services
from .choices import GRADES, Conclusion
from .engine import ASSUMPTION_FIELDS
from .models import PanelMember, Scorecard, Valuation, ValuationRequest

# ---- serializers -----------------------------------------------------------------------------


class RequestSerializer(serializers.ModelSerializer):
    """A request with its draft assumptions; ``figures`` is the live preview (detail, while open)."""

    achievement_title = serializers.CharField(source="achievement.title", read_only=True)
    requester_org = OrganizationBriefSerializer(read_only=True)
    counterparty_org = OrganizationBriefSerializer(read_only=True)
    room_id = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The negotiation room the request came from, if any."
    )
    figures = serializers.SerializerMethodField()
    valuation_id = serializers.SerializerMethodField()
    panel = serializers.SerializerMethodField()

    class Meta:
        model = ValuationRequest
        fields = [
            "id",
            "achievement",
            "achievement_title",
            "status",
            "requester_kind",
            "requester_org",
            "counterparty_org",
            "room_id",
            "purpose",
            "purpose_note",
            "panel_size",
            *ASSUMPTION_FIELDS,
            "conclusion",
            "conclusion_reason",
            "created_at",
            "issued_at",
            "valuation_id",
            "panel",
            "figures",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_figures(self, obj: ValuationRequest) -> Any:
        if not self.context.get("with_figures") or not obj.is_open:
            return None
        return services.preview(obj)

    @extend_schema_field(
        serializers.ListField(
            child=serializers.DictField(), help_text="Seats: id, expert, scored (detail only)."
        )
    )
    def get_panel(self, obj: ValuationRequest) -> list[dict[str, Any]] | None:
        if not self.context.get("with_figures"):
            return None
        return [
            {"id": m.pk, "expert": m.expert.user.display_name, "scored": m.scored_at is not None}
            for m in obj.panel.select_related("expert__user")
        ]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_valuation_id(self, obj: ValuationRequest) -> int | None:
        try:
            return obj.valuation.pk
        except Valuation.DoesNotExist:
            return None


class RequestWriteSerializer(StrictModelSerializer):
    """Purpose and assumptions; on create also the achievement and, for a party of a negotiation,
    the room. Percentages in percent, amounts in yuan; unknown inputs left out."""

    achievement = serializers.IntegerField(write_only=True, required=True)
    room = serializers.IntegerField(write_only=True, required=False, allow_null=True)
    subject_deal_mode = serializers.ChoiceField(choices=sorted(F.DEAL_MODE_FACTORS), required=False)
    first_year_revenue = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        required=False,
        allow_null=True,
        min_value=Decimal(0),
        error_messages={"min_value": _lazy("The revenue forecast cannot be negative.")},
    )

    class Meta(StrictModelSerializer.Meta):
        model = ValuationRequest
        fields = ["achievement", "room", "purpose", "purpose_note", "panel_size", *ASSUMPTION_FIELDS]

    def validate_first_year_revenue(self, value: Any) -> Any:
        if value is not None and value < 0:
            raise serializers.ValidationError(_("The revenue forecast cannot be negative."))
        return value


class RequestUpdateSerializer(RequestWriteSerializer):
    class Meta(RequestWriteSerializer.Meta):
        fields = ["purpose", "purpose_note", "panel_size", *ASSUMPTION_FIELDS]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields.pop("achievement", None)
        fields.pop("room", None)
        for f in fields.values():
            f.required = False
        return fields


class PanelSizeSerializer(StrictSerializer):
    size = serializers.IntegerField(min_value=1, max_value=7, required=False)


class ReplaceSerializer(StrictSerializer):
    member = serializers.IntegerField(help_text="The panel seat (id from the request's panel).")
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class IssueSerializer(StrictSerializer):
    """The appraiser's conclusion: the approach it rests on and why (the weights only suggest)."""

    conclusion = serializers.ChoiceField(choices=Conclusion.choices)
    reason = serializers.CharField(max_length=2000)


class CancelSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ScoreSerializer(StrictSerializer):
    score = serializers.IntegerField(min_value=0, max_value=100)
    comment = serializers.CharField(max_length=4000)
    value_low = serializers.DecimalField(
        max_digits=16, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    value_high = serializers.DecimalField(
        max_digits=16, decimal_places=2, min_value=0, required=False, allow_null=True
    )


class AssignmentSerializer(serializers.ModelSerializer):
    request = serializers.IntegerField(source="request_id", read_only=True)
    achievement = serializers.IntegerField(source="request.achievement_id", read_only=True)
    achievement_title = serializers.CharField(source="request.achievement.title", read_only=True)
    request_status = serializers.CharField(source="request.status", read_only=True)

    class Meta:
        model = PanelMember
        fields = [
            "id",
            "request",
            "achievement",
            "achievement_title",
            "request_status",
            "assigned_at",
            "score",
            "value_low",
            "value_high",
            "comment",
            "scored_at",
        ]
        read_only_fields = fields


class ValuationSerializer(serializers.ModelSerializer):
    """An issued valuation with its frozen record (assumptions, figures, comparables, panel)."""

    report_url = serializers.SerializerMethodField()

    class Meta:
        model = Valuation
        fields = [
            "id",
            "achievement",
            "request",
            "version",
            "issued_at",
            "point",
            "low",
            "high",
            "grade",
            "report_sha256",
            "report_url",
            "snapshot",
        ]
        read_only_fields = fields

    def get_report_url(self, obj: Valuation) -> str:
        from django.urls import reverse

        return reverse("api:valuation-valuation-report", args=[obj.pk])


class ScorecardSerializer(serializers.ModelSerializer):
    """Entered inputs (writable), and the grade, score, coverage and indicator scores (read-only)."""

    class Meta:
        model = Scorecard
        fields = [
            "achievement",
            *services.SCORECARD_FIELDS,
            "score",
            "grade",
            "coverage",
            "parts",
            "weights_version",
            "updated_at",
        ]
        read_only_fields = [
            "achievement",
            "score",
            "grade",
            "coverage",
            "parts",
            "weights_version",
            "updated_at",
        ]


class ScorecardWriteSerializer(StrictModelSerializer):
    class Meta(StrictModelSerializer.Meta):
        model = Scorecard
        fields = list(services.SCORECARD_FIELDS)


class ScreeningRowSerializer(serializers.Serializer):
    """One row of the screening list (schema only; the view builds the rows)."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    owner = serializers.CharField()
    trl = serializers.IntegerField(allow_null=True)
    fields = serializers.ListField(child=serializers.CharField())  # type: ignore[assignment]
    grade = serializers.CharField(help_text="A–D, or empty when not graded.")
    score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)


class WeightsSerializer(StrictSerializer):
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        for code in F.INDICATORS:
            fields[code] = serializers.DecimalField(
                max_digits=7, decimal_places=2, min_value=0, max_value=1000
            )
        return fields


class RequestViewSet(viewsets.GenericViewSet):
    """Valuation requests the caller may see; create, change assumptions, draw the panel, issue."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = RequestSerializer
    pagination_class = Pagination

    def get_queryset(self) -> Any:
        return (
            queries.visible_requests(self.request.user)
            .select_related("valuation")
            .order_by("-created_at", "-id")
        )

    @extend_schema(
        tags=["valuation"],
        summary="List valuation requests the caller may see",
        responses={200: RequestSerializer(many=True), **error_responses(401)},
    )
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(
            RequestSerializer(page, many=True, context={"request": request}).data
        )

    @extend_schema(
        tags=["valuation"],
        summary="One request, with the figures its assumptions give now",
        responses={200: RequestSerializer, **error_responses(401, 404)},
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        return self._detail(self.get_object())

    def _detail(self, obj: ValuationRequest, code: int = 200) -> Response:
        obj = self.get_queryset().get(pk=obj.pk)
        data = RequestSerializer(obj, context={"request": self.request, "with_figures": True}).data
        return Response(data, status=code)

    @extend_schema(
        tags=["valuation"],
        summary="Request a valuation (owner, party of a negotiation room, operator)",
        request=RequestWriteSerializer,
        responses={201: RequestSerializer, **error_responses(400, 401, 403, 404)},
    )
    def create(self, request: Request) -> Response:
        ser = RequestWriteSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        achievement = achievement_for(request.user, data.pop("achievement"))
        room = data.pop("room", None)
        with service_errors():
            req = services.create_request(achievement, actor=request.user, data=data, room_id=room)
        return self._detail(req, 201)

    @extend_schema(
        tags=["valuation"],
        summary="Change the draft assumptions of an open request",
        request=RequestUpdateSerializer,
        responses={200: RequestSerializer, **error_responses(400, 401, 403, 404)},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        req = self.get_object()
        valuation_permissions.check_edit_assumptions(request.user, req)
        ser = RequestUpdateSerializer(data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        with service_errors():
            services.update_assumptions(req, actor=request.user, data=dict(ser.validated_data))
        return self._detail(req)

    @extend_schema(
        tags=["valuation"],
        summary="Draw and assign the expert panel (operators)",
        request=PanelSizeSerializer,
        responses={200: RequestSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="assign-panel")
    def assign_panel(self, request: Request, pk: str) -> Response:
        req = self.get_object()
        valuation_permissions.check_run_desk(request.user, _("Only platform operators assign expert panels."))
        ser = PanelSizeSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            services.assign_panel(req, actor=request.user, size=ser.validated_data.get("size"))
        return self._detail(req)

    @extend_schema(
        tags=["valuation"],
        summary="Replace an expert who has not scored with the next eligible one (operators)",
        request=ReplaceSerializer,
        responses={200: RequestSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="replace-expert")
    def replace_expert(self, request: Request, pk: str) -> Response:
        req = self.get_object()
        valuation_permissions.check_run_desk(request.user, _("Only platform operators assign expert panels."))
        ser = ReplaceSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        member = get_object_or_404(req.panel.all(), pk=ser.validated_data["member"])
        with service_errors():
            services.replace_panel_member(member, actor=request.user, reason=ser.validated_data["reason"])
        return self._detail(req)

    @extend_schema(
        tags=["valuation"],
        summary="Issue the valuation as the next version, with its report (operators)",
        request=IssueSerializer,
        responses={201: ValuationSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def issue(self, request: Request, pk: str) -> Response:
        req = self.get_object()
        valuation_permissions.check_run_desk(request.user, _("Only platform operators issue valuations."))
        ser = IssueSerializer(data=request.data or {})
        ser.is_valid(raise_exception=True)
        with service_errors():
            valuation = services.issue_valuation(
                req,
                actor=request.user,
                conclusion=ser.validated_data["conclusion"],
                reason=ser.validated_data["reason"],
            )
        return Response(ValuationSerializer(valuation).data, status=201)

    @extend_schema(
        tags=["valuation"],
        summary="Cancel an open request (requester or operator)",
        request=CancelSerializer,
        responses={200: RequestSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        req = self.get_object()
        valuation_permissions.check_cancel(request.user, req)
        ser = CancelSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            services.cancel_request(req, actor=request.user, reason=ser.validated_data["reason"])
        return self._detail(req)


class AssignmentViewSet(viewsets.GenericViewSet):
    """The caller's panel seats (experts) and their scores."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = AssignmentSerializer
    pagination_class = Pagination

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return PanelMember.objects.none()
        return queries.assignments_for(self.request.user)

    @extend_schema(
        tags=["valuation"],
        summary="My panel seats",
        responses={200: AssignmentSerializer(many=True), **error_responses(401)},
    )
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(AssignmentSerializer(page, many=True).data)

    @extend_schema(
        tags=["valuation"],
        summary="Score (0–100), optional value range and comment",
        request=ScoreSerializer,
        responses={200: AssignmentSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def score(self, request: Request, pk: str) -> Response:
        member = self.get_object()
        ser = ScoreSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            member = services.submit_score(member, actor=request.user, **ser.validated_data)
        return Response(AssignmentSerializer(member).data)


class ValuationViewSet(viewsets.GenericViewSet):
    """Issued valuations; figures and reports follow the achievement's NDA rule."""

    serializer_class = ValuationSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self) -> Any:
        return Valuation.objects.select_related("achievement", "request")

    def get_object(self) -> Valuation:
        return valuation_permissions.valuation_for(self.request.user, self.kwargs["pk"])

    @extend_schema(
        tags=["valuation"],
        summary="One issued valuation, as frozen",
        responses={200: ValuationSerializer, **error_responses(401, 403, 404)},
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(ValuationSerializer(self.get_object()).data)

    @extend_schema(
        tags=["valuation"],
        summary="The PDF report",
        description=(
            "The stored report. While the background task is still typesetting it, 202 with `status` and "
            "`status_url` (ask that URL again); 409 if the typesetting failed (retry from the report page)."
        ),
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            202: DocumentStatusSerializer,
            409: DocumentStatusSerializer,
            **error_responses(401, 403, 404),
        },
    )
    @action(detail=True, methods=["get"])
    def report(self, request: Request, pk: str) -> Any:
        valuation = self.get_object()
        if not valuation.report:
            return documents.api_serve(request, valuation, "valuation.report")
        response = FileResponse(
            valuation.report.open("rb"),
            as_attachment=True,
            filename=f"valuation-{valuation.achievement_id}-v{valuation.version}.pdf",
            content_type="application/pdf",
        )
        response["Cache-Control"] = "private, no-store"
        return response


class ScorecardView(APIView):
    """The scorecard of one achievement: anyone who sees the achievement reads it; its owner or an
    operator writes the entered inputs (PUT replaces them all)."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    def _achievement(self, request: Request, pk: int) -> Any:
        return achievement_for(request.user, pk)

    @extend_schema(
        tags=["valuation"],
        summary="Scorecard of an achievement",
        responses={200: ScorecardSerializer, **error_responses(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        achievement = self._achievement(request, pk)
        card = services.graded(achievement)  # read only: nothing is saved by a GET
        return Response(ScorecardSerializer(card).data)

    @extend_schema(
        tags=["valuation"],
        summary="Enter the scorecard inputs and regrade",
        request=ScorecardWriteSerializer,
        responses={200: ScorecardSerializer, **error_responses(400, 401, 403, 404)},
    )
    def put(self, request: Request, pk: int) -> Response:
        achievement = self._achievement(request, pk)
        valuation_permissions.check_manage_scorecard(request.user, achievement)
        ser = ScorecardWriteSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = {name: ser.validated_data.get(name) for name in services.SCORECARD_FIELDS}
        with service_errors():
            card = services.save_scorecard(achievement, actor=request.user, data=data)
        return Response(ScorecardSerializer(card).data)


class ScreeningPageSerializer(serializers.Serializer):
    """A page of the screening list (schema only)."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ScreeningRowSerializer(many=True)


class ScreeningView(APIView):
    """成果筛选: published achievements with grade, filtered and sorted by grade."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=["valuation"],
        summary="Screen published achievements by scorecard grade",
        parameters=[
            OpenApiParameter(
                "grade", str, many=True, enum=[*GRADES, "-"], description="Repeat; '-' = not graded."
            ),
            OpenApiParameter("field", str, description="Industry field code."),
            OpenApiParameter("min_trl", int),
            OpenApiParameter("sort", str, enum=list(queries.SORTS)),
        ],
        responses={200: ScreeningPageSerializer, **error_responses(400)},
    )
    def get(self, request: Request) -> Response:
        grades = request.query_params.getlist("grade")
        bad = [g for g in grades if g not in [*GRADES, "-"]]
        if bad:
            raise exceptions.ValidationError({"grade": [_("Unknown grade: %(g)s") % {"g": bad[0]}]})
        sort = request.query_params.get("sort") or "grade"
        if sort not in queries.SORTS:
            raise exceptions.ValidationError({"sort": [_("Unknown sort order.")]})
        raw_trl = request.query_params.get("min_trl") or ""
        if raw_trl and not (digits(raw_trl) and 1 <= int(raw_trl) <= 9):
            raise exceptions.ValidationError(
                {"min_trl": [_("The technology readiness level must be between 1 and 9.")]}
            )
        field = request.query_params.get("field") or ""
        if field and not IndustryField.objects.filter(code=field).exists():
            raise exceptions.ValidationError({"field": [_("Unknown industry field.")]})
        qs = queries.screening(
            grades=grades, field=field, min_trl=int(raw_trl) if raw_trl else None, sort=sort
        )
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        rows = [
            {
                "id": a.pk,
                "title": a.title,
                "owner": a.owner.name,
                "trl": a.trl,
                "fields": [f.code for f in a.fields.all()],
                "grade": getattr(getattr(a, "valuation_scorecard", None), "grade", ""),
                "score": _score(a),
            }
            for a in page or []
        ]
        return paginator.get_paginated_response(rows)


def _score(a: Any) -> str | None:
    card = getattr(a, "valuation_scorecard", None)
    return str(card.score) if card is not None and card.score is not None else None


class WeightsView(APIView):
    """The scorecard weights in force; operators add a version."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    @extend_schema(tags=["valuation"], summary="Weights in force", responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request) -> Response:
        version, weights = services.current_weights()
        return Response({"version": version, "weights": {k: str(v) for k, v in weights.items()}})

    @extend_schema(
        tags=["valuation"],
        summary="Add a weights version and regrade (operators)",
        request=WeightsSerializer,
        responses={201: OpenApiTypes.OBJECT, **error_responses(400, 401, 403)},
    )
    def post(self, request: Request) -> Response:
        valuation_permissions.check_run_desk(
            request.user, _("Only platform operators can change the scorecard weights.")
        )
        ser = WeightsSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        note = data.pop("note", "")
        with service_errors():
            row = services.set_weights(actor=request.user, weights=data, note=note)
        return Response({"version": row.version, "weights": row.weights}, status=201)
