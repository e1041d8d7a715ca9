"""Contracts API: the parties' contracts, signing, amendments, payments, registration and statistics.

Who sees what: a contract exists (else 404) for members of either party and, once submitted for
registration, for registry officers (reviewers, operators). Statistics are public aggregates.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from techbridge.achievements.choices import AchievementType, LegalStatus
from techbridge.core.api import Pagination
from techbridge.core.client import client_address
from techbridge.core.listing_api import StrictSerializer, error_responses
from techbridge.lib.numbers import whole_number
from techbridge.organizations.choices import District
from techbridge.organizations.models import Organization

from . import permissions as contract_permissions
from . import queries, services
from .choices import DURATION_LIMIT, ContractStatus, ContractType, DisputeMethodChoices, SubType
from .clauses import CLAUSE_TEXT_MAX, VENUE_MAX
from .models import Clause, ClauseVersion, Contract, Instalment, Payment, Signature
from .parties import ID_NUMBER_MAX, IdType, PartyKind

TAG = "contracts"


class SignatureSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.display_name", read_only=True)

    class Meta:
        model = Signature
        fields = ["side", "user", "signed_at", "method", "client_address"]
        read_only_fields = fields


class ClauseVersionSerializer(serializers.ModelSerializer):
    edited_by = serializers.CharField(
        source="edited_by.display_name",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="The party member who wrote this version; null for the model text.",
    )

    class Meta:
        model = ClauseVersion
        fields = ["version", "heading", "text", "edited_by", "edited_at"]
        read_only_fields = fields


class ClauseSerializer(serializers.ModelSerializer):
    edited_by = serializers.CharField(
        source="edited_by.display_name",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="The party member who last rewrote the clause; null while it is the model text.",
    )
    versions = serializers.SerializerMethodField(help_text="Every text the clause has had, newest first.")

    class Meta:
        model = Clause
        fields = ["key", "position", "heading", "text", "version", "edited_by", "edited_at", "versions"]
        read_only_fields = fields

    @extend_schema_field(ClauseVersionSerializer(many=True))
    def get_versions(self, clause: Clause) -> Any:
        versions = self.context.get("versions", {}).get(clause.key, [])
        return ClauseVersionSerializer(versions, many=True).data


class ClauseEditSerializer(StrictSerializer):
    text = serializers.CharField(max_length=CLAUSE_TEXT_MAX, required=False, allow_blank=True)
    dispute_method = serializers.ChoiceField(
        choices=DisputeMethodChoices.choices,
        required=False,
        help_text="Dispute clause only: arbitration or a court; the clause is rewritten from the choice.",
    )
    dispute_venue = serializers.CharField(
        max_length=VENUE_MAX,
        required=False,
        allow_blank=True,
        help_text="Dispute clause only: the arbitration commission or court (blank: the usual one).",
    )


class ClauseEditResultSerializer(serializers.Serializer):
    clause = ClauseSerializer()
    signatures_voided = serializers.ListField(
        child=serializers.CharField(), help_text="Sides whose signature the edit voided."
    )
    message = serializers.CharField(help_text="Says that signatures were voided (empty when none was).")


class SignSerializer(StrictSerializer):
    password = serializers.CharField(
        max_length=128,
        trim_whitespace=False,
        help_text="The signer's sign-in password, entered again (re-authentication).",
    )


class InstalmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Instalment
        fields = ["description", "due_date", "amount", "done_at"]
        read_only_fields = fields


class PaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Payment
        fields = ["id", "paid_on", "amount", "note", "recorded_at"]
        read_only_fields = fields


CONTRACT_FIELDS = [
    "id",
    "number",
    "version",
    "previous",
    "title",
    "contract_type",
    "sub_type",
    "status",
    "origin",
    "origin_ref",
    "seller",
    "seller_name",
    "seller_credit_code",
    "buyer",
    "buyer_name",
    "buyer_credit_code",
    "seller_party_kind",
    "seller_id_type",
    "seller_id_masked",
    "seller_country",
    "seller_district",
    "buyer_party_kind",
    "buyer_id_type",
    "buyer_id_masked",
    "buyer_country",
    "is_cross_border",
    "technology_trade",
    "achievement",
    "package",
    "field",
    "deal_mode",
    "subject_kind",
    "subject_legal_status",
    "total_amount",
    "equipment_amount",
    "materials_amount",
    "other_non_tech_amount",
    "carrier_amount",
    "carrier_amount_accepted",
    "technology_amount",
    "payment_terms",
    "royalty_rate",
    "duration_months",
    "territory",
    "exclusivity",
    "terms",
    "signed_at",
    "submitted_at",
    "registered_at",
    "performed_at",
    "registration_number",
    "reject_reason",
    "rules_version",
    "is_overdue",
    "created_at",
    "updated_at",
]


class ContractSerializer(serializers.ModelSerializer):
    is_overdue = serializers.BooleanField(read_only=True)
    # A natural person's document number is sent masked (whole only to the deciding registry officer,
    # in the detail's ``*_id_number``).
    seller_id_masked = serializers.CharField(read_only=True)
    buyer_id_masked = serializers.CharField(read_only=True)
    is_cross_border = serializers.BooleanField(
        read_only=True, help_text="A technology import or export: one party is an organisation abroad."
    )
    technology_trade = serializers.ChoiceField(
        choices=[("export", "export"), ("import", "import"), ("", "")],
        read_only=True,
        help_text="export: the buyer is abroad; import: the seller is abroad; empty otherwise.",
    )

    class Meta:
        model = Contract
        fields = CONTRACT_FIELDS
        read_only_fields = fields


class ContractDetailSerializer(ContractSerializer):
    signatures = SignatureSerializer(many=True, read_only=True)
    instalments = InstalmentSerializer(many=True, read_only=True)
    payments = PaymentSerializer(many=True, read_only=True)
    seller_id_number = serializers.SerializerMethodField(
        help_text="The whole document number: only for the registry officer deciding; null for others."
    )
    buyer_id_number = serializers.SerializerMethodField(
        help_text="The whole document number: only for the registry officer deciding; null for others."
    )

    class Meta(ContractSerializer.Meta):
        fields = [
            *CONTRACT_FIELDS,
            "seller_id_number",
            "buyer_id_number",
            "signatures",
            "instalments",
            "payments",
        ]
        read_only_fields = fields

    def _whole(self, contract: Contract, side: str) -> str | None:
        user = self.context.get("user") or getattr(self.context.get("request"), "user", None)
        if user is None or not contract_permissions.can_see_identity(user, contract):
            return None
        return getattr(contract, f"{side}_id_number") or None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_seller_id_number(self, contract: Contract) -> str | None:
        return self._whole(contract, "seller")

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_buyer_id_number(self, contract: Contract) -> str | None:
        return self._whole(contract, "buyer")


class PartySerializerMixin(serializers.Serializer):
    """One side's party when it is not a platform organisation (认定规则 art. 4)."""

    seller_party_kind = serializers.ChoiceField(choices=PartyKind.choices, required=False)
    seller_name = serializers.CharField(
        max_length=200, required=False, help_text="For a natural person or an organisation abroad."
    )
    seller_id_type = serializers.ChoiceField(choices=IdType.choices, required=False, allow_blank=True)
    seller_id_number = serializers.CharField(
        max_length=ID_NUMBER_MAX,
        required=False,
        allow_blank=True,
        write_only=True,
        help_text="Shown masked afterwards.",
    )
    seller_country = serializers.CharField(max_length=60, required=False, allow_blank=True)
    seller_district = serializers.ChoiceField(
        choices=District.choices,
        required=False,
        allow_blank=True,
        help_text="A natural person seller's district (outside: not in Nanjing).",
    )
    buyer_party_kind = serializers.ChoiceField(choices=PartyKind.choices, required=False)
    buyer_name = serializers.CharField(
        max_length=200, required=False, help_text="For a natural person or an organisation abroad."
    )
    buyer_id_type = serializers.ChoiceField(choices=IdType.choices, required=False, allow_blank=True)
    buyer_id_number = serializers.CharField(
        max_length=ID_NUMBER_MAX,
        required=False,
        allow_blank=True,
        write_only=True,
        help_text="Shown masked afterwards.",
    )
    buyer_country = serializers.CharField(max_length=60, required=False, allow_blank=True)


class DraftUpdateSerializer(PartySerializerMixin, StrictSerializer):
    """A draft's terms; each side may declare its own party (an inventor or a company abroad it acts for)."""

    title = serializers.CharField(max_length=200, required=False)
    contract_type = serializers.ChoiceField(choices=ContractType.choices, required=False)
    sub_type = serializers.ChoiceField(choices=SubType.choices, required=False)
    subject_kind = serializers.ChoiceField(choices=AchievementType.choices, required=False, allow_blank=True)
    subject_legal_status = serializers.ChoiceField(
        choices=LegalStatus.choices, required=False, allow_blank=True
    )
    carrier_amount = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0, required=False)
    total_amount = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0, required=False)
    equipment_amount = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0, required=False)
    materials_amount = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0, required=False)
    other_non_tech_amount = serializers.DecimalField(
        max_digits=16, decimal_places=2, min_value=0, required=False
    )
    duration_months = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, validators=[DURATION_LIMIT]
    )
    territory = serializers.CharField(max_length=100, required=False, allow_blank=True)
    terms = serializers.CharField(required=False, allow_blank=True)


class ExternalContractSerializer(PartySerializerMixin, StrictSerializer):
    title = serializers.CharField(max_length=200)
    contract_type = serializers.ChoiceField(choices=ContractType.choices)
    sub_type = serializers.ChoiceField(choices=SubType.choices, required=False)
    subject_kind = serializers.ChoiceField(choices=AchievementType.choices, required=False, allow_blank=True)
    subject_legal_status = serializers.ChoiceField(
        choices=LegalStatus.choices, required=False, allow_blank=True
    )
    carrier_amount = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0, required=False)
    seller_credit_code = serializers.CharField(max_length=18, required=False)
    buyer_credit_code = serializers.CharField(
        max_length=18, required=False, help_text="For an organisation registered in China."
    )
    total_amount = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0)
    equipment_amount = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0, required=False)
    materials_amount = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0, required=False)
    other_non_tech_amount = serializers.DecimalField(
        max_digits=16, decimal_places=2, min_value=0, required=False
    )
    signed_on = serializers.DateField()
    origin_ref = serializers.CharField(max_length=100, required=False, allow_blank=True)


class PaymentInSerializer(StrictSerializer):
    paid_on = serializers.DateField()
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class RegisterSerializer(StrictSerializer):
    contract_type = serializers.ChoiceField(choices=ContractType.choices, required=False)
    sub_type = serializers.ChoiceField(choices=SubType.choices, required=False)
    technology_amount = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0, required=False)
    subject_legal_status = serializers.ChoiceField(
        choices=LegalStatus.choices,
        required=False,
        allow_blank=True,
        help_text="The subject's legal status as checked in the CNIPA register (blank: not a patent).",
    )
    carrier_amount = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text="Accepted direct cost of items carrying the technology; default: as declared.",
    )


class RejectSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=5000)


class PerformedSerializer(StrictSerializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


MOVE = {200: ContractDetailSerializer, **error_responses(400, 401, 403, 404)}


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        summary="Contracts of my organisation (officers: ?registry=1 for submitted ones)",
        parameters=[
            OpenApiParameter(
                "registry",
                OpenApiTypes.BOOL,
                description="registry officers: contracts submitted for registration",
            ),
            OpenApiParameter(
                "status",
                str,
                enum=[c.value for c in ContractStatus],
                description="with registry=1: contracts in this state instead of the submitted ones",
            ),
        ],
        responses={200: ContractSerializer(many=True), **error_responses(401)},
    ),
    retrieve=extend_schema(
        tags=[TAG],
        summary="Read one contract",
        responses={200: ContractDetailSerializer, **error_responses(401, 404)},
    ),
)
class ContractViewSet(
    mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = Pagination

    def get_queryset(self):
        user = self.request.user
        if self.request.query_params.get("registry") and contract_permissions.is_registry_officer(user):
            qs = queries.visible_to_registry(user)
            status_filter = self.request.query_params.get("status")
            if status_filter:
                qs = qs.filter(status=status_filter)
            return qs.order_by("submitted_at", "id")
        return queries.contracts_for(user).order_by("-created_at", "-id")

    def get_serializer_class(self):
        return ContractSerializer if self.action == "list" else ContractDetailSerializer

    def get_object(self) -> Contract:
        return contract_permissions.contract_for(self.request.user, self.kwargs["pk"])

    def _detail(self, contract: Contract) -> Response:
        fresh = Contract.objects.prefetch_related("signatures__user", "instalments", "payments").get(
            pk=contract.pk
        )
        return Response(ContractDetailSerializer(fresh, context={"user": self.request.user}).data)

    @extend_schema(
        tags=[TAG],
        summary="Enter a contract signed outside the platform (seller side or registry officer)",
        request=ExternalContractSerializer,
        responses={201: ContractDetailSerializer, **error_responses(400, 401, 403)},
    )
    def create(self, request: Request) -> Response:
        if not contract_permissions.can_import(request.user):
            raise DjangoPermissionDenied(contract_permissions.IMPORT)
        ser = ExternalContractSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        d.setdefault("seller_party_kind", PartyKind.ORGANIZATION)
        d.setdefault("buyer_party_kind", PartyKind.ORGANIZATION)
        seller_code = d.pop("seller_credit_code", "").strip().upper()
        seller = None
        if d["seller_party_kind"] == PartyKind.ORGANIZATION:
            if seller_code:
                seller = Organization.objects.filter(credit_code=seller_code).first()
            else:
                seller = getattr(request.user, "organization", None)
        elif not contract_permissions.is_registry_officer(request.user):
            # An individual inventor or a seller abroad applies at the registry's counter.
            raise DjangoPermissionDenied(
                _("Only a registry officer enters a contract whose seller is a natural person or abroad.")
            )
        buyer_code = d.pop("buyer_credit_code", "").strip().upper()
        buyer = None
        if d["buyer_party_kind"] == PartyKind.ORGANIZATION:
            buyer = Organization.objects.filter(credit_code=buyer_code).first() if buyer_code else None
        unknown = _("No organisation with this credit code is registered on the platform.")
        if seller is None and d["seller_party_kind"] == PartyKind.ORGANIZATION:
            raise DjangoValidationError({"seller_credit_code": [unknown]})
        if buyer is None and d["buyer_party_kind"] == PartyKind.ORGANIZATION:
            raise DjangoValidationError({"buyer_credit_code": [unknown]})
        signed_on = d.pop("signed_on")
        contract = services.enter_external_contract(
            actor=request.user, data={**d, "seller": seller, "buyer": buyer}, signed_on=signed_on
        )
        resp = self._detail(contract)
        resp.status_code = status.HTTP_201_CREATED
        return resp

    @extend_schema(
        tags=[TAG], summary="Change a draft (either party)", request=DraftUpdateSerializer, responses=MOVE
    )
    def partial_update(self, request: Request, pk: int) -> Response:
        contract = self.get_object()
        contract_permissions.check_party(request.user, contract)
        ser = DraftUpdateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        services.update_draft(contract, actor=request.user, data=dict(ser.validated_data))
        return self._detail(contract)

    @extend_schema(
        tags=[TAG],
        summary="Sign for my organisation (the password again; the time, method and address are recorded)",
        description=(
            "A wrong password is refused with 400 and counted like a failed sign-in; after too many the "
            "account is locked for signing and signing in alike (403)."
        ),
        request=SignSerializer,
        responses=MOVE,
    )
    @action(detail=True, methods=["post"])
    def sign(self, request: Request, pk: int) -> Response:
        contract = self.get_object()
        contract_permissions.check_party(
            request.user, contract, _("Only a member of one of the parties can sign this contract.")
        )
        ser = SignSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        services.sign_with_password(
            contract,
            actor=request.user,
            password=ser.validated_data["password"],
            address=client_address(request),
        )
        return self._detail(contract)

    def _clauses(self, contract: Contract) -> Any:
        versions: dict[str, list[ClauseVersion]] = {}
        for v in contract.clause_versions.select_related("edited_by").order_by("key", "-version"):
            versions.setdefault(v.key, []).append(v)
        clauses = contract.clauses.select_related("edited_by")
        return ClauseSerializer(clauses, many=True, context={"versions": versions}).data

    @extend_schema(
        tags=[TAG],
        summary="The contract's clauses with every version",
        responses={200: ClauseSerializer(many=True), **error_responses(401, 404)},
    )
    @action(detail=True, methods=["get"], url_path="clauses", pagination_class=None)
    def clauses(self, request: Request, pk: int) -> Response:
        return Response(self._clauses(self.get_object()))

    @extend_schema(
        tags=[TAG],
        summary="Rewrite one clause of a draft (either party); voids signatures given to the old text",
        request=ClauseEditSerializer,
        responses={200: ClauseEditResultSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["patch"], url_path=r"clauses/(?P<key>[a-z_]+)", url_name="clause")
    def clause(self, request: Request, pk: int, key: str) -> Response:
        contract = self.get_object()
        contract_permissions.check_edit(request.user, contract)
        ser = ClauseEditSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        if "text" not in d and "dispute_method" not in d and "dispute_venue" not in d:
            raise exceptions.ValidationError({"text": [_("Send the new text of the clause.")]})
        clause = services.edit_clause(
            contract,
            actor=request.user,
            key=key,
            text=d.get("text"),
            dispute_method=d.get("dispute_method"),
            dispute_venue=d.get("dispute_venue"),
        )
        versions = {
            key: list(
                contract.clause_versions.filter(key=key).select_related("edited_by").order_by("-version")
            )
        }
        sides = getattr(contract, "voided_sides", [])
        return Response(
            {
                "clause": ClauseSerializer(clause, context={"versions": versions}).data,
                "signatures_voided": sides,
                "message": services.voided_message(sides, contract.title),
            }
        )

    @extend_schema(
        tags=[TAG],
        summary="Declare the contract performed (either party); it is closed",
        request=PerformedSerializer,
        responses=MOVE,
    )
    @action(detail=True, methods=["post"])
    def performed(self, request: Request, pk: int) -> Response:
        contract = self.get_object()
        ser = PerformedSerializer(data=request.data or {})
        ser.is_valid(raise_exception=True)
        services.mark_performed(contract, actor=request.user, note=ser.validated_data["note"])
        return self._detail(contract)

    @extend_schema(tags=[TAG], summary="Submit for registration (seller side)", request=None, responses=MOVE)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: int) -> Response:
        contract = self.get_object()
        services.submit_for_registration(contract, actor=request.user)
        return self._detail(contract)

    @extend_schema(
        tags=[TAG],
        summary="Amend a signed contract (new draft version)",
        request=None,
        responses={201: ContractDetailSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def amend(self, request: Request, pk: int) -> Response:
        new = services.amend_contract(self.get_object(), actor=request.user)
        resp = self._detail(new)
        resp.status_code = status.HTTP_201_CREATED
        return resp

    @extend_schema(
        tags=[TAG],
        summary="Record a payment",
        request=PaymentInSerializer,
        responses={201: PaymentSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def payments(self, request: Request, pk: int) -> Response:
        contract = self.get_object()
        contract_permissions.check_party(request.user, contract)
        ser = PaymentInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        payment = services.record_payment(
            contract, actor=request.user, paid_on=d["paid_on"], amount=d["amount"], note=d.get("note", "")
        )
        return Response(PaymentSerializer(payment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=[TAG], summary="Register (registry officers)", request=RegisterSerializer, responses=MOVE
    )
    @action(detail=True, methods=["post"])
    def register(self, request: Request, pk: int) -> Response:
        contract = self.get_object()
        contract_permissions.check_register(request.user, contract)
        ser = RegisterSerializer(data=request.data or {})
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        services.register_contract(
            contract,
            actor=request.user,
            contract_type=d.get("contract_type", ""),
            sub_type=d.get("sub_type", ""),
            technology_amount=d.get("technology_amount"),
            subject_legal_status=d.get("subject_legal_status"),
            carrier_amount=d.get("carrier_amount"),
        )
        return self._detail(contract)

    @extend_schema(
        tags=[TAG],
        summary="Refuse registration with a reason (registry officers)",
        request=RejectSerializer,
        responses=MOVE,
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: int) -> Response:
        contract = self.get_object()
        contract_permissions.check_register(request.user, contract)
        ser = RejectSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        services.reject_registration(contract, actor=request.user, reason=ser.validated_data["reason"])
        return self._detail(contract)


class StatsRowSerializer(serializers.Serializer):
    label = serializers.CharField()  # type: ignore[assignment]
    count = serializers.IntegerField()
    turnover = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    technology = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)


def _public_row(row: dict) -> dict:
    """Amounts of groups smaller than ``queries.PUBLIC_MIN_CELL`` are withheld (null), as on the page."""
    if row["count"] < queries.PUBLIC_MIN_CELL:
        return {**row, "turnover": None, "technology": None}
    return row


class StatsSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    turnover = serializers.DecimalField(max_digits=18, decimal_places=2)
    technology = serializers.DecimalField(max_digits=18, decimal_places=2)
    period_start = serializers.DateField(allow_null=True, help_text="first registration date counted")
    period_end = serializers.DateField(help_text="last registration date counted")
    by_month = StatsRowSerializer(many=True)
    by_type = StatsRowSerializer(many=True)
    by_field = StatsRowSerializer(many=True)


class StatisticsView(APIView):
    """Public aggregate figures of registered technology contracts (no single deal is shown: groups of
    fewer than three contracts give their count without amounts)."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=[TAG],
        summary="Technology contract turnover statistics",
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="registration year")],
        responses={200: StatsSerializer},
    )
    def get(self, request: Request) -> Response:
        value = request.query_params.get("year", "").strip()
        year = whole_number(value, 2000, 2100)
        if value and year is None:
            raise exceptions.ValidationError({"year": [_("Enter a year between 2000 and 2100.")]})
        stats = queries.cached_stats(year, ("month", "type", "field"))
        s = stats["summary"]
        tables = {t["key"]: [_public_row(r) for r in t["rows"]] for t in stats["tables"]}
        data = {
            **{k: s[k] for k in ("count", "turnover", "technology", "period_start", "period_end")},
            "by_month": tables["month"],
            "by_type": tables["type"],
            "by_field": tables["field"],
        }
        return Response(StatsSerializer(data).data)
