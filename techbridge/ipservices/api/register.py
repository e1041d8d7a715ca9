"""API of the patent register, navigation, providers and IP-intensive enterprises."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from techbridge.core.api import Pagination
from techbridge.core.listing_api import StrictSerializer, error_responses, service_errors
from techbridge.core.permissions import RolePermission
from techbridge.core.roles import is_operator, is_staff_reviewer
from techbridge.lib.numbers import digits

from .. import landscape, queries
from ..choices import LegalStatus, PatentKind, ProviderRole, ReportStatus
from ..forms import RegisterFilterForm, organisation_by
from ..models import Designation, EnterpriseIndicators, Industry, NavigationReport, Patent, ServiceProvider
from ..services import enterprises, navigation
from . import TAG


class PatentSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    legal_status_label = serializers.CharField(source="get_legal_status_display", read_only=True)

    class Meta:
        model = Patent
        fields = [
            "id",
            "application_number",
            "publication_number",
            "grant_number",
            "title",
            "kind",
            "kind_label",
            "legal_status",
            "legal_status_label",
            "filing_date",
            "grant_date",
            "expiry_date",
            "first_applicant",
            "applicant_type",
            "province",
            "city",
            "district",
            "ipc_main",
            "is_demo",
        ]
        read_only_fields = fields


class PatentDetailSerializer(PatentSerializer):
    in_force = serializers.SerializerMethodField()
    remaining_days = serializers.SerializerMethodField()
    effective_status = serializers.SerializerMethodField()
    applicants = serializers.ListField(source="applicant_list", child=serializers.CharField(), read_only=True)
    ipc_codes = serializers.ListField(source="ipc_list", child=serializers.CharField(), read_only=True)
    achievements = serializers.SerializerMethodField()

    class Meta(PatentSerializer.Meta):
        fields = [
            *PatentSerializer.Meta.fields,
            "publication_date",
            "legal_status_text",
            "status_date",
            "term_adjustment_days",
            "effective_status",
            "in_force",
            "remaining_days",
            "applicants",
            "applicant_address",
            "inventors",
            "ipc_codes",
            "abstract",
            "claims",
            "agency",
            "achievements",
        ]
        read_only_fields = fields

    def get_in_force(self, obj: Patent) -> bool:
        return queries.is_in_force(obj)

    def get_remaining_days(self, obj: Patent) -> int | None:
        return queries.remaining_term(obj)

    def get_effective_status(self, obj: Patent) -> str:
        return queries.effective_status(obj)

    def get_achievements(self, obj: Patent) -> list[int]:
        from techbridge.core.workflow import ReviewStatus

        return list(obj.achievements.filter(status=ReviewStatus.PUBLISHED).values_list("pk", flat=True)[:50])


REGISTER_FILTERS = [
    OpenApiParameter("q", str, description="words of the title or first applicant, or a patent number"),
    OpenApiParameter("kind", str, enum=PatentKind.values, description="patent type"),
    OpenApiParameter("status", str, enum=LegalStatus.values, description="recorded legal status"),
    OpenApiParameter("ipc", str, description="IPC code or its start, e.g. H02J"),
    OpenApiParameter("nanjing", OpenApiTypes.BOOL, description="only patents of Nanjing applicants"),
]


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        summary="The patent register",
        parameters=REGISTER_FILTERS,
        responses={200: PatentSerializer(many=True)},
    ),
    retrieve=extend_schema(
        tags=[TAG],
        summary="One patent, with term and legal status",
        responses={200: PatentDetailSerializer, **error_responses(404)},
    ),
)
class PatentViewSet(viewsets.ReadOnlyModelViewSet):
    """The patent register (public bibliographic data)."""

    permission_classes = [permissions.AllowAny]
    pagination_class = Pagination
    serializer_class = PatentSerializer

    def get_queryset(self):
        if self.action == "list":
            form = RegisterFilterForm(self.request.query_params or None)
            return form.filter(queries.register_list())
        return Patent.objects.all()

    def get_serializer_class(self):
        return PatentSerializer if self.action == "list" else PatentDetailSerializer

    @extend_schema(
        tags=[TAG],
        summary="The patent with this application, publication or grant number",
        parameters=[
            OpenApiParameter("number", str, required=True, description="any spelling, e.g. ZL2022232206652")
        ],
        responses={200: PatentDetailSerializer, **error_responses(404)},
    )
    @action(detail=False, methods=["get"], url_path="by-number")
    def by_number(self, request: Request) -> Response:
        patent = queries.patent_by_number(request.query_params.get("number", "")[:40])
        if patent is None:
            from django.http import Http404

            raise Http404
        return Response(PatentDetailSerializer(patent).data)


class IndustrySerializer(serializers.ModelSerializer):
    ipc_prefixes = serializers.ListField(source="prefix_list", child=serializers.CharField(), read_only=True)
    keywords = serializers.ListField(source="keyword_list", child=serializers.CharField(), read_only=True)

    class Meta:
        model = Industry
        fields = [
            "id",
            "name",
            "code",
            "description",
            "ipc_prefixes",
            "keywords",
            "is_base",
            "member_count",
            "version",
        ]
        read_only_fields = fields


class IndustryInputSerializer(StrictSerializer):
    name = serializers.CharField(max_length=60, required=False)
    code = serializers.SlugField(max_length=40, required=False, allow_blank=True)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    ipc_prefixes = serializers.ListField(
        child=serializers.CharField(max_length=20), max_length=30, required=False
    )
    keywords = serializers.ListField(
        child=serializers.CharField(max_length=20), max_length=40, required=False
    )
    is_base = serializers.BooleanField(required=False)
    order = serializers.IntegerField(min_value=0, max_value=32767, required=False)

    def service_values(self) -> dict[str, Any]:
        data = dict(self.validated_data)
        for key in ("ipc_prefixes", "keywords"):
            if key in data:
                data[key] = "；".join(data[key])
        return data


class NavigationReportSerializer(serializers.ModelSerializer):
    industry = serializers.IntegerField(source="industry_id", read_only=True)
    pdf_url = serializers.SerializerMethodField()
    xlsx_url = serializers.SerializerMethodField()

    class Meta:
        model = NavigationReport
        fields = [
            "id",
            "industry",
            "status",
            "created_at",
            "finished_at",
            "message",
            "patent_count",
            "pdf_sha256",
            "xlsx_sha256",
            "pdf_url",
            "xlsx_url",
        ]
        read_only_fields = fields

    def get_pdf_url(self, obj: NavigationReport) -> str | None:
        return (
            reverse("ipservices:report_file", args=[obj.pk, "pdf"])
            if obj.status == ReportStatus.READY
            else None
        )

    def get_xlsx_url(self, obj: NavigationReport) -> str | None:
        return (
            reverse("ipservices:report_file", args=[obj.pk, "xlsx"])
            if obj.status == ReportStatus.READY
            else None
        )


class StaffWrites(permissions.BasePermission):
    """Anyone reads; platform reviewers and operators write."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return request.method in permissions.SAFE_METHODS or is_staff_reviewer(request.user)


@extend_schema_view(
    list=extend_schema(
        tags=[TAG], summary="Industries of patent navigation", responses={200: IndustrySerializer(many=True)}
    ),
    retrieve=extend_schema(
        tags=[TAG], summary="One industry", responses={200: IndustrySerializer, **error_responses(404)}
    ),
    create=extend_schema(
        tags=[TAG],
        summary="Define an industry (staff)",
        request=IndustryInputSerializer,
        responses={201: IndustrySerializer, **error_responses(400, 401, 403)},
    ),
    partial_update=extend_schema(
        tags=[TAG],
        summary="Change an industry's definition (staff)",
        request=IndustryInputSerializer,
        responses={200: IndustrySerializer, **error_responses(400, 401, 403, 404)},
    ),
)
class IndustryViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [StaffWrites]
    pagination_class = Pagination
    serializer_class = IndustrySerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return queries.industries()

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ser = IndustryInputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            industry = navigation.save_industry(actor=request.user, values=ser.service_values())
        return Response(IndustrySerializer(industry).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        industry = self.get_object()
        ser = IndustryInputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            industry = navigation.save_industry(
                actor=request.user, values=ser.service_values(), industry=industry
            )
        return Response(IndustrySerializer(industry).data)

    @extend_schema(
        tags=[TAG],
        summary="The industry's patent landscape",
        responses={200: OpenApiTypes.OBJECT, **error_responses(404)},
    )
    @action(detail=True, methods=["get"])
    def landscape(self, request: Request, pk: int) -> Response:
        return Response(landscape.landscape(self.get_object()))

    @extend_schema(
        tags=[TAG],
        summary="Navigation reports of the industry",
        methods=["GET"],
        responses={200: NavigationReportSerializer(many=True), **error_responses(404)},
    )
    @extend_schema(
        tags=[TAG],
        summary="Generate a navigation report (staff; PDF and Excel, in the background)",
        methods=["POST"],
        request=None,
        responses={202: NavigationReportSerializer, **error_responses(401, 403, 404)},
    )
    @action(detail=True, methods=["get", "post"])
    def reports(self, request: Request, pk: int) -> Response:
        industry = self.get_object()
        if request.method == "GET":
            return Response(NavigationReportSerializer(industry.reports.all()[:20], many=True).data)
        with service_errors():
            report = navigation.request_report(industry, actor=request.user)
        report.refresh_from_db()
        return Response(NavigationReportSerializer(report).data, status=status.HTTP_202_ACCEPTED)


@extend_schema_view(
    retrieve=extend_schema(
        tags=[TAG],
        summary="One navigation report",
        responses={200: NavigationReportSerializer, **error_responses(401, 404)},
    )
)
class ReportViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = NavigationReportSerializer
    queryset = NavigationReport.objects.all()


class ProviderSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.name", read_only=True)
    organization_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = ServiceProvider
        fields = [
            "id",
            "organization",
            "organization_id",
            "role",
            "offers_analysis",
            "offers_assistance",
            "description",
        ]
        read_only_fields = fields


class ProviderInputSerializer(StrictSerializer):
    organization = serializers.CharField(max_length=200)
    role = serializers.ChoiceField(choices=ProviderRole.choices)
    offers_analysis = serializers.BooleanField(default=True)
    offers_assistance = serializers.BooleanField(default=True)
    is_active = serializers.BooleanField(default=True)
    description = serializers.CharField(max_length=500, required=False, allow_blank=True)


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        summary="Active IP service providers",
        responses={200: ProviderSerializer(many=True), **error_responses(401)},
    ),
    create=extend_schema(
        tags=[TAG],
        summary="Register or change a provider (operators)",
        request=ProviderInputSerializer,
        responses={201: ProviderSerializer, **error_responses(400, 401, 403)},
    ),
)
class ProviderViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    pagination_class = Pagination
    serializer_class = ProviderSerializer

    def get_permissions(self):
        if self.action == "create":
            return [RolePermission.of(is_operator)()]
        return [permissions.IsAuthenticated()]

    def get_queryset(self):
        return (
            ServiceProvider.objects.filter(is_active=True)
            .select_related("organization")
            .order_by("role", "organization__name")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ser = ProviderInputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        org = organisation_by(ser.validated_data["organization"])
        if org is None:
            raise serializers.ValidationError(
                {"organization": [_("No approved organisation has this name or credit code.")]}
            )
        with service_errors():
            provider = enterprises.save_provider(org, actor=request.user, values=dict(ser.validated_data))
        return Response(ProviderSerializer(provider).data, status=status.HTTP_201_CREATED)


class IpIntensiveDesignationSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.name", read_only=True)
    organization_id = serializers.IntegerField(read_only=True)
    industry = serializers.CharField(source="industry.name", read_only=True, default=None)

    class Meta:
        model = Designation
        fields = [
            "id",
            "organization",
            "organization_id",
            "year",
            "industry",
            "industry_id",
            "revoked_at",
            "is_demo",
        ]
        read_only_fields = fields


class DesignationInputSerializer(StrictSerializer):
    organization = serializers.CharField(max_length=200)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    industry = serializers.IntegerField(required=False, allow_null=True)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        summary="IP-intensive enterprise designations (not revoked)",
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="designated in this year")],
        responses={200: IpIntensiveDesignationSerializer(many=True)},
    ),
    create=extend_schema(
        tags=[TAG],
        summary="Designate an IP-intensive enterprise (operators)",
        request=DesignationInputSerializer,
        responses={201: IpIntensiveDesignationSerializer, **error_responses(400, 401, 403)},
    ),
)
class DesignationViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    pagination_class = Pagination
    serializer_class = IpIntensiveDesignationSerializer

    def get_permissions(self):
        if self.action == "create":
            return [RolePermission.of(is_operator)()]
        return [permissions.AllowAny()]

    def get_queryset(self):
        qs = Designation.objects.filter(revoked_at__isnull=True).select_related("organization", "industry")
        year = self.request.query_params.get("year", "")
        if digits(year):
            qs = qs.filter(year=int(year))
        return qs.order_by("-year", "organization__name")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ser = DesignationInputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        org = organisation_by(d["organization"])
        if org is None:
            raise serializers.ValidationError(
                {"organization": [_("No approved organisation has this name or credit code.")]}
            )
        industry = get_object_or_404(Industry, pk=d["industry"]) if d.get("industry") else None
        with service_errors():
            designation = enterprises.designate(
                org, d["year"], actor=request.user, industry=industry, note=d.get("note", "")
            )
        return Response(IpIntensiveDesignationSerializer(designation).data, status=status.HTTP_201_CREATED)


class IndicatorsSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.name", read_only=True)
    organization_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = EnterpriseIndicators
        fields = [
            "id",
            "organization",
            "organization_id",
            "year",
            "employees",
            "rd_employees",
            "patents_in_force",
            "inventions_in_force",
            "patents_filed",
            "invention_share",
            "patents_per_100_employees",
            "licences_out",
            "transfers_out",
            "licences_in",
            "transfers_in",
            "contract_amount",
            "computed_at",
        ]
        read_only_fields = fields


class IndicatorsInputSerializer(StrictSerializer):
    organization = serializers.CharField(max_length=200)
    year = serializers.IntegerField(min_value=1985, max_value=2100)
    employees = serializers.IntegerField(min_value=1, max_value=1_000_000)
    rd_employees = serializers.IntegerField(min_value=0, max_value=1_000_000, required=False, allow_null=True)


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        summary="Enterprise IP indicators (staff)",
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="indicators of this year")],
        responses={200: IndicatorsSerializer(many=True), **error_responses(401, 403)},
    ),
    create=extend_schema(
        tags=[TAG],
        summary="Record an enterprise's employees for a year and compute its indicators (staff)",
        request=IndicatorsInputSerializer,
        responses={201: IndicatorsSerializer, **error_responses(400, 401, 403)},
    ),
)
class IndicatorsViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    permission_classes = [RolePermission.of(is_staff_reviewer)]
    pagination_class = Pagination
    serializer_class = IndicatorsSerializer

    def get_queryset(self):
        qs = EnterpriseIndicators.objects.select_related("organization")
        year = self.request.query_params.get("year", "")
        if digits(year):
            qs = qs.filter(year=int(year))
        return qs.order_by("-year", "organization__name")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        from techbridge.organizations.choices import OrgKind

        ser = IndicatorsInputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        org = organisation_by(d["organization"], kinds=[OrgKind.ENTERPRISE])
        if org is None:
            raise serializers.ValidationError(
                {"organization": [_("No approved enterprise has this name or credit code.")]}
            )
        with service_errors():
            ind = enterprises.record_indicators(
                org,
                d["year"],
                actor=request.user,
                employees=d["employees"],
                rd_employees=d.get("rd_employees"),
            )
        return Response(IndicatorsSerializer(ind).data, status=status.HTTP_201_CREATED)
