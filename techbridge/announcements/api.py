"""Deal announcements API: the public notices and announced contracts, filing an objection, the
operators' decisions and revocations, the parties' consent to announce a contract, and the public
verification of a certificate code (rate-limited like the page)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from techbridge.core.api import JSONParser, Pagination, ReadOnlyOrAuthenticated
from techbridge.core.client import client_address
from techbridge.core.listing_api import (
    StrictSerializer,
    error_responses,
    form_parameters,
    run_action,
    service_errors,
    user_only,
    validated_query,
)
from techbridge.core.roles import is_console_user

from . import permissions as rules
from . import queries, services
from .choices import AnnouncementStatus, ObjectionStatus
from .models import NOTE_MAX, REASON_MAX, Announcement, Objection, Publication
from .verification import verify

TAG = "announcements"


class AnnouncementFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("status"), required=False, choices=[("", ""), *AnnouncementStatus.choices]
    )


class ObjectionFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("status"), required=False, choices=[("", ""), *ObjectionStatus.choices]
    )


class AnnouncementSerializer(serializers.ModelSerializer):
    origin_label = serializers.CharField(source="get_origin_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    last_day = serializers.DateField(read_only=True, help_text="The last day of the notice period.")
    pending_objections = serializers.SerializerMethodField()
    certificate_issued = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField(help_text="The notice's page on the portal.")

    class Meta:
        model = Announcement
        fields = [
            "id",
            "origin",
            "origin_label",
            "subject",
            "seller_name",
            "buyer_name",
            "price",
            "deal_mode",
            "deal_mode_name",
            "concluded_at",
            "period_ends_at",
            "last_day",
            "status",
            "status_label",
            "flagged",
            "flag_note",
            "is_demo",
            "pending_objections",
            "certificate_issued",
            "url",
        ]

    def get_pending_objections(self, obj: Announcement) -> int:
        pending = getattr(obj, "pending", None)
        if pending is None:
            pending = obj.objections.filter(status=ObjectionStatus.PENDING).count()
        return int(pending)

    def get_certificate_issued(self, obj: Announcement) -> bool:
        return obj.status == AnnouncementStatus.ENDED

    def get_url(self, obj: Announcement) -> str:
        return reverse("announcements:detail", args=[obj.pk])


class ObjectionSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    has_evidence = serializers.SerializerMethodField()

    class Meta:
        model = Objection
        fields = [
            "id",
            "announcement",
            "reason",
            "has_evidence",
            "evidence_name",
            "status",
            "status_label",
            "resolution",
            "resolved_at",
            "created_at",
        ]

    def get_has_evidence(self, obj: Objection) -> bool:
        return bool(obj.evidence)


class ObjectionWriteSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=REASON_MAX)
    evidence = serializers.FileField(required=False, help_text="PDF, PNG or JPEG, at most 10 MB.")


class ObjectionDecisionSerializer(StrictSerializer):
    upheld = serializers.BooleanField(help_text="true: uphold (the notice is suspended); false: dismiss.")
    resolution = serializers.CharField(max_length=REASON_MAX)


class CertificateRevokeSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=NOTE_MAX)


class PublicationConsentSerializer(StrictSerializer):
    consent = serializers.BooleanField()
    show_amount = serializers.BooleanField(required=False, default=False)


class PublishedDealSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="contract.title", read_only=True)
    seller_name = serializers.SerializerMethodField()
    buyer_name = serializers.SerializerMethodField()
    contract_type = serializers.CharField(source="contract.get_contract_type_display", read_only=True)
    registered_at = serializers.DateTimeField(source="contract.registered_at", read_only=True)
    amount = serializers.SerializerMethodField(help_text="Only when both parties allow it; else null.")

    class Meta:
        model = Publication
        fields = [
            "id",
            "title",
            "seller_name",
            "buyer_name",
            "contract_type",
            "registered_at",
            "amount",
            "published_at",
        ]

    def get_seller_name(self, obj: Publication) -> str:
        return str(obj.contract.seller_name)

    def get_buyer_name(self, obj: Publication) -> str:
        return str(obj.contract.buyer_name)

    def get_amount(self, obj: Publication) -> str | None:
        return str(obj.contract.total_amount) if obj.shows_amount else None


class CertificateVerdictSerializer(serializers.Serializer):
    valid = serializers.BooleanField(help_text="A real certificate that has not been revoked.")
    code = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    number = serializers.CharField()
    subject = serializers.CharField()
    seller_name = serializers.CharField()
    buyer_name = serializers.CharField()
    price = serializers.DecimalField(max_digits=16, decimal_places=2)
    origin_label = serializers.CharField()
    deal_mode_name = serializers.CharField()
    concluded_at = serializers.DateTimeField()
    period_ends_at = serializers.DateTimeField()
    issued_at = serializers.DateTimeField()
    pdf_sha256 = serializers.CharField(help_text="Empty while the PDF is being made.")
    revoked_reason = serializers.CharField()
    revoked_at = serializers.DateTimeField(allow_null=True)


class TooManyGuesses(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "too_many_guesses"


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        summary="Deal announcements (成交公示)",
        parameters=form_parameters(AnnouncementFilterForm),
        responses={200: AnnouncementSerializer(many=True), **error_responses(400)},
    ),
    retrieve=extend_schema(
        tags=[TAG],
        summary="One deal announcement",
        responses={200: AnnouncementSerializer, **error_responses(404)},
    ),
)
class AnnouncementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [ReadOnlyOrAuthenticated]
    pagination_class = Pagination
    serializer_class = AnnouncementSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> Any:
        return Announcement.objects.all()

    def filter_queryset(self, queryset: Any) -> Any:
        if self.action != "list":
            return queryset
        form = validated_query(AnnouncementFilterForm, self.request)
        qs = queries.announcements("all")
        wanted = form.cleaned_data.get("status")
        return qs.filter(status=wanted) if wanted else qs

    @extend_schema(
        tags=[TAG],
        summary="File an objection (signed-in users who are not parties)",
        request={
            "multipart/form-data": ObjectionWriteSerializer,
            "application/json": ObjectionWriteSerializer,
        },
        responses={201: ObjectionSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[IsAuthenticated],
        parser_classes=[MultiPartParser, FormParser, JSONParser],
    )
    def objections(self, request: Request, pk: str) -> Response:
        return run_action(
            request,
            rules.announcement_for(request.user, pk),
            check=rules.check_file_objection,
            body=ObjectionWriteSerializer,
            service=services.file_objection,
            out=ObjectionSerializer,
            reply="result",
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        tags=[TAG],
        summary="Announced registered contracts (成交公告)",
        responses={200: PublishedDealSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], url_path="deals", serializer_class=PublishedDealSerializer)
    def deals(self, request: Request) -> Response:
        page = self.paginate_queryset(queries.published_deals())
        return self.get_paginated_response(PublishedDealSerializer(page, many=True).data)

    @extend_schema(
        tags=[TAG],
        summary="Consent to announce a registered contract, or withdraw it (its parties)",
        request=PublicationConsentSerializer,
        responses={200: PublishedDealSerializer, **error_responses(400, 401, 403, 404)},
        parameters=[OpenApiParameter("contract_pk", int, OpenApiParameter.PATH, description="The contract.")],
    )
    @action(
        detail=False,
        methods=["post"],
        url_path=r"contracts/(?P<contract_pk>\d+)/publication",
        permission_classes=[IsAuthenticated],
        serializer_class=PublicationConsentSerializer,
    )
    def publication(self, request: Request, contract_pk: str) -> Response:
        from techbridge.contracts.permissions import contract_for

        contract = contract_for(request.user, contract_pk)
        rules.check_publication(request.user, contract)
        body = PublicationConsentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with service_errors():
            pub = services.set_publication_consent(
                contract,
                actor=request.user,
                consent=body.validated_data["consent"],
                show_amount=body.validated_data.get("show_amount", False),
            )
        return Response(PublishedDealSerializer(pub).data)


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        summary="Objections (console users)",
        parameters=form_parameters(ObjectionFilterForm),
        responses={200: ObjectionSerializer(many=True), **error_responses(400, 401, 403)},
    ),
    retrieve=extend_schema(
        tags=[TAG],
        summary="One objection (console users and who filed it)",
        responses={200: ObjectionSerializer, **error_responses(401, 404)},
    ),
)
class ObjectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated]
    pagination_class = Pagination
    serializer_class = ObjectionSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> Any:
        return Objection.objects.all()

    def list(self, request: Request) -> Response:
        if not is_console_user(request.user):
            raise exceptions.PermissionDenied(gettext_lazy("Only platform staff read the objections queue."))
        form = validated_query(ObjectionFilterForm, request)
        page = self.paginate_queryset(queries.objection_queue(form.cleaned_data.get("status") or ""))
        return self.get_paginated_response(ObjectionSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(ObjectionSerializer(rules.objection_for(request.user, pk)).data)

    @extend_schema(
        tags=[TAG],
        summary="Decide on an objection (operators)",
        request=ObjectionDecisionSerializer,
        responses={200: ObjectionSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: str) -> Response:
        return run_action(
            request,
            rules.objection_for(request.user, pk),
            check=user_only(rules.check_resolve),
            body=ObjectionDecisionSerializer,
            service=services.resolve_objection,
            out=ObjectionSerializer,
            refresh=True,
        )


def verdict_data(cert: Any) -> dict[str, Any]:
    return {
        "valid": cert.status == "valid",
        "code": cert.grouped_code,
        "status": cert.status,
        "status_label": str(cert.get_status_display()),
        "number": cert.number,
        "subject": cert.subject,
        "seller_name": cert.seller_name,
        "buyer_name": cert.buyer_name,
        "price": cert.price,
        "origin_label": str(cert.get_origin_display()),
        "deal_mode_name": cert.deal_mode_name,
        "concluded_at": cert.concluded_at,
        "period_ends_at": cert.period_ends_at,
        "issued_at": cert.issued_at,
        "pdf_sha256": cert.sha256,
        "revoked_reason": cert.revoked_reason,
        "revoked_at": cert.revoked_at,
    }


class CertificateVerifyView(APIView):
    """Verify a transaction certificate's code: its sealed fields, or why it is not a real certificate."""

    permission_classes = [AllowAny]

    @extend_schema(
        tags=[TAG],
        summary="Verify a transaction certificate (交易鉴证书)",
        responses={200: CertificateVerdictSerializer, **error_responses(404, 429)},
    )
    def get(self, request: Request, code: str) -> Response:
        verdict = verify(code, client_address(request))
        if verdict.throttled:
            raise TooManyGuesses(verdict.error)
        if verdict.certificate is None:
            raise exceptions.NotFound(verdict.error)
        data = CertificateVerdictSerializer(verdict_data(verdict.certificate)).data
        return Response(data)


class CertificateRevokeView(APIView):
    """Revoke a certificate (operators); its verification then says it is revoked."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="Revoke a transaction certificate (operators)",
        request=CertificateRevokeSerializer,
        responses={200: CertificateVerdictSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        rules.check_revoke(request.user)
        cert = rules.certificate_for_console(request.user, pk)
        body = CertificateRevokeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with service_errors():
            services.revoke_certificate(cert, actor=request.user, reason=body.validated_data["reason"])
        cert.refresh_from_db()
        return Response(CertificateVerdictSerializer(verdict_data(cert)).data)
