"""REST API of deposits paid by bank transfer (``deposits.py``).

- ``GET /api/v1/auctions/registrations/<id>/payment/``: the receiving account, the payment reference
  and the amount due (the bidder, or an operator); ``PUT …/refund-account/``: the bidder's refund account.
- ``/api/v1/auctions/statements/`` (operators): list, ``preview`` (nothing stored) and import a
  statement (multipart ``file``); ``/statement-lines/`` (operators): lines (``?status=unmatched``),
  ``assign`` and ``dismiss``.
- ``/api/v1/auctions/refund-batches/`` (operators): list, export (``file_format``), ``waiting`` refunds
  and the payment ``file`` of a batch.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as APIValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from techbridge.core.api import Pagination
from techbridge.core.listing_api import StrictSerializer, error_responses, run_action
from techbridge.core.permissions import RolePermission
from techbridge.lib.xlsx import XLSX_CONTENT_TYPE

from . import bank, deposits, permissions
from .choices import LineStatus
from .models import BankStatement, RefundBatch, Registration, StatementLine
from .views_deposits import refund_file_response

IsOperator = RolePermission.of(permissions.can_run_auctions, permissions.RUN)


def _money(value: Any) -> str:
    return f"{value:.2f}"


# ---- the bidder's payment details ---------------------------------------------------------------------


class DepositAccountSerializer(serializers.Serializer):
    account_name = serializers.CharField(help_text="户名")
    bank = serializers.CharField(help_text="开户行")
    account_number = serializers.CharField(help_text="账号")
    is_demo = serializers.BooleanField(help_text="A sample account (示例): never pay into it.")


class DepositRefundAccountSerializer(StrictSerializer):
    account_name = serializers.CharField(max_length=100, allow_blank=True)
    account_number = serializers.CharField(max_length=40, allow_blank=True, help_text="8 to 30 digits.")
    bank = serializers.CharField(max_length=100, allow_blank=True, help_text="开户行")


class DepositPaymentSerializer(serializers.Serializer):
    registration = serializers.IntegerField()
    session = serializers.IntegerField()
    number = serializers.IntegerField()
    deposit_status = serializers.CharField()
    amount_due = serializers.CharField(help_text="Yuan, two decimals.")
    payment_reference = serializers.CharField(help_text="Write it in the transfer's remark (附言).")
    receiving_account = DepositAccountSerializer(allow_null=True, help_text="Null when not configured.")
    refund_account = DepositRefundAccountSerializer()
    refund_exported = serializers.BooleanField()


def payment_data(reg: Registration) -> dict[str, Any]:
    account = bank.receiving_account()
    return {
        "registration": reg.pk,
        "session": reg.session_id,
        "number": reg.number,
        "deposit_status": reg.deposit_status,
        "amount_due": _money(reg.deposit_amount),
        "payment_reference": reg.payment_code,
        "receiving_account": None
        if account is None
        else {
            "account_name": account.name,
            "bank": account.bank,
            "account_number": account.number,
            "is_demo": account.is_demo,
        },
        "refund_account": {
            "account_name": reg.refund_account_name,
            "account_number": reg.refund_account_number,
            "bank": reg.refund_bank,
        },
        "refund_exported": hasattr(reg, "refund_item"),
    }


class RegistrationPayment(APIView):
    """The bank details, payment reference and amount due of one registration (its bidder, or operators)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["auctions"], responses={200: DepositPaymentSerializer, **error_responses(401, 404)})
    def get(self, request: Request, pk: int) -> Response:
        return Response(payment_data(permissions.registration_page_for(request.user, pk)))


class RegistrationRefundAccount(APIView):
    """The bidder sets the account their deposit is refunded to (until the refund is exported)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["auctions"],
        request=DepositRefundAccountSerializer,
        responses={200: DepositPaymentSerializer, **error_responses(400, 401, 403, 404)},
    )
    def put(self, request: Request, pk: int) -> Response:
        reg = permissions.registration_page_for(request.user, pk)
        permissions.check_bidder_owns(request.user, reg)
        serializer = DepositRefundAccountSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            deposits.set_refund_account(
                actor=request.user,
                registration=reg,
                name=data["account_name"],
                number=data["account_number"],
                bank_name=data["bank"],
            )
        except DjangoValidationError as exc:
            renamed = {"refund_account_name": "account_name", "refund_account_number": "account_number"}
            renamed["refund_bank"] = "bank"
            raise APIValidationError({renamed.get(k, k): v for k, v in exc.message_dict.items()}) from exc
        return Response(payment_data(reg))


# ---- statements ---------------------------------------------------------------------------------------


class BankStatementSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.CharField(source="uploaded_by.display_name", read_only=True)

    class Meta:
        model = BankStatement
        fields = [
            "id",
            "file_name",
            "sha256",
            "uploaded_by",
            "uploaded_at",
            "line_count",
            "new_count",
            "duplicate_count",
            "matched_count",
            "unmatched_count",
            "is_demo",
        ]
        read_only_fields = fields


class BankStatementLineSerializer(serializers.ModelSerializer):
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, help_text="Negative: money out.")
    reason = serializers.CharField(read_only=True, help_text="Why the line is unmatched (a code), or empty.")
    reason_label = serializers.CharField(source="get_reason_display", read_only=True)
    payment_reference = serializers.SerializerMethodField()

    class Meta:
        model = StatementLine
        fields = [
            "id",
            "statement",
            "row_number",
            "serial",
            "booked_on",
            "remark",
            "payer_name",
            "payer_account",
            "amount",
            "status",
            "reason",
            "reason_label",
            "reference",
            "registration",
            "payment_reference",
            "resolved_at",
            "resolution_note",
        ]
        read_only_fields = fields

    def get_payment_reference(self, line: StatementLine) -> str | None:
        return line.registration.payment_code if line.registration else None


class BankStatementUploadSerializer(StrictSerializer):
    file = serializers.FileField(help_text="The bank statement (.xlsx or .csv), at most 10 MB.")


class BankStatementPreviewLineSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    serial = serializers.CharField()
    booked_on = serializers.DateField()
    amount = serializers.CharField()
    remark = serializers.CharField()
    duplicate = serializers.BooleanField(help_text="Imported before: would be skipped.")
    result = serializers.ChoiceField(choices=["matched", "unmatched", "duplicate"])
    reason = serializers.CharField()
    reason_label = serializers.CharField()
    registration = serializers.IntegerField(allow_null=True)


class BankStatementPreviewSerializer(serializers.Serializer):
    lines = BankStatementPreviewLineSerializer(many=True)


def _read_upload(request: Request) -> tuple[str, bytes]:
    serializer = BankStatementUploadSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    upload = serializer.validated_data["file"]
    if upload.size > bank.MAX_FILE_BYTES:
        raise APIValidationError(
            {
                "file": [
                    _("The file is larger than %(mb)s MB: split the statement by period.")
                    % {"mb": bank.MAX_FILE_BYTES >> 20}
                ]
            }
        )
    return upload.name, upload.read()


@extend_schema_view(
    list=extend_schema(tags=["auctions"], summary="Imported bank statements (operators)"),
    retrieve=extend_schema(
        tags=["auctions"], responses={200: BankStatementSerializer, **error_responses(401, 403, 404)}
    ),
)
class StatementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Bank statements of the receiving account: ``preview`` a file (nothing stored), then import it
    (``POST``): matched deposits are confirmed, other lines wait in ``statement-lines``."""

    permission_classes = [IsOperator]
    serializer_class = BankStatementSerializer
    pagination_class = Pagination
    parser_classes = [MultiPartParser, FormParser]
    queryset = BankStatement.objects.select_related("uploaded_by")

    @extend_schema(
        tags=["auctions"],
        request={"multipart/form-data": BankStatementUploadSerializer},
        responses={201: BankStatementSerializer, **error_responses(400, 401, 403)},
    )
    def create(self, request: Request) -> Response:
        name, content = _read_upload(request)
        try:
            statement = deposits.import_statement(actor=request.user, name=name, content=content)
        except bank.StatementError as exc:
            raise APIValidationError({"file": exc.messages}) from exc
        return Response(BankStatementSerializer(statement).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=["auctions"],
        request={"multipart/form-data": BankStatementUploadSerializer},
        responses={200: BankStatementPreviewSerializer, **error_responses(400, 401, 403)},
    )
    @action(detail=False, methods=["post"])
    def preview(self, request: Request) -> Response:
        name, content = _read_upload(request)
        try:
            rows = deposits.preview_statement(actor=request.user, name=name, content=content)
        except bank.StatementError as exc:
            raise APIValidationError({"file": exc.messages}) from exc
        lines = [
            {
                "row": r.line.row,
                "serial": r.line.serial,
                "booked_on": r.line.booked_on,
                "amount": _money(r.line.amount),
                "remark": r.line.remark,
                "duplicate": r.duplicate,
                "result": "duplicate" if r.duplicate else r.outcome.status,
                "reason": r.outcome.reason,
                "reason_label": r.reason_label,
                "registration": r.outcome.registration.pk if r.outcome.registration else None,
            }
            for r in rows
        ]
        return Response(BankStatementPreviewSerializer({"lines": lines}).data)


class StatementLineAssignSerializer(StrictSerializer):
    payment_reference = serializers.CharField(max_length=40, help_text="The bidder's reference, TB-…")
    override_reason = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required when the amounts differ.",
    )


class StatementLineDismissSerializer(StrictSerializer):
    reason = serializers.CharField(
        max_length=500,
        error_messages={
            "required": gettext_lazy("Give the reason for dismissing the line."),
            "blank": gettext_lazy("Give the reason for dismissing the line."),
        },
    )


@extend_schema_view(
    list=extend_schema(
        tags=["auctions"],
        summary="Bank statement lines (operators); ?status=unmatched is the queue to resolve",
        parameters=[
            OpenApiParameter(
                "status", str, enum=list(LineStatus.values), description="only lines in this state"
            ),
            OpenApiParameter("statement", int, description="only the lines of this statement"),
        ],
    ),
    retrieve=extend_schema(
        tags=["auctions"], responses={200: BankStatementLineSerializer, **error_responses(401, 403, 404)}
    ),
)
class StatementLineViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Lines of imported statements; an operator ``assign``s an unmatched line to a registration or
    ``dismiss``es it (both audited)."""

    permission_classes = [IsOperator]
    serializer_class = BankStatementLineSerializer
    pagination_class = Pagination

    def get_queryset(self) -> Any:
        qs = StatementLine.objects.select_related("registration").order_by("statement_id", "row_number")
        if self.action != "list":
            return qs
        params = self.request.query_params
        state = params.get("status")
        if state:
            if state not in LineStatus.values:
                raise APIValidationError(
                    {"status": [_("Unknown status “%(value)s”.") % {"value": state[:40]}]}
                )
            qs = qs.filter(status=state)
        statement = params.get("statement")
        if statement:
            if not (statement.isascii() and statement.isdigit() and len(statement) < 18):
                raise APIValidationError({"statement": [_("Give the statement's number.")]})
            qs = qs.filter(statement_id=int(statement))
        return qs

    @extend_schema(
        tags=["auctions"],
        request=StatementLineAssignSerializer,
        responses={200: BankStatementLineSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str | None = None) -> Response:
        line = get_object_or_404(StatementLine, pk=pk)
        serializer = StatementLineAssignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reg = deposits.registration_for_reference(serializer.validated_data["payment_reference"])
        if reg is None:
            raise APIValidationError(
                {
                    "payment_reference": [
                        _("No registration has this payment reference (check the characters).")
                    ]
                }
            )
        deposits.assign_line(
            actor=request.user,
            line=line,
            registration=reg,
            override_reason=serializer.validated_data["override_reason"],
        )
        line.refresh_from_db()
        return Response(BankStatementLineSerializer(line).data)

    @extend_schema(
        tags=["auctions"],
        request=StatementLineDismissSerializer,
        responses={200: BankStatementLineSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def dismiss(self, request: Request, pk: str | None = None) -> Response:
        return run_action(
            request,
            get_object_or_404(StatementLine, pk=pk),
            body=StatementLineDismissSerializer,
            service=lambda line, *, actor, reason: deposits.dismiss_line(
                actor=actor, line=line, reason=reason
            ),
            out=BankStatementLineSerializer,
            refresh=True,
        )


# ---- refund batches -----------------------------------------------------------------------------------


class DepositRefundBatchSerializer(serializers.ModelSerializer):
    total = serializers.DecimalField(max_digits=16, decimal_places=2)
    file_format = serializers.CharField()

    class Meta:
        model = RefundBatch
        fields = ["id", "created_at", "file_format", "sha256", "item_count", "total", "is_demo"]
        read_only_fields = fields


class DepositRefundExportSerializer(StrictSerializer):
    file_format = serializers.ChoiceField(
        choices=list(RefundBatch.Format.values), default=RefundBatch.Format.XLSX, help_text="xlsx or csv"
    )


class DepositWaitingRefundSerializer(serializers.ModelSerializer):
    amount = serializers.DecimalField(source="deposit_amount", max_digits=16, decimal_places=2)
    has_account = serializers.SerializerMethodField()

    class Meta:
        model = Registration
        fields = ["id", "session", "number", "payment_code", "amount", "has_account"]
        read_only_fields = fields

    def get_has_account(self, reg: Registration) -> bool:
        return bool(reg.refund_account_number)


@extend_schema_view(
    list=extend_schema(tags=["auctions"], summary="Exported refund payment files (operators)"),
    retrieve=extend_schema(
        tags=["auctions"], responses={200: DepositRefundBatchSerializer, **error_responses(401, 403, 404)}
    ),
)
class RefundBatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Refund payment files: ``POST`` exports every refunded deposit with an account not yet exported
    (each refund is exported once); ``file`` downloads a batch's file; ``waiting`` lists refunds not yet
    exported."""

    permission_classes = [IsOperator]
    serializer_class = DepositRefundBatchSerializer
    pagination_class = Pagination
    queryset = RefundBatch.objects.all()

    @extend_schema(
        tags=["auctions"],
        request=DepositRefundExportSerializer,
        responses={201: DepositRefundBatchSerializer, **error_responses(400, 401, 403)},
    )
    def create(self, request: Request) -> Response:
        serializer = DepositRefundExportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        batch = deposits.export_refunds(
            actor=request.user, file_format=serializer.validated_data["file_format"]
        )
        return Response(DepositRefundBatchSerializer(batch).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=["auctions"],
        responses={
            (200, XLSX_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="The file (.xlsx)."),
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="The file (.csv)."),
            **error_responses(401, 403, 404),
        },
    )
    @action(detail=True, methods=["get"])
    def file(self, request: Request, pk: str | None = None) -> Any:
        return refund_file_response(self.get_object())

    @extend_schema(
        tags=["auctions"],
        responses={200: DepositWaitingRefundSerializer(many=True), **error_responses(401, 403)},
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def waiting(self, request: Request) -> Response:
        return Response(DepositWaitingRefundSerializer(deposits.refunds_waiting()[:1000], many=True).data)
