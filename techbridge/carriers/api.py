"""Carriers and enterprises API: carriers, firms, annual reports and evaluations, formulas; designations,
R&D input, projects, alliances; typical cases; statistics by district and zone.

Who sees and changes what follows ``permissions`` (the same helpers as the pages).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from techbridge.achievements.models import Achievement
from techbridge.contracts.models import Contract
from techbridge.core.api import Pagination, ReadOnlyOrAuthenticated
from techbridge.core.listing_api import (
    StrictSerializer,
    error_responses,
    form_parameters,
    service_errors,
    validated_query,
)
from techbridge.core.roles import is_console_user, is_staff_reviewer
from techbridge.organizations.api import zone_field
from techbridge.organizations.choices import District, OrgStatus
from techbridge.organizations.models import Organization
from techbridge.organizations.queries import zone_ids
from techbridge.taxonomy.models import IndustryField

from . import indicators, queries, services
from . import permissions as rules
from .case_sources import case_sources
from .choices import (
    CarrierKind,
    CarrierStatus,
    CaseCategory,
    DesignationKind,
    Family,
    Level,
    MemberRole,
    PartyRole,
    ProjectKind,
)
from .forms import CarrierFilterForm, CaseFilterForm, DesignationFilterForm, StatsFilterForm
from .models import (
    Alliance,
    AllianceMember,
    AnnualReport,
    Carrier,
    Designation,
    Evaluation,
    EvaluationFormula,
    IncubatedFirm,
    Project,
    ProjectMilestone,
    RdInput,
    TypicalCase,
)
from .services.carriers import MAX_HOSTS
from .services.enterprises import MAX_LINKS, MAX_PARTIES

MONEY: Any = {
    "max_digits": 14,
    "decimal_places": 2,
    "min_value": Decimal("0"),
    "max_value": indicators.MONEY_MAX,
}
COUNT: Any = {"min_value": 0, "max_value": indicators.COUNT_MAX}


def _codes(field_name: str = "fields") -> Any:
    return serializers.SlugRelatedField(
        slug_field="code", queryset=IndustryField.objects.all(), many=True, required=False
    )


def _orgs(**kwargs: Any) -> serializers.PrimaryKeyRelatedField:
    return serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.filter(status=OrgStatus.APPROVED), **kwargs
    )


class OrganizationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


# ---- carriers ---------------------------------------------------------------------------------------


class CarrierSerializer(serializers.ModelSerializer):
    operator = OrganizationRefSerializer(read_only=True)
    hosts = OrganizationRefSerializer(many=True, read_only=True)
    fields: Any = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    zone: Any = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    district = serializers.ChoiceField(choices=District.choices, allow_blank=True, read_only=True)
    # A web address, or "" when none was given (not a URI then).
    website = serializers.CharField(read_only=True)
    family = serializers.CharField(read_only=True)

    class Meta:
        model = Carrier
        fields = [
            "id", "name", "kind", "family", "level", "recognised_on", "recognised_by", "certificate_no",
            "operator", "hosts", "fields", "district", "zone", "address", "space_m2", "services",
            "description", "website", "contact_name", "contact_phone", "status", "reject_reason",
            "approved_at", "revoked_on", "is_demo", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class CarrierWriteSerializer(StrictSerializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=CarrierKind.choices)
    level = serializers.ChoiceField(choices=Level.choices, required=False)
    recognised_on = serializers.DateField(required=False, allow_null=True)
    recognised_by = serializers.CharField(max_length=100, required=False, allow_blank=True)
    certificate_no = serializers.CharField(max_length=100, required=False, allow_blank=True)
    district = serializers.ChoiceField(choices=District.choices, required=False, allow_blank=True)
    zone: Any = zone_field()
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    space_m2 = serializers.DecimalField(
        max_digits=10,
        decimal_places=1,
        min_value=Decimal("0"),
        max_value=Decimal("99999999"),
        required=False,
        allow_null=True,
    )
    services = serializers.CharField(max_length=3000, required=False, allow_blank=True)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    website = serializers.URLField(max_length=200, required=False, allow_blank=True)
    contact_name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    hosts = serializers.ListField(
        child=serializers.IntegerField(min_value=1), max_length=MAX_HOSTS, required=False
    )
    operator = serializers.IntegerField(
        min_value=1, required=False, help_text="Operators only: the organisation that runs the carrier."
    )
    fields: Any = _codes()

    def service_kwargs(self) -> dict[str, Any]:
        d = dict(self.validated_data)
        host_ids = d.pop("hosts", None)
        operator_id = d.pop("operator", None)
        fields = d.pop("fields", None)
        hosts = None
        if host_ids is not None:
            found = {o.pk: o for o in Organization.objects.filter(pk__in=host_ids, status=OrgStatus.APPROVED)}
            missing = [i for i in host_ids if i not in found]
            if missing:
                raise exceptions.ValidationError(
                    {"hosts": [_("No approved organisation with these ids: %(ids)s") % {"ids": missing}]}
                )
            hosts = [found[i] for i in dict.fromkeys(host_ids)]
        out: dict[str, Any] = {"data": d, "hosts": hosts, "fields": fields}
        if operator_id is not None:
            out["operator"] = get_object_or_404(Organization, pk=operator_id, status=OrgStatus.APPROVED)
        return out


class FirmSerializer(serializers.ModelSerializer):
    field: Any = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = IncubatedFirm
        fields = [
            "id",
            "name",
            "credit_code",
            "organization",
            "field",
            "entered_on",
            "graduated_on",
            "left_on",
            "status",
            "note",
        ]
        read_only_fields = fields


class FirmWriteSerializer(StrictSerializer):
    name = serializers.CharField(max_length=200)
    credit_code = serializers.CharField(max_length=18, required=False, allow_blank=True)
    field: Any = serializers.SlugRelatedField(
        slug_field="code", queryset=IndustryField.objects.all(), required=False, allow_null=True
    )
    entered_on = serializers.DateField()
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class CloseFirmSerializer(StrictSerializer):
    outcome = serializers.ChoiceField(choices=[("graduated", "graduated"), ("left", "left")])
    on = serializers.DateField()


class CarrierReasonSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=2000)


_CARRIER = {200: CarrierSerializer, **error_responses(400, 401, 403, 404)}


@extend_schema_view(
    list=extend_schema(
        tags=["carriers"],
        summary="Carriers",
        description="Approved carriers for everyone; console users see every status.",
        parameters=form_parameters(CarrierFilterForm),
        responses={200: CarrierSerializer(many=True), **error_responses(400)},
    ),
    retrieve=extend_schema(
        tags=["carriers"],
        summary="Read one carrier",
        responses={200: CarrierSerializer, **error_responses(404)},
    ),
    create=extend_schema(
        tags=["carriers"],
        summary="Register a carrier (draft) run by my organisation",
        request=CarrierWriteSerializer,
        responses={201: CarrierSerializer, **error_responses(400, 401, 403)},
    ),
    partial_update=extend_schema(
        tags=["carriers"], summary="Change a carrier", request=CarrierWriteSerializer, responses=_CARRIER
    ),
)
class CarrierViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [ReadOnlyOrAuthenticated]
    pagination_class = Pagination
    serializer_class = CarrierSerializer
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        return queries.visible_carriers(self.request.user).prefetch_related("hosts").order_by("name", "pk")

    def filter_queryset(self, queryset: Any) -> Any:
        if self.action != "list":
            return queryset
        form = validated_query(CarrierFilterForm, self.request)
        qs = queries.filter_carriers(
            queryset, {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        )
        return qs if is_console_user(self.request.user) else qs.filter(status=CarrierStatus.APPROVED)

    def _carrier(self) -> Carrier:
        return rules.carrier_for(self.request.user, int(self.kwargs["pk"]))

    def _out(self, carrier: Carrier, code: int = 200) -> Response:
        return Response(CarrierSerializer(self.get_queryset().get(pk=carrier.pk)).data, status=code)

    def create(self, request: Request) -> Response:
        rules.check_register_carrier(request.user)
        body = CarrierWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        kwargs = body.service_kwargs()
        with service_errors():
            carrier = services.register_carrier(
                actor=request.user,
                data=kwargs["data"],
                hosts=kwargs["hosts"] or [],
                fields=kwargs["fields"] or [],
                operator=kwargs.get("operator"),
            )
        return self._out(carrier, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        carrier = self._carrier()
        body = CarrierWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        with service_errors():
            kwargs = body.service_kwargs()
            if "operator" in kwargs:
                raise exceptions.ValidationError(
                    {"operator": [_("The operating organisation does not change.")]}
                )
            services.update_carrier(carrier, actor=request.user, **kwargs)
        return self._out(carrier)

    @extend_schema(
        tags=["carriers"], summary="Send to review (its organisation)", request=None, responses=_CARRIER
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        carrier = self._carrier()
        with service_errors():
            services.submit_carrier(carrier, actor=request.user)
        return self._out(carrier)

    @extend_schema(tags=["carriers"], summary="Approve (reviewers)", request=None, responses=_CARRIER)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        carrier = self._carrier()
        with service_errors():
            services.approve_carrier(carrier, actor=request.user)
        return self._out(carrier)

    @extend_schema(
        tags=["carriers"],
        summary="Return for correction (reviewers)",
        request=CarrierReasonSerializer,
        responses=_CARRIER,
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        carrier = self._carrier()
        rules.check_review_carriers(request.user)
        body = CarrierReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with service_errors():
            services.reject_carrier(carrier, actor=request.user, reason=body.validated_data["reason"])
        return self._out(carrier)

    @extend_schema(
        tags=["carriers"], summary="Revoke (reviewers)", request=CarrierReasonSerializer, responses=_CARRIER
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str) -> Response:
        carrier = self._carrier()
        rules.check_review_carriers(request.user)
        body = CarrierReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with service_errors():
            services.revoke_carrier(carrier, actor=request.user, reason=body.validated_data["reason"])
        return self._out(carrier)

    @extend_schema(
        tags=["carriers"],
        summary="Incubated firms",
        methods=["GET"],
        responses={200: FirmSerializer(many=True), **error_responses(401, 403, 404)},
    )
    @extend_schema(
        tags=["carriers"],
        summary="Record a firm admitted",
        methods=["POST"],
        request=FirmWriteSerializer,
        responses={201: FirmSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["get", "post"], permission_classes=[permissions.IsAuthenticated])
    def firms(self, request: Request, pk: str) -> Response:
        carrier = self._carrier()
        rules.check_see_firms(request.user, carrier)
        if request.method == "GET":
            return Response(FirmSerializer(carrier.firms.select_related("field")[:1000], many=True).data)
        rules.check_record_firms(request.user, carrier)
        body = FirmWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        code = data.get("credit_code") or ""
        data["organization"] = Organization.objects.filter(credit_code=code).first() if code else None
        with service_errors():
            firm = services.admit_firm(carrier, actor=request.user, data=data)
        return Response(FirmSerializer(firm).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=["carriers"],
        summary="A firm graduated or left",
        request=CloseFirmSerializer,
        responses={200: FirmSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"firms/(?P<firm_pk>\d+)/close",
        permission_classes=[permissions.IsAuthenticated],
    )
    def close_firm(self, request: Request, pk: str, firm_pk: str) -> Response:
        carrier = self._carrier()
        firm = get_object_or_404(IncubatedFirm, pk=int(firm_pk), carrier=carrier)
        rules.check_record_firms(request.user, carrier)
        body = CloseFirmSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with service_errors():
            services.close_firm(
                firm,
                actor=request.user,
                graduated=body.validated_data["outcome"] == "graduated",
                on=body.validated_data["on"],
            )
        firm.refresh_from_db()
        return Response(FirmSerializer(firm).data)


# ---- annual reports, evaluations, formulas -------------------------------------------------------------


class EvaluationSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="formula.version", read_only=True)

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "report",
            "carrier",
            "year",
            "formula",
            "version",
            "score",
            "grade",
            "inputs",
            "issued_at",
        ]
        read_only_fields = fields


class AnnualReportSerializer(serializers.ModelSerializer):
    carrier_name = serializers.CharField(source="carrier.name", read_only=True)
    evaluations = EvaluationSerializer(many=True, read_only=True)

    class Meta:
        model = AnnualReport
        fields = [
            "id", "carrier", "carrier_name", "year", *indicators.CODES, "narrative", "status",
            "return_reason",
            "submitted_at", "reviewed_at", "evaluations",
        ]  # fmt: skip
        read_only_fields = fields


class AnnualReportWriteSerializer(StrictSerializer):
    carrier = serializers.IntegerField(min_value=1, required=False, help_text="The carrier (on creation).")
    year = serializers.IntegerField(min_value=1980, max_value=2100, required=False, help_text="On creation.")
    narrative = serializers.CharField(max_length=5000, required=False, allow_blank=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in indicators.INDICATORS:
            self.fields[i.code] = (
                serializers.DecimalField(required=False, allow_null=True, **MONEY)
                if i.money
                else serializers.IntegerField(required=False, allow_null=True, **COUNT)
            )

    def data_fields(self) -> dict[str, Any]:
        return {k: v for k, v in self.validated_data.items() if k not in ("carrier", "year")}


class EvaluateSerializer(StrictSerializer):
    formula = serializers.IntegerField(
        min_value=1, required=False, help_text="A formula version id; default: the one in use."
    )


_REPORT = {200: AnnualReportSerializer, **error_responses(400, 401, 403, 404)}


@extend_schema_view(
    list=extend_schema(
        tags=["carriers"],
        summary="Annual reports I may see",
        responses={200: AnnualReportSerializer(many=True), **error_responses(401)},
    ),
    retrieve=extend_schema(
        tags=["carriers"],
        summary="Read one annual report",
        responses={200: AnnualReportSerializer, **error_responses(401, 404)},
    ),
    create=extend_schema(
        tags=["carriers"],
        summary="Start the annual report of a carrier (draft)",
        request=AnnualReportWriteSerializer,
        responses={201: AnnualReportSerializer, **error_responses(400, 401, 403, 404)},
    ),
    partial_update=extend_schema(
        tags=["carriers"],
        summary="Change a draft or returned report",
        request=AnnualReportWriteSerializer,
        responses=_REPORT,
    ),
)
class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = Pagination
    serializer_class = AnnualReportSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        qs = AnnualReport.objects.select_related("carrier").prefetch_related(
            Prefetch("evaluations", queryset=Evaluation.objects.select_related("formula"))
        )
        user = self.request.user
        if not is_console_user(user):
            qs = qs.filter(carrier__operator_id=getattr(user, "organization_id", None) or 0)
        return qs.order_by("-year", "carrier__name", "pk")

    def _report(self) -> AnnualReport:
        return rules.report_for(self.request.user, int(self.kwargs["pk"]))

    def _out(self, report: AnnualReport, code: int = 200) -> Response:
        return Response(AnnualReportSerializer(self.get_queryset().get(pk=report.pk)).data, status=code)

    def create(self, request: Request) -> Response:
        body = AnnualReportWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if "carrier" not in body.validated_data or "year" not in body.validated_data:
            raise exceptions.ValidationError({"carrier": [_("Name the carrier and the year.")]})
        carrier = rules.carrier_for(request.user, body.validated_data["carrier"])
        data = {k: v for k, v in body.data_fields().items() if v is not None or k == "narrative"}
        with service_errors():
            report = services.start_report(
                carrier, actor=request.user, year=body.validated_data["year"], data=data
            )
        return self._out(report, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        report = self._report()
        body = AnnualReportWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        if {"carrier", "year"} & set(body.validated_data):
            raise exceptions.ValidationError({"year": [_("The carrier and year of a report do not change.")]})
        with service_errors():
            services.update_report(report, actor=request.user, data=body.data_fields())
        return self._out(report)

    @extend_schema(tags=["carriers"], summary="Submit to the reviewers", request=None, responses=_REPORT)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        report = self._report()
        with service_errors():
            services.submit_report(report, actor=request.user)
        return self._out(report)

    @extend_schema(
        tags=["carriers"], summary="Accept and evaluate (reviewers)", request=None, responses=_REPORT
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        report = self._report()
        with service_errors():
            services.accept_report(report, actor=request.user)
        return self._out(report)

    @extend_schema(
        tags=["carriers"],
        summary="Return for correction (reviewers)",
        request=CarrierReasonSerializer,
        responses=_REPORT,
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, pk: str) -> Response:
        report = self._report()
        rules.check_review_reports(request.user)
        body = CarrierReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with service_errors():
            services.return_report(report, actor=request.user, reason=body.validated_data["reason"])
        return self._out(report)

    @extend_schema(
        tags=["carriers"],
        summary="Evaluate with a formula version (reviewers)",
        request=EvaluateSerializer,
        responses=_REPORT,
    )
    @action(detail=True, methods=["post"])
    def evaluate(self, request: Request, pk: str) -> Response:
        report = self._report()
        body = EvaluateSerializer(data=request.data or {})
        body.is_valid(raise_exception=True)
        formula = None
        if body.validated_data.get("formula"):
            formula = get_object_or_404(EvaluationFormula, pk=body.validated_data["formula"])
        with service_errors():
            services.evaluate_report(report, actor=request.user, formula=formula)
        return self._out(report)


class EvaluationFormulaSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvaluationFormula
        fields = [
            "id", "family", "version", "title", "weights", "benchmarks", "excellent_from", "good_from",
            "pass_from", "notes", "status", "activated_at", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class EvaluationFormulaWriteSerializer(StrictSerializer):
    family = serializers.ChoiceField(choices=Family.choices)
    title = serializers.CharField(max_length=200)
    weights = serializers.DictField(
        child=serializers.DecimalField(
            max_digits=5, decimal_places=2, min_value=Decimal("0"), max_value=Decimal("100")
        ),
        help_text="Indicator code → points (they add up to 100).",
    )
    benchmarks = serializers.DictField(
        child=serializers.DecimalField(**MONEY),
        help_text="Indicator code → the value that earns the full weight.",
    )
    excellent_from = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        default=Decimal("85"),
    )
    good_from = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        default=Decimal("70"),
    )
    pass_from = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        default=Decimal("60"),
    )
    notes = serializers.CharField(max_length=3000, required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if len(attrs.get("weights") or {}) > len(indicators.CODES):
            raise serializers.ValidationError({"weights": [_("Too many indicators.")]})
        return attrs


@extend_schema_view(
    list=extend_schema(
        tags=["carriers"],
        summary="Evaluation formula versions",
        responses={200: EvaluationFormulaSerializer(many=True)},
    ),
    retrieve=extend_schema(
        tags=["carriers"],
        summary="Read one formula version",
        responses={200: EvaluationFormulaSerializer, **error_responses(404)},
    ),
    create=extend_schema(
        tags=["carriers"],
        summary="Draft a new formula version (operators)",
        request=EvaluationFormulaWriteSerializer,
        responses={201: EvaluationFormulaSerializer, **error_responses(400, 401, 403)},
    ),
)
class FormulaViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Formulas are public: anyone can check how an evaluation was computed."""

    permission_classes = [ReadOnlyOrAuthenticated]
    serializer_class = EvaluationFormulaSerializer
    pagination_class = None
    queryset = EvaluationFormula.objects.order_by("family", "-version")

    def create(self, request: Request) -> Response:
        rules.check_change_formulas(request.user)
        body = EvaluationFormulaWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        with service_errors():
            formula = services.draft_formula(
                actor=request.user,
                family=d["family"],
                title=d["title"],
                weights=d["weights"],
                benchmarks=d["benchmarks"],
                thresholds=(d["excellent_from"], d["good_from"], d["pass_from"]),
                notes=d.get("notes", ""),
            )
        return Response(EvaluationFormulaSerializer(formula).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=["carriers"],
        summary="Put into use (operators)",
        request=None,
        responses={200: EvaluationFormulaSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def activate(self, request: Request, pk: str) -> Response:
        formula = get_object_or_404(EvaluationFormula, pk=int(pk))
        with service_errors():
            services.activate_formula(formula, actor=request.user)
        return Response(EvaluationFormulaSerializer(formula).data)


# ---- designations and R&D input ------------------------------------------------------------------------


class EnterpriseDesignationSerializer(serializers.ModelSerializer):
    organization = OrganizationRefSerializer(read_only=True)

    class Meta:
        model = Designation
        fields = [
            "id", "organization", "kind", "year", "granted_on", "valid_until", "issuer", "certificate_no",
            "evidence", "status", "revoked_on", "is_demo",
        ]  # fmt: skip
        read_only_fields = fields


class EnterpriseDesignationWriteSerializer(StrictSerializer):
    organization = _orgs()
    kind = serializers.ChoiceField(choices=DesignationKind.choices)
    year = serializers.IntegerField(min_value=1980, max_value=2100)
    granted_on = serializers.DateField()
    valid_until = serializers.DateField(required=False, allow_null=True)
    issuer = serializers.CharField(max_length=100, required=False, allow_blank=True)
    certificate_no = serializers.CharField(max_length=100, required=False, allow_blank=True)
    evidence = serializers.CharField(max_length=1000)


@extend_schema_view(
    list=extend_schema(
        tags=["enterprises"],
        summary="Designations of enterprises",
        description="Valid designations for everyone; reviewers and operators also see revoked ones.",
        parameters=form_parameters(DesignationFilterForm),
        responses={200: EnterpriseDesignationSerializer(many=True), **error_responses(400)},
    ),
    retrieve=extend_schema(
        tags=["enterprises"],
        summary="Read one designation",
        responses={200: EnterpriseDesignationSerializer, **error_responses(404)},
    ),
    create=extend_schema(
        tags=["enterprises"],
        summary="Record a designation (reviewers, operators)",
        request=EnterpriseDesignationWriteSerializer,
        responses={201: EnterpriseDesignationSerializer, **error_responses(400, 401, 403)},
    ),
)
class DesignationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [ReadOnlyOrAuthenticated]
    pagination_class = Pagination
    serializer_class = EnterpriseDesignationSerializer

    def get_queryset(self) -> Any:
        qs = Designation.objects.select_related("organization")
        if not rules.can_record_designations(self.request.user):
            qs = qs.filter(status="active")
        return qs.order_by("-year", "organization__name", "pk")

    def filter_queryset(self, queryset: Any) -> Any:
        if self.action != "list":
            return queryset
        f = validated_query(DesignationFilterForm, self.request).cleaned_data
        if f.get("kind"):
            queryset = queryset.filter(kind=f["kind"])
        if f.get("year"):
            queryset = queryset.filter(year=f["year"])
        if f.get("district"):
            queryset = queryset.filter(organization__district=f["district"])
        if f.get("zone"):
            queryset = queryset.filter(organization__zone_id__in=zone_ids(f["zone"]))
        if f.get("q"):
            queryset = queryset.filter(organization__name__icontains=f["q"])
        return queryset

    def create(self, request: Request) -> Response:
        rules.check_record_designations(request.user)
        body = EnterpriseDesignationWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = dict(body.validated_data)
        org = d.pop("organization")
        with service_errors():
            designation = services.record_designation(org, actor=request.user, data=d)
        return Response(EnterpriseDesignationSerializer(designation).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=["enterprises"],
        summary="Revoke (reviewers, operators)",
        request=CarrierReasonSerializer,
        responses={200: EnterpriseDesignationSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str) -> Response:
        designation = get_object_or_404(Designation, pk=int(pk))
        rules.check_record_designations(request.user)
        body = CarrierReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with service_errors():
            services.revoke_designation(designation, actor=request.user, reason=body.validated_data["reason"])
        return Response(EnterpriseDesignationSerializer(designation).data)


class RdInputSerializer(serializers.ModelSerializer):
    organization = OrganizationRefSerializer(read_only=True)
    intensity = serializers.DecimalField(max_digits=9, decimal_places=2, read_only=True, allow_null=True)

    class Meta:
        model = RdInput
        fields = [
            "id", "organization", "year", "rd_expenditure", "revenue", "rd_staff", "staff_total",
            "cooperation_spend", "intensity", "note", "reported_at",
        ]  # fmt: skip
        read_only_fields = fields


class RdInputWriteSerializer(StrictSerializer):
    year = serializers.IntegerField(min_value=1980, max_value=2100)
    rd_expenditure = serializers.DecimalField(**MONEY)
    revenue = serializers.DecimalField(**MONEY)
    rd_staff = serializers.IntegerField(**COUNT)
    staff_total = serializers.IntegerField(**COUNT)
    cooperation_spend = serializers.DecimalField(required=False, **MONEY)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


@extend_schema_view(
    list=extend_schema(
        tags=["enterprises"],
        summary="R&D input (my enterprise; console users: all)",
        responses={200: RdInputSerializer(many=True), **error_responses(401)},
    ),
    create=extend_schema(
        tags=["enterprises"],
        summary="Report (or correct) a year of my enterprise's R&D input (its admins)",
        request=RdInputWriteSerializer,
        responses={201: RdInputSerializer, 200: RdInputSerializer, **error_responses(400, 401, 403)},
    ),
)
class RdInputViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = Pagination
    serializer_class = RdInputSerializer

    def get_queryset(self) -> Any:
        return rules.rd_inputs_visible(self.request.user).order_by("-year", "organization__name", "pk")

    def create(self, request: Request) -> Response:
        rules.check_report_rd_input(request.user)
        body = RdInputWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = dict(body.validated_data)
        year = d.pop("year")
        with service_errors():
            row, created = services.report_rd_input(actor=request.user, year=year, data=d)
        return Response(RdInputSerializer(row).data, status=status.HTTP_201_CREATED if created else 200)


# ---- projects ---------------------------------------------------------------------------------------


class PartySerializer(serializers.Serializer):
    organization = serializers.IntegerField(min_value=1)
    role = serializers.ChoiceField(choices=[r for r in PartyRole.choices if r[0] != PartyRole.LEAD])


class ProjectMilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProjectMilestone
        fields = ["id", "title", "due_on", "done_on", "note"]
        read_only_fields = fields


class ProjectSerializer(serializers.ModelSerializer):
    lead = OrganizationRefSerializer(read_only=True)
    parties = serializers.SerializerMethodField()
    milestones = ProjectMilestoneSerializer(many=True, read_only=True)
    zone: Any = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    achievements: Any = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    contracts: Any = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)

    class Meta:
        model = Project
        fields = [
            "id", "title", "kind", "summary", "lead", "parties", "budget", "public_funding", "starts_on",
            "ends_on", "outputs", "achievements", "contracts", "milestones", "district", "zone", "status",
            "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_parties(self, project: Project) -> list[dict[str, Any]]:
        return [
            {"organization": p.organization_id, "name": p.organization.name, "role": p.role}
            for p in project.parties.all()
        ]


class ProjectWriteSerializer(StrictSerializer):
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=ProjectKind.choices)
    summary = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    budget = serializers.DecimalField(required=False, **MONEY)
    public_funding = serializers.DecimalField(required=False, **MONEY)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    outputs = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    district = serializers.ChoiceField(choices=District.choices, required=False, allow_blank=True)
    zone: Any = zone_field()
    parties = PartySerializer(many=True, required=False, max_length=MAX_PARTIES)  # type: ignore[call-arg]
    achievements = serializers.ListField(
        child=serializers.IntegerField(min_value=1), max_length=MAX_LINKS, required=False
    )
    contracts = serializers.ListField(
        child=serializers.CharField(max_length=32), max_length=MAX_LINKS, required=False
    )

    def service_kwargs(self, user: Any) -> dict[str, Any]:
        from techbridge.contracts.queries import contracts_for

        d = dict(self.validated_data)
        parties = d.pop("parties", None)
        achievement_ids = d.pop("achievements", None)
        numbers = d.pop("contracts", None)
        out: dict[str, Any] = {"data": d}
        if parties is not None:
            orgs = {
                o.pk: o
                for o in Organization.objects.filter(
                    pk__in=[p["organization"] for p in parties], status=OrgStatus.APPROVED
                )
            }
            missing = [p["organization"] for p in parties if p["organization"] not in orgs]
            if missing:
                raise exceptions.ValidationError(
                    {"parties": [_("No approved organisation with these ids: %(ids)s") % {"ids": missing}]}
                )
            out["parties"] = [(orgs[p["organization"]], p["role"]) for p in parties]
        if achievement_ids is not None:
            rows = {a.pk: a for a in Achievement.objects.filter(pk__in=achievement_ids)}
            missing = [i for i in achievement_ids if i not in rows]
            if missing:
                raise exceptions.ValidationError(
                    {"achievements": [_("Not found: %(ids)s") % {"ids": missing}]}
                )
            out["achievements"] = [rows[i] for i in dict.fromkeys(achievement_ids)]
        if numbers is not None:
            visible = contracts_for(user) if not is_staff_reviewer(user) else Contract.objects.all()
            rows2 = {c.number: c for c in visible.filter(number__in=numbers)}
            missing2 = [n for n in numbers if n not in rows2]
            if missing2:
                raise exceptions.ValidationError(
                    {"contracts": [_("Not found or not yours: %(ids)s") % {"ids": missing2}]}
                )
            out["contracts"] = [rows2[n] for n in dict.fromkeys(numbers)]
        return out


class ProjectMilestoneWriteSerializer(StrictSerializer):
    title = serializers.CharField(max_length=200)
    due_on = serializers.DateField()
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class MoveSerializer(StrictSerializer):
    to = serializers.ChoiceField(choices=["ongoing", "completed", "terminated"])
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True)


_PROJECT = {200: ProjectSerializer, **error_responses(400, 401, 403, 404)}


@extend_schema_view(
    list=extend_schema(
        tags=["enterprises"],
        summary="Projects I take part in (console users: all)",
        responses={200: ProjectSerializer(many=True), **error_responses(401)},
    ),
    retrieve=extend_schema(
        tags=["enterprises"],
        summary="Read one project",
        responses={200: ProjectSerializer, **error_responses(401, 404)},
    ),
    create=extend_schema(
        tags=["enterprises"],
        summary="Register a project led by my organisation",
        request=ProjectWriteSerializer,
        responses={201: ProjectSerializer, **error_responses(400, 401, 403)},
    ),
    partial_update=extend_schema(
        tags=["enterprises"],
        summary="Change a project (the lead)",
        request=ProjectWriteSerializer,
        responses=_PROJECT,
    ),
)
class ProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = Pagination
    serializer_class = ProjectSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        return (
            rules.visible_projects(self.request.user)
            .select_related("lead", "zone")
            .prefetch_related("parties__organization", "milestones", "achievements", "contracts")
            .order_by("-starts_on", "-pk")
        )

    def _project(self, edit: bool = False) -> Project:
        pk = int(self.kwargs["pk"])
        return (
            rules.edited_project_for(self.request.user, pk)
            if edit
            else rules.project_for(self.request.user, pk)
        )

    def _out(self, project: Project, code: int = 200) -> Response:
        return Response(ProjectSerializer(self.get_queryset().get(pk=project.pk)).data, status=code)

    def create(self, request: Request) -> Response:
        rules.check_create_project(request.user)
        body = ProjectWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        kwargs = body.service_kwargs(request.user)
        with service_errors():
            project = services.create_project(
                actor=request.user,
                data=kwargs["data"],
                parties=kwargs.get("parties") or [],
                achievements=kwargs.get("achievements") or [],
                contracts=kwargs.get("contracts") or [],
            )
        return self._out(project, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        project = self._project(edit=True)
        body = ProjectWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        with service_errors():
            services.update_project(project, actor=request.user, **body.service_kwargs(request.user))
        return self._out(project)

    @extend_schema(
        tags=["enterprises"],
        summary="Start, complete or terminate (the lead)",
        request=MoveSerializer,
        responses=_PROJECT,
    )
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str) -> Response:
        project = self._project(edit=True)
        body = MoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with service_errors():
            services.move_project(
                project,
                actor=request.user,
                to=body.validated_data["to"],
                note=body.validated_data.get("note", ""),
            )
        return self._out(project)

    @extend_schema(
        tags=["enterprises"],
        summary="Add a milestone (the lead)",
        request=ProjectMilestoneWriteSerializer,
        responses=_PROJECT,
    )
    @action(detail=True, methods=["post"])
    def milestones(self, request: Request, pk: str) -> Response:
        project = self._project(edit=True)
        body = ProjectMilestoneWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with service_errors():
            services.add_milestone(project, actor=request.user, **body.validated_data)
        return self._out(project)

    @extend_schema(
        tags=["enterprises"], summary="Mark a milestone reached (the lead)", request=None, responses=_PROJECT
    )
    @action(detail=True, methods=["post"], url_path=r"milestones/(?P<milestone_pk>\d+)/done")
    def milestone_done(self, request: Request, pk: str, milestone_pk: str) -> Response:
        project = self._project(edit=True)
        milestone = get_object_or_404(ProjectMilestone, pk=int(milestone_pk), project=project)
        with service_errors():
            services.complete_milestone(milestone, actor=request.user)
        return self._out(project)


# ---- alliances --------------------------------------------------------------------------------------


class MemberSerializer(serializers.ModelSerializer):
    organization = OrganizationRefSerializer(read_only=True)

    class Meta:
        model = AllianceMember
        fields = ["id", "organization", "role", "joined_on", "left_on"]
        read_only_fields = fields


class AllianceSerializer(serializers.ModelSerializer):
    lead = OrganizationRefSerializer(read_only=True)
    fields: Any = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    zone: Any = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    members = serializers.SerializerMethodField()

    class Meta:
        model = Alliance
        fields = [
            "id",
            "name",
            "lead",
            "fields",
            "founded_on",
            "description",
            "website",
            "district",
            "zone",
            "status",
            "members",
            "is_demo",
        ]
        read_only_fields = fields

    def get_members(self, alliance: Alliance) -> Any:
        current = [m for m in alliance.members.all() if m.left_on is None]
        return MemberSerializer(current, many=True).data


class AllianceWriteSerializer(StrictSerializer):
    name = serializers.CharField(max_length=200)
    lead = _orgs(required=False)
    founded_on = serializers.DateField()
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    website = serializers.URLField(max_length=200, required=False, allow_blank=True)
    district = serializers.ChoiceField(choices=District.choices, required=False, allow_blank=True)
    zone: Any = zone_field()
    fields: Any = _codes()


class MemberWriteSerializer(StrictSerializer):
    organization = _orgs()
    role = serializers.ChoiceField(choices=MemberRole.choices, default=MemberRole.MEMBER)
    joined_on = serializers.DateField()


_ALLIANCE = {200: AllianceSerializer, **error_responses(400, 401, 403, 404)}


@extend_schema_view(
    list=extend_schema(
        tags=["enterprises"],
        summary="Industry technology innovation alliances",
        responses={200: AllianceSerializer(many=True)},
    ),
    retrieve=extend_schema(
        tags=["enterprises"],
        summary="Read one alliance and its members",
        responses={200: AllianceSerializer, **error_responses(404)},
    ),
    create=extend_schema(
        tags=["enterprises"],
        summary="Register an alliance (operators)",
        request=AllianceWriteSerializer,
        responses={201: AllianceSerializer, **error_responses(400, 401, 403)},
    ),
    partial_update=extend_schema(
        tags=["enterprises"],
        summary="Change an alliance",
        request=AllianceWriteSerializer,
        responses=_ALLIANCE,
    ),
)
class AllianceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [ReadOnlyOrAuthenticated]
    pagination_class = Pagination
    serializer_class = AllianceSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        return (
            Alliance.objects.select_related("lead", "zone")
            .prefetch_related(
                "fields", Prefetch("members", queryset=AllianceMember.objects.select_related("organization"))
            )
            .order_by("name", "pk")
        )

    def _out(self, alliance: Alliance, code: int = 200) -> Response:
        return Response(AllianceSerializer(self.get_queryset().get(pk=alliance.pk)).data, status=code)

    def create(self, request: Request) -> Response:
        rules.check_register_alliances(request.user)
        body = AllianceWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = dict(body.validated_data)
        lead = d.pop("lead", None)
        fields = d.pop("fields", [])
        if lead is None:
            raise exceptions.ValidationError({"lead": [_("Name the lead organisation.")]})
        with service_errors():
            alliance = services.register_alliance(actor=request.user, lead=lead, data=d, fields=fields)
        return self._out(alliance, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        alliance = rules.alliance_for(request.user, int(pk))
        body = AllianceWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        d = dict(body.validated_data)
        if "lead" in d:
            raise exceptions.ValidationError(
                {"lead": [_("The lead organisation of an alliance does not change.")]}
            )
        fields = d.pop("fields", None)
        with service_errors():
            services.update_alliance(alliance, actor=request.user, data=d, fields=fields)
        return self._out(alliance)

    @extend_schema(
        tags=["enterprises"],
        summary="Add a member (the lead's admins, operators)",
        request=MemberWriteSerializer,
        responses=_ALLIANCE,
    )
    @action(detail=True, methods=["post"])
    def members(self, request: Request, pk: str) -> Response:
        alliance = rules.alliance_for(request.user, int(pk))
        rules.check_manage_alliance(request.user, alliance)
        body = MemberWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with service_errors():
            services.add_member(alliance, actor=request.user, **body.validated_data)
        return self._out(alliance)

    @extend_schema(
        tags=["enterprises"],
        summary="A member leaves (the lead's admins, operators)",
        request=None,
        responses=_ALLIANCE,
    )
    @action(detail=True, methods=["post"], url_path=r"members/(?P<member_pk>\d+)/leave")
    def member_leave(self, request: Request, pk: str, member_pk: str) -> Response:
        alliance = rules.alliance_for(request.user, int(pk))
        member = get_object_or_404(
            AllianceMember.objects.select_related("organization"), pk=int(member_pk), alliance=alliance
        )
        member.alliance = alliance
        with service_errors():
            services.remove_member(member, actor=request.user)
        return self._out(alliance)


# ---- typical cases -------------------------------------------------------------------------------------


class CaseSerializer(serializers.ModelSerializer):
    organizations = OrganizationRefSerializer(many=True, read_only=True)
    fields: Any = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    zone: Any = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    facts = serializers.SerializerMethodField()

    class Meta:
        model = TypicalCase
        fields = [
            "id", "title", "category", "year", "summary", "body", "source_kind", "facts", "organizations",
            "fields", "carrier", "district", "zone", "status", "published_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_facts(self, case: TypicalCase) -> dict[str, Any]:
        facts = dict(case.source_facts or {})
        facts.pop("organization_ids", None)
        facts.pop("field_ids", None)
        if not case.show_amount:
            facts.pop("amount", None)
        return facts


class CaseWriteSerializer(StrictSerializer):
    title = serializers.CharField(max_length=200)
    category = serializers.ChoiceField(choices=CaseCategory.choices)
    year = serializers.IntegerField(min_value=1980, max_value=2100)
    summary = serializers.CharField(max_length=500)
    body = serializers.CharField(max_length=20000)
    show_amount = serializers.BooleanField(required=False)
    consent = serializers.BooleanField(required=False)
    district = serializers.ChoiceField(choices=District.choices, required=False, allow_blank=True)
    zone: Any = zone_field()
    carrier = serializers.PrimaryKeyRelatedField(
        queryset=Carrier.objects.filter(status=CarrierStatus.APPROVED), required=False, allow_null=True
    )
    organizations = serializers.ListField(
        child=serializers.IntegerField(min_value=1), max_length=10, required=False
    )
    fields: Any = _codes()
    source_kind = serializers.ChoiceField(
        choices=[], required=False, allow_blank=True, help_text="contract, room or lot"
    )
    source_id = serializers.IntegerField(min_value=1, required=False, allow_null=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(Any, self).fields["source_kind"].choices = [s.code for s in case_sources()]

    def split(self) -> tuple[dict[str, Any], dict[str, Any]]:
        d = dict(self.validated_data)
        extra: dict[str, Any] = {k: d.pop(k) for k in ("source_kind", "source_id") if k in d}
        if "organizations" in d:
            ids = d.pop("organizations")
            extra["organizations"] = list(Organization.objects.filter(pk__in=ids))
        if "fields" in d:
            extra["fields"] = d.pop("fields")
        return d, extra


_CASE = {200: CaseSerializer, **error_responses(400, 401, 403, 404)}


@extend_schema_view(
    list=extend_schema(
        tags=["carriers"],
        summary="Typical cases",
        description="Published cases (staff: all); q searches in Chinese and ranks by relevance.",
        parameters=form_parameters(CaseFilterForm),
        responses={200: CaseSerializer(many=True), **error_responses(400)},
    ),
    retrieve=extend_schema(
        tags=["carriers"], summary="Read one case", responses={200: CaseSerializer, **error_responses(404)}
    ),
    create=extend_schema(
        tags=["carriers"],
        summary="Write a case (reviewers, operators), by hand or from a record",
        request=CaseWriteSerializer,
        responses={201: CaseSerializer, **error_responses(400, 401, 403)},
    ),
    partial_update=extend_schema(
        tags=["carriers"], summary="Change a case", request=CaseWriteSerializer, responses=_CASE
    ),
)
class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [ReadOnlyOrAuthenticated]
    pagination_class = Pagination
    serializer_class = CaseSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        return (
            TypicalCase.objects.filter(rules.cases_visible_q(self.request.user))
            .select_related("zone")
            .prefetch_related("organizations", "fields")
        )

    def filter_queryset(self, queryset: Any) -> Any:
        if self.action != "list":
            return queryset
        f = validated_query(CaseFilterForm, self.request).cleaned_data
        for name in ("category", "district"):
            if f.get(name):
                queryset = queryset.filter(**{name: f[name]})
        if f.get("zone"):
            queryset = queryset.filter(zone_id__in=zone_ids(f["zone"]))
        if f.get("q"):
            queryset, ranked = queries.search_cases(queryset, f["q"])
            if not ranked:
                return queryset.none()
            order = Case(
                *[When(pk=pk, then=Value(i)) for i, pk in enumerate(ranked)], output_field=IntegerField()
            )
            return queryset.annotate(rank=order).order_by("rank")
        return queryset.order_by("-published_at", "-pk")

    def _case(self) -> TypicalCase:
        return rules.case_for(self.request.user, int(self.kwargs["pk"]))

    def _out(self, case: TypicalCase, code: int = 200) -> Response:
        return Response(CaseSerializer(self.get_queryset().get(pk=case.pk)).data, status=code)

    def create(self, request: Request) -> Response:
        rules.check_write_cases(request.user)
        body = CaseWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data, extra = body.split()
        with service_errors():
            case = services.create_case(
                actor=request.user,
                data=data,
                source_kind=extra.get("source_kind") or "",
                source_id=extra.get("source_id"),
                organizations=extra.get("organizations"),
                fields=extra.get("fields"),
            )
        return self._out(case, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        case = self._case()
        body = CaseWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data, extra = body.split()
        if extra.get("source_kind") or extra.get("source_id"):
            raise exceptions.ValidationError(
                {"source_kind": [_("The record a case is written from does not change.")]}
            )
        with service_errors():
            services.update_case(
                case,
                actor=request.user,
                data=data,
                organizations=extra.get("organizations"),
                fields=extra.get("fields"),
            )
        return self._out(case)

    @extend_schema(tags=["carriers"], summary="Publish (reviewers, operators)", request=None, responses=_CASE)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        case = self._case()
        with service_errors():
            services.publish_case(case, actor=request.user)
        return self._out(case)

    @extend_schema(
        tags=["carriers"], summary="Withdraw (reviewers, operators)", request=None, responses=_CASE
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        case = self._case()
        with service_errors():
            services.withdraw_case(case, actor=request.user)
        return self._out(case)


# ---- statistics ---------------------------------------------------------------------------------------


class CarrierStatsView(APIView):
    """Carriers and designated enterprises counted at a date, by kind, district and zone, and the targets."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=["carriers"],
        summary="Carrier and enterprise statistics by district and zone",
        parameters=form_parameters(StatsFilterForm),
        responses={200: OpenApiTypes.OBJECT, **error_responses(400)},
    )
    def get(self, request: Request) -> Response:
        f = {
            k: v
            for k, v in validated_query(StatsFilterForm, request).cleaned_data.items()
            if v not in (None, "")
        }
        today = timezone.localdate()
        year = f.get("year")
        day = today if not year or year >= today.year else dt.date(year, 12, 31)
        place = {"district": f.get("district"), "zone": f.get("zone")}
        c = queries.carrier_stats(day, **place)
        d = queries.designation_stats(day, **place)

        def rows(items: list[Any]) -> list[dict[str, Any]]:
            return [{"key": r.key, "label": r.label, "values": r.values, "total": r.total} for r in items]

        return Response(
            {
                "date": day,
                "targets": [{**t, "label": str(t["label"])} for t in c["targets"]],
                "carriers": {
                    "total": c["total"],
                    "by_kind": rows(c["by_kind"]),
                    "by_district": rows(c["by_district"]),
                    "by_zone": rows(c["by_zone"]),
                },
                "designations": {
                    "totals": d["totals"],
                    "by_district": rows(d["by_district"]),
                    "by_zone": rows(d["by_zone"]),
                },
            }
        )
