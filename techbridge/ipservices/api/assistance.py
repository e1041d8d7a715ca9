"""API of IP-protection assistance: requests, their moves, evidence files and statistics."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, parsers, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from techbridge.core.api import Pagination
from techbridge.core.listing_api import StrictJSONParser, StrictSerializer, error_responses, service_errors
from techbridge.core.permissions import RolePermission
from techbridge.core.roles import is_console_user
from techbridge.lib.numbers import whole_number

from ..choices import AssistanceKind, AssistanceOutcome, AssistanceStatus
from ..models import AssistanceRequest, EvidenceFile, Industry, ServiceProvider
from ..permissions import (
    ASSIST_MESSAGE,
    assistance_for,
    assistance_requests_for,
    can_add_evidence,
    can_edit_assistance,
    can_reroute,
    is_handler,
    may_request_assistance,
)
from ..services import assistance as services
from . import TAG


class EvidenceSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = EvidenceFile
        fields = ["id", "name", "size", "sha256", "description", "uploaded_at", "url"]
        read_only_fields = fields

    def get_url(self, obj: EvidenceFile) -> str:
        return reverse("ipservices:evidence_file", args=[obj.request_id, obj.pk])


class AssistanceSerializer(serializers.ModelSerializer):
    applicant = serializers.CharField(source="applicant.name", read_only=True)
    provider = serializers.CharField(source="provider.organization.name", read_only=True, default=None)
    provider_id = serializers.IntegerField(read_only=True)
    industry = serializers.CharField(source="industry.name", read_only=True, default=None)
    industry_id = serializers.IntegerField(read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = AssistanceRequest
        fields = [
            "id",
            "applicant",
            "kind",
            "title",
            "description",
            "patent_number",
            "patent",
            "counterparty",
            "industry",
            "industry_id",
            "provider",
            "provider_id",
            "status",
            "due_date",
            "is_overdue",
            "outcome",
            "outcome_note",
            "decline_reason",
            "created_at",
            "submitted_at",
            "accepted_at",
            "closed_at",
        ]
        read_only_fields = fields


class AssistanceInputSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=AssistanceKind.choices, required=False)
    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(max_length=5000, required=False)
    patent_number = serializers.CharField(max_length=20, required=False, allow_blank=True)
    counterparty = serializers.CharField(max_length=200, required=False, allow_blank=True)
    industry = serializers.IntegerField(required=False, allow_null=True)

    def service_values(self) -> dict[str, Any]:
        data = dict(self.validated_data)
        if data.get("industry"):
            industry = Industry.objects.filter(pk=data["industry"]).first()
            if industry is None:  # a body naming a record that does not exist is bad input: 400, not 404
                raise exceptions.ValidationError({"industry": [_("Unknown industry.")]})
            data["industry"] = industry
        elif "industry" in data:
            data["industry"] = None
        return data


class ProviderChoiceSerializer(StrictSerializer):
    provider = serializers.IntegerField()


class AssistanceReasonSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=2000)


class CloseSerializer(StrictSerializer):
    outcome = serializers.ChoiceField(choices=AssistanceOutcome.choices)
    note = serializers.CharField(max_length=5000)


class EvidenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    description = serializers.CharField(max_length=300, required=False, allow_blank=True)


MOVE = {200: AssistanceSerializer, **error_responses(400, 401, 403, 404)}


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        summary="Assistance requests of, or routed to, my organisation (all submitted ones for staff)",
        parameters=[
            OpenApiParameter(
                "status", str, enum=AssistanceStatus.values, description="requests in this state"
            )
        ],
        responses={200: AssistanceSerializer(many=True), **error_responses(401)},
    ),
    retrieve=extend_schema(
        tags=[TAG],
        summary="One assistance request",
        responses={200: AssistanceSerializer, **error_responses(401, 404)},
    ),
    create=extend_schema(
        tags=[TAG],
        summary="Draft an assistance request",
        request=AssistanceInputSerializer,
        responses={201: AssistanceSerializer, **error_responses(400, 401, 403)},
    ),
    partial_update=extend_schema(
        tags=[TAG],
        summary="Change a draft",
        request=AssistanceInputSerializer,
        responses={200: AssistanceSerializer, **error_responses(400, 401, 403, 404)},
    ),
)
class AssistanceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = Pagination
    serializer_class = AssistanceSerializer
    parser_classes = [StrictJSONParser, parsers.MultiPartParser, parsers.FormParser]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        qs = assistance_requests_for(self.request.user)
        status_ = self.request.query_params.get("status", "")
        if status_ in AssistanceStatus.values:
            qs = qs.filter(status=status_)
        return qs.order_by("-created_at", "-id")

    def get_object(self) -> AssistanceRequest:
        return assistance_for(self.request.user, int(self.kwargs["pk"]))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not may_request_assistance(request.user):
            raise exceptions.PermissionDenied(str(ASSIST_MESSAGE))
        ser = AssistanceInputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        for required in ("kind", "title", "description"):
            if required not in ser.validated_data:
                raise serializers.ValidationError(
                    {required: [serializers.Field.default_error_messages["required"]]}
                )
        with service_errors():
            req = services.create_request(actor=request.user, values=ser.service_values())
        return Response(AssistanceSerializer(req).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        req = self.get_object()
        ser = AssistanceInputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            req = services.update_request(req, actor=request.user, values=ser.service_values())
        return Response(AssistanceSerializer(req).data)

    def _provider(self, request: Request) -> ServiceProvider | None:
        ser = ProviderChoiceSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        return (
            ServiceProvider.objects.filter(pk=ser.validated_data["provider"])
            .select_related("organization")
            .first()
        )

    def _allowed(self, check: Any, message: str) -> AssistanceRequest:
        """The request, when ``check(user, request)`` holds (checked before the input is read)."""
        req = self.get_object()
        if not check(self.request.user, req):
            raise exceptions.PermissionDenied(message)
        return req

    def _done(self, req: AssistanceRequest) -> Response:
        req.refresh_from_db()
        return Response(AssistanceSerializer(req).data)

    @extend_schema(
        tags=[TAG],
        summary="Submit a draft to a provider (the applicant)",
        request=ProviderChoiceSerializer,
        responses=MOVE,
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: int) -> Response:
        req = self._allowed(
            can_edit_assistance, _("Only the applicant submits its request, and only a draft.")
        )
        with service_errors():
            services.submit_request(req, actor=request.user, provider=self._provider(request))
        return self._done(req)

    @extend_schema(
        tags=[TAG],
        summary="Route a submitted request to another provider (staff)",
        request=ProviderChoiceSerializer,
        responses=MOVE,
    )
    @action(detail=True, methods=["post"])
    def reroute(self, request: Request, pk: int) -> Response:
        req = self._allowed(can_reroute, _("Only platform reviewers and operators route submitted requests."))
        with service_errors():
            services.reroute_request(req, actor=request.user, provider=self._provider(request))
        return self._done(req)

    @extend_schema(tags=[TAG], summary="Accept the matter (the provider)", request=None, responses=MOVE)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: int) -> Response:
        req = self.get_object()
        with service_errors():
            services.accept_request(req, actor=request.user)
        return self._done(req)

    @extend_schema(
        tags=[TAG],
        summary="Decline the matter (the provider)",
        request=AssistanceReasonSerializer,
        responses=MOVE,
    )
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: int) -> Response:
        req = self._allowed(is_handler, _("Only the members of the provider handle this request."))
        ser = AssistanceReasonSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            services.decline_request(req, actor=request.user, reason=ser.validated_data["reason"])
        return self._done(req)

    @extend_schema(
        tags=[TAG], summary="Close with the outcome (the provider)", request=CloseSerializer, responses=MOVE
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: int) -> Response:
        req = self._allowed(is_handler, _("Only the members of the provider handle this request."))
        ser = CloseSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            services.close_request(
                req,
                actor=request.user,
                outcome=ser.validated_data["outcome"],
                note=ser.validated_data["note"],
            )
        return self._done(req)

    @extend_schema(tags=[TAG], summary="Withdraw (the applicant)", request=None, responses=MOVE)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: int) -> Response:
        req = self.get_object()
        with service_errors():
            services.withdraw_request(req, actor=request.user)
        return self._done(req)

    @extend_schema(
        tags=[TAG],
        summary="Evidence files of the request",
        methods=["GET"],
        responses={200: EvidenceSerializer(many=True), **error_responses(401, 404)},
    )
    @extend_schema(
        tags=[TAG],
        summary="Upload an evidence file (multipart)",
        methods=["POST"],
        request={"multipart/form-data": EvidenceUploadSerializer},
        responses={201: EvidenceSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["get", "post"])
    def evidence(self, request: Request, pk: int) -> Response:
        req = self.get_object()
        if request.method == "GET":
            return Response(EvidenceSerializer(req.evidence.all(), many=True).data)
        if not can_add_evidence(request.user, req):
            raise exceptions.PermissionDenied(_("You cannot add evidence to this request now."))
        ser = EvidenceUploadSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            evidence = services.add_evidence(
                req,
                actor=request.user,
                upload=ser.validated_data["file"],
                description=ser.validated_data.get("description", ""),
            )
        return Response(EvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)


class AssistanceStatsView(APIView):
    permission_classes = [RolePermission.of(is_console_user)]

    @extend_schema(
        tags=[TAG],
        summary="Assistance statistics by industry, kind, status and outcome (console users)",
        parameters=[
            OpenApiParameter(
                "year", OpenApiTypes.INT, description="requests submitted in this year (1949–2100)"
            )
        ],
        responses={200: OpenApiTypes.OBJECT, **error_responses(401, 403)},
    )
    def get(self, request: Request) -> Response:
        from ..views.console import assistance_statistics

        value = request.query_params.get("year", "")
        year = whole_number(value, 1949, 2100) if value else None
        if value and year is None:
            raise exceptions.ValidationError({"year": [_("Enter a year between 1949 and 2100.")]})
        return Response(assistance_statistics(year))
