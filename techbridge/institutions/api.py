"""Institutions API: the directory, applying and reviewing, designations, self-reports, scores with
inputs, ratings, credit events, the blacklist and appeals, weights and standards.

Who sees what is the portal's rule (``permissions.py``): listed institutions are public; an
institution's members and the console see score inputs, self-reports and credit evidence; only staff
see who rated an institution.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.plumbing import build_array_type, build_object_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from techbridge.contracts.models import Contract
from techbridge.contracts.permissions import can_view as can_view_contract
from techbridge.core.api import Pagination
from techbridge.core.listing_api import StrictSerializer, error_responses, service_errors
from techbridge.core.permissions import RolePermission
from techbridge.core.roles import is_console_user, is_operator
from techbridge.organizations.choices import District
from techbridge.organizations.models import Organization
from techbridge.taxonomy.models import IndustryField

from . import queries, services
from .choices import (
    APPEAL_OUTCOMES,
    APPLICATION_DECISIONS,
    REPORT_DECISIONS,
    VERIFICATION_DECISIONS,
    AllianceRole,
    CreditEventKind,
    DemonstrationLevel,
    ServiceKind,
    Severity,
)
from .models import (
    MAX_FIELDS,
    MAX_REVENUE,
    MAX_STAFF,
    Appeal,
    Blacklisting,
    Designation,
    Institution,
    QuarterlyScore,
    Rating,
    ScorecardWeights,
    SelfReport,
    ServiceStandard,
)
from .permissions import (
    can_see_inputs,
    can_see_raters,
    institution_for,
    is_member,
    require_member,
    require_operator,
    require_reviewer,
)
from .presenters import score_breakdown
from .scoring import Quarter

TAG = "institutions"


# ---- output -----------------------------------------------------------------------------------


class InstitutionScoreSerializer(serializers.ModelSerializer):
    weights_version = serializers.IntegerField(source="weights.version", read_only=True)

    class Meta:
        model = QuarterlyScore
        fields = [
            "id",
            "year",
            "quarter",
            "version",
            "weights_version",
            "basics",
            "performance",
            "capability",
            "governance",
            "credit",
            "total",
            "grade",
            "provisional",
            "computed_at",
        ]
        read_only_fields = fields


class InstitutionScoreWithInputsSerializer(InstitutionScoreSerializer):
    breakdown = serializers.SerializerMethodField()

    class Meta(InstitutionScoreSerializer.Meta):
        fields = [*InstitutionScoreSerializer.Meta.fields, "breakdown"]
        read_only_fields = fields

    def get_breakdown(self, obj: QuarterlyScore) -> list[dict[str, Any]]:
        """Each category's weight and points with every input in words."""
        return [
            {**row, "points": str(row["points"]), "weighted": str(row["weighted"])}
            for row in score_breakdown(obj)
        ]


class DesignationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Designation
        fields = [
            "id",
            "level",
            "designated_on",
            "valid_until",
            "certificate_number",
            "issued_by",
            "status",
            "verified_at",
            "revoked_on",
            "note",
        ]
        read_only_fields = fields


class InstitutionSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="organization.name", read_only=True)
    organization = serializers.IntegerField(source="organization_id", read_only=True)
    district = serializers.CharField(source="organization.district", read_only=True)
    zone = serializers.CharField(
        source="organization.zone.code", read_only=True, default=None, allow_null=True
    )
    host = serializers.CharField(source="host.name", read_only=True, default=None, allow_null=True)
    services = serializers.SerializerMethodField()
    fields: Any = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    credit_grade = serializers.CharField(
        source="current_credit.grade", read_only=True, default=None, allow_null=True
    )
    blacklisted = serializers.SerializerMethodField()
    score = InstitutionScoreSerializer(source="current_score", read_only=True)

    class Meta:
        model = Institution
        fields = [
            "id",
            "name",
            "organization",
            "status",
            "district",
            "zone",
            "host",
            "summary",
            "services",
            "fields",
            "staff_count",
            "contact_name",
            "contact_phone",
            "alliance_role",
            "alliance_joined_on",
            "credit_grade",
            "blacklisted",
            "score",
            "is_demo",
        ]
        read_only_fields = fields

    def get_services(self, obj: Institution) -> list[str]:
        return [s.code for s in obj.services.all()]

    def get_blacklisted(self, obj: Institution) -> bool:
        listings = getattr(obj, "listings_in_force", None)
        if listings is not None:
            return bool(listings)
        return queries.listing_in_force(obj) is not None


class InstitutionDetailSerializer(InstitutionSerializer):
    record = serializers.SerializerMethodField()
    ratings = serializers.SerializerMethodField()
    designations = serializers.SerializerMethodField()
    credit_events = serializers.SerializerMethodField()

    class Meta(InstitutionSerializer.Meta):
        fields = [*InstitutionSerializer.Meta.fields, "record", "ratings", "designations", "credit_events"]
        read_only_fields = fields

    def get_record(self, obj: Institution) -> dict[str, Any]:
        """Rooms brokered, contracts intermediated / served, registrations, registered turnover (shown in
        public from three registered contracts), clients, median days to deal."""
        record = queries.work_record(obj)
        private = can_see_inputs(self.context["request"].user, obj)
        record["turnover"] = str(record["turnover"]) if record["turnover_public"] or private else None
        return record

    def get_ratings(self, obj: Institution) -> dict[str, Any]:
        r = queries.rating_summary(obj)
        return {"count": r["count"], "mean": str(r["mean"]) if r["mean"] is not None else None}

    def get_designations(self, obj: Institution) -> list[dict[str, Any]]:
        qs = obj.designations.all()
        if not can_see_inputs(self.context["request"].user, obj):
            qs = qs.filter(status__in=["verified", "revoked"])
        return list(DesignationSerializer(qs, many=True).data)

    def get_credit_events(self, obj: Institution) -> list[dict[str, Any]]:
        """Events in force in public (kind, date, severity); with descriptions for the institution
        and staff."""
        private = can_see_inputs(self.context["request"].user, obj)
        qs = obj.credit_events.all() if private else queries.events_in_force(obj)
        return [
            {
                "id": e.pk,
                "kind": e.kind,
                "severity": e.severity,
                "occurred_on": e.occurred_on,
                "status": e.status,
                **({"description": e.description, "reference": e.reference} if private else {}),
            }
            for e in qs.order_by("-occurred_on")
        ]


class SelfReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = SelfReport
        fields = [
            "id",
            "year",
            "status",
            "full_time_staff",
            "staff_with_degree",
            "certified_managers",
            "service_revenue",
            "services_delivered",
            "clients_served",
            *SelfReport.GOVERNANCE_ITEMS,
            "summary",
            "submitted_at",
            "reviewed_at",
            "review_note",
        ]
        read_only_fields = fields


class InstitutionRatingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rating
        fields = ["id", "score", "comment", "relation", "created_at"]
        read_only_fields = fields


class InstitutionRatingForStaffSerializer(InstitutionRatingSerializer):
    rater = serializers.CharField(source="rater.display_name", read_only=True)
    rater_org = serializers.CharField(source="rater_org.name", read_only=True)
    contract = serializers.CharField(source="contract.number", read_only=True)

    class Meta(InstitutionRatingSerializer.Meta):
        fields = [*InstitutionRatingSerializer.Meta.fields, "rater", "rater_org", "contract"]
        read_only_fields = fields


# ---- input ------------------------------------------------------------------------------------


class InstitutionProfileSerializer(StrictSerializer):
    summary = serializers.CharField(max_length=3000, required=False, allow_blank=True, default="")
    services = serializers.ListField(
        child=serializers.ChoiceField(choices=ServiceKind.choices),
        max_length=len(ServiceKind.values),
        default=list,
    )
    fields: Any = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=IndustryField.objects.all(), required=False, default=list
    )
    staff_count = serializers.IntegerField(min_value=0, max_value=MAX_STAFF, required=False, default=0)
    host = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text="Name or credit code of the host.",
    )
    contact_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")

    def validate_fields(self, value: list[Any]) -> list[Any]:
        if len(value) > MAX_FIELDS:
            raise serializers.ValidationError(_("Choose at most %(n)s industry fields.") % {"n": MAX_FIELDS})
        return value

    def validate_host(self, value: str) -> Organization | None:
        if not value:
            return None
        org = (
            Organization.objects.filter(credit_code=value.upper()).first()
            or Organization.objects.filter(name=value).first()
        )
        if org is None:
            raise serializers.ValidationError(
                _("No organisation on the platform has this name or credit code.")
            )
        return org


class ApplicationDecisionSerializer(StrictSerializer):
    decision = serializers.ChoiceField(choices=APPLICATION_DECISIONS)
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class InstitutionReasonSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class AllianceSerializer(StrictSerializer):
    alliance_role = serializers.ChoiceField(choices=AllianceRole.choices, allow_blank=True)
    alliance_joined_on = serializers.DateField(required=False, allow_null=True, default=None)


class DesignationInSerializer(StrictSerializer):
    level = serializers.ChoiceField(choices=DemonstrationLevel.choices)
    designated_on = serializers.DateField()
    valid_until = serializers.DateField(required=False, allow_null=True, default=None)
    certificate_number = serializers.CharField(max_length=60)
    issued_by = serializers.CharField(max_length=100)


class DesignationVerifySerializer(StrictSerializer):
    decision = serializers.ChoiceField(choices=VERIFICATION_DECISIONS)
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class SelfReportInSerializer(StrictSerializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    full_time_staff = serializers.IntegerField(min_value=0, max_value=MAX_STAFF)
    staff_with_degree = serializers.IntegerField(min_value=0, max_value=MAX_STAFF)
    certified_managers = serializers.IntegerField(min_value=0, max_value=MAX_STAFF)
    service_revenue = serializers.DecimalField(
        max_digits=16, decimal_places=2, min_value=0, max_value=MAX_REVENUE
    )
    services_delivered = serializers.IntegerField(min_value=0, max_value=1_000_000)
    clients_served = serializers.IntegerField(min_value=0, max_value=1_000_000)
    has_articles = serializers.BooleanField(default=False)
    has_financial_audit = serializers.BooleanField(default=False)
    has_quality_system = serializers.BooleanField(default=False)
    has_disclosure = serializers.BooleanField(default=False)
    has_complaint_handling = serializers.BooleanField(default=False)
    summary = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class SelfReportDecisionSerializer(StrictSerializer):
    decision = serializers.ChoiceField(choices=REPORT_DECISIONS)
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class CreditEventInSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=CreditEventKind.choices)
    severity = serializers.ChoiceField(choices=Severity.choices)
    occurred_on = serializers.DateField()
    description = serializers.CharField(max_length=2000)
    reference = serializers.CharField(
        max_length=100, help_text="Case or contract reference the evidence is filed under."
    )


class AppealInSerializer(StrictSerializer):
    grounds = serializers.CharField(max_length=3000)


class AppealDecisionSerializer(StrictSerializer):
    verdict = serializers.ChoiceField(choices=APPEAL_OUTCOMES)
    decision = serializers.CharField(max_length=3000)


class RateServiceSerializer(StrictSerializer):
    contract = serializers.IntegerField(min_value=1)
    institution = serializers.IntegerField(min_value=1)
    score = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class ScoreComputeSerializer(StrictSerializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    quarter = serializers.IntegerField(min_value=1, max_value=4)


class InstitutionWeightsSerializer(StrictSerializer):
    basics = serializers.IntegerField(min_value=0, max_value=100)
    performance = serializers.IntegerField(min_value=0, max_value=100)
    capability = serializers.IntegerField(min_value=0, max_value=100)
    governance = serializers.IntegerField(min_value=0, max_value=100)
    credit = serializers.IntegerField(min_value=0, max_value=100)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


# ---- views ------------------------------------------------------------------------------------

DIRECTORY_PARAMS = [
    OpenApiParameter("q", str, description="Words in the name or profile."),
    OpenApiParameter("service", str, enum=ServiceKind.values, description="Kind of service offered."),
    OpenApiParameter("field", str, description="Industry field code."),
    OpenApiParameter(
        "level", str, enum=DemonstrationLevel.values, description="Verified designation in force."
    ),
    OpenApiParameter("district", str, enum=District.values, description="District of the organisation."),
    OpenApiParameter("zone", str, description="Zone code (a zone includes its parks)."),
    OpenApiParameter("alliance", bool, description="Alliance members only."),
    OpenApiParameter("page", int, description="Page number."),
    OpenApiParameter("page_size", int, description="Results per page (at most 100)."),
]
DETAIL = {200: InstitutionDetailSerializer, **error_responses(400, 401, 403, 404)}


def _directory_filters(request: Request) -> dict[str, Any]:
    from techbridge.organizations.models import Zone

    p = request.query_params
    errors = {}
    service, level, district = p.get("service", ""), p.get("level", ""), p.get("district", "")
    if service and service not in ServiceKind.values:
        errors["service"] = _("Unknown kind of service.")
    if level and level not in DemonstrationLevel.values:
        errors["level"] = _("Unknown level.")
    if district and district not in District.values:
        errors["district"] = _("Unknown district.")
    zone = None
    if p.get("zone"):
        zone = Zone.objects.filter(code=p["zone"]).first()
        if zone is None:
            errors["zone"] = _("Unknown zone.")
    if p.get("field") and not IndustryField.objects.filter(code=p["field"]).exists():
        errors["field"] = _("No such industry field.")
    if errors:
        raise serializers.ValidationError(errors)
    return {
        "q": p.get("q", "")[:100].strip(),
        "service": service,
        "field": p.get("field", ""),
        "level": level,
        "district": district,
        "zone": zone,
        "alliance": p.get("alliance", "").lower() in ("1", "true", "yes"),
    }


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        summary="The directory of listed institutions",
        parameters=DIRECTORY_PARAMS,
        responses={200: InstitutionSerializer(many=True), **error_responses(400)},
    ),
    retrieve=extend_schema(tags=[TAG], summary="One institution with its record of work", responses=DETAIL),
)
class InstitutionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Listed institutions for everyone; members and the console also reach their unlisted one."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    pagination_class = Pagination
    serializer_class = InstitutionSerializer

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Institution.objects.none()
        return queries.directory(**_directory_filters(self.request))

    def get_object(self) -> Institution:
        return institution_for(self.request.user, int(self.kwargs["pk"]))

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._detail(self.get_object())

    def _detail(self, inst: Institution, code: int = 200) -> Response:
        inst = institution_for(self.request.user, inst.pk)
        return Response(
            InstitutionDetailSerializer(inst, context={"request": self.request}).data, status=code
        )

    def _member_institution(self) -> Institution:
        inst = self.get_object()
        if not is_member(self.request.user, inst):
            raise Http404
        return inst

    @extend_schema(
        tags=[TAG],
        summary="Apply: create my service organisation's institution (a draft)",
        request=InstitutionProfileSerializer,
        responses={201: InstitutionDetailSerializer, **error_responses(400, 401, 403)},
    )
    def create(self, request: Request) -> Response:
        ser = InstitutionProfileSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            inst = services.save_profile(actor=request.user, data=dict(ser.validated_data))
        return self._detail(inst, status.HTTP_201_CREATED)

    @extend_schema(
        tags=[TAG],
        summary="Change the profile (members)",
        request=InstitutionProfileSerializer,
        responses=DETAIL,
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        inst = self.get_object()
        with service_errors():
            require_member(request.user, inst)
        ser = InstitutionProfileSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        sent = set(request.data) if isinstance(request.data, dict) else set()
        current = {
            "summary": inst.summary,
            "services": inst.service_codes,
            "fields": list(inst.fields.all()),
            "staff_count": inst.staff_count,
            "host": inst.host,
            "contact_name": inst.contact_name,
            "contact_phone": inst.contact_phone,
        }
        data = {**current, **{k: v for k, v in ser.validated_data.items() if k in sent}}
        with service_errors():
            services.save_profile(actor=request.user, data=data, institution=inst)
        return self._detail(inst)

    @extend_schema(tags=[TAG], summary="Submit the application (members)", request=None, responses=DETAIL)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        inst = self.get_object()
        with service_errors():
            services.submit_application(inst, actor=request.user)
        return self._detail(inst)

    @extend_schema(
        tags=[TAG],
        summary="List or return the application (reviewers)",
        request=ApplicationDecisionSerializer,
        responses=DETAIL,
    )
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str) -> Response:
        inst = self.get_object()
        with service_errors():
            require_reviewer(request.user)
        ser = ApplicationDecisionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        with service_errors():
            if d["decision"] == "approve":
                services.approve_application(inst, actor=request.user, note=d["reason"])
            else:
                services.return_application(inst, actor=request.user, reason=d["reason"])
        return self._detail(inst)

    @extend_schema(
        tags=[TAG],
        summary="Withdraw from the directory",
        request=InstitutionReasonSerializer,
        responses=DETAIL,
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        inst = self.get_object()
        ser = InstitutionReasonSerializer(data=request.data or {})
        ser.is_valid(raise_exception=True)
        with service_errors():
            services.withdraw_listing(inst, actor=request.user, reason=ser.validated_data["reason"])
        return self._detail(inst)

    @extend_schema(
        tags=[TAG], summary="Set the alliance role (operators)", request=AllianceSerializer, responses=DETAIL
    )
    @action(detail=True, methods=["post"])
    def alliance(self, request: Request, pk: str) -> Response:
        inst = self.get_object()
        with service_errors():
            require_operator(request.user)
        ser = AllianceSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            services.set_alliance_role(
                inst,
                actor=request.user,
                role=ser.validated_data["alliance_role"],
                joined_on=ser.validated_data["alliance_joined_on"],
            )
        return self._detail(inst)

    @extend_schema(
        tags=[TAG],
        summary="Quarterly scores (with every input for the institution and the console)",
        responses={200: InstitutionScoreWithInputsSerializer(many=True), **error_responses(404)},
    )
    @action(detail=True, methods=["get"])
    def scores(self, request: Request, pk: str) -> Response:
        inst = self.get_object()
        qs = inst.scores.select_related("weights").order_by("-year", "-quarter", "-version")[:40]
        cls = (
            InstitutionScoreWithInputsSerializer
            if can_see_inputs(request.user, inst)
            else InstitutionScoreSerializer
        )
        return Response(cls(qs, many=True).data)

    @extend_schema(
        tags=[TAG],
        summary="Declare a demonstration designation (members)",
        request=DesignationInSerializer,
        responses={201: DesignationSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def designations(self, request: Request, pk: str) -> Response:
        inst = self.get_object()
        with service_errors():
            require_member(request.user, inst)
        ser = DesignationInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            d = services.declare_designation(inst, actor=request.user, **ser.validated_data)
        return Response(DesignationSerializer(d).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=[TAG],
        summary="Annual self-reports (members and the console)",
        methods=["GET"],
        responses={200: SelfReportSerializer(many=True), **error_responses(401, 403, 404)},
    )
    @extend_schema(
        tags=[TAG],
        summary="Write or change the self-report of a year (members; draft or returned)",
        methods=["POST"],
        request=SelfReportInSerializer,
        responses={200: SelfReportSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["get", "post"])
    def reports(self, request: Request, pk: str) -> Response:
        inst = self.get_object()
        if request.method == "GET":
            if not can_see_inputs(request.user, inst):
                raise Http404
            return Response(SelfReportSerializer(inst.reports.all(), many=True).data)
        with service_errors():
            require_member(request.user, inst)
        ser = SelfReportInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        year = data.pop("year")
        with service_errors():
            report = services.save_report(inst, actor=request.user, year=year, data=data)
        return Response(SelfReportSerializer(report).data)

    @extend_schema(
        tags=[TAG],
        summary="Record a credit event (reviewers); a severe one blacklists",
        request=CreditEventInSerializer,
        responses={201: InstitutionDetailSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="credit-events")
    def credit_events(self, request: Request, pk: str) -> Response:
        inst = self.get_object()
        with service_errors():
            require_reviewer(request.user)
        ser = CreditEventInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            services.record_event(inst, actor=request.user, **ser.validated_data)
        return self._detail(inst, status.HTTP_201_CREATED)

    @extend_schema(
        tags=[TAG],
        summary="Appeal against the blacklisting in force (members)",
        request=AppealInSerializer,
        responses={201: OpenApiTypes.OBJECT, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def appeal(self, request: Request, pk: str) -> Response:
        inst = self.get_object()
        with service_errors():
            require_member(request.user, inst)
        ser = AppealInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        listing = queries.listing_in_force(inst)
        if listing is None:
            raise serializers.ValidationError({"detail": _("Your institution is not on the blacklist.")})
        with service_errors():
            appeal = services.file_appeal(listing, actor=request.user, grounds=ser.validated_data["grounds"])
        return Response({"id": appeal.pk, "status": appeal.status}, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=[TAG],
        summary="Ratings received (members and staff; only staff see who rated)",
        responses={200: InstitutionRatingForStaffSerializer(many=True), **error_responses(401, 404)},
    )
    @action(detail=True, methods=["get"])
    def ratings(self, request: Request, pk: str) -> Response:
        inst = self.get_object()
        if not can_see_inputs(request.user, inst):
            raise Http404
        qs = inst.ratings.select_related("rater", "rater_org", "contract").order_by("-created_at")[:200]
        cls = (
            InstitutionRatingForStaffSerializer
            if can_see_raters(request.user)
            else InstitutionRatingSerializer
        )
        return Response(cls(qs, many=True).data)


class DesignationViewSet(viewsets.GenericViewSet):
    """Designations awaiting verification and their decisions (reviewers)."""

    permission_classes = [permissions.IsAuthenticated]
    queryset = Designation.objects.select_related("institution")
    serializer_class = DesignationSerializer

    @extend_schema(
        tags=[TAG],
        summary="Verify a designation, or not (reviewers)",
        request=DesignationVerifySerializer,
        responses={200: DesignationSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: str) -> Response:
        designation = get_object_or_404(self.queryset, pk=pk)
        if not (is_console_user(request.user) or is_member(request.user, designation.institution)):
            raise Http404
        with service_errors():
            require_reviewer(request.user)
        ser = DesignationVerifySerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            services.verify_designation(
                designation,
                actor=request.user,
                accept=ser.validated_data["decision"] == "verify",
                note=ser.validated_data["reason"],
            )
        return Response(DesignationSerializer(designation).data)


class ReportViewSet(viewsets.GenericViewSet):
    """Self-reports: submitting (members) and reviewing (reviewers)."""

    permission_classes = [permissions.IsAuthenticated]
    queryset = SelfReport.objects.select_related("institution")
    serializer_class = SelfReportSerializer

    def _report(self, pk: str) -> SelfReport:
        report = get_object_or_404(self.queryset, pk=pk)
        if not can_see_inputs(self.request.user, report.institution):
            raise Http404
        return report

    @extend_schema(
        tags=[TAG],
        summary="Submit a self-report for review (members)",
        request=None,
        responses={200: SelfReportSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        report = self._report(pk)
        with service_errors():
            services.submit_report(report, actor=request.user)
        return Response(SelfReportSerializer(report).data)

    @extend_schema(
        tags=[TAG],
        summary="Accept or return a self-report (reviewers)",
        request=SelfReportDecisionSerializer,
        responses={200: SelfReportSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str) -> Response:
        report = self._report(pk)
        with service_errors():
            require_reviewer(request.user)
        ser = SelfReportDecisionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        with service_errors():
            if d["decision"] == "accept":
                services.accept_report(report, actor=request.user, note=d["reason"])
            else:
                services.return_report(report, actor=request.user, reason=d["reason"])
        return Response(SelfReportSerializer(report).data)


class AppealViewSet(viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    queryset = Appeal.objects.select_related("blacklisting__institution", "blacklisting__event")
    serializer_class = AppealDecisionSerializer

    @extend_schema(
        tags=[TAG],
        summary="Uphold (lift the blacklisting, annul the event) or dismiss an appeal (reviewers)",
        request=AppealDecisionSerializer,
        responses={200: OpenApiTypes.OBJECT, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        appeal = get_object_or_404(self.queryset, pk=pk)
        if not (is_console_user(request.user) or is_member(request.user, appeal.blacklisting.institution)):
            raise Http404
        with service_errors():
            require_reviewer(request.user)
        ser = AppealDecisionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            services.decide_appeal(
                appeal,
                actor=request.user,
                uphold=ser.validated_data["verdict"] == "uphold",
                decision=ser.validated_data["decision"],
            )
        return Response({"id": appeal.pk, "status": appeal.status})


class BlacklistingViewSet(viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    queryset = Blacklisting.objects.select_related("institution")
    serializer_class = InstitutionReasonSerializer

    @extend_schema(
        tags=[TAG],
        summary="Lift a blacklisting (reviewers)",
        request=InstitutionReasonSerializer,
        responses={200: OpenApiTypes.OBJECT, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def lift(self, request: Request, pk: str) -> Response:
        listing = get_object_or_404(self.queryset, pk=pk)
        if not (is_console_user(request.user) or is_member(request.user, listing.institution)):
            raise Http404
        with service_errors():
            require_reviewer(request.user)
        ser = InstitutionReasonSerializer(data=request.data or {})
        ser.is_valid(raise_exception=True)
        with service_errors():
            services.lift_blacklisting(listing, actor=request.user, reason=ser.validated_data["reason"])
        return Response({"id": listing.pk, "status": listing.status})


class RateView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="Rate an institution's service on a performed contract (a party's member)",
        request=RateServiceSerializer,
        responses={201: InstitutionRatingSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request) -> Response:
        ser = RateServiceSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        contract = get_object_or_404(Contract, pk=d["contract"])
        if not can_view_contract(request.user, contract):
            raise Http404
        inst = get_object_or_404(Institution.objects.select_related("organization"), pk=d["institution"])
        with service_errors():
            rating = services.rate_service(
                contract, actor=request.user, institution=inst, score=d["score"], comment=d["comment"]
            )
        return Response(InstitutionRatingSerializer(rating).data, status=status.HTTP_201_CREATED)


class ComputeView(APIView):
    permission_classes = [RolePermission.of(is_operator, _("Only platform operators compute scores."))]

    @extend_schema(
        tags=[TAG],
        summary="Compute a quarter's scores for every listed institution (operators)",
        request=ScoreComputeSerializer,
        responses={200: OpenApiTypes.OBJECT, **error_responses(400, 401, 403)},
    )
    def post(self, request: Request) -> Response:
        ser = ScoreComputeSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        try:
            quarter = Quarter(ser.validated_data["year"], ser.validated_data["quarter"])
        except ValueError:
            raise serializers.ValidationError({"quarter": _("Unknown quarter.")}) from None
        with service_errors():
            result = services.compute_quarter(quarter, actor=request.user)
        return Response({"quarter": quarter.label, **result})


# A list of plain objects (the weights' versions, the standards): documented as the list it is.
LIST_OF_OBJECTS = build_array_type(build_object_type())


class WeightsView(APIView):
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    @extend_schema(
        tags=[TAG],
        summary="The scorecard weights in force and their versions",
        responses={200: LIST_OF_OBJECTS},
    )
    def get(self, request: Request) -> Response:
        rows = ScorecardWeights.objects.order_by("-version")[:30]
        return Response(
            [{"version": w.version, **w.as_dict(), "note": w.note, "created_at": w.created_at} for w in rows]
        )

    @extend_schema(
        tags=[TAG],
        summary="Put a new version of the weights in force (operators; they add up to 100)",
        request=InstitutionWeightsSerializer,
        responses={201: OpenApiTypes.OBJECT, **error_responses(400, 401, 403)},
    )
    def post(self, request: Request) -> Response:
        with service_errors():
            require_operator(request.user)
        ser = InstitutionWeightsSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        note = data.pop("note")
        with service_errors():
            row = services.set_weights(actor=request.user, weights=data, note=note)
        return Response({"version": row.version, **row.as_dict()}, status=status.HTTP_201_CREATED)


class StandardsView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=[TAG],
        summary="The alliance's service standards with the text of their newest version",
        responses={200: LIST_OF_OBJECTS},
    )
    def get(self, request: Request) -> Response:
        out = []
        for std in ServiceStandard.objects.prefetch_related("versions").order_by("code"):
            versions = sorted(std.versions.all(), key=lambda v: -v.version)
            if not versions:
                continue
            v = versions[0]
            out.append(
                {
                    "id": std.pk,
                    "code": std.code,
                    "title": std.title,
                    "scope": std.scope,
                    "version": v.version,
                    "published_on": v.published_on,
                    "body": v.body,
                    "versions": [x.version for x in versions],
                }
            )
        return Response(out)
