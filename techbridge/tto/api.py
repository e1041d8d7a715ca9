"""REST API of the technology-transfer office's workbench (/api/v1/tto/…).

Disclosures are seen only by their office and inventors (others get 404); the office's moves answer 403
to inventors. Declared open licences are public; a licence is taken by notice by an approved organisation.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from techbridge.core.api import Pagination
from techbridge.core.listing_api import StrictJSONParser, StrictSerializer, error_responses, service_errors

from . import services
from .choices import DECISIONS, ActionKind, AnnuityChoice, IncomeKind, PatentKind
from .models import (
    MAX_FUNDING,
    MAX_INVENTORS,
    AnnualReport,
    Disclosure,
    Distribution,
    OpenLicence,
    PatentApplication,
)
from .permissions import (
    DISCLOSE_MESSAGE,
    OFFICE_MESSAGE,
    disclosure_for,
    is_office,
    is_office_of,
    is_researcher,
    licence_for,
    may_take_licence,
    office_case_for,
    public_licences,
    visible_disclosures,
)

TAG = "Technology transfer office"


class InventorSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    share = serializers.DecimalField(max_digits=5, decimal_places=2)
    username = serializers.CharField(max_length=150, required=False, allow_blank=True)


class FundingSerializer(serializers.Serializer):
    funder = serializers.CharField(max_length=200)
    grant_number = serializers.CharField(max_length=100, required=False, allow_blank=True)
    obligations = serializers.CharField(max_length=1000, required=False, allow_blank=True)


class DisclosureSerializer(serializers.ModelSerializer):
    inventors = serializers.SerializerMethodField()
    funding = FundingSerializer(many=True, read_only=True)
    score = serializers.IntegerField(read_only=True, allow_null=True)
    achievement: Any = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Disclosure
        fields = [
            "id",
            "number",
            "title",
            "summary",
            "detail",
            "prior_disclosures",
            "commercial_notes",
            "status",
            "inventors",
            "funding",
            "score_novelty",
            "score_market",
            "score_maturity",
            "score_protectability",
            "score",
            "assessment_note",
            "decision_reasons",
            "decided_at",
            "achievement",
            "created_at",
            "submitted_at",
            "is_demo",
        ]
        read_only_fields = fields

    @extend_schema_field(InventorSerializer(many=True))
    def get_inventors(self, obj: Disclosure) -> list[dict[str, Any]]:
        return [{"name": i.name, "share": str(i.share)} for i in obj.inventors.all()]


class DisclosureInputSerializer(StrictSerializer):
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(max_length=2000)
    detail = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    prior_disclosures = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    commercial_notes = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    inventors = serializers.ListField(child=InventorSerializer(), min_length=1, max_length=MAX_INVENTORS)
    funding = serializers.ListField(child=FundingSerializer(), max_length=MAX_FUNDING, required=False)


class AssessSerializer(StrictSerializer):
    score_novelty = serializers.IntegerField(min_value=0, max_value=5)
    score_market = serializers.IntegerField(min_value=0, max_value=5)
    score_maturity = serializers.IntegerField(min_value=0, max_value=5)
    score_protectability = serializers.IntegerField(min_value=0, max_value=5)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    experts = serializers.ListField(child=serializers.IntegerField(), max_length=20, required=False)


class DisclosureDecisionSerializer(StrictSerializer):
    decision = serializers.ChoiceField(choices=[(d.value, d.label) for d in DECISIONS])
    reasons = serializers.CharField(max_length=2000)


class ApplicationInputSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=PatentKind.choices)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    application_number = serializers.CharField(max_length=30)
    agency = serializers.CharField(max_length=200, required=False, allow_blank=True)
    filing_date = serializers.DateField()
    official_fees = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, required=False)
    agency_fees = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, required=False)


class DeadlineSerializer(serializers.Serializer):
    what = serializers.CharField(source="label")
    due = serializers.DateField()


class ApplicationSerializer(serializers.ModelSerializer):
    deadlines = serializers.SerializerMethodField()

    class Meta:
        model = PatentApplication
        fields = [
            "id",
            "disclosure",
            "kind",
            "title",
            "application_number",
            "agency",
            "filing_date",
            "grant_date",
            "examination_requested",
            "official_fees",
            "agency_fees",
            "status",
            "next_deadline",
            "deadlines",
        ]
        read_only_fields = fields

    @extend_schema_field(DeadlineSerializer(many=True))
    def get_deadlines(self, obj: PatentApplication) -> list[dict[str, Any]]:
        return [{"label": str(d.label), "due": d.due} for d in services.deadlines(obj)]


class OfficeActionInputSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=ActionKind.choices)
    issued_on = serializers.DateField()


class GrantInputSerializer(StrictSerializer):
    grant_date = serializers.DateField()


class AnnuityInputSerializer(StrictSerializer):
    decision = serializers.ChoiceField(choices=AnnuityChoice.choices)
    fee = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, required=False)
    reasons = serializers.CharField(max_length=1000, required=False, allow_blank=True)


class DeclareInputSerializer(StrictSerializer):
    royalty_rate = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100)
    entry_fee = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, required=False)
    term_years = serializers.IntegerField(min_value=1, max_value=20)
    payment_terms = serializers.CharField(max_length=1000)


class LicenceSerializer(serializers.ModelSerializer):
    patent_number = serializers.CharField(source="application.application_number", read_only=True)
    patent_title = serializers.CharField(source="application.title", read_only=True)
    holder = serializers.CharField(source="application.disclosure.institution.name", read_only=True)

    class Meta:
        model = OpenLicence
        fields = [
            "id",
            "patent_number",
            "patent_title",
            "holder",
            "royalty_rate",
            "entry_fee",
            "term_years",
            "payment_terms",
            "status",
            "declared_at",
            "is_demo",
        ]
        read_only_fields = fields


class GrantSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    licence = serializers.IntegerField(source="licence_id")
    contract = serializers.CharField(source="contract.number")
    contract_status = serializers.CharField(source="contract.status")


class RoyaltyInputSerializer(StrictSerializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    sales = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)


class RoyaltySerializer(serializers.Serializer):
    year = serializers.IntegerField()
    sales = serializers.DecimalField(max_digits=16, decimal_places=2)
    royalty = serializers.DecimalField(max_digits=16, decimal_places=2)


class IncomeInputSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=IncomeKind.choices)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    received_on = serializers.DateField()
    contract = serializers.IntegerField(required=False, allow_null=True)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class DistributionInputSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=IncomeKind.choices)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    costs = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, required=False)
    costs_note = serializers.CharField(max_length=300, required=False, allow_blank=True)
    percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False
    )
    agreement = serializers.CharField(max_length=300, required=False, allow_blank=True)


class LineSerializer(serializers.Serializer):
    inventor = serializers.CharField(source="inventor.name")
    share = serializers.DecimalField(max_digits=5, decimal_places=2)
    amount = serializers.DecimalField(max_digits=16, decimal_places=2)
    statement_sha256 = serializers.CharField(
        help_text="SHA-256 of the stored statement PDF; empty until the background task has typeset it."
    )


class DistributionSerializer(serializers.ModelSerializer):
    lines = LineSerializer(many=True, read_only=True)

    class Meta:
        model = Distribution
        fields = [
            "id",
            "disclosure",
            "kind",
            "year",
            "gross",
            "costs",
            "net",
            "percent",
            "inventors_amount",
            "agreement",
            "status",
            "issued_at",
            "lines",
        ]
        read_only_fields = fields


class TransferReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = AnnualReport
        fields = [
            "id",
            "year",
            "figures",
            "spinoffs",
            "office_staff",
            "narrative",
            "status",
            "pdf_sha256",
            "xlsx_sha256",
            "generated_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "pdf_sha256": {
                "help_text": "SHA-256 of the stored PDF; empty while a final report's PDF is being typeset "
                "in the background (and for a draft)."
            }
        }


class TransferReportInputSerializer(StrictSerializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class TransferReportEditSerializer(StrictSerializer):
    spinoffs = serializers.IntegerField(min_value=0, max_value=10000, required=False)
    office_staff = serializers.IntegerField(min_value=0, max_value=10000, required=False)
    narrative = serializers.CharField(max_length=5000, required=False, allow_blank=True)


def _valid(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    ser = serializer_class(data=data)
    ser.is_valid(raise_exception=True)
    return dict(ser.validated_data)


CASE = {200: DisclosureSerializer, **error_responses(400, 401, 403, 404)}


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        summary="My cases (the office: every case of the institution)",
        responses={200: DisclosureSerializer(many=True), **error_responses(401)},
    ),
    retrieve=extend_schema(
        tags=[TAG],
        summary="One case (the office and the inventors)",
        responses={200: DisclosureSerializer, **error_responses(401, 404)},
    ),
    create=extend_schema(
        tags=[TAG],
        summary="Disclose an invention (a draft)",
        request=DisclosureInputSerializer,
        responses={201: DisclosureSerializer, **error_responses(400, 401, 403)},
    ),
)
class DisclosureViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = Pagination
    serializer_class = DisclosureSerializer
    parser_classes = [StrictJSONParser]

    def get_queryset(self):
        return (
            visible_disclosures(self.request.user)
            .prefetch_related("inventors", "funding")
            .order_by("-created_at", "-id")
        )

    def get_object(self) -> Disclosure:
        return disclosure_for(self.request.user, int(self.kwargs["pk"]))

    def _office(self) -> Disclosure:
        return office_case_for(self.request.user, int(self.kwargs["pk"]))

    def _done(self, case: Disclosure, code: int = 200) -> Response:
        return Response(DisclosureSerializer(self.get_queryset().get(pk=case.pk)).data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not is_researcher(request.user):
            raise exceptions.PermissionDenied(str(DISCLOSE_MESSAGE))
        data = _valid(DisclosureInputSerializer, request.data)
        me: Any = request.user
        users = get_user_model().objects.filter(organization_id=me.organization_id)
        inventors = []
        for row in data.pop("inventors"):
            user = None
            if row.get("username"):
                user = users.filter(username=row["username"]).first()
                if user is None:
                    raise serializers.ValidationError(
                        {
                            "inventors": [
                                _("No user %(name)s in your institution.") % {"name": row["username"]}
                            ]
                        }
                    )
            inventors.append({"name": row["name"], "share": row["share"], "user": user})
        funding = data.pop("funding", [])
        with service_errors():
            case = services.create_disclosure(
                actor=request.user, data=data, inventors=inventors, funding=funding
            )
        return self._done(case, status.HTTP_201_CREATED)

    @extend_schema(tags=[TAG], summary="Disclose the draft to the office", request=None, responses=CASE)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: int) -> Response:
        case = self.get_object()
        if case.created_by_id != request.user.pk and not is_office_of(request.user, case.institution_id):
            raise exceptions.PermissionDenied(
                _("Only the researcher who disclosed it or the office may change this disclosure.")
            )
        with service_errors():
            services.submit_disclosure(case, actor=request.user)
        return self._done(case)

    @extend_schema(
        tags=[TAG],
        summary="Score the checklist and name the experts (the office)",
        request=AssessSerializer,
        responses=CASE,
    )
    @action(detail=True, methods=["post"])
    def assess(self, request: Request, pk: int) -> Response:
        from techbridge.talent.models import Expert

        case = self._office()
        data = _valid(AssessSerializer, request.data)
        experts = list(Expert.objects.filter(pk__in=data.pop("experts", []), active=True))
        note = data.pop("note", "")
        with service_errors():
            services.assess_disclosure(case, actor=request.user, scores=data, note=note, experts=experts)
        return self._done(case)

    @extend_schema(
        tags=[TAG],
        summary="Decide: protect, publish, release or grant rights (the office)",
        request=DisclosureDecisionSerializer,
        responses=CASE,
    )
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: int) -> Response:
        case = self._office()
        data = _valid(DisclosureDecisionSerializer, request.data)
        with service_errors():
            services.decide_disclosure(case, actor=request.user, **data)
        return self._done(case)

    @extend_schema(
        tags=[TAG],
        summary="Publish the case as an achievement listing (sent to review)",
        request=None,
        responses=CASE,
    )
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: int) -> Response:
        case = self._office()
        with service_errors():
            services.publish_listing(case, actor=request.user)
        return self._done(case)

    @extend_schema(
        tags=[TAG],
        summary="Enter a filed patent application in the docket",
        request=ApplicationInputSerializer,
        responses={201: ApplicationSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def applications(self, request: Request, pk: int) -> Response:
        case = self._office()
        data = _valid(ApplicationInputSerializer, request.data)
        with service_errors():
            app = services.file_application(case, actor=request.user, data=data)
        return Response(ApplicationSerializer(app).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=[TAG],
        summary="Record income for the case",
        request=IncomeInputSerializer,
        responses={201: None, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def income(self, request: Request, pk: int) -> Response:
        from techbridge.contracts.models import Contract

        case = self._office()
        data = _valid(IncomeInputSerializer, request.data)
        ref = data.pop("contract", None)
        contract = None
        if ref:
            contract = Contract.objects.filter(pk=ref, seller_id=case.institution_id).first()
            if contract is None:
                raise serializers.ValidationError(
                    {"contract": [_("The contract is not one of the institution's.")]}
                )
        with service_errors():
            item = services.record_income(case, actor=request.user, contract=contract, **data)
        return Response({"id": item.pk, "amount": str(item.amount)}, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=[TAG],
        summary="Compute the inventors' rewards for a year's income of one kind",
        request=DistributionInputSerializer,
        responses={201: DistributionSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def distributions(self, request: Request, pk: int) -> Response:
        case = self._office()
        data = _valid(DistributionInputSerializer, request.data)
        with service_errors():
            dist = services.create_distribution(case, actor=request.user, **data)
        return Response(DistributionSerializer(dist).data, status=status.HTTP_201_CREATED)


def _office_application(request: Request, pk: int) -> PatentApplication:
    app = get_object_or_404(PatentApplication.objects.select_related("disclosure"), pk=pk)
    office_case_for(request.user, app.disclosure_id)
    return app


APP = {200: ApplicationSerializer, **error_responses(400, 401, 403, 404)}


@extend_schema_view(
    retrieve=extend_schema(
        tags=[TAG],
        summary="One application with its computed deadlines (the office)",
        responses={200: ApplicationSerializer, **error_responses(401, 403, 404)},
    ),
)
class ApplicationViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ApplicationSerializer
    parser_classes = [StrictJSONParser]
    queryset = PatentApplication.objects.none()

    def get_object(self) -> PatentApplication:
        return _office_application(self.request, int(self.kwargs["pk"]))

    def _done(self, app: PatentApplication) -> Response:
        app.refresh_from_db()
        return Response(ApplicationSerializer(app).data)

    @extend_schema(
        tags=[TAG],
        summary="Record an office action (its deadline is computed)",
        request=OfficeActionInputSerializer,
        responses=APP,
    )
    @action(detail=True, methods=["post"], url_path="office-actions")
    def office_actions(self, request: Request, pk: int) -> Response:
        app = self.get_object()
        data = _valid(OfficeActionInputSerializer, request.data)
        with service_errors():
            services.record_office_action(app, actor=request.user, **data)
        return self._done(app)

    @extend_schema(tags=[TAG], summary="Record the grant", request=GrantInputSerializer, responses=APP)
    @action(detail=True, methods=["post"])
    def grant(self, request: Request, pk: int) -> Response:
        app = self.get_object()
        data = _valid(GrantInputSerializer, request.data)
        with service_errors():
            services.record_grant(app, actor=request.user, **data)
        return self._done(app)

    @extend_schema(
        tags=[TAG],
        summary="Keep or abandon the next annual fee",
        request=AnnuityInputSerializer,
        responses=APP,
    )
    @action(detail=True, methods=["post"])
    def annuity(self, request: Request, pk: int) -> Response:
        app = self.get_object()
        data = _valid(AnnuityInputSerializer, request.data)
        with service_errors():
            services.decide_annuity(app, actor=request.user, **data)
        return self._done(app)

    @extend_schema(
        tags=[TAG],
        summary="Declare the granted patent open for licence (专利法 art. 50)",
        request=DeclareInputSerializer,
        responses={201: LicenceSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="open-licence")
    def open_licence(self, request: Request, pk: int) -> Response:
        app = self.get_object()
        data = _valid(DeclareInputSerializer, request.data)
        data.setdefault("entry_fee", 0)
        with service_errors():
            licence = services.declare_open_licence(app, actor=request.user, **data)
        return Response(LicenceSerializer(licence).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        tags=[TAG], summary="Patents open for licence (public)", responses={200: LicenceSerializer(many=True)}
    ),
    retrieve=extend_schema(
        tags=[TAG],
        summary="One open licence and its published terms",
        responses={200: LicenceSerializer, **error_responses(404)},
    ),
)
class LicenceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.AllowAny]
    pagination_class = Pagination
    serializer_class = LicenceSerializer
    parser_classes = [StrictJSONParser]

    def get_queryset(self):
        return public_licences().order_by("-declared_at", "-id")

    def get_object(self) -> OpenLicence:
        return licence_for(self.request.user, int(self.kwargs["pk"]))

    @extend_schema(
        tags=[TAG],
        summary="Take a licence by notice: the contract is generated and submitted",
        request=None,
        responses={201: GrantSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def take(self, request: Request, pk: int) -> Response:
        licence = self.get_object()
        if not may_take_licence(request.user, licence):
            raise exceptions.PermissionDenied(
                _(
                    "A licence is taken by an approved organisation other than the patent holder, "
                    "while the patent is open."
                )
            )
        with service_errors():
            grant = services.take_licence(licence, actor=request.user)
        return Response(GrantSerializer(grant).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=[TAG],
        summary="Report a year's sales as the licensee; the royalty is computed",
        request=RoyaltyInputSerializer,
        responses={201: RoyaltySerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def royalties(self, request: Request, pk: int) -> Response:
        licence = self.get_object()
        org_id = int(getattr(request.user, "organization_id", 0) or 0)
        grant = licence.grants.filter(licensee_id=org_id).first()
        if grant is None:
            raise exceptions.PermissionDenied(_("Only the licensee reports its sales."))
        data = _valid(RoyaltyInputSerializer, request.data)
        with service_errors():
            report = services.report_royalties(grant, actor=request.user, **data)
        return Response(RoyaltySerializer(report).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    retrieve=extend_schema(
        tags=[TAG],
        summary="One distribution (the office and the inventors)",
        responses={200: DistributionSerializer, **error_responses(401, 404)},
    ),
)
class DistributionViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = DistributionSerializer
    parser_classes = [StrictJSONParser]
    queryset = Distribution.objects.none()

    def get_object(self) -> Distribution:
        dist = get_object_or_404(
            Distribution.objects.prefetch_related("lines__inventor"), pk=int(self.kwargs["pk"])
        )
        disclosure_for(self.request.user, dist.disclosure_id)
        return dist

    @extend_schema(
        tags=[TAG],
        summary="Issue the statements (PDF per inventor)",
        request=None,
        responses={200: DistributionSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def issue(self, request: Request, pk: int) -> Response:
        dist = self.get_object()
        office_case_for(request.user, dist.disclosure_id)
        with service_errors():
            services.issue_distribution(dist, actor=request.user)
        return Response(DistributionSerializer(self.get_object()).data)


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        summary="The institution's annual reports (the office)",
        responses={200: TransferReportSerializer(many=True), **error_responses(401, 403)},
    ),
    retrieve=extend_schema(
        tags=[TAG],
        summary="One annual report",
        responses={200: TransferReportSerializer, **error_responses(401, 404)},
    ),
    create=extend_schema(
        tags=[TAG],
        summary="Generate (or refresh) a year's report from the records",
        request=TransferReportInputSerializer,
        responses={201: TransferReportSerializer, **error_responses(400, 401, 403)},
    ),
    partial_update=extend_schema(
        tags=[TAG],
        summary="Edit spin-offs, office staff and the narrative",
        request=TransferReportEditSerializer,
        responses={200: TransferReportSerializer, **error_responses(400, 401, 404)},
    ),
)
class ReportViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = Pagination
    serializer_class = TransferReportSerializer
    parser_classes = [StrictJSONParser]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def _check(self) -> None:
        if not is_office(self.request.user):
            raise exceptions.PermissionDenied(str(OFFICE_MESSAGE))

    def get_queryset(self):
        if not is_office(self.request.user):
            return AnnualReport.objects.none()
        return AnnualReport.objects.filter(institution_id=self.request.user.organization_id).order_by("-year")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self._check()
        return super().list(request, *args, **kwargs)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self._check()
        data = _valid(TransferReportInputSerializer, request.data)
        with service_errors():
            report = services.generate_report(actor=request.user, year=data["year"])
        return Response(TransferReportSerializer(report).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        report = self.get_object()
        data = _valid(TransferReportEditSerializer, request.data)
        with service_errors():
            services.save_report(report, actor=request.user, values=data)
        return Response(TransferReportSerializer(report).data)

    @extend_schema(
        tags=[TAG],
        summary="Make the report final (PDF and Excel generated)",
        request=None,
        responses={200: TransferReportSerializer, **error_responses(400, 401, 404)},
    )
    @action(detail=True, methods=["post"])
    def finalise(self, request: Request, pk: int) -> Response:
        report = self.get_object()
        with service_errors():
            services.finalise_report(report, actor=request.user)
        return Response(TransferReportSerializer(report).data)
