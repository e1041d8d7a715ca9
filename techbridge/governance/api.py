"""Governance API: the plan's targets (public), tasks and progress reports, districts and zones, the
evaluation of universities, monthly reports, joint-conference meetings and the policy library.

Who sees what: plans, targets and published policies are public; dashboards, tasks, reports, meetings
and the full ranking are for console users (reviewers, operators, department officials); a university
or institute member sees its own evaluation row; "applicable policies" needs an organisation.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, parsers, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from techbridge.core.api import Pagination
from techbridge.core.listing_api import (
    StrictJSONParser,
    StrictSerializer,
    error_responses,
    run_action,
    service_errors,
)
from techbridge.core.permissions import RolePermission, has_organization
from techbridge.core.registry import Period
from techbridge.core.roles import is_console_user, is_operator, is_staff_reviewer
from techbridge.lib.numbers import digits
from techbridge.organizations.models import Organization

from . import areas, evaluation, measures, policy_match, queries, standing
from . import permissions as perms
from .choices import (
    ConditionKind,
    Granularity,
    PolicyLevel,
    ReportStatus,
    SelfAssessment,
    Standing,
    Verdict,
)
from .models import (
    MAX_REPORT_FIGURES,
    Decision,
    EvaluationFigure,
    EvaluationFormula,
    Meeting,
    MonthlyReport,
    Plan,
    Policy,
    ProgressReport,
    Target,
    Task,
)
from .services import evaluation as evaluation_services
from .services import meetings as meeting_services
from .services import monthly as monthly_services
from .services import plans as plan_services
from .services import policies as policy_services
from .services import reports as report_services

TAG = "governance"
ConsoleOnly = RolePermission.of(is_console_user)
OperatorOnly = RolePermission.of(is_operator)
MONEY: dict[str, Any] = {
    "max_digits": 18,
    "decimal_places": 2,
    "min_value": Decimal("0"),
    "max_value": Decimal("1e15"),
}
PLAN_PARAM = OpenApiParameter("plan", OpenApiTypes.INT, description="plan id (default: the current plan)")
YEAR_PARAM = OpenApiParameter("year", OpenApiTypes.INT, description="calendar year (default: this year)")


def _int_param(request: Request, name: str, *, low: int = 1, high: int = 10**9) -> int | None:
    value = request.query_params.get(name, "")
    if not value:
        return None
    if not digits(value) or not low <= int(value) <= high:
        raise serializers.ValidationError({name: [f"{low}–{high}"]})
    return int(value)


def _plan(request: Request) -> Plan:
    plan = queries.plan_or_current(_int_param(request, "plan"))
    if plan is None:
        raise NotFound()
    return plan


def _year(request: Request) -> int:
    return _int_param(request, "year", low=2000, high=timezone.localdate().year) or timezone.localdate().year


def _num(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(Decimal("0.01")))


def _cell(cell: measures.Cell) -> dict[str, Any]:
    return {
        "value": None if cell.withheld else _num(cell.value),
        "withheld": cell.withheld,
        "count": cell.count,
    }


# ---- serializers (responses) ---------------------------------------------------------------------


class CellSerializer(serializers.Serializer):
    value = serializers.CharField(allow_null=True, help_text="decimal as text; null: no data or withheld")
    withheld = serializers.BooleanField(
        help_text="true: fewer records than the disclosure rule allows; see count"
    )
    count = serializers.IntegerField(allow_null=True)


class PointSerializer(serializers.Serializer):
    label = serializers.CharField()  # type: ignore[assignment]
    start = serializers.DateField()
    end = serializers.DateField()
    figure = CellSerializer()


class GovOrganizationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ReadingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    indicator = serializers.CharField()
    quote = serializers.CharField()
    target = serializers.CharField(allow_null=True)
    unit = serializers.CharField()
    deadline = serializers.DateField()
    comparison = serializers.ChoiceField(choices=["annual", "cumulative"])
    source = serializers.ChoiceField(choices=["metric", "manual"])  # type: ignore[assignment]
    metric = serializers.CharField()
    status = serializers.ChoiceField(choices=Standing.choices)
    status_label = serializers.CharField()
    as_of = serializers.DateField()
    period_start = serializers.DateField(allow_null=True)
    period_end = serializers.DateField(allow_null=True)
    actual = CellSerializer()
    percent = serializers.CharField(allow_null=True)
    forecast = serializers.CharField(allow_null=True)
    forecast_method = serializers.CharField()
    ratio = serializers.CharField(allow_null=True)
    basis = serializers.CharField()
    departments = GovOrganizationSerializer(many=True)
    tasks = serializers.ListField(child=serializers.IntegerField())
    trend = PointSerializer(many=True)


def reading_data(r: measures.Reading, *, trend: bool = True) -> dict[str, Any]:
    t = r.target
    return {
        "id": t.pk,
        "code": t.code,
        "indicator": t.indicator,
        "quote": t.quote,
        "target": _num(t.value),
        "unit": t.unit,
        "deadline": t.deadline,
        "comparison": t.comparison,
        "source": t.source,
        "metric": t.metric_code,
        "status": r.standing,
        "status_label": str(Standing(r.standing).label),
        "as_of": r.as_of,
        "period_start": r.period.start if r.period else None,
        "period_end": r.period.end if r.period else None,
        "actual": _cell(r.actual),
        "percent": None if r.pct is None else str(r.pct),
        "forecast": _num(r.forecast),
        "forecast_method": r.forecast_method,
        "ratio": None if r.ratio is None else str(r.ratio),
        "basis": r.basis,
        "departments": [{"id": d.pk, "name": d.name} for d in t.departments.all()],
        "tasks": [x.number for x in t.tasks.all()],
        "trend": [
            {"label": p.label, "start": p.period.start, "end": p.period.end, "figure": _cell(p.cell)}
            for p in r.trend
        ]
        if trend
        else [],
    }


class PlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = Plan
        fields = [
            "id",
            "code",
            "name",
            "period_label",
            "start",
            "end",
            "issuer",
            "document_number",
            "issued_on",
            "is_current",
            "on_track_ratio",
            "attention_ratio",
            "forecast_periods",
            "report_grace_days",
            "reporting_starts",
        ]
        read_only_fields = fields


class TaskCountsSerializer(serializers.Serializer):
    on_track = serializers.IntegerField()
    attention = serializers.IntegerField()
    warning = serializers.IntegerField()


class PlanDetailSerializer(PlanSerializer):
    basis = serializers.CharField()
    summary = serializers.CharField()
    thresholds = serializers.CharField()
    forecast_rule = serializers.CharField()
    targets = ReadingSerializer(many=True)
    tasks = TaskCountsSerializer()

    class Meta(PlanSerializer.Meta):
        fields = [
            *PlanSerializer.Meta.fields,
            "basis",
            "summary",
            "thresholds",
            "forecast_rule",
            "targets",
            "tasks",
        ]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(
        tags=[TAG], summary="Plans loaded (current first)", responses={200: PlanSerializer(many=True)}
    ),
    retrieve=extend_schema(
        tags=[TAG],
        summary="A plan with every target's actual value, trend, forecast and status",
        responses={200: PlanDetailSerializer, **error_responses(404)},
    ),
)
class PlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.AllowAny]
    pagination_class = Pagination
    serializer_class = PlanSerializer

    def get_queryset(self) -> Any:
        return queries.plans()

    def retrieve(self, request: Request, pk: int) -> Response:
        plan = get_object_or_404(Plan, pk=pk)
        readings = measures.plan_readings(plan)
        data = {
            **PlanSerializer(plan).data,
            "basis": plan.basis,
            "summary": plan.summary,
            "thresholds": measures.thresholds_text(plan),
            "forecast_rule": measures.forecast_rule(plan),
            "targets": [reading_data(r) for r in readings],
            "tasks": standing.counts(standing.task_states(plan)),
        }
        return Response(data)


class TargetView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=[TAG],
        summary="One target: actual value, trend by year/quarter/month, forecast and status",
        parameters=[
            OpenApiParameter("granularity", str, enum=Granularity.values, description="trend buckets")
        ],
        responses={200: ReadingSerializer, **error_responses(400, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        target = get_object_or_404(
            Target.objects.select_related("plan").prefetch_related("figures", "departments", "tasks"), pk=pk
        )
        granularity = request.query_params.get("granularity") or Granularity.YEAR
        if granularity not in Granularity.values:
            raise serializers.ValidationError({"granularity": [", ".join(Granularity.values)]})
        return Response(reading_data(measures.read(target, granularity=granularity)))


# ---- overview (console) --------------------------------------------------------------------------


class TaskStateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    title = serializers.CharField()
    section = serializers.CharField()
    status = serializers.ChoiceField(choices=Standing.choices)
    reasons = serializers.ListField(child=serializers.CharField())
    lead = GovOrganizationSerializer(allow_null=True)
    departments = GovOrganizationSerializer(many=True)
    required_report = serializers.DictField(allow_null=True)
    latest_report = serializers.DictField(allow_null=True)


def task_state_data(s: standing.TaskState) -> dict[str, Any]:
    t = s.task
    return {
        "id": t.pk,
        "number": t.number,
        "title": t.title,
        "section": t.section,
        "status": s.standing,
        "reasons": s.reasons,
        "lead": {"id": s.lead.organization_id, "name": s.lead.organization.name} if s.lead else None,
        "departments": [{"id": a.organization_id, "name": a.organization.name} for a in t.assignments.all()],
        "required_report": {
            "quarter": s.required.label,
            "due": s.required.due,
            "filed": bool(s.required.report and s.required.report.status in standing.FILED),
        }
        if s.required
        else None,
        "latest_report": {"id": s.latest.pk, "quarter": s.latest.quarter_label, "status": s.latest.status}
        if s.latest
        else None,
    }


class PlatformFigureSerializer(serializers.Serializer):
    metric = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    unit = serializers.CharField()
    this_year = CellSerializer()
    this_period = serializers.ListField(child=serializers.DateField())
    last_year = CellSerializer()
    last_period = serializers.ListField(child=serializers.DateField())


class OverviewSerializer(serializers.Serializer):
    plan = PlanSerializer()
    thresholds = serializers.CharField()
    targets = ReadingSerializer(many=True)
    tasks = TaskStateSerializer(many=True)
    task_counts = TaskCountsSerializer()
    platform = PlatformFigureSerializer(many=True)


class OverviewView(APIView):
    permission_classes = [ConsoleOnly]

    @extend_schema(
        tags=[TAG],
        summary="Leadership overview: targets, tasks by status, the platform's main figures (console users)",
        parameters=[PLAN_PARAM],
        responses={200: OverviewSerializer, **error_responses(400, 401, 403, 404)},
    )
    def get(self, request: Request) -> Response:
        from .views.console import platform_figures

        plan = _plan(request)
        today = timezone.localdate()
        states = standing.task_states(plan, today=today)
        return Response(
            {
                "plan": PlanSerializer(plan).data,
                "thresholds": measures.thresholds_text(plan),
                "targets": [reading_data(r) for r in measures.plan_readings(plan, today=today)],
                "tasks": [task_state_data(s) for s in states],
                "task_counts": standing.counts(states),
                "platform": [
                    {
                        "metric": f["metric"].code,
                        "label": str(f["metric"].label),
                        "unit": str(f["metric"].unit),
                        "this_year": _cell(f["this"]),
                        "this_period": [f["this_period"].start, f["this_period"].end],
                        "last_year": _cell(f["last"]),
                        "last_period": [f["last_period"].start, f["last_period"].end],
                    }
                    for f in platform_figures(today)
                ],
            }
        )


# ---- tasks, milestones, reports ------------------------------------------------------------------


class MilestoneSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(max_length=200)
    due = serializers.DateField()
    description = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    done_on = serializers.DateField(read_only=True, allow_null=True)


class MilestoneInSerializer(StrictSerializer, MilestoneSerializer):
    pass


class TaskDetailSerializer(TaskStateSerializer):
    text = serializers.CharField()
    milestones = MilestoneSerializer(many=True)
    targets = serializers.ListField(child=serializers.IntegerField())
    reports = serializers.ListField(child=serializers.DictField())


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        summary="The plan's tasks with status and the reasons for it (console users)",
        parameters=[
            PLAN_PARAM,
            OpenApiParameter("department", OpenApiTypes.INT, description="tasks of this department"),
            OpenApiParameter("status", str, enum=[Standing.ON_TRACK, Standing.ATTENTION, Standing.WARNING]),
        ],
        responses={200: TaskStateSerializer(many=True), **error_responses(400, 401, 403)},
    ),
    retrieve=extend_schema(
        tags=[TAG],
        summary="One task",
        responses={200: TaskDetailSerializer, **error_responses(401, 403, 404)},
    ),
)
class TaskViewSet(viewsets.GenericViewSet):
    permission_classes = [ConsoleOnly]
    pagination_class = None
    queryset = Task.objects.all()

    def list(self, request: Request) -> Response:
        plan = _plan(request)
        dept = _int_param(request, "department")
        wanted = request.query_params.get("status", "")
        rows = standing.task_states(plan)
        if dept:
            rows = [s for s in rows if any(a.organization_id == dept for a in s.task.assignments.all())]
        if wanted:
            rows = [s for s in rows if s.standing == wanted]
        return Response([task_state_data(s) for s in rows])

    def retrieve(self, request: Request, pk: int) -> Response:
        task = perms.task_for(request.user, pk)
        state = standing.task_states(
            task.plan, tasks=standing.tasks_with_records(task.plan).filter(pk=task.pk)
        )[0]
        t = state.task
        return Response(
            {
                **task_state_data(state),
                "text": t.text,
                "milestones": MilestoneSerializer(t.milestones.all(), many=True).data,
                "targets": list(t.targets.values_list("pk", flat=True)),
                "reports": [
                    {
                        "id": r.pk,
                        "department": r.department.name,
                        "quarter": r.quarter_label,
                        "status": r.status,
                    }
                    for r in t.reports.all()
                ],
            }
        )

    @extend_schema(
        tags=[TAG],
        summary="Add a milestone (operators, the lead department)",
        request=MilestoneInSerializer,
        responses={201: MilestoneSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], parser_classes=[StrictJSONParser])
    def milestones(self, request: Request, pk: int) -> Response:
        return run_action(
            request,
            perms.task_for(request.user, pk),
            check=_check_add_milestone,
            body=MilestoneInSerializer,
            service=plan_services.add_milestone,
            out=MilestoneSerializer,
            reply="result",
            status=status.HTTP_201_CREATED,
        )


def _check_add_milestone(user: Any, task: Any) -> None:
    if not perms.can_add_milestone(user, task):
        raise PermissionDenied(_("Only operators and the lead department add milestones."))


class FigureInSerializer(StrictSerializer):
    label = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")  # type: ignore[assignment]
    value = serializers.DecimalField(**MONEY)
    unit = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    target = serializers.IntegerField(required=False, allow_null=True, default=None)
    evidence = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class MilestoneDoneSerializer(StrictSerializer):
    milestone = serializers.IntegerField()
    done_on = serializers.DateField()


class ReportInSerializer(StrictSerializer):
    task = serializers.IntegerField()
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    quarter = serializers.IntegerField(min_value=1, max_value=4)
    summary = serializers.CharField(max_length=5000)
    next_steps = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    self_assessment = serializers.ChoiceField(choices=SelfAssessment.choices, default=SelfAssessment.ON_TRACK)
    figures = FigureInSerializer(many=True, required=False, max_length=MAX_REPORT_FIGURES)  # type: ignore[call-arg]
    milestones = MilestoneDoneSerializer(many=True, required=False, max_length=50)  # type: ignore[call-arg]


class ReportPatchSerializer(StrictSerializer):
    summary = serializers.CharField(max_length=5000, required=False)
    next_steps = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    self_assessment = serializers.ChoiceField(choices=SelfAssessment.choices, required=False)
    figures = FigureInSerializer(many=True, required=False, max_length=MAX_REPORT_FIGURES)  # type: ignore[call-arg]
    milestones = MilestoneDoneSerializer(many=True, required=False, max_length=50)  # type: ignore[call-arg]


class NoteSerializer(StrictSerializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReportSerializer(serializers.ModelSerializer):
    task = serializers.IntegerField(source="task_id")
    task_title = serializers.CharField(source="task.title")
    department = GovOrganizationSerializer()

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "task",
            "task_title",
            "department",
            "year",
            "quarter",
            "status",
            "self_assessment",
            "submitted_at",
            "reviewed_at",
        ]
        read_only_fields = fields


class ReportDetailSerializer(ReportSerializer):
    figures = serializers.SerializerMethodField()
    milestones_done = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()

    class Meta(ReportSerializer.Meta):
        fields = [
            *ReportSerializer.Meta.fields,
            "summary",
            "next_steps",
            "review_note",
            "figures",
            "milestones_done",
            "attachments",
        ]
        read_only_fields = fields

    def get_figures(self, obj: ProgressReport) -> list[dict[str, Any]]:
        return [
            {
                "label": f.label,
                "value": _num(f.value),
                "unit": f.unit,
                "target": f.target_id,
                "evidence": f.evidence,
            }
            for f in obj.figures.all()
        ]

    def get_milestones_done(self, obj: ProgressReport) -> list[dict[str, Any]]:
        return [{"milestone": m.milestone_id, "done_on": m.done_on} for m in obj.milestones_done.all()]

    def get_attachments(self, obj: ProgressReport) -> list[dict[str, Any]] | None:
        """null when the caller may not read the attachments (only staff and the filing department)."""
        if not perms.can_read_attachments(self.context["request"].user, obj):
            return None
        return [
            {
                "id": a.pk,
                "name": a.name,
                "size": a.size,
                "url": reverse("governance_console:attachment", args=[a.pk]),
            }
            for a in obj.attachments.all()
        ]


class ReportUploadSerializer(serializers.Serializer):
    file = serializers.FileField()


def _rows(rows: list[dict[str, Any]] | None) -> list[dict[str, Any]] | None:
    return None if rows is None else [dict(r) for r in rows]


REPORT_MOVE = {200: ReportDetailSerializer, **error_responses(400, 401, 403, 404)}


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        summary="Progress reports (console users)",
        parameters=[
            PLAN_PARAM,
            OpenApiParameter("status", str, enum=ReportStatus.values),
            OpenApiParameter("department", OpenApiTypes.INT),
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter("page_size", OpenApiTypes.INT),
        ],
        responses={200: ReportSerializer(many=True), **error_responses(400, 401, 403)},
    ),
    retrieve=extend_schema(
        tags=[TAG],
        summary="One progress report",
        responses={200: ReportDetailSerializer, **error_responses(401, 403, 404)},
    ),
)
class ReportViewSet(viewsets.GenericViewSet):
    permission_classes = [ConsoleOnly]
    pagination_class = Pagination
    parser_classes = [StrictJSONParser]

    def get_queryset(self) -> Any:
        return queries.reports()

    def list(self, request: Request) -> Response:
        plan = queries.plan_or_current(_int_param(request, "plan"))
        wanted = request.query_params.get("status", "")
        if wanted and wanted not in ReportStatus.values:
            raise serializers.ValidationError({"status": [", ".join(ReportStatus.values)]})
        qs = queries.reports(plan=plan, department=_int_param(request, "department"), status=wanted)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(ReportSerializer(page, many=True).data)

    def _detail(self, request: Request, report: ProgressReport, code: int = 200) -> Response:
        report = perms.report_for(request.user, report.pk)
        return Response(ReportDetailSerializer(report, context={"request": request}).data, status=code)

    def retrieve(self, request: Request, pk: int) -> Response:
        return self._detail(request, perms.report_for(request.user, pk))

    @extend_schema(
        tags=[TAG],
        summary="Draft a quarterly report (officials of the task's departments)",
        request=ReportInSerializer,
        responses={201: ReportDetailSerializer, **error_responses(400, 401, 403, 404)},
    )
    def create(self, request: Request) -> Response:
        ser = ReportInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        task = get_object_or_404(Task.objects.select_related("plan"), pk=d.pop("task"))
        with service_errors():
            report = report_services.create_report(
                task,
                actor=request.user,
                figures=_rows(d.pop("figures", None)),
                milestones=_rows(d.pop("milestones", None)),
                **d,
            )
        return self._detail(request, report, status.HTTP_201_CREATED)

    @extend_schema(
        tags=[TAG],
        summary="Change a draft or returned report (the filing department)",
        request=ReportPatchSerializer,
        responses=REPORT_MOVE,
    )
    def partial_update(self, request: Request, pk: int) -> Response:
        report = perms.report_for(request.user, pk)
        ser = ReportPatchSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        figures, milestones = d.pop("figures", None), d.pop("milestones", None)
        with service_errors():
            report_services.update_report(
                report,
                actor=request.user,
                data=d,
                figures=_rows(figures),
                milestones=_rows(milestones),
            )
        return self._detail(request, report)

    @extend_schema(tags=[TAG], summary="Submit the report for review", request=None, responses=REPORT_MOVE)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: int) -> Response:
        report = perms.report_for(request.user, pk)
        with service_errors():
            report_services.submit_report(report, actor=request.user)
        return self._detail(request, report)

    @extend_schema(
        tags=[TAG],
        summary="Accept a submitted report (platform staff)",
        request=NoteSerializer,
        responses=REPORT_MOVE,
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: int) -> Response:
        report = perms.report_for(request.user, pk)
        ser = NoteSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            report_services.accept_report(report, actor=request.user, note=ser.validated_data["note"])
        return self._detail(request, report)

    @extend_schema(
        tags=[TAG],
        summary="Return a submitted report for revision, with a note (platform staff)",
        request=NoteSerializer,
        responses=REPORT_MOVE,
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, pk: int) -> Response:
        report = perms.report_for(request.user, pk)
        ser = NoteSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            report_services.return_report(report, actor=request.user, note=ser.validated_data["note"])
        return self._detail(request, report)

    @extend_schema(
        tags=[TAG],
        summary="Attach a file (multipart; the filing department)",
        request={"multipart/form-data": ReportUploadSerializer},
        responses={201: ReportDetailSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], parser_classes=[parsers.MultiPartParser])
    def attachments(self, request: Request, pk: int) -> Response:
        report = perms.report_for(request.user, pk)
        if not perms.can_edit_report(request.user, report):
            raise PermissionDenied(
                _("Only the filing department can change a report, and only while it is a draft or returned.")
            )
        ser = ReportUploadSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            report_services.add_attachment(report, actor=request.user, upload=ser.validated_data["file"])
        return self._detail(request, report, status.HTTP_201_CREATED)


# ---- districts and zones -------------------------------------------------------------------------


class AreaSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    kind = serializers.ChoiceField(choices=["district", "zone"])


class AreaRowSerializer(serializers.Serializer):
    metric = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    unit = serializers.CharField()
    figures = CellSerializer(many=True)


class AreaTableSerializer(serializers.Serializer):
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    areas = AreaSerializer(many=True)
    rows = AreaRowSerializer(many=True)
    note = serializers.CharField()


class AreasView(APIView):
    permission_classes = [ConsoleOnly]

    @extend_schema(
        tags=[TAG],
        summary="Every figure by district and zone for a year (console users)",
        parameters=[YEAR_PARAM],
        responses={200: AreaTableSerializer, **error_responses(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        year = _year(request)
        period = Period(dt.date(year, 1, 1), min(dt.date(year, 12, 31), timezone.localdate()))
        chosen = areas.areas()
        return Response(
            {
                "period_start": period.start,
                "period_end": period.end,
                "areas": [{"key": a.key, "label": a.label, "kind": a.kind} for a in chosen],
                "rows": [
                    {
                        "metric": r.metric.code,
                        "label": str(r.metric.label),
                        "unit": str(r.metric.unit),
                        "figures": [_cell(c) for c in r.cells],
                    }
                    for r in areas.table(period, chosen)
                ],
                "note": areas.note(),
            }
        )


# ---- evaluation ----------------------------------------------------------------------------------


class InputMetaSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    unit = serializers.CharField()
    metric = serializers.CharField()
    manual = serializers.BooleanField()
    higher_is_better = serializers.BooleanField()
    weight = serializers.CharField()
    missing = serializers.CharField()


class RankingRowSerializer(serializers.Serializer):
    organization = GovOrganizationSerializer()
    kind = serializers.CharField()
    rank = serializers.IntegerField()
    score = serializers.CharField()
    inputs = serializers.DictField(child=serializers.DictField())


class RankingSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    formula_version = serializers.IntegerField()
    formula = serializers.CharField()
    inputs = InputMetaSerializer(many=True)
    rows = RankingRowSerializer(many=True)
    evaluated = serializers.IntegerField()


def ranking_data(ranking: evaluation.Ranking, *, only: int | None = None) -> dict[str, Any]:
    rows = ranking.rows if only is None else [r for r in ranking.rows if r.organization.pk == only]
    return {
        "year": ranking.year,
        "formula_version": ranking.formula.version,
        "formula": evaluation.formula_text(),
        "inputs": [{**m, "weight": str(m["weight"])} for m in ranking.inputs],
        "evaluated": len(ranking.rows),
        "rows": [
            {
                "organization": {"id": r.organization.pk, "name": r.organization.name},
                "kind": r.organization.kind,
                "rank": r.rank,
                "score": str(r.score),
                "inputs": {
                    code: {
                        "value": None if (v.withheld and only is None) else _num(v.value),
                        "withheld": v.withheld and only is None,
                        "count": v.count,
                        "normalised": str(v.norm.quantize(Decimal("0.0001"))),
                    }
                    for code, v in r.values.items()
                },
            }
            for r in rows
        ],
    }


class EvaluationView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="Evaluation of universities and institutes, every input (console: all; members: own row)",
        parameters=[YEAR_PARAM],
        responses={200: RankingSerializer, **error_responses(400, 401, 403, 404)},
    )
    def get(self, request: Request) -> Response:
        year = _year(request)
        if not (is_console_user(request.user) or perms.is_evaluated_member(request.user)):
            raise PermissionDenied(
                _("The evaluation is for console users and members of universities and institutes.")
            )
        ranking = evaluation.evaluate(year)
        if ranking is None:
            raise NotFound()
        user: Any = request.user
        only = None if is_console_user(user) else user.organization_id
        return Response(ranking_data(ranking, only=only))


class FormulaSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvaluationFormula
        fields = ["id", "version", "weights", "note", "created_at"]
        read_only_fields = fields


class FormulaInSerializer(StrictSerializer):
    weights = serializers.DictField(
        child=serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100)
    )
    note = serializers.CharField(max_length=1000)


class FormulaView(APIView):
    parser_classes = [StrictJSONParser]

    def get_permissions(self) -> list[Any]:
        return [OperatorOnly() if self.request.method == "POST" else ConsoleOnly()]

    @extend_schema(
        tags=[TAG],
        summary="Versions of the evaluation formula (console users)",
        responses={200: FormulaSerializer(many=True), **error_responses(401, 403)},
    )
    def get(self, request: Request) -> Response:
        return Response(FormulaSerializer(EvaluationFormula.objects.all()[:50], many=True).data)

    @extend_schema(
        tags=[TAG],
        summary="Create the next formula version (operators)",
        request=FormulaInSerializer,
        responses={201: FormulaSerializer, **error_responses(400, 401, 403)},
    )
    def post(self, request: Request) -> Response:
        ser = FormulaInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            formula = evaluation_services.create_formula(actor=request.user, **ser.validated_data)
        return Response(FormulaSerializer(formula).data, status=status.HTTP_201_CREATED)


class EvaluationFigureSerializer(serializers.ModelSerializer):
    organization = GovOrganizationSerializer()

    class Meta:
        model = EvaluationFigure
        fields = [
            "id",
            "organization",
            "year",
            "input",
            "value",
            "evidence",
            "status",
            "submitted_at",
            "reviewed_at",
            "review_note",
        ]
        read_only_fields = fields


class EvaluationFigureInSerializer(StrictSerializer):
    organization = serializers.IntegerField()
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    input = serializers.ChoiceField(choices=evaluation.MANUAL_INPUTS)
    value = serializers.DecimalField(**MONEY)
    evidence = serializers.CharField(max_length=1000)


class ReviewFigureSerializer(StrictSerializer):
    accept = serializers.BooleanField()
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


@extend_schema_view(
    create=extend_schema(
        tags=[TAG],
        summary="Enter a figure no record gives yet, with evidence (the organisation's admins, operators)",
        request=EvaluationFigureInSerializer,
        responses={201: EvaluationFigureSerializer, **error_responses(400, 401, 403, 404)},
    ),
    list=extend_schema(
        tags=[TAG],
        summary="Evaluation figures (staff: all; others: their organisation's)",
        parameters=[
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter("page_size", OpenApiTypes.INT),
        ],
        responses={200: EvaluationFigureSerializer(many=True), **error_responses(401)},
    ),
)
class EvaluationFigureViewSet(viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    queryset = EvaluationFigure.objects.all()
    parser_classes = [StrictJSONParser]
    pagination_class = Pagination
    serializer_class = EvaluationFigureSerializer

    def get_queryset(self) -> Any:
        qs = EvaluationFigure.objects.select_related("organization").order_by("-submitted_at", "-pk")
        user: Any = self.request.user
        return qs if is_staff_reviewer(user) else qs.filter(organization_id=user.organization_id)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(EvaluationFigureSerializer(page, many=True).data)

    def create(self, request: Request) -> Response:
        ser = EvaluationFigureInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        org = get_object_or_404(Organization, pk=d.pop("organization"), kind__in=perms.EVALUATED_KINDS)
        with service_errors():
            figure = evaluation_services.submit_figure(org, actor=request.user, **d)
        return Response(EvaluationFigureSerializer(figure).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=[TAG],
        summary="Accept or reject a figure (platform staff)",
        request=ReviewFigureSerializer,
        responses={200: EvaluationFigureSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: int) -> Response:
        figure = perms.evaluation_figure_for(request.user, pk)
        if not is_staff_reviewer(request.user):
            raise PermissionDenied(_("Only platform staff review evaluation figures."))
        ser = ReviewFigureSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            evaluation_services.review_figure(figure, actor=request.user, **ser.validated_data)
        return Response(EvaluationFigureSerializer(figure).data)


# ---- monthly reports -----------------------------------------------------------------------------


class MonthlyReportSerializer(serializers.ModelSerializer):
    pdf_url = serializers.SerializerMethodField()
    xlsx_url = serializers.SerializerMethodField()

    class Meta:
        model = MonthlyReport
        fields = [
            "id",
            "plan",
            "year",
            "month",
            "status",
            "pdf_sha256",
            "xlsx_sha256",
            "requested_at",
            "generated_at",
            "error",
            "pdf_url",
            "xlsx_url",
        ]
        read_only_fields = fields

    def _url(self, obj: MonthlyReport, fmt: str) -> str | None:
        return (
            reverse("governance_console:monthly_download", args=[obj.pk, fmt])
            if obj.status == "ready"
            else None
        )

    def get_pdf_url(self, obj: MonthlyReport) -> str | None:
        return self._url(obj, "pdf")

    def get_xlsx_url(self, obj: MonthlyReport) -> str | None:
        return self._url(obj, "xlsx")


class MonthlyInSerializer(StrictSerializer):
    plan = serializers.IntegerField()
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    month = serializers.IntegerField(min_value=1, max_value=12)


class MonthlyView(APIView):
    parser_classes = [StrictJSONParser]

    def get_permissions(self) -> list[Any]:
        return [OperatorOnly() if self.request.method == "POST" else ConsoleOnly()]

    @extend_schema(
        tags=[TAG],
        summary="Monthly reports of a plan with download links (console users)",
        parameters=[PLAN_PARAM],
        responses={200: MonthlyReportSerializer(many=True), **error_responses(400, 401, 403, 404)},
    )
    def get(self, request: Request) -> Response:
        plan = _plan(request)
        return Response(
            MonthlyReportSerializer(MonthlyReport.objects.filter(plan=plan)[:120], many=True).data
        )

    @extend_schema(
        tags=[TAG],
        summary="Generate (or regenerate) a month's report in the background (operators)",
        request=MonthlyInSerializer,
        responses={202: MonthlyReportSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request) -> Response:
        ser = MonthlyInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        plan = get_object_or_404(Plan, pk=d.pop("plan"))
        with service_errors():
            report = monthly_services.request_monthly_report(plan, actor=request.user, **d)
        report.refresh_from_db()
        return Response(MonthlyReportSerializer(report).data, status=status.HTTP_202_ACCEPTED)


# ---- joint conference ----------------------------------------------------------------------------


class DecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Decision
        fields = ["id", "meeting", "text", "task", "responsible", "due", "status", "outcome", "closed_at"]
        read_only_fields = fields


class MeetingSerializer(serializers.ModelSerializer):
    decisions = DecisionSerializer(many=True, read_only=True)
    attendees = GovOrganizationSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "plan",
            "title",
            "held_on",
            "location",
            "chair",
            "participants",
            "minutes",
            "attendees",
            "decisions",
        ]
        read_only_fields = fields


class MeetingInSerializer(StrictSerializer):
    plan = serializers.IntegerField()
    title = serializers.CharField(max_length=200)
    held_on = serializers.DateField()
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    chair = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    participants = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    minutes = serializers.CharField(max_length=10000, required=False, allow_blank=True, default="")
    attendees = serializers.ListField(
        child=serializers.IntegerField(), required=False, max_length=100, default=list
    )


class DecisionInSerializer(StrictSerializer):
    text = serializers.CharField(max_length=1000)
    task = serializers.IntegerField(required=False, allow_null=True, default=None)
    responsible = serializers.IntegerField(required=False, allow_null=True, default=None)
    due = serializers.DateField(required=False, allow_null=True, default=None)


class CloseInSerializer(StrictSerializer):
    done = serializers.BooleanField()
    outcome = serializers.CharField(max_length=1000)


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        summary="Joint-conference meetings with their decisions (console users)",
        parameters=[
            PLAN_PARAM,
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter("page_size", OpenApiTypes.INT),
        ],
        responses={200: MeetingSerializer(many=True), **error_responses(400, 401, 403, 404)},
    ),
    retrieve=extend_schema(
        tags=[TAG],
        summary="One meeting",
        responses={200: MeetingSerializer, **error_responses(401, 403, 404)},
    ),
    create=extend_schema(
        tags=[TAG],
        summary="Record a meeting (operators)",
        request=MeetingInSerializer,
        responses={201: MeetingSerializer, **error_responses(400, 401, 403, 404)},
    ),
)
class MeetingViewSet(viewsets.GenericViewSet):
    permission_classes = [ConsoleOnly]
    parser_classes = [StrictJSONParser]
    pagination_class = Pagination
    serializer_class = MeetingSerializer

    def get_queryset(self) -> Any:
        return Meeting.objects.prefetch_related("decisions", "attendees").order_by("-held_on", "-pk")

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset().filter(plan=_plan(request)))
        return self.get_paginated_response(MeetingSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(MeetingSerializer(get_object_or_404(self.get_queryset(), pk=pk)).data)

    def create(self, request: Request) -> Response:
        if not is_operator(request.user):
            raise PermissionDenied(_("Only platform operators record joint-conference meetings."))
        ser = MeetingInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        plan = get_object_or_404(Plan, pk=d.pop("plan"))
        orgs = list(Organization.objects.filter(pk__in=d.pop("attendees")))
        with service_errors():
            meeting = meeting_services.create_meeting(plan, actor=request.user, attendees=orgs, **d)
        return Response(
            MeetingSerializer(self.get_queryset().get(pk=meeting.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        tags=[TAG],
        summary="Record a decision of the meeting, tracked to a task (operators)",
        request=DecisionInSerializer,
        responses={201: DecisionSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def decisions(self, request: Request, pk: int) -> Response:
        meeting = get_object_or_404(Meeting, pk=pk)
        if not is_operator(request.user):
            raise PermissionDenied(_("Only platform operators record joint-conference meetings."))
        ser = DecisionInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        task = get_object_or_404(Task, pk=d["task"]) if d["task"] else None
        responsible = get_object_or_404(Organization, pk=d["responsible"]) if d["responsible"] else None
        with service_errors():
            decision = meeting_services.add_decision(
                meeting, actor=request.user, text=d["text"], task=task, responsible=responsible, due=d["due"]
            )
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


class DecisionCloseView(APIView):
    permission_classes = [ConsoleOnly]
    parser_classes = [StrictJSONParser]

    @extend_schema(
        tags=[TAG],
        summary="Close a decision: carried out or dropped (operators, the responsible organisation)",
        request=CloseInSerializer,
        responses={200: DecisionSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        decision = get_object_or_404(Decision, pk=pk)
        if not perms.can_close_decision(request.user, decision):
            raise PermissionDenied(_("Only operators and the responsible organisation close a decision."))
        ser = CloseInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            meeting_services.close_decision(decision, actor=request.user, **ser.validated_data)
        return Response(DecisionSerializer(decision).data)


# ---- policies ------------------------------------------------------------------------------------


class ConditionSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ConditionKind.choices)
    values = serializers.ListField(child=serializers.CharField(max_length=40), max_length=50)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ConditionInSerializer(StrictSerializer, ConditionSerializer):
    pass


class PolicySerializer(serializers.ModelSerializer):
    conditions = ConditionSerializer(many=True, read_only=True)
    in_force = serializers.SerializerMethodField()

    class Meta:
        model = Policy
        fields = [
            "id",
            "title",
            "level",
            "issuer",
            "document_number",
            "issued_on",
            "effective_from",
            "effective_until",
            "in_force",
            "url",
            "summary",
            "keywords",
            "status",
            "conditions",
        ]
        read_only_fields = fields

    def get_in_force(self, obj: Policy) -> bool:
        return obj.in_force(timezone.localdate())


class PolicyInSerializer(StrictSerializer):
    title = serializers.CharField(max_length=300)
    level = serializers.ChoiceField(choices=PolicyLevel.choices)
    issuer = serializers.CharField(max_length=200)
    document_number = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    issued_on = serializers.DateField(required=False, allow_null=True, default=None)
    effective_from = serializers.DateField(required=False, allow_null=True, default=None)
    effective_until = serializers.DateField(required=False, allow_null=True, default=None)
    url = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")
    summary = serializers.CharField(max_length=2000)
    keywords = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    conditions = ConditionInSerializer(  # type: ignore[call-arg]
        many=True, required=False, max_length=len(ConditionKind.values), default=list
    )
    publish = serializers.BooleanField(required=False, default=False)


class PolicyPatchSerializer(PolicyInSerializer):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            f.required = False
        self.fields.pop("publish")


class CheckSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    required = serializers.CharField()  # type: ignore[assignment]
    actual = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]
    note = serializers.CharField()


class MatchSerializer(serializers.Serializer):
    policy = PolicySerializer()
    verdict = serializers.ChoiceField(choices=Verdict.choices, help_text="met: applies; unknown: may apply")
    in_force = serializers.BooleanField()
    checks = CheckSerializer(many=True)


class StatusInSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        summary="The policy library, searchable in Chinese",
        parameters=[
            OpenApiParameter("q", str, description="search words (Chinese or English)"),
            OpenApiParameter("level", str, enum=PolicyLevel.values),
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter("page_size", OpenApiTypes.INT),
        ],
        responses={200: PolicySerializer(many=True), **error_responses(400)},
    ),
    retrieve=extend_schema(
        tags=[TAG], summary="One policy", responses={200: PolicySerializer, **error_responses(404)}
    ),
    create=extend_schema(
        tags=[TAG],
        summary="Add a policy (operators)",
        request=PolicyInSerializer,
        responses={201: PolicySerializer, **error_responses(400, 401, 403)},
    ),
    partial_update=extend_schema(
        tags=[TAG],
        summary="Change a policy (operators)",
        request=PolicyPatchSerializer,
        responses={200: PolicySerializer, **error_responses(400, 401, 403, 404)},
    ),
)
class PolicyViewSet(viewsets.GenericViewSet):
    pagination_class = Pagination
    parser_classes = [StrictJSONParser]
    serializer_class = PolicySerializer

    def get_permissions(self) -> list[Any]:
        if self.action in ("list", "retrieve"):
            return [permissions.AllowAny()]
        if self.action == "applicable":
            return [RolePermission.of(has_organization)()]
        return [OperatorOnly()]

    def get_queryset(self) -> Any:
        return queries.visible_policies(self.request.user)

    def list(self, request: Request) -> Response:
        level = request.query_params.get("level", "")
        if level and level not in PolicyLevel.values:
            raise serializers.ValidationError({"level": [", ".join(PolicyLevel.values)]})
        q = request.query_params.get("q", "")[:100]
        page = self.paginate_queryset(queries.visible_policies(request.user, q=q, level=level))
        return self.get_paginated_response(PolicySerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(PolicySerializer(perms.visible_policy(request.user, pk)).data)

    def create(self, request: Request) -> Response:
        ser = PolicyInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        conditions = [dict(c) for c in d.pop("conditions")]
        with service_errors():
            policy = policy_services.create_policy(actor=request.user, conditions=conditions, **d)
        return Response(
            PolicySerializer(Policy.objects.get(pk=policy.pk)).data, status=status.HTTP_201_CREATED
        )

    def partial_update(self, request: Request, pk: int) -> Response:
        policy = get_object_or_404(Policy, pk=pk)
        ser = PolicyPatchSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        conditions = [dict(c) for c in d.pop("conditions")] if "conditions" in d else None
        with service_errors():
            policy_services.update_policy(policy, actor=request.user, conditions=conditions, **d)
        return Response(PolicySerializer(Policy.objects.get(pk=policy.pk)).data)

    @extend_schema(
        tags=[TAG],
        summary="Publish a policy (operators)",
        request=None,
        responses={200: PolicySerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: int) -> Response:
        policy = get_object_or_404(Policy, pk=pk)
        with service_errors():
            policy_services.publish_policy(policy, actor=request.user)
        return Response(PolicySerializer(policy).data)

    @extend_schema(
        tags=[TAG],
        summary="Withdraw a policy (operators)",
        request=StatusInSerializer,
        responses={200: PolicySerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: int) -> Response:
        policy = get_object_or_404(Policy, pk=pk)
        ser = StatusInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            policy_services.withdraw_policy(policy, actor=request.user, reason=ser.validated_data["reason"])
        return Response(PolicySerializer(policy).data)

    @extend_schema(
        tags=[TAG],
        summary="Which policies apply to my organisation, with the reason per condition",
        responses={200: MatchSerializer(many=True), **error_responses(401, 403)},
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def applicable(self, request: Request) -> Response:
        user: Any = request.user
        org = policy_match.org_with_zone(user.organization_id)
        matches = policy_match.matches_for(
            org, queries.visible_policies(request.user).filter(status="published")
        )
        return Response(
            [
                {
                    "policy": PolicySerializer(m.policy).data,
                    "verdict": m.verdict,
                    "in_force": m.in_force,
                    "checks": [c.__dict__ for c in m.checks],
                }
                for m in matches
            ]
        )
