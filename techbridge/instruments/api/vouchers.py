"""API of innovation vouchers: programmes (rules as data), applications and quotas, redemptions and claims.

Who sees what: open programmes are public (console users see every programme); a voucher is seen by its
enterprise and console users; a redemption by its provider, the voucher's enterprise and console users.
Operators manage programmes; reviewers and operators decide applications and settle claims.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from techbridge.core.api import Pagination, ReadOnlyOrAuthenticated
from techbridge.core.listing_api import BadQuery, error_responses, service_errors
from techbridge.core.roles import is_console_user
from techbridge.lib.numbers import digits

from .. import permissions as rules
from ..choices import ProgrammeStatus, RedemptionStatus, VoucherStatus
from ..models import Voucher, VoucherProgramme, VoucherRedemption
from ..services import vouchers as services
from .serializers import (
    InstrumentReasonInSerializer,
    VoucherApplySerializer,
    VoucherProgrammeInSerializer,
    VoucherProgrammeSerializer,
    VoucherQuotaInSerializer,
    VoucherRedemptionSerializer,
    VoucherSerializer,
    VoucherSettleInSerializer,
)

TAG = "innovation vouchers"


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        summary="Voucher programmes (open ones; console users see all)",
        responses={200: VoucherProgrammeSerializer(many=True)},
    ),
    retrieve=extend_schema(
        tags=[TAG],
        summary="Read one programme and its rules",
        responses={200: VoucherProgrammeSerializer, **error_responses(404)},
    ),
)
class ProgrammeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [ReadOnlyOrAuthenticated]
    lookup_value_regex = r"\d+"
    pagination_class = Pagination
    serializer_class = VoucherProgrammeSerializer

    def get_queryset(self):
        qs = VoucherProgramme.objects.order_by("-year", "name")
        if not is_console_user(self.request.user):
            qs = qs.filter(status=ProgrammeStatus.OPEN)
        return qs

    def _operator(self, request: Request) -> None:
        if not rules.can_manage_programmes(request.user):
            raise DjangoPermissionDenied(_("Only platform operators manage voucher programmes."))

    @extend_schema(
        tags=[TAG],
        summary="Create a programme (operators; starts as a draft)",
        request=VoucherProgrammeInSerializer,
        responses={201: VoucherProgrammeSerializer, **error_responses(400, 401, 403)},
    )
    def create(self, request: Request) -> Response:
        self._operator(request)
        ser = VoucherProgrammeInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            programme = services.create_programme(actor=request.user, data=ser.validated_data)
        return Response(VoucherProgrammeSerializer(programme).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=[TAG],
        summary="Open for applications (operators)",
        request=None,
        responses={200: VoucherProgrammeSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="open")
    def open_programme(self, request: Request, pk: int) -> Response:
        self._operator(request)
        programme = get_object_or_404(VoucherProgramme, pk=pk)
        with service_errors():
            services.open_programme(programme, actor=request.user)
        return Response(VoucherProgrammeSerializer(programme).data)

    @extend_schema(
        tags=[TAG],
        summary="Close for applications (operators)",
        request=None,
        responses={200: VoucherProgrammeSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="close")
    def close_programme(self, request: Request, pk: int) -> Response:
        self._operator(request)
        programme = get_object_or_404(VoucherProgramme, pk=pk)
        with service_errors():
            services.close_programme(programme, actor=request.user)
        return Response(VoucherProgrammeSerializer(programme).data)


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        summary="My organisation's vouchers (console users: all)",
        parameters=[
            OpenApiParameter("status", str, enum=VoucherStatus.values),
            OpenApiParameter("programme", int),
        ],
        responses={200: VoucherSerializer(many=True), **error_responses(400, 401)},
    ),
    retrieve=extend_schema(
        tags=[TAG],
        summary="Read one voucher",
        responses={200: VoucherSerializer, **error_responses(401, 404)},
    ),
)
class VoucherViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    lookup_value_regex = r"\d+"
    pagination_class = Pagination
    serializer_class = VoucherSerializer

    def get_queryset(self):
        user: Any = self.request.user
        qs = Voucher.objects.select_related("enterprise")
        if not is_console_user(user):
            qs = qs.filter(enterprise_id=user.organization_id) if user.organization_id else qs.none()
        params = self.request.query_params
        status_ = params.get("status") or ""
        if status_:
            if status_ not in VoucherStatus.values:
                raise BadQuery(_("Unknown status."))
            qs = qs.filter(status=status_)
        programme = params.get("programme") or ""
        if programme:
            if not digits(programme):
                raise BadQuery(_("programme: a number is expected."))
            qs = qs.filter(programme_id=int(programme))
        return qs.order_by("-created_at", "-id")

    def get_object(self) -> Voucher:
        return rules.voucher_for(self.request.user, int(self.kwargs["pk"]))

    @extend_schema(
        tags=[TAG],
        summary="Apply for a voucher",
        request=VoucherApplySerializer,
        responses={201: VoucherSerializer, **error_responses(400, 401, 403, 404)},
    )
    def create(self, request: Request) -> Response:
        ser = VoucherApplySerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        programme = get_object_or_404(VoucherProgramme, pk=d["programme"], status=ProgrammeStatus.OPEN)
        with service_errors():
            voucher = services.apply_for_voucher(
                actor=request.user,
                programme=programme,
                purpose=d["purpose"],
                requested_amount=d["requested_amount"],
            )
        return Response(VoucherSerializer(voucher).data, status=status.HTTP_201_CREATED)

    def _staff(self, request: Request) -> Voucher:
        voucher = self.get_object()
        if not rules.can_decide_voucher(request.user):
            raise DjangoPermissionDenied(_("Only platform staff decide voucher applications."))
        return voucher

    @extend_schema(
        tags=[TAG],
        summary="Approve a quota (staff)",
        request=VoucherQuotaInSerializer,
        responses={200: VoucherSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: int) -> Response:
        voucher = self._staff(request)
        ser = VoucherQuotaInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            services.approve_voucher(voucher, actor=request.user, quota=ser.validated_data["quota"])
        return Response(VoucherSerializer(self.get_object()).data)

    @extend_schema(
        tags=[TAG],
        summary="Reject with a reason (staff)",
        request=InstrumentReasonInSerializer,
        responses={200: VoucherSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: int) -> Response:
        voucher = self._staff(request)
        ser = InstrumentReasonInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            services.reject_voucher(voucher, actor=request.user, reason=ser.validated_data.get("reason", ""))
        return Response(VoucherSerializer(self.get_object()).data)

    @extend_schema(
        tags=[TAG],
        summary="Withdraw my application",
        request=None,
        responses={200: VoucherSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: int) -> Response:
        voucher = self.get_object()
        with service_errors():
            services.withdraw_voucher(voucher, actor=request.user)
        return Response(VoucherSerializer(self.get_object()).data)


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        summary="Voucher redemptions (my bills as provider or payer; console users: all)",
        parameters=[OpenApiParameter("status", str, enum=RedemptionStatus.values)],
        responses={200: VoucherRedemptionSerializer(many=True), **error_responses(400, 401)},
    ),
    retrieve=extend_schema(
        tags=[TAG],
        summary="Read one redemption",
        responses={200: VoucherRedemptionSerializer, **error_responses(401, 404)},
    ),
)
class RedemptionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    lookup_value_regex = r"\d+"
    pagination_class = Pagination
    serializer_class = VoucherRedemptionSerializer

    def get_queryset(self):
        user: Any = self.request.user
        qs = VoucherRedemption.objects.select_related("provider")
        if not is_console_user(user):
            org = user.organization_id
            qs = qs.filter(Q(provider_id=org) | Q(voucher__enterprise_id=org)) if org else qs.none()
        status_ = self.request.query_params.get("status") or ""
        if status_:
            if status_ not in RedemptionStatus.values:
                raise BadQuery(_("Unknown status."))
            qs = qs.filter(status=status_)
        return qs.order_by("-created_at", "-id")

    def get_object(self) -> VoucherRedemption:
        return rules.redemption_for(self.request.user, int(self.kwargs["pk"]))

    @extend_schema(
        tags=[TAG],
        summary="Claim the voucher part of my bill (provider)",
        request=None,
        responses={200: VoucherRedemptionSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def claim(self, request: Request, pk: int) -> Response:
        redemption = self.get_object()
        if not rules.can_claim(request.user, redemption):
            raise DjangoPermissionDenied(_("Only the provider's staff can claim this voucher payment."))
        with service_errors():
            services.claim_redemption(redemption, actor=request.user)
        return Response(VoucherRedemptionSerializer(self.get_object()).data)

    @extend_schema(
        tags=[TAG],
        summary="Record the payment to the provider (staff)",
        request=VoucherSettleInSerializer,
        responses={200: VoucherRedemptionSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def settle(self, request: Request, pk: int) -> Response:
        redemption = self.get_object()
        if not rules.can_settle(request.user):
            raise DjangoPermissionDenied(_("Only platform staff settle voucher claims."))
        ser = VoucherSettleInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            services.settle_redemption(
                redemption, actor=request.user, reference=ser.validated_data["reference"]
            )
        return Response(VoucherRedemptionSerializer(self.get_object()).data)

    @extend_schema(
        tags=[TAG],
        summary="Return a claim to the provider (staff)",
        request=InstrumentReasonInSerializer,
        responses={200: VoucherRedemptionSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_claim(self, request: Request, pk: int) -> Response:
        redemption = self.get_object()
        if not rules.can_settle(request.user):
            raise DjangoPermissionDenied(_("Only platform staff settle voucher claims."))
        ser = InstrumentReasonInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            services.return_claim(redemption, actor=request.user, reason=ser.validated_data.get("reason", ""))
        return Response(VoucherRedemptionSerializer(self.get_object()).data)
