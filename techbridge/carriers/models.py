"""Models of carriers and enterprises.

- ``Carrier``: an innovation carrier (新型研发机构, 大学科技园, 众创空间, 孵化器 …) registered by the
  organisation that runs it and approved by platform staff; ``IncubatedFirm`` rows are its firms.
- ``AnnualReport``: a carrier's yearly indicators, reviewed by staff; ``EvaluationFormula`` (versioned
  weights and benchmarks) and ``Evaluation`` (an immutable score with every input) evaluate it.
- ``Designation``, ``RdInput``, ``Project`` (+ parties, milestones), ``Alliance`` (+ members): the
  enterprise side of the plan.
- ``TypicalCase``: the library of typical cases, written by staff from a platform record or by hand.

Every status moves through ``core.workflow.transition``; every other write goes through ``services``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techbridge.core.workflow import StateMachineMixin
from techbridge.organizations.choices import District

from . import indicators
from .choices import (
    ALLIANCE_TRANSITIONS,
    CARRIER_TRANSITIONS,
    CASE_TRANSITIONS,
    DESIGNATION_TRANSITIONS,
    FIRM_TRANSITIONS,
    FORMULA_TRANSITIONS,
    PROJECT_TRANSITIONS,
    REPORT_TRANSITIONS,
    AllianceStatus,
    CarrierKind,
    CarrierStatus,
    CaseCategory,
    CaseStatus,
    DesignationKind,
    DesignationStatus,
    Family,
    FirmStatus,
    FormulaStatus,
    Grade,
    Level,
    MemberRole,
    PartyRole,
    ProjectKind,
    ProjectStatus,
    ReportStatus,
    family_of,
)

MONEY: Any = {
    "max_digits": 14,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal("0")), MaxValueValidator(indicators.MONEY_MAX)],
}
YEAR_VALIDATORS = [MinValueValidator(1980), MaxValueValidator(2100)]


def _count(label: Any, **kwargs: Any) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(
        label, null=True, blank=True, validators=[MaxValueValidator(indicators.COUNT_MAX)], **kwargs
    )


def _money(label: Any, **kwargs: Any) -> models.DecimalField:
    return models.DecimalField(label, null=True, blank=True, **MONEY, **kwargs)


class Located(models.Model):
    """Where a record is: a district and, where it lies in one, a zone (zones overlap the districts)."""

    district = models.CharField(_("district"), max_length=16, choices=District.choices, blank=True)
    zone = models.ForeignKey(
        "organizations.Zone",
        verbose_name=_("zone"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True


# ---- carriers -----------------------------------------------------------------------------------------


class Carrier(StateMachineMixin, Located):
    """An innovation carrier registered by the organisation that runs it (``operator``).

    A carrier is public once staff approve it. Its recognition (level, date, issuer, certificate) is what
    the plan's targets count: a carrier counts for a period when it was approved on the platform and its
    ``recognised_on`` falls on or before the period's end, unless it was revoked (``revoked_on``) before.
    """

    TRANSITIONS = CARRIER_TRANSITIONS

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind of carrier"), max_length=24, choices=CarrierKind.choices, db_index=True)
    level = models.CharField(_("recognition level"), max_length=12, choices=Level.choices, default=Level.NONE)
    recognised_on = models.DateField(_("recognised on"), null=True, blank=True)
    recognised_by = models.CharField(_("recognised by"), max_length=100, blank=True)
    certificate_no = models.CharField(_("certificate or document number"), max_length=100, blank=True)
    operator = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("operating organisation"),
        on_delete=models.PROTECT,
        related_name="carriers_operated",
    )
    hosts = models.ManyToManyField(
        "organizations.Organization",
        verbose_name=_("host organisations"),
        blank=True,
        related_name="carriers_hosted",
        help_text=_("Universities, institutes, enterprises or districts that founded or back the carrier."),
    )
    fields = models.ManyToManyField("taxonomy.IndustryField", verbose_name=_("industry fields"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    space_m2 = models.DecimalField(
        _("floor space (m²)"),
        max_digits=10,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("99999999"))],
    )
    services = models.TextField(
        _("services offered"),
        max_length=3000,
        blank=True,
        help_text=_(
            "What firms and teams get here: space, shared equipment, mentoring, financing, training …"
        ),
    )
    description = models.TextField(_("introduction"), max_length=5000, blank=True)
    website = models.URLField(_("website"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=CarrierStatus.choices, default=CarrierStatus.DRAFT, db_index=True
    )
    reject_reason = models.TextField(_("reason"), max_length=2000, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("carrier")
        verbose_name_plural = _("carriers")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["name", "kind"], name="carrier_unique_name_kind"),
            models.CheckConstraint(
                condition=Q(level="none") | Q(recognised_on__isnull=False), name="carrier_recognised_has_date"
            ),
        ]
        indexes = [models.Index(fields=["kind", "status", "level"], name="carrier_kind_status_level")]

    def __str__(self) -> str:
        return self.name

    @property
    def family(self) -> str:
        return family_of(self.kind)

    @property
    def is_public(self) -> bool:
        return self.status == CarrierStatus.APPROVED

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.level != Level.NONE and not self.recognised_on:
            errors["recognised_on"] = _("Give the date of recognition for a recognised carrier.")
        if self.level == Level.NONE and self.recognised_on:
            errors["level"] = _("Choose the level at which the carrier was recognised.")
        if self.recognised_on and self.recognised_on > timezone.localdate():
            errors["recognised_on"] = _("The date of recognition cannot be in the future.")
        if errors:
            raise ValidationError(errors)


class IncubatedFirm(StateMachineMixin):
    """A firm hosted by a carrier: admitted on ``entered_on``, then graduated or gone.

    The firm may be an organisation of the platform (``organization``) or only named.
    """

    TRANSITIONS = FIRM_TRANSITIONS

    carrier = models.ForeignKey(
        Carrier, verbose_name=_("carrier"), on_delete=models.CASCADE, related_name="firms"
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organisation on the platform"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incubations",
    )
    name = models.CharField(_("firm name"), max_length=200)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    field = models.ForeignKey(
        "taxonomy.IndustryField",
        verbose_name=_("industry field"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_on = models.DateField(_("admitted on"))
    graduated_on = models.DateField(_("graduated on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=FirmStatus.choices, default=FirmStatus.INCUBATING, db_index=True
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("incubated firm")
        verbose_name_plural = _("incubated firms")
        ordering = ["-entered_on", "name"]
        constraints = [
            models.UniqueConstraint(fields=["carrier", "name", "entered_on"], name="firm_unique_per_entry"),
            models.CheckConstraint(
                condition=Q(graduated_on__isnull=True) | Q(graduated_on__gte=F("entered_on")),
                name="firm_graduates_after_entry",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("entered_on")),
                name="firm_leaves_after_entry",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AnnualReport(StateMachineMixin):
    """A carrier's indicators for one year, declared by the carrier and reviewed by staff.

    The carrier edits it while it is a draft or returned; once accepted it is frozen and evaluated.
    One report per carrier and year.
    """

    TRANSITIONS = REPORT_TRANSITIONS

    carrier = models.ForeignKey(
        Carrier, verbose_name=_("carrier"), on_delete=models.PROTECT, related_name="reports"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    firms_incubated = _count(_("firms incubated at year end"))
    firms_new = _count(_("firms newly admitted"))
    firms_graduated = _count(_("firms graduated"))
    achievements_transferred = _count(_("achievements transferred in"))
    contracts_count = _count(_("technology contracts"))
    contracts_amount = _money(_("technology contract turnover (yuan)"))
    revenue = _money(_("revenue (yuan)"))
    jobs = _count(_("jobs"))
    investment = _money(_("investment attracted (yuan)"))
    rd_staff = _count(_("R&D staff"))
    patents_granted = _count(_("patents granted"))
    events_held = _count(_("service and start-up events held"))
    narrative = models.TextField(
        _("summary of the year"),
        max_length=5000,
        blank=True,
        help_text=_("Highlights, difficulties and plans; reviewers read this with the figures."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT, db_index=True
    )
    return_reason = models.TextField(_("reason for return"), max_length=2000, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["-year", "carrier__name"]
        constraints = [
            models.UniqueConstraint(fields=["carrier", "year"], name="report_one_per_carrier_year")
        ]

    def __str__(self) -> str:
        return f"{self.carrier} · {self.year}"

    def values(self) -> dict[str, Any]:
        """The declared indicators by code (``None`` where not declared)."""
        return {code: getattr(self, code) for code in indicators.CODES}

    @property
    def editable(self) -> bool:
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)


class EvaluationFormula(StateMachineMixin):
    """One version of the performance-evaluation formula of a family of carriers.

    ``weights`` and ``benchmarks`` map indicator codes to numbers (see ``indicators``); at most one version
    per family is active. A version that has been used is never changed: a new version replaces it.
    """

    TRANSITIONS = FORMULA_TRANSITIONS

    family = models.CharField(_("family of carriers"), max_length=12, choices=Family.choices)
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    weights = models.JSONField(_("weights"), default=dict)
    benchmarks = models.JSONField(_("benchmarks"), default=dict)
    excellent_from = models.DecimalField(
        _("excellent from"), max_digits=5, decimal_places=2, default=Decimal("85")
    )
    good_from = models.DecimalField(_("good from"), max_digits=5, decimal_places=2, default=Decimal("70"))
    pass_from = models.DecimalField(_("pass from"), max_digits=5, decimal_places=2, default=Decimal("60"))
    notes = models.TextField(_("notes"), max_length=3000, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=FormulaStatus.choices, default=FormulaStatus.DRAFT, db_index=True
    )
    activated_at = models.DateTimeField(_("in use since"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("evaluation formula")
        verbose_name_plural = _("evaluation formulas")
        ordering = ["family", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["family", "version"], name="formula_unique_version"),
            models.UniqueConstraint(
                fields=["family"], condition=Q(status="active"), name="formula_one_active_per_family"
            ),
            models.CheckConstraint(
                condition=Q(pass_from__lte=F("good_from"), good_from__lte=F("excellent_from"))
                & Q(pass_from__gte=0, excellent_from__lte=100),
                name="formula_grade_thresholds_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_family_display()} v{self.version}"

    def clean(self) -> None:
        problems = indicators.check_weights(self.family, self.weights or {}, self.benchmarks or {})
        if not (Decimal(0) <= self.pass_from <= self.good_from <= self.excellent_from <= Decimal(100)):
            problems.append(
                str(_("Grade thresholds must rise from pass to good to excellent, within 0–100."))
            )
        if problems:
            raise ValidationError({"weights": problems})

    def terms(self) -> list[dict[str, Any]]:
        """Weights and benchmarks as rows for a page (indicator label, weight, benchmark)."""
        rows = []
        for code, weight in (self.weights or {}).items():
            indicator = indicators.BY_CODE.get(code)
            rows.append(
                {
                    "code": code,
                    "label": indicator.label if indicator else code,
                    "money": bool(indicator and indicator.money),
                    "weight": weight,
                    "benchmark": (self.benchmarks or {}).get(code),
                }
            )
        return rows


class Evaluation(models.Model):
    """A performance evaluation (绩效评价) of one accepted annual report under one formula version.

    Immutable: ``inputs`` keeps every term (value, benchmark, ratio, weight, points) as computed, so the
    score can be checked by hand long after the formula was replaced.
    """

    report = models.ForeignKey(
        AnnualReport, verbose_name=_("annual report"), on_delete=models.PROTECT, related_name="evaluations"
    )
    carrier = models.ForeignKey(
        Carrier, verbose_name=_("carrier"), on_delete=models.PROTECT, related_name="evaluations"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    formula = models.ForeignKey(
        EvaluationFormula, verbose_name=_("formula"), on_delete=models.PROTECT, related_name="evaluations"
    )
    inputs = models.JSONField(_("inputs"), default=list)
    score = models.DecimalField(
        _("score"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    grade = models.CharField(_("grade"), max_length=12, choices=Grade.choices)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-year", "-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "formula"], name="evaluation_once_per_formula"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="evaluation_score_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.carrier} {self.year}: {self.score}"


# ---- enterprises ------------------------------------------------------------------------------------


class Designation(StateMachineMixin):
    """A designation of an enterprise (产学研合作示范企业, 高新技术企业 and its reserve list, 创新型领军企业).

    Recorded by staff from the issuing department's list, with its year and evidence. It counts while
    valid: from ``granted_on`` to ``valid_until`` (when the designation expires), unless revoked earlier.
    """

    TRANSITIONS = DESIGNATION_TRANSITIONS

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="designations",
    )
    kind = models.CharField(_("designation"), max_length=20, choices=DesignationKind.choices, db_index=True)
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    granted_on = models.DateField(_("granted on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    issuer = models.CharField(_("issued by"), max_length=100, blank=True)
    certificate_no = models.CharField(_("certificate or document number"), max_length=100, blank=True)
    evidence = models.TextField(
        _("evidence"),
        max_length=1000,
        help_text=_("Where the designation is published: the document number, list and link."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=DesignationStatus.choices, default=DesignationStatus.ACTIVE
    )
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revoke_reason = models.TextField(_("reason for revocation"), max_length=1000, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("designation")
        verbose_name_plural = _("designations")
        ordering = ["-year", "organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "year"], name="designation_once_per_year"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("granted_on")),
                name="designation_valid_after_grant",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.get_kind_display()} {self.year}"

    def clean(self) -> None:
        if self.granted_on and self.year and abs(self.granted_on.year - self.year) > 1:
            raise ValidationError(
                {"granted_on": _("The grant date does not match the year of the designation.")}
            )
        if self.granted_on and self.granted_on > timezone.localdate():
            raise ValidationError({"granted_on": _("The grant date cannot be in the future.")})


class RdInput(models.Model):
    """An enterprise's research and development input for one year, as the enterprise reports it."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="rd_inputs",
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    rd_expenditure = models.DecimalField(_("R&D expenditure (yuan)"), **MONEY)
    revenue = models.DecimalField(_("revenue (yuan)"), **MONEY)
    rd_staff = models.PositiveIntegerField(
        _("R&D staff"), validators=[MaxValueValidator(indicators.COUNT_MAX)], default=0
    )
    staff_total = models.PositiveIntegerField(
        _("total staff"), validators=[MaxValueValidator(indicators.COUNT_MAX)], default=0
    )
    cooperation_spend = models.DecimalField(
        _("spent on cooperation with universities and institutes (yuan)"), default=Decimal("0"), **MONEY
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported"), default=timezone.now)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("R&D input")
        verbose_name_plural = _("R&D input")
        ordering = ["-year", "organization__name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="rd_input_once_per_year"),
            models.CheckConstraint(
                condition=Q(rd_staff__lte=F("staff_total")) | Q(staff_total=0),
                name="rd_input_staff_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}"

    @property
    def intensity(self) -> Decimal | None:
        """R&D expenditure as a percentage of revenue (研发投入强度)."""
        if not self.revenue:
            return None
        return (self.rd_expenditure * 100 / self.revenue).quantize(Decimal("0.01"))

    def clean(self) -> None:
        if self.staff_total and self.rd_staff > self.staff_total:
            raise ValidationError({"rd_staff": _("R&D staff cannot exceed the total staff.")})


class Project(StateMachineMixin, Located):
    """A 产学研 or achievement-conversion project: its parties, budget, milestones and outputs.

    Visible to members of its parties and to console users; changed by the lead's admins, its creator
    and platform operators.
    """

    TRANSITIONS = PROJECT_TRANSITIONS

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind of project"), max_length=16, choices=ProjectKind.choices)
    summary = models.TextField(_("summary"), max_length=5000, blank=True)
    lead = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("lead organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    budget = models.DecimalField(_("total budget (yuan)"), default=Decimal("0"), **MONEY)
    public_funding = models.DecimalField(_("public funding (yuan)"), default=Decimal("0"), **MONEY)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    outputs = models.TextField(
        _("outputs"),
        max_length=5000,
        blank=True,
        help_text=_("Products, patents, standards, firms, revenue …"),
    )
    achievements = models.ManyToManyField(
        "achievements.Achievement", verbose_name=_("linked achievements"), blank=True, related_name="+"
    )
    contracts = models.ManyToManyField(
        "contracts.Contract", verbose_name=_("linked contracts"), blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ProjectStatus.choices,
        default=ProjectStatus.PLANNED,
        db_index=True,
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="project_ends_after_start"),
            models.CheckConstraint(
                condition=Q(public_funding__lte=F("budget")), name="project_funding_within_budget"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The project cannot end before it starts.")
        if self.budget is not None and self.public_funding is not None and self.public_funding > self.budget:
            errors["public_funding"] = _("Public funding cannot exceed the total budget.")
        if errors:
            raise ValidationError(errors)


class ProjectParty(models.Model):
    """An organisation taking part in a project, and in which role."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="parties")
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    role = models.CharField(_("role"), max_length=12, choices=PartyRole.choices)

    class Meta:
        verbose_name = _("project party")
        verbose_name_plural = _("project parties")
        constraints = [models.UniqueConstraint(fields=["project", "organization"], name="project_party_once")]

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_role_display()})"


class ProjectMilestone(models.Model):
    """A step of a project with a due date; ``done_on`` once it is reached."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title


class Alliance(StateMachineMixin, Located):
    """An industry technology innovation alliance (产业技术创新联盟) and its members.

    Registered by platform staff; its members are listed publicly. The chair's admins and operators keep
    the member list.
    """

    TRANSITIONS = ALLIANCE_TRANSITIONS

    name = models.CharField(_("name"), max_length=200, unique=True)
    lead = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("lead organisation"),
        on_delete=models.PROTECT,
        related_name="alliances_led",
    )
    fields = models.ManyToManyField("taxonomy.IndustryField", verbose_name=_("industry fields"), blank=True)
    founded_on = models.DateField(_("founded on"))
    description = models.TextField(_("introduction"), max_length=5000, blank=True)
    website = models.URLField(_("website"), max_length=200, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=AllianceStatus.choices,
        default=AllianceStatus.ACTIVE,
        db_index=True,
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("innovation alliance")
        verbose_name_plural = _("innovation alliances")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AllianceMember(models.Model):
    """An organisation's membership of an alliance, from ``joined_on`` until ``left_on``."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="members")
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="alliance_memberships",
    )
    role = models.CharField(_("role"), max_length=12, choices=MemberRole.choices, default=MemberRole.MEMBER)
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("alliance member")
        verbose_name_plural = _("alliance members")
        ordering = ["left_on", "role", "organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["alliance", "organization"],
                condition=Q(left_on__isnull=True),
                name="alliance_member_once",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="alliance_member_leaves_after",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} @ {self.alliance}"


# ---- typical cases ---------------------------------------------------------------------------------


class TypicalCase(StateMachineMixin, Located):
    """A typical case (典型案例) of a successful transfer, published for 示范引导.

    Written by staff, by hand or from a platform record (``source_kind``/``source_id``: a contract, a
    negotiation room or an auction lot). ``source_facts`` keeps what the record said when the case was
    written (parties, date, amount), so the case stays true if the record changes later; the amount is
    shown publicly only when ``show_amount`` is set. A case from a record is published only with the
    parties' consent recorded.
    """

    TRANSITIONS = CASE_TRANSITIONS

    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("category"), max_length=12, choices=CaseCategory.choices)
    summary = models.TextField(_("summary"), max_length=500)
    body = models.TextField(_("the case"), max_length=20000)
    source_kind = models.CharField(_("platform record"), max_length=16, blank=True)
    source_id = models.PositiveBigIntegerField(_("record number"), null=True, blank=True)
    source_facts = models.JSONField(_("facts from the record"), default=dict, blank=True)
    show_amount = models.BooleanField(_("show the amount publicly"), default=False)
    consent = models.BooleanField(
        _("the parties agreed to publication"),
        default=False,
        help_text=_("Required to publish a case written from a platform record."),
    )
    organizations = models.ManyToManyField(
        "organizations.Organization", verbose_name=_("organisations involved"), blank=True, related_name="+"
    )
    fields = models.ManyToManyField("taxonomy.IndustryField", verbose_name=_("industry fields"), blank=True)
    carrier = models.ForeignKey(
        Carrier,
        verbose_name=_("carrier involved"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    year = models.PositiveSmallIntegerField(_("year of the case"), validators=YEAR_VALIDATORS)
    status = models.CharField(
        _("status"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("typical case")
        verbose_name_plural = _("typical cases")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(source_kind="", source_id__isnull=True)
                | (~Q(source_kind="") & Q(source_id__isnull=False)),
                name="case_source_complete",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def document(self) -> str:
        """The text the full-text index holds for this case."""
        return "\n".join([self.title, self.summary, self.body, str(self.source_facts.get("title", ""))])
