"""The action plan as data: targets, tasks and departments, progress reports, meetings, evaluation, policies.

Actual values are never stored here: targets name a metric of ``core.registry.metrics`` (other apps
compute it from their own records) or carry manual figures with evidence. Statuses of targets and
tasks are computed when read (``governance.measures``, ``governance.standing``); only records people
act on (reports, decisions, evaluation figures, monthly documents, policies) have a state machine.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techbridge.core.workflow import StateMachineMixin

from .choices import (
    DECISION_TRANSITIONS,
    FIGURE_TRANSITIONS,
    MONTHLY_TRANSITIONS,
    POLICY_TRANSITIONS,
    REPORT_TRANSITIONS,
    Comparison,
    ConditionKind,
    DecisionStatus,
    FigureStatus,
    MonthlyStatus,
    OrgSize,
    PolicyLevel,
    PolicyStatus,
    ReportStatus,
    SelfAssessment,
    Source,
)

USER = settings.AUTH_USER_MODEL
FIGURE: dict[str, Any] = {
    "max_digits": 18,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1e15"))],
}
RATIO: dict[str, Any] = {
    "max_digits": 4,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("2.00"))],
}
MAX_REPORT_FIGURES = 20
MAX_ATTACHMENTS = 10


def _government(org: Any) -> bool:
    from techbridge.organizations.choices import OrgKind

    return getattr(org, "kind", None) == OrgKind.GOVERNMENT


class Plan(models.Model):
    """A plan (行动方案) with its period, issuer and the rules its dashboards apply.

    ``on_track_ratio`` and ``attention_ratio`` are the status thresholds (forecast ÷ target);
    ``forecast_periods`` is how many complete quarters the forecast reads; quarterly progress reports
    are due ``report_grace_days`` after each quarter that ends on or after ``reporting_starts``. At most
    one plan is current (the one the dashboards open with).
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    period_label = models.CharField(_("period"), max_length=20, blank=True)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    issuer = models.CharField(_("issuing body"), max_length=200)
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    basis = models.TextField(_("legal and policy basis"), max_length=2000, blank=True)
    summary = models.TextField(_("goals"), max_length=4000, blank=True)
    is_current = models.BooleanField(_("current plan"), default=False)
    on_track_ratio = models.DecimalField(
        _("on track from (forecast ÷ target)"), default=Decimal("0.95"), **RATIO
    )
    attention_ratio = models.DecimalField(
        _("attention from (forecast ÷ target)"), default=Decimal("0.80"), **RATIO
    )
    forecast_periods = models.PositiveSmallIntegerField(
        _("quarters the forecast reads"), default=4, validators=[MinValueValidator(2), MaxValueValidator(12)]
    )
    report_grace_days = models.PositiveSmallIntegerField(
        _("days after a quarter to report"), default=15, validators=[MaxValueValidator(90)]
    )
    reporting_starts = models.DateField(_("quarterly reports required from"), null=True, blank=True)
    source_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    loaded_at = models.DateTimeField(_("loaded"), default=timezone.now)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-start", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=models.Q(is_current=True), name="governance_one_current_plan"
            ),
            models.CheckConstraint(
                condition=models.Q(start__lte=models.F("end")), name="governance_plan_dates"
            ),
            models.CheckConstraint(
                condition=models.Q(attention_ratio__lt=models.F("on_track_ratio")),
                name="governance_plan_thresholds_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.start and self.end and self.start > self.end:
            raise ValidationError({"end": _("The plan cannot end before it starts.")})
        if (
            self.attention_ratio is not None
            and self.on_track_ratio is not None
            and self.attention_ratio >= self.on_track_ratio
        ):
            raise ValidationError(
                {"attention_ratio": _("The attention threshold must be below the on-track threshold.")}
            )


class Task(models.Model):
    """One of the plan's key tasks (重点任务) with the departments responsible for it.

    The first department the plan lists leads (牵头) and files the required quarterly report; the
    others may report too.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    number = models.PositiveSmallIntegerField(_("number"))
    section = models.CharField(_("section"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), max_length=5000, blank=True)
    departments = models.ManyToManyField(
        "organizations.Organization", through="TaskDepartment", related_name="governance_tasks"
    )

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="governance_task_number_once")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class TaskDepartment(models.Model):
    """A department responsible for a task, as the plan lists it (``listed_as``: 市科委, 发改委 …)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="governance_assignments"
    )
    listed_as = models.CharField(_("named in the plan as"), max_length=40, blank=True)
    is_lead = models.BooleanField(_("leads"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("responsible department")
        verbose_name_plural = _("responsible departments")
        ordering = ["task", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "organization"], name="governance_task_department_once"),
            models.UniqueConstraint(
                fields=["task"], condition=models.Q(is_lead=True), name="governance_one_lead_per_task"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.organization_id}"


class Target(models.Model):
    """A quantified target (or, without ``value``, an indicator the plan asks to monitor).

    ``value`` is in ``unit`` (300 亿元); ``scale`` converts the metric's unit to it (1 亿元 = 10⁸ yuan,
    so a metric in yuan is divided by 10⁸). ``comparison`` says whether the deadline year's figure or
    the running total since ``counts_from`` (default: the plan's start) is compared.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    code = models.SlugField(_("code"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    indicator = models.CharField(_("indicator"), max_length=200)
    quote = models.CharField(_("wording in the plan"), max_length=500, blank=True)
    value = models.DecimalField(_("target value"), null=True, blank=True, **FIGURE)
    unit = models.CharField(_("unit"), max_length=20)
    scale = models.DecimalField(
        _("metric units per unit"),
        max_digits=20,
        decimal_places=4,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.0001"))],
    )
    deadline = models.DateField(_("deadline"))
    comparison = models.CharField(_("compared with"), max_length=16, choices=Comparison.choices)
    source = models.CharField(_("actual value from"), max_length=16, choices=Source.choices)
    metric_code = models.CharField(_("metric"), max_length=80, blank=True)
    counts_from = models.DateField(_("running total from"), null=True, blank=True)
    departments = models.ManyToManyField(
        "organizations.Organization", verbose_name=_("responsible departments"), related_name="+", blank=True
    )
    tasks = models.ManyToManyField(Task, verbose_name=_("tasks"), related_name="targets", blank=True)
    note = models.TextField(_("note"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["plan", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="governance_target_code_once"),
            models.CheckConstraint(
                condition=~models.Q(source="metric") | ~models.Q(metric_code=""),
                name="governance_metric_target_names_metric",
            ),
        ]

    def __str__(self) -> str:
        return self.indicator

    @property
    def start(self) -> Any:
        return self.counts_from or self.plan.start

    def clean(self) -> None:
        if self.source == Source.METRIC and not self.metric_code:
            raise ValidationError(
                {"metric_code": _("Name the metric that gives this target's actual value.")}
            )


class ManualFigure(models.Model):
    """The value of a manual target as of a date, with its evidence (a statistics bulletin, a list …).

    For an annual target the figure is the year-to-date value of ``as_of``'s year; for a cumulative one
    the running total at ``as_of``. Figures come from accepted progress reports or from operators.
    """

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="figures")
    as_of = models.DateField(_("as of"))
    value = models.DecimalField(_("value"), **FIGURE)
    evidence = models.TextField(_("evidence"), max_length=1000)
    evidence_file = models.FileField(
        _("evidence file"), upload_to="governance/evidence/%Y/", max_length=300, blank=True
    )
    report = models.ForeignKey(
        "ProgressReport", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(_("entered"), default=timezone.now)

    class Meta:
        verbose_name = _("manual figure")
        verbose_name_plural = _("manual figures")
        ordering = ["target", "-as_of"]
        constraints = [
            models.UniqueConstraint(fields=["target", "as_of"], name="governance_figure_once_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.target_id}@{self.as_of}: {self.value}"

    def clean(self) -> None:
        if not (self.evidence or "").strip():
            raise ValidationError({"evidence": _("Say where the figure comes from.")})


class Milestone(models.Model):
    """A dated step of a task. It is done once an accepted progress report says so (``done_on``)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due = models.DateField(_("due"))
    description = models.TextField(_("description"), max_length=1000, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_report = models.ForeignKey(
        "ProgressReport", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["task", "due", "id"]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: Any) -> bool:
        return self.done_on is None and self.due < today


class ProgressReport(StateMachineMixin):
    """A department's quarterly progress report on one task: text, figures, milestones done, files.

    The department drafts and submits it; platform staff accept it or return it with a note. One
    report per task, department and quarter; a returned report is revised and submitted again.
    """

    TRANSITIONS = REPORT_TRANSITIONS

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    department = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="governance_reports"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT, db_index=True
    )
    summary = models.TextField(_("progress this quarter"), max_length=5000)
    next_steps = models.TextField(_("next steps"), max_length=2000, blank=True)
    self_assessment = models.CharField(
        _("self-assessment"), max_length=16, choices=SelfAssessment.choices, default=SelfAssessment.ON_TRACK
    )
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    submitted_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_note = models.TextField(_("review note"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-year", "-quarter", "task", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "department", "year", "quarter"], name="governance_report_once_per_quarter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.task_id} {self.year}Q{self.quarter}"

    @property
    def quarter_label(self) -> str:
        return f"{self.year}Q{self.quarter}"

    def clean(self) -> None:
        if self.department_id and not _government(self.department):
            raise ValidationError({"department": _("Progress reports are filed by government departments.")})
        if not (self.summary or "").strip():
            raise ValidationError({"summary": _("Describe the progress of this quarter.")})


class ReportFigure(models.Model):
    """A figure a report gives (label, value, unit); tied to a manual target it becomes that target's
    figure when the report is accepted."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="figures")
    label = models.CharField(_("figure"), max_length=100)
    value = models.DecimalField(_("value"), **FIGURE)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    target = models.ForeignKey(Target, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    evidence = models.CharField(_("evidence"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("report figure")
        verbose_name_plural = _("report figures")
        ordering = ["report", "order", "id"]

    def __str__(self) -> str:
        return f"{self.label}: {self.value}{self.unit}"


class ReportMilestone(models.Model):
    """A milestone a report says was reached, and when."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="milestones_done")
    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="+")
    done_on = models.DateField(_("done on"))

    class Meta:
        verbose_name = _("milestone reported done")
        verbose_name_plural = _("milestones reported done")
        constraints = [
            models.UniqueConstraint(fields=["report", "milestone"], name="governance_report_milestone_once")
        ]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.milestone_id}"


def attachment_path(instance: ReportAttachment, filename: str) -> str:
    return f"governance/reports/{instance.report_id}/{filename}"


class ReportAttachment(models.Model):
    """A file attached to a progress report; served only through a view that checks who may read it."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"), default=0)
    uploaded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("report attachment")
        verbose_name_plural = _("report attachments")
        ordering = ["report", "id"]

    def __str__(self) -> str:
        return self.name


# ---- joint conference (联席会议) ---------------------------------------------------------------------


class Meeting(models.Model):
    """A meeting of the joint conference of universities and districts (校地合作工作联席会议)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"))
    location = models.CharField(_("place"), max_length=200, blank=True)
    chair = models.CharField(_("chaired by"), max_length=100, blank=True)
    attendees = models.ManyToManyField(
        "organizations.Organization",
        verbose_name=_("participating organisations"),
        related_name="+",
        blank=True,
    )
    participants = models.CharField(_("other participants"), max_length=1000, blank=True)
    minutes = models.TextField(_("minutes"), max_length=10000, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("joint conference meeting")
        verbose_name_plural = _("joint conference meetings")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Decision(StateMachineMixin):
    """A decision of a meeting, tracked to a task and a responsible organisation until carried out."""

    TRANSITIONS = DECISION_TRANSITIONS

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("decision"), max_length=1000)
    task = models.ForeignKey(
        Task,
        verbose_name=_("task"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
    )
    responsible = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("responsible"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="governance_decisions",
    )
    due = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=DecisionStatus.choices, default=DecisionStatus.OPEN, db_index=True
    )
    outcome = models.TextField(_("outcome"), max_length=1000, blank=True)
    closed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return self.text[:60]

    def is_overdue(self, today: Any) -> bool:
        return self.status == DecisionStatus.OPEN and self.due is not None and self.due < today


# ---- evaluation of universities and institutes (绩效评价) --------------------------------------------


class EvaluationFormula(models.Model):
    """One version of the evaluation formula: a weight per input (``governance.evaluation.INPUTS``).

    Versions are never edited: a change is a new version, and every ranking names the version it used.
    """

    version = models.PositiveIntegerField(_("version"), unique=True)
    weights = models.JSONField(_("weights"))
    note = models.TextField(_("why this version"), max_length=1000, blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("evaluation formula")
        verbose_name_plural = _("evaluation formulas")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"v{self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("A formula version is never changed; create the next version.")
        super().save(*args, **kwargs)


def evaluation_path(instance: EvaluationFigure, filename: str) -> str:
    return f"governance/evaluation/{instance.organization_id}/{filename}"


class EvaluationFigure(StateMachineMixin):
    """A figure no platform record gives yet (spin-offs), entered with evidence and accepted by staff."""

    TRANSITIONS = FIGURE_TRANSITIONS

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="governance_figures"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    input = models.CharField(_("input"), max_length=40)
    value = models.DecimalField(_("value"), **FIGURE)
    evidence = models.TextField(_("evidence"), max_length=1000)
    attachment = models.FileField(_("evidence file"), upload_to=evaluation_path, max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=FigureStatus.choices, default=FigureStatus.SUBMITTED
    )
    submitted_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    reviewed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_note = models.TextField(_("review note"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("evaluation figure")
        verbose_name_plural = _("evaluation figures")
        ordering = ["-year", "organization", "input"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "input"],
                condition=~models.Q(status="rejected"),
                name="governance_evaluation_figure_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.year} {self.input}"

    def clean(self) -> None:
        if not (self.evidence or "").strip():
            raise ValidationError({"evidence": _("Say where the figure comes from.")})


# ---- monthly report ------------------------------------------------------------------------------


def monthly_path(instance: MonthlyReport, filename: str) -> str:
    return f"governance/monthly/{instance.plan_id}/{filename}"


class MonthlyReport(StateMachineMixin):
    """The monthly report of a plan as PDF and Excel, generated once in the background and stored with
    SHA-256 hashes. Generating again replaces both files (and is audited)."""

    TRANSITIONS = MONTHLY_TRANSITIONS

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="monthly_reports")
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    status = models.CharField(
        _("status"), max_length=16, choices=MonthlyStatus.choices, default=MonthlyStatus.PENDING
    )
    pdf = models.FileField(_("PDF"), upload_to=monthly_path, max_length=300, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    xlsx = models.FileField(_("Excel"), upload_to=monthly_path, max_length=300, blank=True)
    xlsx_sha256 = models.CharField(max_length=64, blank=True)
    requested_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    generated_at = models.DateTimeField(_("generated"), null=True, blank=True)
    error = models.TextField(_("error"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        ordering = ["-year", "-month", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "year", "month"], name="governance_monthly_once")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.year}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{self.year}-{self.month:02d}"


# ---- policies ------------------------------------------------------------------------------------


class Policy(StateMachineMixin):
    """A policy document (law, regulation, plan, measure) with its issuer and structured conditions.

    ``summary`` says in a sentence or two what the document covers; the authoritative text is at
    ``url``. Conditions (``PolicyCondition``) say whom it addresses; a policy without conditions
    addresses everyone.
    """

    TRANSITIONS = POLICY_TRANSITIONS

    title = models.CharField(_("title"), max_length=300)
    level = models.CharField(_("level"), max_length=16, choices=PolicyLevel.choices)
    issuer = models.CharField(_("issued by"), max_length=200)
    document_number = models.CharField(_("document number"), max_length=80, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    effective_from = models.DateField(_("in force from"), null=True, blank=True)
    effective_until = models.DateField(_("in force until"), null=True, blank=True)
    url = models.URLField(_("official text"), max_length=500, blank=True)
    summary = models.TextField(_("what it covers"), max_length=2000)
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=PolicyStatus.choices, default=PolicyStatus.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        ordering = ["-issued_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["title", "issuer"], name="governance_policy_once")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.effective_from and self.effective_until and self.effective_from > self.effective_until:
            raise ValidationError({"effective_until": _("A policy cannot lapse before it takes effect.")})

    def in_force(self, today: Any) -> bool:
        if self.effective_from and today < self.effective_from:
            return False
        return not (self.effective_until and today > self.effective_until)

    def search_document(self) -> str:
        return "\n".join([self.title, self.issuer, self.document_number, self.summary, self.keywords])


class PolicyCondition(models.Model):
    """Whom a policy addresses, on one dimension: the organisation's value must be one of ``values``
    (for fields and designations, any one of them)."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="conditions")
    kind = models.CharField(_("condition on"), max_length=16, choices=ConditionKind.choices)
    values = models.JSONField(_("accepted values"), default=list)
    note = models.CharField(_("wording in the policy"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("policy condition")
        verbose_name_plural = _("policy conditions")
        ordering = ["policy", "kind"]
        constraints = [models.UniqueConstraint(fields=["policy", "kind"], name="governance_condition_once")]

    def __str__(self) -> str:
        return f"{self.policy_id}: {self.kind}"


class PolicyProfile(models.Model):
    """What an organisation declares about itself for the policy check (size, designations, fields);
    kind, district and zone come from its registered record."""

    organization = models.OneToOneField(
        "organizations.Organization", on_delete=models.CASCADE, related_name="policy_profile"
    )
    size = models.CharField(_("size"), max_length=16, choices=OrgSize.choices, blank=True)
    designations = models.JSONField(_("designations"), default=list, blank=True)
    fields = models.ManyToManyField("taxonomy.IndustryField", verbose_name=_("industry fields"), blank=True)
    updated_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("policy profile")
        verbose_name_plural = _("policy profiles")

    def __str__(self) -> str:
        return str(self.organization_id)
