"""Talent API: technology managers and their routed demands, certificates, training (sessions,
registration, results), the expert pool, secondments, the talent register and the plan's figures.

Visibility is the portal's: the manager directory, training calendar, demand assessments and figures
are public; one's own profile, certificates and training record are one's own; reviewing, training
results, secondments and the register are for platform staff (officials read); the expert pool is for
operators.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from techbridge.accounts.models import User
from techbridge.core.api import Pagination
from techbridge.core.listing_api import StrictSerializer, error_responses, service_errors
from techbridge.core.permissions import RolePermission
from techbridge.core.roles import is_console_user, is_operator, is_staff_reviewer
from techbridge.core.workflow import ReviewStatus
from techbridge.demands.models import Demand
from techbridge.institutions.choices import VERIFICATION_DECISIONS
from techbridge.lib.numbers import digits
from techbridge.organizations.models import Organization
from techbridge.taxonomy.models import IndustryField

from . import panels, queries, services
from .choices import CertificateKind, ManagerLevel, SecondmentProgramme, TalentCategory
from .models import (
    MAX_FIELDS,
    Certificate,
    DemandAssessment,
    Enrolment,
    Expert,
    Routing,
    Secondment,
    TalentEntry,
    TrainingSession,
)
from .permissions import manager_for, routing_for
from .presenters import assessment_rows

TAG = "talent"


# ---- output -----------------------------------------------------------------------------------


class TalentCertificateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Certificate
        fields = ["id", "kind", "number", "issuer", "issued_on", "expires_on", "status", "note"]
        read_only_fields = fields


class TechnologyManagerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="user.display_name")
    level = serializers.CharField()
    status = serializers.CharField()
    institution = serializers.CharField(source="institution.organization.name", default=None)
    organization = serializers.CharField(source="user.organization.name", default=None)
    industry_fields = serializers.SerializerMethodField()
    bio = serializers.CharField()

    def get_industry_fields(self, obj: Any) -> list[str]:
        return [f.code for f in obj.fields.all()]


class RoutingSerializer(serializers.ModelSerializer):
    demand_title = serializers.CharField(source="demand.title", read_only=True)
    enterprise = serializers.CharField(source="demand.enterprise.name", read_only=True)
    manager_name = serializers.CharField(source="manager.user.display_name", read_only=True)

    class Meta:
        model = Routing
        fields = [
            "id",
            "demand",
            "demand_title",
            "enterprise",
            "manager",
            "manager_name",
            "score",
            "reason",
            "status",
            "routed_at",
            "answered_at",
            "note",
        ]
        read_only_fields = fields


class TrainingSessionSerializer(serializers.ModelSerializer):
    course = serializers.CharField(source="course.title", read_only=True)
    course_code = serializers.CharField(source="course.code", read_only=True)
    base = serializers.CharField(source="course.base.name", read_only=True)
    hours = serializers.DecimalField(source="course.hours", max_digits=5, decimal_places=1, read_only=True)
    seats_left = serializers.IntegerField(read_only=True)

    class Meta:
        model = TrainingSession
        fields = [
            "id",
            "course",
            "course_code",
            "base",
            "hours",
            "starts_on",
            "ends_on",
            "registration_closes",
            "location",
            "capacity",
            "seats_left",
            "status",
        ]
        read_only_fields = fields


class TrainingEnrolmentSerializer(serializers.ModelSerializer):
    session = TrainingSessionSerializer(read_only=True)
    certificate = TalentCertificateSerializer(read_only=True)

    class Meta:
        model = Enrolment
        fields = ["id", "session", "status", "hours", "exam_score", "certificate"]
        read_only_fields = fields


class PoolExpertSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    name = serializers.CharField(source="user.display_name", read_only=True)
    organization = serializers.CharField(source="user.organization.name", read_only=True, allow_null=True)
    fields: Any = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    conflicts = serializers.SerializerMethodField()

    class Meta:
        model = Expert
        fields = ["id", "username", "name", "organization", "fields", "title", "bio", "active", "conflicts"]
        read_only_fields = fields

    def get_conflicts(self, obj: Expert) -> list[dict[str, Any]]:
        return [
            {"organization": c.organization.name, "reason": c.reason} for c in obj.declared_conflicts.all()
        ]


class SecondmentSerializer(serializers.ModelSerializer):
    from_org = serializers.CharField(source="from_org.name", read_only=True)
    to_org = serializers.CharField(source="to_org.name", read_only=True)

    class Meta:
        model = Secondment
        fields = [
            "id",
            "programme",
            "person_name",
            "from_org",
            "to_org",
            "post",
            "starts_on",
            "ends_on",
            "projects",
            "outputs",
            "is_demo",
        ]
        read_only_fields = fields


class TalentEntrySerializer(serializers.ModelSerializer):
    field = serializers.CharField(source="field.code", read_only=True, default=None, allow_null=True)
    source: Any = serializers.CharField(read_only=True)

    class Meta:
        model = TalentEntry
        fields = [
            "id",
            "programme",
            "category",
            "year",
            "person_name",
            "organization_name",
            "field",
            "external_id",
            "note",
            "source",
            "is_demo",
        ]
        read_only_fields = fields


# ---- input ------------------------------------------------------------------------------------


class ManagerProfileInSerializer(StrictSerializer):
    level = serializers.ChoiceField(choices=ManagerLevel.choices)
    fields: Any = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=IndustryField.objects.all()
    )
    bio = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    max_load = serializers.IntegerField(min_value=1, max_value=50, default=5)
    accepting_routes = serializers.BooleanField(default=True)

    def validate_fields(self, value: list[Any]) -> list[Any]:
        if len(value) > MAX_FIELDS:
            raise serializers.ValidationError(_("Choose at most %(n)s industry fields.") % {"n": MAX_FIELDS})
        return value


class RoutingNoteSerializer(StrictSerializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class TalentCertificateInSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=CertificateKind.choices)
    number = serializers.CharField(max_length=60)
    issuer = serializers.CharField(max_length=100)
    issued_on = serializers.DateField()
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)


class CertificateVerifySerializer(StrictSerializer):
    decision = serializers.ChoiceField(choices=VERIFICATION_DECISIONS)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class TrainingResultRowSerializer(StrictSerializer):
    enrolment = serializers.IntegerField(min_value=1)
    hours = serializers.DecimalField(max_digits=5, decimal_places=1, min_value=0, max_value=200)
    exam_score = serializers.IntegerField(
        min_value=0, max_value=100, required=False, allow_null=True, default=None
    )


class TrainingResultsSerializer(StrictSerializer):
    rows = serializers.ListField(child=TrainingResultRowSerializer(), max_length=500)


class PoolExpertInSerializer(StrictSerializer):
    username = serializers.CharField(max_length=150)
    fields: Any = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=IndustryField.objects.all()
    )
    title = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    bio = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    active = serializers.BooleanField(required=False, default=True)
    conflicts = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField(max_length=200)),
        max_length=30,
        required=False,
        help_text="[{organization: name or credit code, reason}]",
    )


class SecondmentInSerializer(StrictSerializer):
    programme = serializers.ChoiceField(choices=SecondmentProgramme.choices)
    person_name = serializers.CharField(max_length=50)
    from_org = serializers.CharField(max_length=200, help_text="Name or credit code.")
    to_org = serializers.CharField(max_length=200, help_text="Name or credit code.")
    post = serializers.CharField(max_length=100)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    projects = serializers.IntegerField(min_value=0, max_value=1000, default=0)
    outputs = serializers.CharField(max_length=3000, required=False, allow_blank=True, default="")


class EntryInSerializer(StrictSerializer):
    programme = serializers.CharField(max_length=100)
    category = serializers.ChoiceField(choices=TalentCategory.choices)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    person_name = serializers.CharField(max_length=50)
    organization = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    external_id = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


def _org(value: str, field: str) -> Organization | None:
    if not value:
        return None
    org = (
        Organization.objects.filter(credit_code=value.upper()).first()
        or Organization.objects.filter(name=value).first()
    )
    if org is None:
        raise serializers.ValidationError(
            {field: [_("No organisation on the platform has this name or credit code.")]}
        )
    return org


def _staff(user: Any) -> None:
    with service_errors():
        from .services._common import require_staff

        require_staff(user)


# ---- views ------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        summary="The directory of technology managers",
        parameters=[
            OpenApiParameter("q", str, description="Words in the name, organisation or experience."),
            OpenApiParameter("level", str, enum=ManagerLevel.values),
            OpenApiParameter("field", str, description="Industry field code."),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
        ],
        responses={200: TechnologyManagerSerializer(many=True), **error_responses(400)},
    ),
    retrieve=extend_schema(
        tags=[TAG],
        summary="One technology manager",
        responses={200: TechnologyManagerSerializer, **error_responses(404)},
    ),
)
class ManagerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    pagination_class = Pagination
    serializer_class = TechnologyManagerSerializer

    def get_queryset(self) -> Any:
        p = self.request.query_params
        level = p.get("level", "")
        if level and level not in ManagerLevel.values:
            raise serializers.ValidationError({"level": _("Unknown level.")})
        return queries.listed_managers(q=p.get("q", "")[:100], level=level, field=p.get("field", ""))

    def get_object(self) -> Any:
        return manager_for(self.request.user, int(self.kwargs["pk"]))

    @extend_schema(
        tags=[TAG],
        summary="Deals a manager brokered (from the negotiation rooms)",
        responses={200: OpenApiTypes.OBJECT, **error_responses(404)},
    )
    @action(detail=True, methods=["get"])
    def deals(self, request: Request, pk: str) -> Response:
        m = self.get_object()
        d = queries.deals_brokered(m.user)
        return Response(
            {k: (str(v) if k == "registered_amount" else v) for k, v in d.items() if k != "recent"}
        )


class MyProfileView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="My technology manager profile",
        responses={200: TechnologyManagerSerializer, **error_responses(401, 404)},
    )
    def get(self, request: Request) -> Response:
        m = queries.manager_of(request.user)
        if m is None:
            raise Http404
        return Response(TechnologyManagerSerializer(m).data)

    @extend_schema(
        tags=[TAG],
        summary="Create or change my technology manager profile (goes to review)",
        request=ManagerProfileInSerializer,
        responses={200: TechnologyManagerSerializer, **error_responses(400, 401)},
    )
    def put(self, request: Request) -> Response:
        ser = ManagerProfileInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            m = services.save_manager_profile(actor=request.user, data=dict(ser.validated_data))
        return Response(TechnologyManagerSerializer(m).data)


class RoutingViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Hard demands routed to me (managers) or, for the console, all open routings."""

    permission_classes = [permissions.IsAuthenticated]
    pagination_class = Pagination
    serializer_class = RoutingSerializer

    def get_queryset(self) -> Any:
        qs = Routing.objects.select_related("demand__enterprise", "manager__user").order_by(
            "-routed_at", "-pk"
        )
        if is_console_user(self.request.user):
            return qs
        return qs.filter(manager__user_id=getattr(self.request.user, "pk", 0))

    @extend_schema(
        tags=[TAG],
        summary="Routed demands (mine; all for the console)",
        responses={200: RoutingSerializer(many=True), **error_responses(401)},
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        tags=[TAG],
        summary="Accept, decline or close a routed demand",
        operation_id="v1_talent_routings_answer",
        request=RoutingNoteSerializer,
        responses={200: RoutingSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="(?P<verb>accept|decline|close)")
    def answer(self, request: Request, pk: str, verb: str) -> Response:
        routing = routing_for(request.user, int(pk))
        ser = RoutingNoteSerializer(data=request.data or {})
        ser.is_valid(raise_exception=True)
        with service_errors():
            if verb == "close":
                services.close_routing(routing, actor=request.user, note=ser.validated_data["note"])
            else:
                services.answer_routing(
                    routing, actor=request.user, accept=verb == "accept", note=ser.validated_data["note"]
                )
        routing.refresh_from_db()
        return Response(RoutingSerializer(routing).data)


class AssessmentView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=[TAG],
        summary="The hard-demand rule score of a published demand, with its inputs",
        responses={200: OpenApiTypes.OBJECT, **error_responses(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        demand = get_object_or_404(Demand, pk=pk, status=ReviewStatus.PUBLISHED)
        a = DemandAssessment.objects.filter(demand=demand).first() or services.assess_demand(demand)
        if a is None:
            raise Http404
        return Response(
            {
                "demand": demand.pk,
                "score": a.score,
                "threshold": a.threshold,
                "hard": a.is_hard,
                "rule_version": a.rule_version,
                "inputs": assessment_rows(a),
            }
        )


class CertificateViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """My certificates; declaring one; staff verify."""

    permission_classes = [permissions.IsAuthenticated]
    pagination_class = Pagination
    serializer_class = TalentCertificateSerializer

    def get_queryset(self) -> Any:
        return Certificate.objects.filter(holder_id=self.request.user.pk).order_by("-issued_on", "-pk")

    @extend_schema(
        tags=[TAG],
        summary="My certificates",
        responses={200: TalentCertificateSerializer(many=True), **error_responses(401)},
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        tags=[TAG],
        summary="Declare a certificate I hold (staff verify it)",
        request=TalentCertificateInSerializer,
        responses={201: TalentCertificateSerializer, **error_responses(400, 401)},
    )
    def create(self, request: Request) -> Response:
        ser = TalentCertificateInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            cert = services.declare_certificate(actor=request.user, **ser.validated_data)
        return Response(TalentCertificateSerializer(cert).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=[TAG],
        summary="Verify a declared certificate, or not (staff)",
        request=CertificateVerifySerializer,
        responses={200: TalentCertificateSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: str) -> Response:
        _staff(request.user)
        cert = get_object_or_404(Certificate, pk=pk)
        ser = CertificateVerifySerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            services.verify_certificate(
                cert,
                actor=request.user,
                accept=ser.validated_data["decision"] == "verify",
                note=ser.validated_data["note"],
            )
        return Response(TalentCertificateSerializer(cert).data)


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        summary="Training sessions open or about to start",
        parameters=[OpenApiParameter("page", int), OpenApiParameter("page_size", int)],
        responses={200: TrainingSessionSerializer(many=True)},
    ),
    retrieve=extend_schema(
        tags=[TAG],
        summary="One training session",
        responses={200: TrainingSessionSerializer, **error_responses(404)},
    ),
)
class SessionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    pagination_class = Pagination
    serializer_class = TrainingSessionSerializer
    queryset = TrainingSession.objects.select_related("course__base").order_by("starts_on", "pk")

    def get_queryset(self) -> Any:
        if self.action == "list":
            return self.queryset.filter(status__in=["open", "closed"])
        return self.queryset

    @extend_schema(
        tags=[TAG],
        summary="Register for a session",
        request=None,
        responses={201: TrainingEnrolmentSerializer, **error_responses(400, 401, 404)},
    )
    @action(detail=True, methods=["post"])
    def enrol(self, request: Request, pk: str) -> Response:
        s = self.get_object()
        with service_errors():
            e = services.enrol(s, actor=request.user)
        return Response(TrainingEnrolmentSerializer(e).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=[TAG],
        summary="Record hours attended and exam scores (staff)",
        request=TrainingResultsSerializer,
        responses={200: OpenApiTypes.OBJECT, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def results(self, request: Request, pk: str) -> Response:
        _staff(request.user)
        s = self.get_object()
        ser = TrainingResultsSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            n = services.record_results(
                s, actor=request.user, rows=[dict(r) for r in ser.validated_data["rows"]]
            )
        return Response({"changed": n})

    @extend_schema(
        tags=[TAG],
        summary="Complete the session: results decided, certificates issued (staff)",
        request=None,
        responses={200: OpenApiTypes.OBJECT, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str) -> Response:
        _staff(request.user)
        s = self.get_object()
        with service_errors():
            result = services.complete_session(s, actor=request.user)
        return Response(result)


class EnrolmentCancelView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="Cancel a registration (the participant before the start, or staff)",
        request=None,
        responses={200: TrainingEnrolmentSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        e = get_object_or_404(Enrolment.objects.select_related("session"), pk=pk)
        if e.user_id != request.user.pk and not is_staff_reviewer(request.user):
            raise Http404
        with service_errors():
            services.cancel_enrolment(e, actor=request.user)
        return Response(TrainingEnrolmentSerializer(e).data)


class TrainingRecordView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="My training record: registrations, hours, certificates",
        responses={200: OpenApiTypes.OBJECT, **error_responses(401)},
    )
    def get(self, request: Request) -> Response:
        r = queries.training_record(request.user)
        return Response(
            {
                "hours_attended": str(r["hours_attended"]),
                "hours_passed": str(r["hours_passed"]),
                "enrolments": TrainingEnrolmentSerializer(r["enrolments"], many=True).data,
                "certificates": TalentCertificateSerializer(r["certificates"], many=True).data,
            }
        )


class ExpertViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The expert pool (operators)."""

    permission_classes = [
        RolePermission.of(is_operator, _("Only platform operators manage the expert pool."))
    ]
    pagination_class = Pagination
    serializer_class = PoolExpertSerializer
    queryset = (
        Expert.objects.select_related("user__organization")
        .prefetch_related("fields", "declared_conflicts__organization")
        .order_by("id")
    )

    @extend_schema(
        tags=[TAG],
        summary="The expert pool",
        responses={200: PoolExpertSerializer(many=True), **error_responses(401, 403)},
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def _conflicts(self, items: Any) -> Any:
        if items is None:
            return None
        return [
            (_org(i.get("organization", ""), "conflicts"), i.get("reason", ""))
            for i in items
            if i.get("organization")
        ]

    @extend_schema(
        tags=[TAG],
        summary="Add a user to the pool",
        request=PoolExpertInSerializer,
        responses={201: PoolExpertSerializer, **error_responses(400, 401, 403)},
    )
    def create(self, request: Request) -> Response:
        ser = PoolExpertInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        cd = ser.validated_data
        user = User.objects.filter(username=cd["username"], is_active=True).first()
        if user is None:
            raise serializers.ValidationError({"username": [_("No active user has this user name.")]})
        with service_errors():
            expert = services.save_expert(
                actor=request.user,
                user=user,
                fields=list(cd["fields"]),
                title=cd["title"],
                bio=cd["bio"],
                active=cd["active"],
                conflicts=self._conflicts(cd.get("conflicts")),
            )
        return Response(PoolExpertSerializer(expert).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=[TAG],
        summary="Eligible experts for a panel, in drawing order (conflict-free, load-balanced)",
        parameters=[
            OpenApiParameter(
                "fields", str, description="Industry field codes, comma-separated.", required=True
            ),
            OpenApiParameter("exclude_organizations", str, description="Organisation ids, comma-separated."),
        ],
        responses={200: OpenApiTypes.OBJECT, **error_responses(400, 401, 403)},
    )
    @action(detail=False, methods=["get"])
    def eligible(self, request: Request) -> Response:
        codes = [c for c in request.query_params.get("fields", "").split(",") if c][:20]
        orgs = request.query_params.get("exclude_organizations", "")
        try:
            org_ids = [int(x) for x in orgs.split(",") if x][:50]
        except ValueError:
            raise serializers.ValidationError(
                {"exclude_organizations": _("Give organisation ids.")}
            ) from None
        field_ids = list(IndustryField.objects.filter(code__in=codes).values_list("pk", flat=True))
        if not field_ids:
            raise serializers.ValidationError({"fields": _("Give at least one known industry field code.")})
        experts = panels.eligible_experts(fields=field_ids, exclude_organizations=org_ids)
        return Response(
            [
                {"id": e.pk, "name": e.user.display_name, "shared_fields": e.overlap, "open_seats": e.load}  # type: ignore[attr-defined]
                for e in experts[:100]
            ]
        )


class SecondmentView(generics.ListAPIView):
    permission_classes = [RolePermission.of(is_console_user)]
    pagination_class = Pagination
    serializer_class = SecondmentSerializer

    def get_queryset(self) -> Any:
        qs = Secondment.objects.select_related("from_org", "to_org").order_by("-starts_on", "-pk")
        programme = self.request.query_params.get("programme", "")
        if programme:
            if programme not in SecondmentProgramme.values:
                raise serializers.ValidationError({"programme": _("Unknown programme.")})
            qs = qs.filter(programme=programme)
        return qs

    @extend_schema(
        tags=[TAG],
        summary="Secondments (console)",
        parameters=[OpenApiParameter("programme", str, enum=SecondmentProgramme.values)],
        responses={200: SecondmentSerializer(many=True), **error_responses(400, 401, 403)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=[TAG],
        summary="Record a secondment (staff)",
        request=SecondmentInSerializer,
        responses={201: SecondmentSerializer, **error_responses(400, 401, 403)},
    )
    def post(self, request: Request) -> Response:
        _staff(request.user)
        ser = SecondmentInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        data["from_org"], data["to_org"] = _org(data["from_org"], "from_org"), _org(data["to_org"], "to_org")
        with service_errors():
            s = services.save_secondment(actor=request.user, data=data)
        return Response(SecondmentSerializer(s).data, status=status.HTTP_201_CREATED)


class RegisterView(generics.ListAPIView):
    permission_classes = [RolePermission.of(is_console_user)]
    pagination_class = Pagination
    serializer_class = TalentEntrySerializer

    def get_queryset(self) -> Any:
        qs = TalentEntry.objects.select_related("field").order_by("-year", "programme", "person_name", "pk")
        p = self.request.query_params
        category, year = p.get("category", ""), p.get("year", "")
        if category:
            if category not in TalentCategory.values:
                raise serializers.ValidationError({"category": _("Unknown category.")})
            qs = qs.filter(category=category)
        if year:
            if not digits(year):
                raise serializers.ValidationError({"year": _("Give a year.")})
            qs = qs.filter(year=int(year))
        return qs

    @extend_schema(
        tags=[TAG],
        summary="The talent register (console)",
        parameters=[
            OpenApiParameter("category", str, enum=TalentCategory.values),
            OpenApiParameter("year", int),
        ],
        responses={200: TalentEntrySerializer(many=True), **error_responses(400, 401, 403)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=[TAG],
        summary="Add a register entry (staff; files go through the import console)",
        request=EntryInSerializer,
        responses={201: TalentEntrySerializer, **error_responses(400, 401, 403)},
    )
    def post(self, request: Request) -> Response:
        _staff(request.user)
        ser = EntryInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        name = data.pop("organization")
        org = (
            Organization.objects.filter(credit_code=name.upper()).first()
            or Organization.objects.filter(name=name).first()
        )
        data["organization"], data["organization_name"] = org, name
        with service_errors():
            entry = services.save_entry(actor=request.user, data=data)
        return Response(TalentEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class FiguresView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=[TAG],
        summary="The plan's talent figures, computed from the records",
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        from django.db.models import Count

        today = timezone.localdate()
        counts = dict(TalentEntry.objects.values_list("category").annotate(n=Count("id")))
        return Response(
            {
                "trained_staff": queries.trained_people(today),
                "trained_staff_target": 500,
                "talent_register": {c: counts.get(c, 0) for c in TalentCategory.values},
                "listed_managers": queries.listed_managers().count(),
            }
        )
