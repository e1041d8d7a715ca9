"""Technology finance API: investors and products (operators qualify), financing requests (matches,
NDA, business plan, introductions), introductions (consent and the pipeline) and the statistics.

Who sees what follows ``permissions``; every write calls one service, which refuses bad input with the
same translated message as the pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from techbridge.core.api import Pagination, ReadOnlyOrAuthenticated
from techbridge.core.downloads import download_response
from techbridge.core.listing_api import StrictSerializer, error_responses, run_action, service_errors
from techbridge.core.permissions import RolePermission
from techbridge.core.registry import Period
from techbridge.core.roles import is_console_user, is_operator
from techbridge.lib.numbers import whole_number
from techbridge.matching.hybrid import QueryError
from techbridge.organizations.choices import District
from techbridge.taxonomy.models import IndustryField

from . import funding, loans, matching, services, stats
from . import permissions as rules
from .choices import Instrument, InvestorKind, InvestorStatus, PipelineStep, Stage
from .models import (
    MAX_AMOUNT,
    MAX_PANEL,
    MAX_PLEDGED,
    FinancingRequest,
    Fund,
    FundApplication,
    FundCall,
    Introduction,
    Investor,
    LoanApplication,
    NdaAcceptance,
    Product,
)
from .services import MAX_FIELDS

TAG = "finance"


def _amount(**kw: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0, max_value=MAX_AMOUNT, **kw)


@contextmanager
def refusals() -> Iterator[None]:
    """A query the matching engine cannot search becomes a 400 with its message."""
    try:
        yield
    except QueryError as exc:
        raise exceptions.ValidationError({"detail": exc.message}) from exc


class FinanceProductSerializer(serializers.ModelSerializer):
    class Meta:
        model = Product
        fields = [
            "id",
            "name",
            "instrument",
            "summary",
            "amount_min",
            "amount_max",
            "term_months",
            "rate_note",
            "is_active",
        ]
        read_only_fields = fields


class FinanceInvestorSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.name", read_only=True)
    fields: Any = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    products = FinanceProductSerializer(many=True, read_only=True)

    class Meta:
        model = Investor
        fields = [
            "id",
            "name",
            "kind",
            "organization",
            "summary",
            "fields",
            "stages",
            "instruments",
            "districts",
            "ticket_min",
            "ticket_max",
            "status",
            "reject_reason",
            "products",
            "is_demo",
        ]
        read_only_fields = fields


def _choices_list(choices: Any, help_text: str) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.ChoiceField(choices=choices),
        required=False,
        max_length=len(choices),
        help_text=help_text,
    )


class FinanceInvestorWriteSerializer(StrictSerializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=InvestorKind.choices)
    summary = serializers.CharField(max_length=2000)
    fields: Any = serializers.ListField(
        child=serializers.SlugField(max_length=32),
        required=False,
        max_length=MAX_FIELDS,
        help_text="Industry field codes.",
    )

    def validate_fields(self, codes: list[str]) -> list[IndustryField]:
        rows = {f.code: f for f in IndustryField.objects.filter(code__in=codes)}
        unknown = [c for c in codes if c not in rows]
        if unknown:
            raise serializers.ValidationError(
                _("Unknown industry fields: %(codes)s") % {"codes": "、".join(unknown)}
            )
        return [rows[c] for c in dict.fromkeys(codes)]

    stages = _choices_list(Stage.choices, "Stages invested in; empty: any.")
    instruments = _choices_list(Instrument.choices, "Instruments offered.")
    districts = _choices_list(District.choices, "Districts covered; empty: the whole city.")
    ticket_min = _amount()
    ticket_max = _amount()


class FinanceProductWriteSerializer(StrictSerializer):
    name = serializers.CharField(max_length=200)
    instrument = serializers.ChoiceField(choices=Instrument.choices)
    summary = serializers.CharField(max_length=2000)
    amount_min = _amount()
    amount_max = _amount()
    term_months = serializers.IntegerField(min_value=1, max_value=360, required=False, allow_null=True)
    rate_note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class FinanceReasonSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=500)


class FinanceMatchSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    score = serializers.FloatField(help_text="0–1: text closeness and the structured fit together")
    text = serializers.FloatField(help_text="closeness of the texts, 0–1 (the best text hit is 1)")
    parts = serializers.DictField(
        child=serializers.FloatField(), help_text="fields, stage, ticket, instrument, district: 0–1 each"
    )
    reasons = serializers.ListField(child=serializers.CharField())
    product = serializers.IntegerField(allow_null=True, help_text="the best fitting product, if any")


def _match_rows(matches: list[matching.Match]) -> list[dict[str, Any]]:
    rows = matching.as_rows(matches)
    for row, m in zip(rows, matches, strict=True):
        row["name"] = getattr(m.object, "name", None) or m.object.title
    return rows


@extend_schema_view(
    list=extend_schema(tags=[TAG]),
    retrieve=extend_schema(
        tags=[TAG], responses={200: FinanceInvestorSerializer, **error_responses(401, 403, 404)}
    ),
)
class InvestorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Qualified investors are public; an organisation sees its own profiles; console users see all."""

    serializer_class = FinanceInvestorSerializer
    pagination_class = Pagination
    permission_classes = [ReadOnlyOrAuthenticated]

    def get_queryset(self) -> Any:
        return (
            rules.visible_investors(self.request.user)
            .select_related("organization")
            .prefetch_related("fields", Prefetch("products", queryset=Product.objects.order_by("pk")))
            .order_by("name", "pk")
        )

    @extend_schema(
        tags=[TAG],
        request=FinanceInvestorWriteSerializer,
        responses={201: FinanceInvestorSerializer, **error_responses(400, 401, 403)},
    )
    def create(self, request: Request) -> Response:
        rules.check_create_investor(request.user)
        s = FinanceInvestorWriteSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        data = dict(s.validated_data)
        fields = data.pop("fields", [])
        with service_errors():
            inv = services.create_investor(actor=request.user, data=data, fields=fields)
        return Response(FinanceInvestorSerializer(inv).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=[TAG],
        request=None,
        responses={200: FinanceInvestorSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def qualify(self, request: Request, pk: str) -> Response:
        rules.check_qualify(request.user)
        inv = self.get_object()
        with service_errors():
            services.qualify_investor(inv, actor=request.user)
        return Response(FinanceInvestorSerializer(inv).data)

    @extend_schema(
        tags=[TAG],
        request=FinanceReasonSerializer,
        responses={200: FinanceInvestorSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        rules.check_qualify(request.user)
        inv = self.get_object()
        s = FinanceReasonSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        with service_errors():
            services.reject_investor(inv, actor=request.user, reason=s.validated_data["reason"])
        return Response(FinanceInvestorSerializer(inv).data)

    @extend_schema(
        tags=[TAG],
        request=FinanceProductWriteSerializer,
        responses={201: FinanceProductSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def products(self, request: Request, pk: str) -> Response:
        return run_action(
            request,
            self.get_object(),
            check=rules.check_manage_investor,
            body=FinanceProductWriteSerializer,
            service=lambda inv, *, actor, **data: services.add_product(inv, actor=actor, data=data),
            out=FinanceProductSerializer,
            reply="result",
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        tags=[TAG], responses={200: FinanceMatchSerializer(many=True), **error_responses(401, 403, 404)}
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def matches(self, request: Request, pk: str) -> Response:
        """Open financing requests that match this investor (its own people only), with the reasons."""
        inv = self.get_object()
        rules.check_manage_investor(request.user, inv)
        if inv.status != InvestorStatus.QUALIFIED:
            rules.deny(_("Only a qualified investor is matched."))
        return Response(_match_rows(matching.requests_for(inv, k=20)))


class FinancingRequestSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.name", read_only=True)
    fields: Any = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    use_of_funds = serializers.SerializerMethodField()
    has_business_plan = serializers.SerializerMethodField()

    class Meta:
        model = FinancingRequest
        fields = [
            "id",
            "title",
            "organization",
            "summary",
            "amount",
            "stage",
            "instrument",
            "district",
            "fields",
            "valuation",
            "valuation_report",
            "use_of_funds",
            "has_business_plan",
            "status",
            "created_at",
            "funded_at",
            "is_demo",
        ]
        read_only_fields = fields

    def get_use_of_funds(self, req: FinancingRequest) -> str | None:
        """Shown after the NDA (to the requesting organisation always)."""
        user = self.context["request"].user
        ndas = self.context.get("nda_requests")
        if ndas is None:
            return req.use_of_funds if rules.can_read_plan(user, req) else None
        return req.use_of_funds if rules.can_edit_request(user, req) or req.pk in ndas else None

    def get_has_business_plan(self, req: FinancingRequest) -> bool:
        return bool(req.business_plan)


class FinancingRequestWriteSerializer(StrictSerializer):
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(max_length=3000)
    amount = _amount()
    stage = serializers.ChoiceField(choices=Stage.choices)
    instrument = serializers.ChoiceField(choices=Instrument.choices)
    district = serializers.ChoiceField(choices=District.choices, required=False)
    use_of_funds = serializers.CharField(max_length=2000)
    valuation = _amount(required=False, allow_null=True)
    fields: Any = serializers.ListField(
        child=serializers.SlugField(max_length=32),
        required=False,
        max_length=MAX_FIELDS,
        help_text="Industry field codes.",
    )

    def validate_fields(self, codes: list[str]) -> list[IndustryField]:
        rows = {f.code: f for f in IndustryField.objects.filter(code__in=codes)}
        unknown = [c for c in codes if c not in rows]
        if unknown:
            raise serializers.ValidationError(
                _("Unknown industry fields: %(codes)s") % {"codes": "、".join(unknown)}
            )
        return [rows[c] for c in dict.fromkeys(codes)]


class FinanceIntroduceSerializer(StrictSerializer):
    investor = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="The enterprise names a qualified investor; an investor's person leaves it out.",
    )
    product = serializers.IntegerField(min_value=1, required=False, allow_null=True)


class FinanceIntroductionSerializer(serializers.ModelSerializer):
    request_title = serializers.CharField(source="request.title", read_only=True)
    investor_name = serializers.CharField(source="investor.name", read_only=True)

    class Meta:
        model = Introduction
        fields = [
            "id",
            "request",
            "request_title",
            "investor",
            "investor_name",
            "product",
            "proposed_by",
            "score",
            "reasons",
            "enterprise_consent_at",
            "investor_consent_at",
            "status",
            "term_sheet_amount",
            "amount",
            "note",
            "closed_at",
            "created_at",
            "is_demo",
        ]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(tags=[TAG]),
    retrieve=extend_schema(
        tags=[TAG], responses={200: FinancingRequestSerializer, **error_responses(401, 403, 404)}
    ),
)
class FinancingRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Financing requests: the organisation's own, every open one for qualified investors, all for
    console users."""

    serializer_class = FinancingRequestSerializer
    pagination_class = Pagination
    permission_classes = [permissions.IsAuthenticated]

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        if self.action == "list":
            context["nda_requests"] = set(
                NdaAcceptance.objects.filter(
                    investor__in=rules.qualified_investors_of(self.request.user)
                ).values_list("request_id", flat=True)
            )
        return context

    def get_queryset(self) -> Any:
        return (
            rules.visible_requests(self.request.user)
            .select_related("organization")
            .prefetch_related("fields")
            .order_by("-created_at", "-pk")
        )

    @extend_schema(
        tags=[TAG],
        request=FinancingRequestWriteSerializer,
        responses={201: FinancingRequestSerializer, **error_responses(400, 401, 403)},
    )
    def create(self, request: Request) -> Response:
        rules.check_post_request(request.user)
        s = FinancingRequestWriteSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        data = dict(s.validated_data)
        fields = data.pop("fields", [])
        with service_errors():
            req = services.create_request(actor=request.user, data=data, fields=fields)
        return Response(
            FinancingRequestSerializer(req, context={"request": request}).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        tags=[TAG], responses={200: FinanceMatchSerializer(many=True), **error_responses(400, 401, 403, 404)}
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def matches(self, request: Request, pk: str) -> Response:
        """Qualified investors (and their fitting products) that match this request, with the reasons;
        for the requesting organisation."""
        req = self.get_object()
        rules.check_edit_request(request.user, req)
        with refusals():
            return Response(_match_rows(matching.investors_for(req, k=10)))

    @extend_schema(
        tags=[TAG],
        request=None,
        responses={200: FinancingRequestSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def nda(self, request: Request, pk: str) -> Response:
        req = self.get_object()
        with service_errors():
            services.accept_nda(req, actor=request.user)
        return Response(FinancingRequestSerializer(req, context={"request": request}).data)

    @extend_schema(
        tags=[TAG],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, **error_responses(401, 403, 404)},
    )
    @action(detail=True, methods=["get"])
    def plan(self, request: Request, pk: str) -> HttpResponse:
        """The business plan, after the NDA."""
        req = self.get_object()
        rules.check_read_plan(request.user, req)
        if not req.business_plan:
            raise Http404
        with req.business_plan.open("rb") as fh:
            content = fh.read()
        name = (req.business_plan.name or "").rsplit("/", 1)[-1]
        return download_response(
            content, name, content_type="application/octet-stream", fallback="business-plan"
        )

    @extend_schema(
        tags=[TAG],
        request=None,
        responses={200: FinancingRequestSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        req = self.get_object()
        rules.check_edit_request(request.user, req)
        with service_errors():
            services.withdraw_request(req, actor=request.user)
        return Response(FinancingRequestSerializer(req, context={"request": request}).data)

    @extend_schema(
        tags=[TAG],
        request=FinanceIntroduceSerializer,
        responses={201: FinanceIntroductionSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def introduce(self, request: Request, pk: str) -> Response:
        """Ask for an introduction (your side's consent): the enterprise names an investor; an investor's
        person asks for their own qualified investor."""
        req = self.get_object()
        user = request.user
        s = FinanceIntroduceSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        if rules.can_edit_request(user, req):
            investor = Investor.objects.filter(
                pk=s.validated_data.get("investor") or 0, status=InvestorStatus.QUALIFIED
            ).first()
            if investor is None:
                raise exceptions.ValidationError({"detail": _("Choose one of the matched investors.")})
        else:
            investor = rules.qualified_investors_of(user).first()
            if investor is None:
                rules.deny(
                    _("Only the requesting enterprise or the investor's own people ask for an introduction.")
                )
        product = None
        if s.validated_data.get("product"):
            product = Product.objects.filter(pk=s.validated_data["product"]).first()
            if product is None:
                raise exceptions.ValidationError(
                    {"detail": _("Choose one of this investor's products on offer.")}
                )
        with service_errors():
            intro = services.propose_introduction(req, investor, actor=user, product=product)
        return Response(FinanceIntroductionSerializer(intro).data, status=status.HTTP_201_CREATED)


class FinanceAdvanceSerializer(StrictSerializer):
    step = serializers.ChoiceField(choices=PipelineStep.choices)
    amount = _amount(required=False, allow_null=True)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


@extend_schema_view(
    list=extend_schema(tags=[TAG]),
    retrieve=extend_schema(
        tags=[TAG], responses={200: FinanceIntroductionSerializer, **error_responses(401, 403, 404)}
    ),
)
class IntroductionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Introductions of the user's organisation (either side); console users see all."""

    serializer_class = FinanceIntroductionSerializer
    pagination_class = Pagination
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self) -> Any:
        return (
            rules.visible_introductions(self.request.user)
            .select_related("request", "investor", "request__organization", "investor__organization")
            .order_by("-updated_at", "-pk")
        )

    @extend_schema(
        tags=[TAG],
        request=None,
        responses={200: FinanceIntroductionSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def consent(self, request: Request, pk: str) -> Response:
        intro = self.get_object()
        rules.check_side(request.user, intro)
        with service_errors():
            services.consent(intro, actor=request.user)
        return Response(FinanceIntroductionSerializer(intro).data)

    @extend_schema(
        tags=[TAG],
        request=FinanceAdvanceSerializer,
        responses={200: FinanceIntroductionSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def advance(self, request: Request, pk: str) -> Response:
        """The next ``step``: meeting, term_sheet (amount), invested / lent (amount, by the investor),
        declined (note)."""
        intro = self.get_object()
        rules.check_side(request.user, intro)
        s = FinanceAdvanceSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        with service_errors():
            services.advance(
                intro, d["step"], actor=request.user, amount=d.get("amount"), note=d.get("note") or ""
            )
        return Response(FinanceIntroductionSerializer(intro).data)


class FinanceStatsRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    amount = serializers.DecimalField(max_digits=18, decimal_places=2)
    count = serializers.IntegerField()


class FinanceStatsSerializer(serializers.Serializer):
    total_amount = serializers.DecimalField(max_digits=18, decimal_places=2)
    count = serializers.IntegerField()
    median_days_to_funding = serializers.FloatField(allow_null=True)
    by_field = FinanceStatsRowSerializer(many=True)
    by_district = FinanceStatsRowSerializer(many=True)
    by_stage = FinanceStatsRowSerializer(many=True)
    by_instrument = FinanceStatsRowSerializer(many=True)


class FinanceStatsView(APIView):
    """Capital invested or lent per field, district, stage and instrument; median days to funding."""

    permission_classes = [RolePermission.of(is_console_user)]

    @extend_schema(
        tags=[TAG],
        parameters=[
            OpenApiParameter("year", int, description="Only financings closed in this year (2000–2100).")
        ],
        responses={200: FinanceStatsSerializer, **error_responses(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        raw = request.query_params.get("year")
        year = whole_number(raw, 2000, 2100) if raw not in (None, "") else None
        if raw not in (None, "") and year is None:
            raise exceptions.ValidationError(
                {"detail": _("The year must be a whole number from 2000 to 2100.")}
            )
        data = stats.breakdown(Period.year(year) if year else None)
        return Response(FinanceStatsSerializer(data).data)


class FinanceLoanSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.name", read_only=True)
    bank = serializers.CharField(source="product.investor.name", read_only=True)
    patents = serializers.SerializerMethodField()

    class Meta:
        model = LoanApplication
        fields = [
            "id",
            "organization",
            "product",
            "bank",
            "amount",
            "term_months",
            "purpose",
            "patents",
            "valuation_report",
            "status",
            "approved_amount",
            "decision_note",
            "decided_at",
            "pledge_number",
            "registered_at",
            "outstanding",
            "repaid_at",
            "created_at",
            "is_demo",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_patents(self, loan: LoanApplication) -> list[dict[str, Any]]:
        """Each pledged patent with its legal status and the days of protection left today."""
        from django.utils import timezone

        from techbridge.ipservices.terms import remaining_days

        today = timezone.localdate()
        return [
            {
                "id": p.pk,
                "number": p.grant_number or p.publication_number or p.application_number,
                "title": p.title,
                "legal_status": p.legal_status,
                "expiry_date": p.expiry_date,
                "days_left": remaining_days(p.expiry_date, today),
            }
            for p in loan.patents.all()
        ]


class FinanceLoanWriteSerializer(StrictSerializer):
    product = serializers.IntegerField(min_value=1)
    amount = _amount()
    term_months = serializers.IntegerField(min_value=1, max_value=120)
    purpose = serializers.CharField(max_length=2000)
    patents = serializers.ListField(
        child=serializers.IntegerField(min_value=1), min_length=1, max_length=MAX_PLEDGED
    )
    valuation_report = serializers.IntegerField(min_value=1, required=False, allow_null=True)


class FinanceDecideSerializer(StrictSerializer):
    approve = serializers.BooleanField()
    amount = _amount(required=False, allow_null=True)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class FinancePledgeSerializer(StrictSerializer):
    number = serializers.CharField(max_length=50)


class FinanceRepaymentSerializer(StrictSerializer):
    amount = _amount()


@extend_schema_view(
    list=extend_schema(tags=[TAG]),
    retrieve=extend_schema(
        tags=[TAG], responses={200: FinanceLoanSerializer, **error_responses(401, 403, 404)}
    ),
)
class LoanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """IP-pledge loan applications: the applicant's and, for a bank, those to its products."""

    serializer_class = FinanceLoanSerializer
    pagination_class = Pagination
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self) -> Any:
        return (
            LoanApplication.objects.filter(loans.loans_visible_q(self.request.user))
            .select_related("organization", "product", "product__investor")
            .prefetch_related("patents")
            .order_by("-created_at", "-pk")
        )

    @extend_schema(
        tags=[TAG],
        request=FinanceLoanWriteSerializer,
        responses={201: FinanceLoanSerializer, **error_responses(400, 401, 403)},
    )
    def create(self, request: Request) -> Response:
        """Apply: every pledged patent must be yours, granted and protected longer than the term."""
        from techbridge.ipservices.models import Patent
        from techbridge.valuation.models import Valuation

        rules.check_post_request(request.user)
        s = FinanceLoanWriteSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        product = loans.ip_loan_products().filter(pk=d["product"]).first()
        if product is None:
            raise exceptions.ValidationError({"product": [_("Choose an IP-pledge loan product on offer.")]})
        patents = list(Patent.objects.filter(pk__in=d["patents"]))
        if len(patents) != len(set(d["patents"])):
            raise exceptions.ValidationError({"patents": [_("Some patents are not in the patent register.")]})
        report = None
        if d.get("valuation_report"):
            report = Valuation.objects.filter(pk=d["valuation_report"]).first()
            if report is None:
                raise exceptions.ValidationError({"valuation_report": [_("No such valuation report.")]})
        with service_errors():
            loan = loans.apply(
                actor=request.user,
                product=product,
                amount=d["amount"],
                term_months=d["term_months"],
                purpose=d["purpose"],
                patents=patents,
                valuation_report=report,
            )
        return Response(FinanceLoanSerializer(loan).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=[TAG],
        request=FinanceDecideSerializer,
        responses={200: FinanceLoanSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        loan = self.get_object()
        loans.check_bank(request.user, loan)
        s = FinanceDecideSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        with service_errors():
            loans.decide(
                loan,
                actor=request.user,
                approve=d["approve"],
                amount=d.get("amount"),
                note=d.get("note") or "",
            )
        return Response(FinanceLoanSerializer(loan).data)

    @extend_schema(
        tags=[TAG],
        request=FinancePledgeSerializer,
        responses={200: FinanceLoanSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def register(self, request: Request, pk: str) -> Response:
        return run_action(
            request,
            self.get_object(),
            check=loans.check_bank,
            body=FinancePledgeSerializer,
            service=loans.register_pledge,
            out=FinanceLoanSerializer,
        )

    @extend_schema(
        tags=[TAG],
        request=FinanceRepaymentSerializer,
        responses={200: FinanceLoanSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def repay(self, request: Request, pk: str) -> Response:
        return run_action(
            request,
            self.get_object(),
            check=loans.check_bank,
            body=FinanceRepaymentSerializer,
            service=loans.record_repayment,
            out=FinanceLoanSerializer,
        )


class FundSerializer(serializers.ModelSerializer):
    sponsor_name = serializers.CharField(source="sponsor.name", read_only=True)
    fields: Any = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Fund
        fields = ["id", "name", "sponsor", "sponsor_name", "size", "rules", "fields", "is_demo"]
        read_only_fields = fields


class FundWriteSerializer(StrictSerializer):
    name = serializers.CharField(max_length=200)
    sponsor = serializers.IntegerField(min_value=1)
    size = _amount()
    rules = serializers.CharField(max_length=3000)
    fields: Any = serializers.ListField(
        child=serializers.SlugField(max_length=32), required=False, max_length=MAX_FIELDS
    )


class FundCallSerializer(serializers.ModelSerializer):
    fund_name = serializers.CharField(source="fund.name", read_only=True)

    class Meta:
        model = FundCall
        fields = [
            "id",
            "fund",
            "fund_name",
            "title",
            "summary",
            "closes_on",
            "max_award",
            "panel_size",
            "status",
            "is_demo",
        ]
        read_only_fields = fields


class FundCallWriteSerializer(StrictSerializer):
    fund = serializers.IntegerField(min_value=1)
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(max_length=3000)
    closes_on = serializers.DateField()
    max_award = _amount()
    panel_size = serializers.IntegerField(min_value=1, max_value=MAX_PANEL, required=False)


class FundApplicationWriteSerializer(StrictSerializer):
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(max_length=3000)
    amount = _amount()
    fields: Any = serializers.ListField(
        child=serializers.SlugField(max_length=32), required=False, max_length=MAX_FIELDS
    )


class FundApplicationSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    seats = serializers.SerializerMethodField()
    tranches = serializers.SerializerMethodField()

    class Meta:
        model = FundApplication
        fields = [
            "id",
            "call",
            "organization_name",
            "title",
            "summary",
            "amount",
            "checks",
            "status",
            "award_amount",
            "decision_note",
            "decided_at",
            "seats",
            "tranches",
            "created_at",
            "is_demo",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_seats(self, app: FundApplication) -> list[dict[str, Any]]:
        """The panel: scores are shown to operators and panel members, and to all once decided."""
        user = self.context["request"].user
        open_scores = (
            is_operator(user)
            or app.status in ("awarded", "rejected")
            or any(s.expert.user_id == user.pk for s in app.seats.all())
        )
        return [
            {
                "expert": s.expert_id,
                "scored": s.scored_at is not None,
                "score": s.score if open_scores else None,
            }
            for s in app.seats.all()
        ]

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_tranches(self, app: FundApplication) -> list[dict[str, Any]]:
        return [
            {
                "number": t.number,
                "milestone": t.milestone,
                "amount": str(t.amount),
                "disbursed_at": t.disbursed_at,
            }
            for t in app.tranches.all()
        ]


def _field_rows(codes: list[str]) -> list[IndustryField]:
    rows = {f.code: f for f in IndustryField.objects.filter(code__in=codes)}
    unknown = [c for c in codes if c not in rows]
    if unknown:
        raise exceptions.ValidationError(
            {"fields": [_("Unknown industry fields: %(codes)s") % {"codes": "、".join(unknown)}]}
        )
    return [rows[c] for c in dict.fromkeys(codes)]


@extend_schema_view(list=extend_schema(tags=[TAG]))
class FundViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Conversion and guidance funds (public); operators set them up."""

    serializer_class = FundSerializer
    pagination_class = Pagination
    permission_classes = [ReadOnlyOrAuthenticated]
    queryset = Fund.objects.select_related("sponsor").prefetch_related("fields").order_by("name", "pk")

    @extend_schema(
        tags=[TAG],
        request=FundWriteSerializer,
        responses={201: FundSerializer, **error_responses(400, 401, 403)},
    )
    def create(self, request: Request) -> Response:
        from techbridge.organizations.models import Organization

        funding.check_operator(request.user)
        s = FundWriteSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = dict(s.validated_data)
        fields = _field_rows(d.pop("fields", []))
        sponsor = Organization.objects.filter(pk=d.pop("sponsor")).first()
        if sponsor is None:
            raise exceptions.ValidationError({"sponsor": [_("No such organisation.")]})
        with service_errors():
            fund = funding.create_fund(actor=request.user, data={**d, "sponsor": sponsor}, fields=fields)
        return Response(FundSerializer(fund).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(tags=[TAG]),
    retrieve=extend_schema(tags=[TAG], responses={200: FundCallSerializer, **error_responses(404)}),
)
class FundCallViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Calls for applications (public); operators open them; members of an enterprise, university or
    institute apply."""

    serializer_class = FundCallSerializer
    pagination_class = Pagination
    permission_classes = [ReadOnlyOrAuthenticated]
    queryset = FundCall.objects.select_related("fund").order_by("-created_at", "-pk")

    @extend_schema(
        tags=[TAG],
        request=FundCallWriteSerializer,
        responses={201: FundCallSerializer, **error_responses(400, 401, 403)},
    )
    def create(self, request: Request) -> Response:
        funding.check_operator(request.user)
        s = FundCallWriteSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = dict(s.validated_data)
        fund = Fund.objects.filter(pk=d.pop("fund")).first()
        if fund is None:
            raise exceptions.ValidationError({"fund": [_("No such fund.")]})
        with service_errors():
            call = funding.open_call(fund, actor=request.user, data=d)
        return Response(FundCallSerializer(call).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=[TAG],
        request=FundApplicationWriteSerializer,
        responses={201: FundApplicationSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def apply(self, request: Request, pk: str) -> Response:
        """Apply; the eligibility checks run at once (an ineligible application is kept with its checks)."""
        call = self.get_object()
        rules.check_post_request(request.user)
        s = FundApplicationWriteSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = dict(s.validated_data)
        fields = _field_rows(d.pop("fields", []))
        with service_errors():
            app = funding.apply(call, actor=request.user, data=d, fields=fields)
        return Response(
            FundApplicationSerializer(app, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class FundScoreSerializer(StrictSerializer):
    score = serializers.IntegerField(min_value=0, max_value=100)
    comment = serializers.CharField(max_length=1000, required=False, allow_blank=True)


class FundTrancheSerializer(StrictSerializer):
    milestone = serializers.CharField(max_length=300)
    amount = _amount()


class FundDecisionSerializer(StrictSerializer):
    award = serializers.BooleanField()
    amount = _amount(required=False, allow_null=True)
    tranches = FundTrancheSerializer(many=True, required=False, max_length=10)  # type: ignore[call-arg]
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class FundDisburseSerializer(StrictSerializer):
    number = serializers.IntegerField(min_value=1, max_value=10)
    evidence = serializers.CharField(max_length=500)


@extend_schema_view(
    list=extend_schema(tags=[TAG]),
    retrieve=extend_schema(
        tags=[TAG], responses={200: FundApplicationSerializer, **error_responses(401, 403, 404)}
    ),
)
class FundApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Fund applications: the applicant's, the panel members', all for console users."""

    serializer_class = FundApplicationSerializer
    pagination_class = Pagination
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self) -> Any:
        return (
            FundApplication.objects.filter(funding.applications_visible_q(self.request.user))
            .distinct()
            .select_related("organization", "call")
            .prefetch_related("seats__expert", "tranches")
            .order_by("-created_at", "-pk")
        )

    def _fresh(self, app: FundApplication, request: Request) -> Response:
        """The application as it is now (the panel and tranches just written, not the prefetched ones)."""
        fresh = self.get_queryset().get(pk=app.pk)
        return Response(FundApplicationSerializer(fresh, context={"request": request}).data)

    @extend_schema(
        tags=[TAG],
        request=None,
        responses={200: FundApplicationSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def panel(self, request: Request, pk: str) -> Response:
        funding.check_operator(request.user)
        app = self.get_object()
        with service_errors():
            funding.draw_panel(app, actor=request.user)
        return self._fresh(app, request)

    @extend_schema(
        tags=[TAG],
        request=FundScoreSerializer,
        responses={200: FundApplicationSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def score(self, request: Request, pk: str) -> Response:
        app = self.get_object()
        if funding.seat_of(request.user, app) is None:
            rules.deny(_("Only the experts on this application's panel score it."))
        s = FundScoreSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        with service_errors():
            funding.score(
                app,
                actor=request.user,
                value=s.validated_data["score"],
                comment=s.validated_data.get("comment", ""),
            )
        return self._fresh(app, request)

    @extend_schema(
        tags=[TAG],
        request=FundDecisionSerializer,
        responses={200: FundApplicationSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        funding.check_operator(request.user)
        app = self.get_object()
        s = FundDecisionSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        tranches = [(t["milestone"], t["amount"]) for t in d.get("tranches") or []]
        with service_errors():
            funding.decide(
                app,
                actor=request.user,
                award=d["award"],
                amount=d.get("amount"),
                tranches=tranches,
                note=d.get("note") or "",
            )
        return self._fresh(app, request)

    @extend_schema(
        tags=[TAG],
        request=FundDisburseSerializer,
        responses={200: FundApplicationSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def disburse(self, request: Request, pk: str) -> Response:
        funding.check_operator(request.user)
        app = self.get_object()
        s = FundDisburseSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        with service_errors():
            funding.disburse(
                app, s.validated_data["number"], actor=request.user, evidence=s.validated_data["evidence"]
            )
        return self._fresh(app, request)
