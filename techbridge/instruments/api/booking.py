"""API of bookings, usage and fee statements.

Who sees what: a booking exists (else 404) for its requester (and the admins of the requester's
organisation), the owner staff of its instrument, and platform staff. Owner staff approve, reject,
record usage; the requester cancels (within the instrument's notice) and picks a voucher.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import OuterRef, Subquery
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from techbridge.core.api import Pagination
from techbridge.core.listing_api import BadQuery, error_responses, service_errors
from techbridge.core.roles import is_staff_reviewer
from techbridge.lib.numbers import digits

from .. import permissions as rules
from ..choices import BookingStatus, UsageStatus
from ..models import Booking, Instrument, Invoice, UsageRecord, Voucher
from ..services import booking as services
from ..services import usage as usage_services
from .serializers import (
    FeeStatementSerializer,
    InstrumentBookingInSerializer,
    InstrumentBookingSerializer,
    InstrumentReasonInSerializer,
    UsageHoursInSerializer,
    UsageRecordSerializer,
    UsageStopInSerializer,
    VoucherChoiceInSerializer,
)

TAG = "instruments"
MOVE = {200: InstrumentBookingSerializer, **error_responses(400, 401, 403, 404)}


def _voucher(pk: int | None) -> Voucher | None:
    if pk is None:
        return None
    return get_object_or_404(Voucher.objects.select_related("programme"), pk=pk)


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        summary="Bookings I made or that wait on instruments I look after",
        parameters=[
            OpenApiParameter(
                "role",
                str,
                enum=["mine", "incoming"],
                description="mine: I booked; incoming: my instruments'.",
            ),
            OpenApiParameter("status", str, enum=BookingStatus.values),
            OpenApiParameter("instrument", int),
        ],
        responses={200: InstrumentBookingSerializer(many=True), **error_responses(400, 401)},
    ),
    retrieve=extend_schema(
        tags=[TAG],
        summary="Read one booking",
        responses={200: InstrumentBookingSerializer, **error_responses(401, 404)},
    ),
)
class BookingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    lookup_value_regex = r"\d+"
    pagination_class = Pagination
    serializer_class = InstrumentBookingSerializer

    def get_queryset(self):
        user = self.request.user
        params = self.request.query_params
        role = params.get("role") or ""
        if role == "mine":
            q = rules.requested_bookings_q(user)
        elif role == "incoming":
            q = rules.incoming_bookings_q(user)
        elif role == "":
            q = rules.visible_bookings_q(user, as_staff=False)
        else:
            raise BadQuery(_("role: mine or incoming."))
        qs = Booking.objects.filter(q).select_related("instrument", "organization")
        status_ = params.get("status") or ""
        if status_:
            if status_ not in BookingStatus.values:
                raise BadQuery(_("Unknown status."))
            qs = qs.filter(status=status_)
        instrument = params.get("instrument") or ""
        if instrument:
            if not digits(instrument):
                raise BadQuery(_("instrument: a number is expected."))
            qs = qs.filter(instrument_id=int(instrument))
        invoice = Invoice.objects.filter(booking=OuterRef("pk")).values("pk")[:1]
        return qs.annotate(invoice_pk=Subquery(invoice)).order_by("-starts_at", "-id")

    def get_object(self) -> Booking:
        return rules.booking_for(self.request.user, int(self.kwargs["pk"]))

    def _detail(self, booking: Booking, code: int = 200) -> Response:
        return Response(
            InstrumentBookingSerializer(rules.booking_for(self.request.user, booking.pk)).data, status=code
        )

    @extend_schema(
        tags=[TAG],
        summary="Book a slot",
        request=InstrumentBookingInSerializer,
        responses={201: InstrumentBookingSerializer, **error_responses(400, 401, 403, 404)},
    )
    def create(self, request: Request) -> Response:
        ser = InstrumentBookingInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        instrument = rules.instrument_for(
            request.user, d["instrument"], queryset=Instrument.objects.select_related("owner")
        )
        with service_errors():
            booking = services.request_booking(
                actor=request.user,
                instrument=instrument,
                starts_at=d["starts_at"],
                ends_at=d["ends_at"],
                purpose=d["purpose"],
                mode=d["mode"],
                sample_description=d.get("sample_description", ""),
                sample_count=d.get("sample_count", 0),
                voucher=_voucher(d.get("voucher")),
            )
        return self._detail(booking, status.HTTP_201_CREATED)

    def _decide(self, request: Request) -> Booking:
        booking = self.get_object()
        rules.check_may_decide(request.user, booking)
        return booking

    @extend_schema(tags=[TAG], summary="Approve (owner staff)", request=None, responses=MOVE)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: int) -> Response:
        booking = self._decide(request)
        with service_errors():
            services.approve_booking(booking, actor=request.user)
        return self._detail(booking)

    @extend_schema(
        tags=[TAG],
        summary="Reject with a reason (owner staff)",
        request=InstrumentReasonInSerializer,
        responses=MOVE,
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: int) -> Response:
        booking = self._decide(request)
        ser = InstrumentReasonInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            services.reject_booking(booking, actor=request.user, reason=ser.validated_data.get("reason", ""))
        return self._detail(booking)

    @extend_schema(
        tags=[TAG],
        summary="Cancel (requester within the notice, or owner staff with a reason)",
        request=InstrumentReasonInSerializer,
        responses=MOVE,
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: int) -> Response:
        booking = self.get_object()
        if not rules.can_cancel_booking(request.user, booking):
            raise DjangoPermissionDenied(
                _("Only the requester or the owner's staff can cancel this booking.")
            )
        ser = InstrumentReasonInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            services.cancel_booking(booking, actor=request.user, reason=ser.validated_data.get("reason", ""))
        return self._detail(booking)

    @extend_schema(tags=[TAG], summary="Mark as not used (owner staff)", request=None, responses=MOVE)
    @action(detail=True, methods=["post"], url_path="no-show")
    def no_show(self, request: Request, pk: int) -> Response:
        booking = self._decide(request)
        with service_errors():
            services.mark_no_show(booking, actor=request.user)
        return self._detail(booking)

    @extend_schema(
        tags=[TAG],
        summary="Start the usage clock (owner staff)",
        request=None,
        responses={201: UsageRecordSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: int) -> Response:
        booking = self._decide(request)
        with service_errors():
            usage = usage_services.start_usage(booking, actor=request.user)
        return Response(UsageRecordSerializer(usage).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=[TAG],
        summary="Stop the usage clock: hours, fee and statement",
        request=UsageStopInSerializer,
        responses={200: UsageRecordSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def stop(self, request: Request, pk: int) -> Response:
        booking = self._decide(request)
        ser = UsageStopInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        usage = UsageRecord.objects.filter(booking=booking, status=UsageStatus.RUNNING).first()
        if usage is None:
            raise BadQuery(_("No usage is running on this booking."))
        with service_errors():
            usage = usage_services.stop_usage(
                usage,
                actor=request.user,
                samples=ser.validated_data["samples"],
                note=ser.validated_data.get("note", ""),
            )
        return Response(UsageRecordSerializer(usage).data)

    @extend_schema(
        tags=[TAG],
        summary="Enter the hours used: fee and statement",
        request=UsageHoursInSerializer,
        responses={200: UsageRecordSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def usage(self, request: Request, pk: int) -> Response:
        booking = self._decide(request)
        ser = UsageHoursInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        with service_errors():
            usage = usage_services.record_usage(
                booking, actor=request.user, hours=d["hours"], samples=d["samples"], note=d.get("note", "")
            )
        return Response(UsageRecordSerializer(usage).data)

    @extend_schema(
        tags=[TAG],
        summary="Choose the voucher that pays its share (requester)",
        request=VoucherChoiceInSerializer,
        responses=MOVE,
    )
    @action(detail=True, methods=["post"])
    def voucher(self, request: Request, pk: int) -> Response:
        booking = self.get_object()
        if not rules.is_requester(request.user, booking):
            raise DjangoPermissionDenied(_("Only the requester can choose how to pay."))
        ser = VoucherChoiceInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            services.attach_voucher(
                booking, actor=request.user, voucher=_voucher(ser.validated_data["voucher"])
            )
        return self._detail(booking)


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        summary="Fee statements I pay or issue",
        parameters=[OpenApiParameter("role", str, enum=["payer", "provider"])],
        responses={200: FeeStatementSerializer(many=True), **error_responses(400, 401)},
    ),
    retrieve=extend_schema(
        tags=[TAG],
        summary="Read one fee statement",
        responses={200: FeeStatementSerializer, **error_responses(401, 404)},
    ),
)
class InvoiceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    lookup_value_regex = r"\d+"
    pagination_class = Pagination
    serializer_class = FeeStatementSerializer

    def get_queryset(self):
        from django.db.models import Q

        user: Any = self.request.user
        role = self.request.query_params.get("role") or ""
        if role not in ("", "payer", "provider"):
            raise BadQuery(_("role: payer or provider."))
        org = user.organization_id
        payer = Q(booking__requester=user) | Q(order__requester=user)
        if org and user.role == "org_admin":
            payer |= Q(payer_id=org)
        provider = Q(provider_id=org) if org else Q(pk__in=[])
        if role == "payer":
            q = payer
        elif role == "provider":
            q = provider
        else:
            q = Q() if is_staff_reviewer(user) else payer | provider
        return Invoice.objects.filter(q).select_related("provider", "payer").order_by("-issued_at", "-id")

    def get_object(self) -> Invoice:
        return rules.invoice_for(self.request.user, int(self.kwargs["pk"]))

    @extend_schema(
        tags=[TAG],
        summary="The stored PDF of a fee statement",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
            **error_responses(401, 404),
        },
    )
    @action(detail=True, methods=["get"])
    def pdf(self, request: Request, pk: int) -> Any:
        invoice = self.get_object()
        if not invoice.pdf:
            body = {"message": _("The PDF is being prepared; try again in a moment."), "status": 202}
            return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Retry-After": "5"})
        try:
            handle = invoice.pdf.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        return FileResponse(
            handle, as_attachment=True, filename=f"{invoice.number}.pdf", content_type="application/pdf"
        )
