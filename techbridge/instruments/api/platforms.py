"""API of public technology service platforms, their offers and orders (request → quote → order →
delivery → acceptance → rating).

Who sees what: platforms and active offers are public; an order is seen by the requesting organisation,
the host's staff and platform staff. Operators designate platforms; host staff manage offers, quote and
deliver; the requester orders, accepts, sends back and rates.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from techbridge.accounts.models import User
from techbridge.core.api import Pagination, ReadOnlyOrAuthenticated
from techbridge.core.listing_api import BadQuery, error_responses, service_errors
from techbridge.lib.numbers import digits
from techbridge.organizations.models import Organization
from techbridge.taxonomy.models import IndustryField

from .. import permissions as rules
from ..choices import OfferKind, OrderStatus, PlatformStatus
from ..models import Instrument, ServiceOffer, ServiceOrder, ServicePlatform, Voucher
from ..services import platforms as services
from .serializers import (
    InstrumentReasonInSerializer,
    ServiceDeliverInSerializer,
    ServiceOfferInSerializer,
    ServiceOfferSerializer,
    ServiceOrderInSerializer,
    ServiceOrderSerializer,
    ServicePlatformInSerializer,
    ServicePlatformSerializer,
    ServicePlatformStatusInSerializer,
    ServiceQuoteInSerializer,
    ServiceRatingInSerializer,
    VoucherChoiceInSerializer,
)

TAG = "service platforms"


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        summary="Public technology service platforms",
        parameters=[
            OpenApiParameter("status", str, enum=PlatformStatus.values),
            OpenApiParameter("industry", str),
        ],
        responses={200: ServicePlatformSerializer(many=True), **error_responses(400)},
    ),
    retrieve=extend_schema(
        tags=[TAG],
        summary="Read one platform",
        responses={200: ServicePlatformSerializer, **error_responses(404)},
    ),
)
class PlatformViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [ReadOnlyOrAuthenticated]
    lookup_value_regex = r"\d+"
    pagination_class = Pagination
    serializer_class = ServicePlatformSerializer

    def get_queryset(self):
        qs = ServicePlatform.objects.select_related("industry", "host", "host__zone").order_by("name")
        params = self.request.query_params
        status_ = params.get("status") or ""
        if status_:
            if status_ not in PlatformStatus.values:
                raise BadQuery(_("Unknown status."))
            qs = qs.filter(status=status_)
        industry = params.get("industry") or ""
        if industry:
            qs = qs.filter(industry__code=industry[:32])
        return qs

    @extend_schema(
        tags=[TAG],
        summary="Record a designated platform (operators)",
        request=ServicePlatformInSerializer,
        responses={201: ServicePlatformSerializer, **error_responses(400, 401, 403)},
    )
    def create(self, request: Request) -> Response:
        if not rules.can_designate_platforms(request.user):
            raise DjangoPermissionDenied(_("Only platform operators record designated service platforms."))
        ser = ServicePlatformInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        d["industry"] = get_object_or_404(IndustryField, code=d["industry"])
        d["host"] = get_object_or_404(Organization, pk=d["host"])
        manager = d.pop("manager", "")
        if manager:
            d["manager"] = User.objects.filter(username=manager, is_active=True).first()
            if d["manager"] is None:
                raise DjangoValidationError({"manager": [_("No user with this name.")]})
        with service_errors():
            platform = services.designate_platform(actor=request.user, data=d)
        return Response(ServicePlatformSerializer(platform).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=[TAG],
        summary="Suspend, reopen or close (operators)",
        request=ServicePlatformStatusInSerializer,
        responses={200: ServicePlatformSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="status")
    def change_status(self, request: Request, pk: int) -> Response:
        if not rules.can_designate_platforms(request.user):
            raise DjangoPermissionDenied(_("Only platform operators change a platform's status."))
        platform = self.get_object()
        ser = ServicePlatformStatusInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        with service_errors():
            services.set_platform_status(
                platform, d["status"], actor=request.user, reason=d.get("reason", ""), on=d.get("on")
            )
        return Response(ServicePlatformSerializer(platform).data)


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        summary="Service offers of the platforms",
        parameters=[OpenApiParameter("platform", int), OpenApiParameter("kind", str, enum=OfferKind.values)],
        responses={200: ServiceOfferSerializer(many=True), **error_responses(400)},
    ),
    retrieve=extend_schema(
        tags=[TAG], summary="Read one offer", responses={200: ServiceOfferSerializer, **error_responses(404)}
    ),
)
class OfferViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [ReadOnlyOrAuthenticated]
    lookup_value_regex = r"\d+"
    pagination_class = Pagination
    serializer_class = ServiceOfferSerializer

    def get_queryset(self):
        user: Any = self.request.user
        live = Q(is_active=True, platform__status=PlatformStatus.OPERATING)
        mine = (
            Q(platform__host_id=user.organization_id)
            if getattr(user, "organization_id", None)
            else Q(pk__in=[])
        )
        qs = (
            ServiceOffer.objects.filter(live | mine)
            .select_related("platform")
            .order_by("platform", "kind", "title")
        )
        params = self.request.query_params
        platform = params.get("platform") or ""
        if platform:
            if not digits(platform):
                raise BadQuery(_("platform: a number is expected."))
            qs = qs.filter(platform_id=int(platform))
        kind = params.get("kind") or ""
        if kind:
            if kind not in OfferKind.values:
                raise BadQuery(_("Unknown kind."))
            qs = qs.filter(kind=kind)
        return qs

    def _data(self, d: dict[str, Any], platform: ServicePlatform) -> dict[str, Any]:
        data = {k: v for k, v in d.items() if k not in ("platform", "resource")}
        if "resource" in d:
            data["resource"] = (
                get_object_or_404(Instrument, pk=d["resource"], owner_id=platform.host_id)
                if d["resource"]
                else None
            )
        return data

    @extend_schema(
        tags=[TAG],
        summary="Add an offer to my platform (host staff)",
        request=ServiceOfferInSerializer,
        responses={201: ServiceOfferSerializer, **error_responses(400, 401, 403, 404)},
    )
    def create(self, request: Request) -> Response:
        ser = ServiceOfferInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        if "platform" not in d:
            raise DjangoValidationError({"platform": [_("This field is required.")]})
        platform = rules.platform_to_manage(request.user, d["platform"])
        with service_errors():
            offer = services.save_offer(platform, actor=request.user, data=self._data(d, platform))
        return Response(ServiceOfferSerializer(offer).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=[TAG],
        summary="Change an offer (host staff)",
        request=ServiceOfferInSerializer,
        responses={200: ServiceOfferSerializer, **error_responses(400, 401, 403, 404)},
    )
    def partial_update(self, request: Request, pk: int) -> Response:
        offer = self.get_object()
        platform = rules.platform_to_manage(request.user, offer.platform_id)
        ser = ServiceOfferInSerializer(data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        with service_errors():
            offer = services.save_offer(
                platform, actor=request.user, data=self._data(dict(ser.validated_data), platform), offer=offer
            )
        return Response(ServiceOfferSerializer(offer).data)


ORDER_MOVE = {200: ServiceOrderSerializer, **error_responses(400, 401, 403, 404)}


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        summary="Service orders I requested or my platforms received",
        parameters=[OpenApiParameter("status", str, enum=OrderStatus.values)],
        responses={200: ServiceOrderSerializer(many=True), **error_responses(400, 401)},
    ),
    retrieve=extend_schema(
        tags=[TAG],
        summary="Read one order",
        responses={200: ServiceOrderSerializer, **error_responses(401, 404)},
    ),
)
class OrderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    lookup_value_regex = r"\d+"
    pagination_class = Pagination
    serializer_class = ServiceOrderSerializer

    def get_queryset(self):
        qs = ServiceOrder.objects.filter(
            rules.visible_orders_q(self.request.user, as_staff=False)
        ).select_related("offer", "organization")
        status_ = self.request.query_params.get("status") or ""
        if status_:
            if status_ not in OrderStatus.values:
                raise BadQuery(_("Unknown status."))
            qs = qs.filter(status=status_)
        return qs.order_by("-updated_at", "-id")

    def get_object(self) -> ServiceOrder:
        return rules.order_for(self.request.user, int(self.kwargs["pk"]))

    def _out(self, order: ServiceOrder, code: int = 200) -> Response:
        return Response(
            ServiceOrderSerializer(rules.order_for(self.request.user, order.pk)).data, status=code
        )

    def _provider(self, request: Request) -> ServiceOrder:
        order = self.get_object()
        if not rules.can_provide(request.user, order):
            raise DjangoPermissionDenied(_("Only the host's staff in charge of this platform can do this."))
        return order

    def _buyer(self, request: Request) -> ServiceOrder:
        order = self.get_object()
        if not rules.can_buy(request.user, order):
            raise DjangoPermissionDenied(_("Only the requesting organisation can do this."))
        return order

    @extend_schema(
        tags=[TAG],
        summary="Request a service",
        request=ServiceOrderInSerializer,
        responses={201: ServiceOrderSerializer, **error_responses(400, 401, 403, 404)},
    )
    def create(self, request: Request) -> Response:
        ser = ServiceOrderInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        offer = get_object_or_404(
            ServiceOffer.objects.select_related("platform"), pk=d["offer"], is_active=True
        )
        with service_errors():
            order = services.request_service(
                actor=request.user, offer=offer, need=d["need"], wanted_by=d.get("wanted_by")
            )
        return self._out(order, status.HTTP_201_CREATED)

    @extend_schema(
        tags=[TAG], summary="Quote (host staff)", request=ServiceQuoteInSerializer, responses=ORDER_MOVE
    )
    @action(detail=True, methods=["post"])
    def quote(self, request: Request, pk: int) -> Response:
        order = self._provider(request)
        ser = ServiceQuoteInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        with service_errors():
            services.quote(
                order,
                actor=request.user,
                amount=d["amount"],
                days=d["days"],
                note=d.get("note", ""),
                slot_start=d.get("slot_start"),
                slot_end=d.get("slot_end"),
            )
        return self._out(order)

    @extend_schema(
        tags=[TAG], summary="Decline (host staff)", request=InstrumentReasonInSerializer, responses=ORDER_MOVE
    )
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: int) -> Response:
        order = self._provider(request)
        ser = InstrumentReasonInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            services.decline(order, actor=request.user, reason=ser.validated_data.get("reason", ""))
        return self._out(order)

    @extend_schema(
        tags=[TAG],
        summary="Deliver with a report (host staff)",
        request=ServiceDeliverInSerializer,
        responses=ORDER_MOVE,
    )
    @action(detail=True, methods=["post"])
    def deliver(self, request: Request, pk: int) -> Response:
        order = self._provider(request)
        ser = ServiceDeliverInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            services.deliver(
                order,
                actor=request.user,
                report=ser.validated_data["report"],
                hours_used=ser.validated_data.get("hours_used"),
            )
        return self._out(order)

    @extend_schema(tags=[TAG], summary="Withdraw the request (requester)", request=None, responses=ORDER_MOVE)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: int) -> Response:
        order = self._buyer(request)
        with service_errors():
            services.withdraw(order, actor=request.user)
        return self._out(order)

    @extend_schema(
        tags=[TAG],
        summary="Order at the quoted price (requester; books the resource)",
        request=VoucherChoiceInSerializer,
        responses=ORDER_MOVE,
    )
    @action(detail=True, methods=["post"], url_path="order")
    def place(self, request: Request, pk: int) -> Response:
        order = self._buyer(request)
        voucher = None
        if request.data:
            ser = VoucherChoiceInSerializer(data=request.data)
            ser.is_valid(raise_exception=True)
            if ser.validated_data["voucher"]:
                voucher = get_object_or_404(
                    Voucher.objects.select_related("programme"), pk=ser.validated_data["voucher"]
                )
        with service_errors():
            services.place_order(order, actor=request.user, voucher=voucher)
        return self._out(order)

    @extend_schema(
        tags=[TAG],
        summary="Accept the delivery (requester; issues the fee statement)",
        request=None,
        responses=ORDER_MOVE,
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: int) -> Response:
        order = self._buyer(request)
        with service_errors():
            services.accept_delivery(order, actor=request.user)
        return self._out(order)

    @extend_schema(
        tags=[TAG],
        summary="Send the delivery back (requester)",
        request=InstrumentReasonInSerializer,
        responses=ORDER_MOVE,
    )
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request: Request, pk: int) -> Response:
        order = self._buyer(request)
        ser = InstrumentReasonInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            services.send_back(order, actor=request.user, reason=ser.validated_data.get("reason", ""))
        return self._out(order)

    @extend_schema(
        tags=[TAG],
        summary="Rate an accepted order (requester)",
        request=ServiceRatingInSerializer,
        responses=ORDER_MOVE,
    )
    @action(detail=True, methods=["post"])
    def rate(self, request: Request, pk: int) -> Response:
        order = self._buyer(request)
        ser = ServiceRatingInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            services.rate(
                order,
                actor=request.user,
                rating=ser.validated_data["rating"],
                comment=ser.validated_data.get("comment", ""),
            )
        return self._out(order)
