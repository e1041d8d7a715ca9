"""Challenges API (/api/v1/challenges/): the public list (by words, field, district and state) and a
challenge; publishers create, change, submit, close, award or declare no winner; reviewers approve or
return; operators seat the expert panel; teams apply (sealed until the deadline) and withdraw; the
panel's experts score; the publisher accepts milestones. Errors are JSON with a translated message."""

from __future__ import annotations

import json
from typing import Any, cast

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from techbridge.core.api import (
    JSONParser,
    Pagination,
    ReadOnlyOrAuthenticated,
    json_depth_exceeds,
    too_deep_message,
)
from techbridge.core.listing_api import (
    ReasonSerializer,
    StrictSerializer,
    error_responses,
    form_parameters,
    run_action,
    service_errors,
    user_only,
    validated_query,
)
from techbridge.lib.numbers import MAX_PRICE_YUAN
from techbridge.organizations.choices import District
from techbridge.talent.models import Expert
from techbridge.talent.panels import MAX_PANEL
from techbridge.taxonomy.models import IndustryField

from . import permissions as rules
from . import queries, services
from .forms import ChallengeFilterForm
from .models import (
    APPROACH_MAX,
    COMMENT_MAX,
    ELIGIBILITY_MAX,
    INDICATOR_MAX,
    MAX_INDICATORS,
    MAX_MEMBERS,
    MAX_STEPS,
    MEMBER_NAME_MAX,
    MEMBER_ROLE_MAX,
    NOTE_MAX,
    PROBLEM_MAX,
    STEP_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    Application,
    Challenge,
    Milestone,
)

TAG = "challenges"


def _money(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=16, decimal_places=2, min_value=0, max_value=MAX_PRICE_YUAN, **kwargs
    )


class ChallengeListSerializer(serializers.ModelSerializer):
    status = serializers.CharField(
        read_only=True,
        help_text="draft, submitted, rejected, published, closed, reviewing, awarded, failed, completed or "
        "withdrawn.",
    )
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    field: Any = serializers.SlugRelatedField(slug_field="code", read_only=True)
    district = serializers.CharField(read_only=True)
    budget = _money(read_only=True, allow_null=True, help_text="Yuan; null: to be agreed.")
    url = serializers.SerializerMethodField(help_text="The challenge's page on the portal.")

    class Meta:
        model = Challenge
        fields = [
            "id",
            "title",
            "status",
            "status_label",
            "organization",
            "organization_name",
            "field",
            "district",
            "budget",
            "deadline",
            "published_at",
            "is_demo",
            "url",
        ]

    def get_url(self, obj: Challenge) -> str:
        return reverse("challenges:detail", args=[obj.pk])


class ChallengeSerializer(ChallengeListSerializer):
    indicators = serializers.ListField(child=serializers.CharField(), read_only=True)
    applications_sealed = serializers.BooleanField(source="is_sealed", read_only=True)

    class Meta(ChallengeListSerializer.Meta):
        fields = [
            *ChallengeListSerializer.Meta.fields,
            "problem",
            "indicators",
            "eligibility",
            "reject_reason",
            "fail_reason",
            "closed_at",
            "winner",
            "contract",
            "applications_sealed",
        ]


class ChallengeWriteSerializer(StrictSerializer):
    title = serializers.CharField(max_length=TITLE_MAX)
    problem = serializers.CharField(max_length=PROBLEM_MAX)
    indicators = serializers.ListField(
        child=serializers.CharField(max_length=INDICATOR_MAX), max_length=MAX_INDICATORS, allow_empty=False
    )
    budget = _money(required=False, allow_null=True, help_text="Yuan; null or absent: to be agreed.")
    deadline = serializers.DateTimeField()
    eligibility = serializers.CharField(max_length=ELIGIBILITY_MAX, required=False, allow_blank=True)
    field = serializers.SlugRelatedField(
        slug_field="code", queryset=IndustryField.objects.all(), required=False, allow_null=True
    )
    district = serializers.ChoiceField(choices=District.choices, required=False, allow_blank=True)


class ChallengeTeamMemberSerializer(StrictSerializer):
    name = serializers.CharField(max_length=MEMBER_NAME_MAX)
    role = serializers.CharField(max_length=MEMBER_ROLE_MAX, required=False, allow_blank=True, default="")


class ChallengeStepSerializer(StrictSerializer):
    title = serializers.CharField(max_length=STEP_MAX)
    due = serializers.DateField(required=False, allow_null=True, default=None)


class ChallengeApplicationSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text="submitted, withdrawn, awarded or not_awarded.")
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    price = _money(read_only=True, help_text="Yuan.")
    team = serializers.JSONField(read_only=True, help_text="[{name, role}]")
    schedule = serializers.JSONField(read_only=True, help_text="[{title, due}]")
    plan_url = serializers.SerializerMethodField(help_text="The plan (PDF), if one was attached.")
    mean_score = serializers.SerializerMethodField(help_text="Mean of the experts' scores (0–100), or null.")

    class Meta:
        model = Application
        fields = [
            "id",
            "challenge",
            "organization",
            "organization_name",
            "summary",
            "approach",
            "team",
            "schedule",
            "price",
            "status",
            "status_label",
            "plan_url",
            "mean_score",
            "created_at",
        ]

    def get_plan_url(self, obj: Application) -> str | None:
        return reverse("challenges:application-plan", args=[obj.pk]) if obj.plan else None

    def get_mean_score(self, obj: Application) -> str | None:
        mean = getattr(obj, "mean", None)
        return str(mean) if mean is not None else None


class ChallengeApplicationWriteSerializer(StrictSerializer):
    summary = serializers.CharField(max_length=SUMMARY_MAX)
    approach = serializers.CharField(max_length=APPROACH_MAX)
    team = serializers.ListField(
        child=ChallengeTeamMemberSerializer(), max_length=MAX_MEMBERS, allow_empty=False
    )
    schedule = serializers.ListField(child=ChallengeStepSerializer(), max_length=MAX_STEPS, allow_empty=False)
    price = _money(help_text="Yuan.")


class ChallengePanelSerializer(StrictSerializer):
    experts = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        max_length=MAX_PANEL,
        allow_empty=False,
        help_text="Ids of experts of the pool (/api/v1/experts/).",
    )


class ChallengeAwardSerializer(StrictSerializer):
    application = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, help_text="The winning application."
    )


class ChallengeApplicationUploadSerializer(ChallengeApplicationWriteSerializer):
    """The application and its plan in one multipart request; ``team`` and ``schedule`` are JSON parts."""

    plan = serializers.FileField(
        required=False, help_text="The plan, a PDF of at most 10 MB without scripts (optional)."
    )


class ChallengePlanSerializer(StrictSerializer):
    plan = serializers.FileField(help_text="The plan, a PDF of at most 10 MB without scripts.")


class ChallengeScoreSerializer(StrictSerializer):
    values = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=100),
        max_length=MAX_INDICATORS,
        help_text="One score (0–100) per indicator, in the challenge's order.",
    )
    comment = serializers.CharField(max_length=COMMENT_MAX, required=False, allow_blank=True, default="")


class ChallengeMilestoneSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text="pending, accepted or rejected.")
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    # a plain integer, so the schema is the same on PostgreSQL and SQLite (their small-integer maxima differ)
    order = serializers.IntegerField(read_only=True, help_text="Position in the schedule, from 0.")

    class Meta:
        model = Milestone
        fields = ["id", "challenge", "order", "title", "due", "status", "status_label", "note", "decided_at"]


class ChallengeMilestoneDecisionSerializer(StrictSerializer):
    accepted = serializers.BooleanField()
    note = serializers.CharField(max_length=NOTE_MAX, required=False, allow_blank=True, default="")


def _multipart_body(request: Request) -> dict[str, Any]:
    """A multipart application as the JSON one: one value per field, ``team`` and ``schedule`` decoded
    from their JSON text, the plan as the uploaded file."""
    data: dict[str, Any] = {}
    parts: Any = request.data
    for name in parts:
        value = parts.get(name)
        if name in ("team", "schedule") and isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                raise ApiValidationError({name: [_("Send this part as a JSON list.")]}) from None
            if json_depth_exceeds(value):
                raise ApiValidationError({name: [too_deep_message()]})
        data[name] = value
    return data


def _steps(items: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [{"title": s["title"], "due": s["due"].isoformat() if s.get("due") else ""} for s in items]


_ONE = {200: ChallengeSerializer, **error_responses(400, 401, 403, 404)}


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        summary="Challenges (揭榜挂帅)",
        description="Published challenges (open, under review, awarded, without a winner, completed), "
        "newest first.",
        parameters=form_parameters(ChallengeFilterForm),
        responses={200: ChallengeListSerializer(many=True), **error_responses(400)},
    ),
    retrieve=extend_schema(
        tags=[TAG], summary="Read one challenge", responses={200: ChallengeSerializer, **error_responses(404)}
    ),
    create=extend_schema(
        tags=[TAG],
        summary="Draft a challenge (enterprises, department officials)",
        request=ChallengeWriteSerializer,
        responses={201: ChallengeSerializer, **error_responses(400, 401, 403)},
    ),
    partial_update=extend_schema(
        tags=[TAG],
        summary="Change a draft or returned challenge (publisher)",
        request=ChallengeWriteSerializer,
        responses=_ONE,
    ),
)
class ChallengeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [ReadOnlyOrAuthenticated]
    pagination_class = Pagination
    serializer_class = ChallengeSerializer
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        if self.action == "list":
            return queries.public_challenges().order_by("-published_at", "-pk")
        return rules.visible_challenges(self.request.user).select_related("organization", "field")

    def get_serializer_class(self) -> Any:
        return ChallengeListSerializer if self.action == "list" else ChallengeSerializer

    def filter_queryset(self, queryset: Any) -> Any:
        if self.action != "list":
            return queryset
        form = cast(ChallengeFilterForm, validated_query(ChallengeFilterForm, self.request))
        return queries.filter_challenges(queryset, form.filters())

    def _challenge(self) -> Challenge:
        return rules.challenge_for(self.request.user, int(self.kwargs["pk"]))

    def _out(self, challenge: Challenge, code: int = 200) -> Response:
        return Response(self._fresh(challenge).data, status=code)

    def _fresh(self, challenge: Challenge) -> ChallengeSerializer:
        """The challenge read again as the caller sees it, for the answer of an action."""
        fresh = rules.challenge_for(self.request.user, challenge.pk)
        return ChallengeSerializer(fresh, context=self.get_serializer_context())

    def _act(self, check: Any, service: Any, body: Any = None) -> Response:
        return run_action(
            self.request, self._challenge(), check=check, body=body, service=service, out=self._fresh
        )

    @staticmethod
    def _body(klass: type[serializers.Serializer], request: Request, **kwargs: Any) -> dict[str, Any]:
        body = klass(data=request.data, **kwargs)
        body.is_valid(raise_exception=True)
        return dict(body.validated_data)

    def create(self, request: Request) -> Response:
        rules.check_publish(request.user)
        data = self._body(ChallengeWriteSerializer, request)
        with service_errors():
            challenge = services.create_challenge(actor=request.user, data=data)
        return self._out(challenge, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        challenge = self._challenge()
        rules.check_publisher(request.user, challenge)
        data = self._body(ChallengeWriteSerializer, request, partial=True)
        with service_errors():
            services.update_challenge(challenge, actor=request.user, data=data)
        return self._out(challenge)

    @extend_schema(
        tags=[TAG], summary="Submit for the platform's review (publisher)", request=None, responses=_ONE
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        return self._act(rules.check_publisher, services.submit)

    @extend_schema(
        tags=[TAG], summary="Approve and publish (platform reviewers)", request=None, responses=_ONE
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        return self._act(user_only(rules.check_review), services.approve)

    @extend_schema(
        tags=[TAG],
        summary="Return to the publisher (platform reviewers)",
        request=ReasonSerializer,
        responses=_ONE,
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        return self._act(user_only(rules.check_review), services.reject, ReasonSerializer)

    @extend_schema(tags=[TAG], summary="Withdraw the challenge (publisher)", request=None, responses=_ONE)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        return self._act(rules.check_publisher, services.withdraw)

    @extend_schema(
        tags=[TAG], summary="Close applications now (publisher, operators)", request=None, responses=_ONE
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        return self._act(rules.check_decide, services.close)

    @extend_schema(
        tags=[TAG],
        summary="Seat the expert panel (operators)",
        description="Experts of the publisher or of an applicant, or who declared a conflict with them, are "
        "refused with a message naming the conflict.",
        request=ChallengePanelSerializer,
        responses=_ONE,
    )
    @action(detail=True, methods=["post"])
    def panel(self, request: Request, pk: str) -> Response:
        challenge = self._challenge()
        rules.check_operator(request.user)
        data = self._body(ChallengePanelSerializer, request)
        experts = list(Expert.objects.filter(pk__in=data["experts"]).select_related("user"))
        missing = sorted(set(data["experts"]) - {e.pk for e in experts})
        if missing:
            raise ApiValidationError(
                {"experts": [_not_experts() % {"ids": ", ".join(str(i) for i in missing)}]}
            )
        with service_errors():
            services.set_panel(challenge, actor=request.user, experts=experts)
        return self._out(challenge)

    @extend_schema(
        tags=[TAG],
        summary="Award to one application (publisher, operators)",
        description="Creates the draft contract (origin challenge) between the winner and the publisher.",
        request=ChallengeAwardSerializer,
        responses=_ONE,
    )
    @action(detail=True, methods=["post"])
    def award(self, request: Request, pk: str) -> Response:
        challenge = self._challenge()
        rules.check_decide(request.user, challenge)
        data = self._body(ChallengeAwardSerializer, request)
        application = Application.objects.filter(pk=data["application"], challenge=challenge).first()
        if application is None:
            raise ApiValidationError({"application": [_no_such_application()]})
        with service_errors():
            services.award(challenge, actor=request.user, application=application)
        return self._out(challenge)

    @extend_schema(
        tags=[TAG],
        summary="Declare no winner (publisher, operators)",
        request=ReasonSerializer,
        responses=_ONE,
    )
    @action(detail=True, methods=["post"])
    def fail(self, request: Request, pk: str) -> Response:
        return self._act(rules.check_decide, services.fail, ReasonSerializer)

    @extend_schema(
        methods=["GET"],
        tags=[TAG],
        summary="Applications the caller may read",
        description="Sealed until applications close: before, an applicant sees only its own. After, the "
        "publisher, platform staff and the panel see all, best mean score first.",
        responses={200: ChallengeApplicationSerializer(many=True), **error_responses(404)},
    )
    @extend_schema(
        methods=["POST"],
        tags=[TAG],
        summary="Apply (揭榜) for your organisation",
        description="JSON, or multipart/form-data with the plan (PDF) as the file part ``plan`` and "
        "``team`` and ``schedule`` as JSON text: all or nothing, a refused plan leaves no application.",
        request={
            "application/json": ChallengeApplicationWriteSerializer,
            "multipart/form-data": ChallengeApplicationUploadSerializer,
        },
        responses={201: ChallengeApplicationSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["get", "post"], parser_classes=[JSONParser, MultiPartParser])
    def applications(self, request: Request, pk: str) -> Response:
        challenge = self._challenge()
        if request.method == "GET":
            if rules.can_read_applications(request.user, challenge):
                items: list[Any] = services.ranking(challenge)
            else:
                items = list(rules.visible_applications(request.user, challenge))
            return Response(ChallengeApplicationSerializer(items, many=True).data)
        rules.check_applicant(request.user, challenge)
        if request.content_type.startswith("multipart/"):
            body = ChallengeApplicationUploadSerializer(data=_multipart_body(request))
            body.is_valid(raise_exception=True)
            data = dict(body.validated_data)
        else:
            data = self._body(ChallengeApplicationWriteSerializer, request)
        plan = data.pop("plan", None)
        data["team"] = [dict(m) for m in data["team"]]
        data["schedule"] = _steps(data["schedule"])
        with service_errors():
            application = services.apply(challenge, actor=request.user, data=data, plan=plan)
        return Response(ChallengeApplicationSerializer(application).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=[TAG],
        summary="Milestones of the awarded work",
        responses={200: ChallengeMilestoneSerializer(many=True), **error_responses(404)},
    )
    @action(detail=True, methods=["get"])
    def milestones(self, request: Request, pk: str) -> Response:
        challenge = self._challenge()
        return Response(ChallengeMilestoneSerializer(challenge.milestones.all(), many=True).data)


def _not_experts() -> str:
    return _("Not experts of the pool: %(ids)s.")


def _no_such_application() -> str:
    return _("No such application to this challenge.")


_APP = {200: ChallengeApplicationSerializer, **error_responses(400, 401, 403, 404)}


@extend_schema_view(
    retrieve=extend_schema(
        tags=[TAG],
        summary="Read one application",
        responses={200: ChallengeApplicationSerializer, **error_responses(404)},
    ),
)
class ApplicationViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [ReadOnlyOrAuthenticated]
    serializer_class = ChallengeApplicationSerializer
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> Any:
        return Application.objects.none()

    def get_object(self) -> Application:
        return rules.application_for(self.request.user, int(self.kwargs["pk"]))

    @extend_schema(
        tags=[TAG], summary="Withdraw before the deadline (the applicant)", request=None, responses=_APP
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        return run_action(
            request,
            self.get_object(),
            check=rules.check_own_application,
            service=services.withdraw_application,
            out=ChallengeApplicationSerializer,
        )

    @extend_schema(
        tags=[TAG],
        summary="Attach or replace the plan (PDF) before the deadline (the applicant)",
        request={"multipart/form-data": ChallengePlanSerializer},
        responses=_APP,
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def plan(self, request: Request, pk: str) -> Response:
        return run_action(
            request,
            self.get_object(),
            check=rules.check_own_application,
            body=ChallengePlanSerializer,
            service=services.attach_plan,
            out=ChallengeApplicationSerializer,
        )

    @extend_schema(
        tags=[TAG],
        summary="Score on each indicator (the panel's experts)",
        request=ChallengeScoreSerializer,
        responses=_APP,
    )
    @action(detail=True, methods=["post"])
    def score(self, request: Request, pk: str) -> Response:
        return run_action(
            request,
            self.get_object(),
            check=lambda user, application: rules.check_panel_expert(user, application.challenge),
            body=ChallengeScoreSerializer,
            service=services.score,
            out=ChallengeApplicationSerializer,
        )


class MilestoneViewSet(viewsets.GenericViewSet):
    permission_classes = [ReadOnlyOrAuthenticated]
    serializer_class = ChallengeMilestoneSerializer
    lookup_value_regex = r"\d+"
    http_method_names = ["post", "options"]

    def get_queryset(self) -> Any:
        return Milestone.objects.none()

    @extend_schema(
        tags=[TAG],
        summary="Accept (验收) or not, with a note (the publisher)",
        request=ChallengeMilestoneDecisionSerializer,
        responses={200: ChallengeMilestoneSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        milestone = Milestone.objects.filter(pk=int(pk)).first()
        if milestone is None:
            raise Http404
        milestone.challenge = rules.challenge_for(request.user, milestone.challenge_id)
        return run_action(
            request,
            milestone,
            check=lambda user, m: rules.check_publisher(user, m.challenge),
            body=ChallengeMilestoneDecisionSerializer,
            service=services.decide_milestone,
            out=ChallengeMilestoneSerializer,
        )
