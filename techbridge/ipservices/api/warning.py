"""API of early warning: watched products, alerts and decisions, opportunities, analysis requests."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from techbridge.core.api import Pagination
from techbridge.core.listing_api import StrictSerializer, error_responses, service_errors
from techbridge.core.permissions import RolePermission
from techbridge.lib.numbers import digits

from .. import queries
from ..choices import AlertStatus
from ..models import AnalysisRequest, PatentAlert, ServiceProvider, WatchedProduct
from ..permissions import (
    WATCH_MESSAGE,
    alert_for,
    alerts_of,
    analysis_for,
    analysis_requests_for,
    can_handle_analysis,
    may_watch,
    product_for,
    products_of,
)
from ..services import warning as services
from . import TAG
from .register import PatentSerializer

Watchers = RolePermission.of(may_watch, WATCH_MESSAGE)


class ProductSerializer(serializers.ModelSerializer):
    keywords = serializers.SerializerMethodField()
    ipc_codes = serializers.ListField(source="ipc_list", child=serializers.CharField(), read_only=True)

    class Meta:
        model = WatchedProduct
        fields = [
            "id",
            "name",
            "description",
            "keywords",
            "ipc_codes",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_keywords(self, obj: WatchedProduct) -> list[str]:
        return [k for k in obj.keywords.split("；") if k]


class ProductInputSerializer(StrictSerializer):
    name = serializers.CharField(max_length=100, required=False)
    description = serializers.CharField(max_length=2000, required=False)
    keywords = serializers.ListField(
        child=serializers.CharField(max_length=30), max_length=20, required=False
    )
    ipc_codes = serializers.ListField(
        child=serializers.CharField(max_length=20), max_length=20, required=False
    )

    def service_values(self) -> dict[str, Any]:
        data = dict(self.validated_data)
        for key in ("keywords", "ipc_codes"):
            if key in data:
                data[key] = "；".join(data[key])
        return data


class WatchSerializer(StrictSerializer):
    watched = serializers.BooleanField()


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        summary="My organisation's watched products",
        responses={200: ProductSerializer(many=True), **error_responses(401, 403)},
    ),
    retrieve=extend_schema(
        tags=[TAG],
        summary="One watched product",
        responses={200: ProductSerializer, **error_responses(401, 403, 404)},
    ),
    create=extend_schema(
        tags=[TAG],
        summary="Register a product for early warning",
        request=ProductInputSerializer,
        responses={201: ProductSerializer, **error_responses(400, 401, 403)},
    ),
    partial_update=extend_schema(
        tags=[TAG],
        summary="Change a watched product",
        request=ProductInputSerializer,
        responses={200: ProductSerializer, **error_responses(400, 401, 403, 404)},
    ),
)
class ProductViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [Watchers]
    pagination_class = Pagination
    serializer_class = ProductSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return products_of(self.request.user).order_by("name", "id")

    def get_object(self) -> WatchedProduct:
        return product_for(self.request.user, int(self.kwargs["pk"]))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ser = ProductInputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        for required in ("name", "description"):
            if required not in ser.validated_data:
                raise serializers.ValidationError(
                    {required: [serializers.Field.default_error_messages["required"]]}
                )
        with service_errors():
            product = services.register_product(actor=request.user, values=ser.service_values())
        return Response(ProductSerializer(product).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        product = self.get_object()
        ser = ProductInputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            product = services.update_product(product, actor=request.user, values=ser.service_values())
        return Response(ProductSerializer(product).data)

    @extend_schema(
        tags=[TAG],
        summary="Watch or pause a product",
        request=WatchSerializer,
        responses={200: ProductSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def watch(self, request: Request, pk: int) -> Response:
        product = self.get_object()
        ser = WatchSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            services.set_product_watched(product, actor=request.user, watched=ser.validated_data["watched"])
        return Response(ProductSerializer(product).data)


class AlertSerializer(serializers.ModelSerializer):
    product = serializers.CharField(source="product.name", read_only=True)
    product_id = serializers.IntegerField(read_only=True)
    patent = PatentSerializer(read_only=True)
    analysis_request = serializers.SerializerMethodField()

    class Meta:
        model = PatentAlert
        fields = [
            "id",
            "product",
            "product_id",
            "patent",
            "status",
            "score",
            "similarity",
            "shared_terms",
            "claim_sentences",
            "reasons",
            "note",
            "created_at",
            "decided_at",
            "analysis_request",
        ]
        read_only_fields = fields

    def get_analysis_request(self, obj: PatentAlert) -> int | None:
        req = getattr(obj, "analysis_request", None)
        return req.pk if req is not None else None


class DecisionSerializer(StrictSerializer):
    decision = serializers.ChoiceField(choices=["irrelevant", "watch"])
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class AskSerializer(StrictSerializer):
    provider = serializers.IntegerField()
    question = serializers.CharField(max_length=2000)


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        summary="My organisation's patent alerts",
        parameters=[
            OpenApiParameter("status", str, enum=AlertStatus.values, description="alerts in this state")
        ],
        responses={200: AlertSerializer(many=True), **error_responses(401, 403)},
    ),
    retrieve=extend_schema(
        tags=[TAG],
        summary="One alert with its explanation",
        responses={200: AlertSerializer, **error_responses(401, 403, 404)},
    ),
)
class AlertViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [Watchers]
    pagination_class = Pagination
    serializer_class = AlertSerializer

    def get_queryset(self):
        qs = alerts_of(self.request.user).select_related("product", "patent", "analysis_request")
        status_ = self.request.query_params.get("status", "")
        if status_ in AlertStatus.values:
            qs = qs.filter(status=status_)
        return qs.order_by("-created_at", "-id")

    def get_object(self) -> PatentAlert:
        return alert_for(self.request.user, int(self.kwargs["pk"]))

    @extend_schema(
        tags=[TAG],
        summary="Mark an alert not relevant or watched",
        request=DecisionSerializer,
        responses={200: AlertSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: int) -> Response:
        alert = self.get_object()
        ser = DecisionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            services.decide_alert(
                alert,
                actor=request.user,
                decision=ser.validated_data["decision"],
                note=ser.validated_data.get("note", ""),
            )
        return Response(AlertSerializer(alert).data)

    @extend_schema(
        tags=[TAG],
        summary="Ask an IP service provider to analyse the alert's patent",
        request=AskSerializer,
        responses={201: OpenApiTypes.OBJECT, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def analysis(self, request: Request, pk: int) -> Response:
        alert = self.get_object()
        ser = AskSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        provider = ServiceProvider.objects.filter(pk=ser.validated_data["provider"]).first()
        with service_errors():
            req = services.ask_for_analysis(
                alert, actor=request.user, provider=provider, question=ser.validated_data["question"]
            )
        return Response(AnalysisSerializer(req).data, status=status.HTTP_201_CREATED)


class OpportunitySerializer(PatentSerializer):
    remaining_days = serializers.SerializerMethodField()

    class Meta(PatentSerializer.Meta):
        fields = [*PatentSerializer.Meta.fields, "remaining_days"]
        read_only_fields = fields

    def get_remaining_days(self, obj: Any) -> int | None:
        return queries.remaining_term(obj)


class OpportunityList(APIView):
    permission_classes = [Watchers]

    @extend_schema(
        tags=[TAG],
        summary="Freedom-to-operate opportunities of my organisation's fields",
        parameters=[
            OpenApiParameter(
                "months", OpenApiTypes.INT, description="term ends within this many months (1–60, default 12)"
            )
        ],
        responses={200: OpportunitySerializer(many=True), **error_responses(401, 403)},
    )
    def get(self, request: Request) -> Response:
        value = request.query_params.get("months", "12")
        months = min(max(int(value), 1), 60) if digits(value) else 12
        org_id = int(getattr(request.user, "organization_id", 0) or 0)
        qs = queries.opportunities(org_id, horizon_days=months * 30)
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(OpportunitySerializer(page, many=True).data)


class AnalysisSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.name", read_only=True)
    provider = serializers.CharField(source="provider.organization.name", read_only=True)
    provider_id = serializers.IntegerField(read_only=True)
    patent = serializers.CharField(source="patent.number", read_only=True)
    patent_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = AnalysisRequest
        fields = [
            "id",
            "organization",
            "alert",
            "patent",
            "patent_id",
            "provider",
            "provider_id",
            "question",
            "status",
            "due_date",
            "answer",
            "decline_reason",
            "created_at",
            "answered_at",
        ]
        read_only_fields = fields


class AnswerSerializer(StrictSerializer):
    answer = serializers.CharField(max_length=10000)


class AnalysisReasonSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=2000)


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        summary="Analysis requests made by or routed to my organisation",
        responses={200: AnalysisSerializer(many=True), **error_responses(401)},
    ),
    retrieve=extend_schema(
        tags=[TAG],
        summary="One analysis request",
        responses={200: AnalysisSerializer, **error_responses(401, 404)},
    ),
)
class AnalysisViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = Pagination
    serializer_class = AnalysisSerializer

    def get_queryset(self):
        return analysis_requests_for(self.request.user).order_by("-created_at", "-id")

    def get_object(self) -> AnalysisRequest:
        return analysis_for(self.request.user, int(self.kwargs["pk"]))

    def _handled(self) -> AnalysisRequest:
        """The request, when the caller is a member of its provider (checked before the input)."""
        req = self.get_object()
        if not can_handle_analysis(self.request.user, req):
            raise exceptions.PermissionDenied(_("Only the members of the provider handle this request."))
        return req

    def _done(self, req: AnalysisRequest) -> Response:
        req.refresh_from_db()
        return Response(AnalysisSerializer(req).data)

    @extend_schema(
        tags=[TAG],
        summary="Accept (the provider)",
        request=None,
        responses={200: AnalysisSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: int) -> Response:
        req = self.get_object()
        with service_errors():
            services.accept_analysis(req, actor=request.user)
        return self._done(req)

    @extend_schema(
        tags=[TAG],
        summary="Send the analysis (the provider)",
        request=AnswerSerializer,
        responses={200: AnalysisSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: int) -> Response:
        req = self._handled()
        ser = AnswerSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            services.answer_analysis(req, actor=request.user, answer=ser.validated_data["answer"])
        return self._done(req)

    @extend_schema(
        tags=[TAG],
        summary="Decline (the provider)",
        request=AnalysisReasonSerializer,
        responses={200: AnalysisSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: int) -> Response:
        req = self._handled()
        ser = AnalysisReasonSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            services.decline_analysis(req, actor=request.user, reason=ser.validated_data["reason"])
        return self._done(req)

    @extend_schema(
        tags=[TAG],
        summary="Withdraw (the requester)",
        request=None,
        responses={200: AnalysisSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: int) -> Response:
        req = self.get_object()
        with service_errors():
            services.withdraw_analysis(req, actor=request.user)
        return self._done(req)
