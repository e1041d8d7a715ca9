"""Models of technology-transfer service institutions (技术转移服务机构).

An institution is an approved service organisation that applied and was reviewed. Around it: its
demonstration designations (verified by staff), its alliance role, the alliance's versioned service
standards, annual self-reports reviewed by staff, quarterly scores computed from the platform's own
records with versioned weights, client ratings after performed contracts, credit events with
evidence, credit grades, the blacklist and appeals. Scores and credit grades are never overwritten:
a change is a new version.
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
from django.utils.translation import pgettext_lazy

from techbridge.core.workflow import StateMachineMixin

from .choices import (
    APPEAL_TRANSITIONS,
    BLACKLIST_TRANSITIONS,
    CREDIT_EVENT_TRANSITIONS,
    DESIGNATION_TRANSITIONS,
    INSTITUTION_TRANSITIONS,
    REPORT_TRANSITIONS,
    AllianceRole,
    AppealStatus,
    BlacklistStatus,
    CreditEventKind,
    CreditEventStatus,
    CreditGradeLevel,
    DemonstrationLevel,
    DesignationStatus,
    InstitutionStatus,
    RatingRelation,
    ReportStatus,
    ScoreGrade,
    ServiceKind,
    Severity,
)

# Bounds shared by models, forms and the API.
MAX_STAFF = 100_000
MAX_FIELDS = 6
MAX_REVENUE = Decimal("100000000000")  # 1000亿元: far above any institution's service revenue
MAX_COUNT = 1_000_000
EVIDENCE_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".zip")
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
SCORE: dict[str, Any] = {"max_digits": 5, "decimal_places": 2}
SCORE_RANGE = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


def evidence_path(instance: Any, filename: str) -> str:
    folder = type(instance).__name__.lower()
    return f"institutions/{folder}/{timezone.now():%Y%m%d%H%M%S}-{filename}"


class Institution(StateMachineMixin):
    """A technology-transfer service institution: one per service organisation.

    Members of the organisation apply (draft → submitted); a platform reviewer lists it or returns it
    with a reason. Only listed (``approved``) institutions appear in the directory, are scored and
    receive ratings. ``current_score`` and ``current_credit`` point at the newest versions.
    """

    TRANSITIONS = INSTITUTION_TRANSITIONS

    organization = models.OneToOneField(
        "organizations.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="institution",
    )
    host = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("host university or company"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_institutions",
    )
    summary = models.TextField(_("profile"), max_length=3000, blank=True)
    fields = models.ManyToManyField(
        "taxonomy.IndustryField", verbose_name=_("industry fields"), blank=True, related_name="+"
    )
    staff_count = models.PositiveIntegerField(
        _("full-time staff"), default=0, validators=[MaxValueValidator(MAX_STAFF)]
    )
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=InstitutionStatus.choices,
        default=InstitutionStatus.DRAFT,
        db_index=True,
    )
    review_note = models.TextField(_("reviewer's note"), max_length=2000, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    listed_at = models.DateTimeField(_("listed"), null=True, blank=True)
    alliance_role = models.CharField(
        _("alliance role"), max_length=12, choices=AllianceRole.choices, blank=True, default=""
    )
    alliance_joined_on = models.DateField(_("joined the alliance on"), null=True, blank=True)
    current_score = models.ForeignKey(
        "QuarterlyScore", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    current_credit = models.ForeignKey(
        "CreditGrade", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("service institution")
        verbose_name_plural = _("service institutions")
        ordering = ["organization__name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(alliance_role="") | models.Q(alliance_joined_on__isnull=False),
                name="institution_alliance_member_has_join_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(host=models.F("organization")), name="institution_not_its_own_host"
            ),
        ]

    def __str__(self) -> str:
        return self.organization.name

    @property
    def name(self) -> str:
        return self.organization.name

    @property
    def is_listed(self) -> bool:
        return self.status == InstitutionStatus.APPROVED

    @property
    def service_codes(self) -> list[str]:
        return [s.code for s in self.services.all()]

    def service_labels(self) -> list[str]:
        labels = dict(ServiceKind.choices)
        return [str(labels[s.code]) for s in self.services.all() if s.code in labels]


class InstitutionService(models.Model):
    """One kind of service an institution offers (from ``ServiceKind``)."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="services")
    code = models.CharField(_("service"), max_length=16, choices=ServiceKind.choices)

    class Meta:
        verbose_name = _("service offered")
        verbose_name_plural = _("services offered")
        constraints = [
            models.UniqueConstraint(fields=["institution", "code"], name="institution_service_once")
        ]

    def __str__(self) -> str:
        return self.get_code_display()


class Designation(StateMachineMixin):
    """A demonstration designation (技术转移示范机构) with its certificate; staff verify it.

    Valid from ``designated_on`` until ``valid_until`` (open when empty) unless revoked; the plan's
    target counts institutions with a verified provincial or national designation valid at a date.
    """

    TRANSITIONS = DESIGNATION_TRANSITIONS

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="designations")
    level = models.CharField(_("level"), max_length=12, choices=DemonstrationLevel.choices)
    designated_on = models.DateField(_("designated on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=60)
    issued_by = models.CharField(_("issued by"), max_length=100)
    certificate = models.FileField(_("certificate scan"), upload_to=evidence_path, max_length=300, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=DesignationStatus.choices,
        default=DesignationStatus.PENDING,
        db_index=True,
    )
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    declared_at = models.DateTimeField(default=timezone.now)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    note = models.TextField(_("reviewer's note"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("demonstration designation")
        verbose_name_plural = _("demonstration designations")
        ordering = ["-designated_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("designated_on")),
                name="designation_valid_after_designated",
            ),
            models.UniqueConstraint(
                fields=["institution", "level", "certificate_number"], name="designation_certificate_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.designated_on:%Y}"

    @property
    def year(self) -> int:
        return self.designated_on.year

    def clean(self) -> None:
        if self.valid_until and self.designated_on and self.valid_until < self.designated_on:
            raise ValidationError({"valid_until": _("A designation cannot end before it begins.")})
        if self.designated_on and self.designated_on > timezone.localdate():
            raise ValidationError({"designated_on": _("The designation date cannot be in the future.")})


class ServiceStandard(models.Model):
    """A service standard the alliance publishes (服务标准与规范); its text lives in versions."""

    code = models.CharField(_("standard number"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    scope = models.TextField(_("scope"), max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("service standard")
        verbose_name_plural = _("service standards")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class StandardVersion(models.Model):
    """One published version of a standard. Versions are only ever added, never edited."""

    standard = models.ForeignKey(ServiceStandard, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveSmallIntegerField(_("version"))
    published_on = models.DateField(_("published on"))
    body = models.TextField(_("text"), max_length=50_000)
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)
    document = models.FileField(_("document (PDF)"), upload_to=evidence_path, max_length=300, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("standard version")
        verbose_name_plural = _("standard versions")
        ordering = ["standard", "-version"]
        constraints = [models.UniqueConstraint(fields=["standard", "version"], name="standard_version_once")]

    def __str__(self) -> str:
        return f"{self.standard.code} v{self.version}"


class ScorecardWeights(models.Model):
    """A version of the scorecard's category weights (sum 100). The newest version is in force."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    basics = models.PositiveSmallIntegerField(_("basic conditions"), validators=[MaxValueValidator(100)])
    performance = models.PositiveSmallIntegerField(
        _("service performance"), validators=[MaxValueValidator(100)]
    )
    capability = models.PositiveSmallIntegerField(
        _("service capability"), validators=[MaxValueValidator(100)]
    )
    governance = models.PositiveSmallIntegerField(_("governance"), validators=[MaxValueValidator(100)])
    credit = models.PositiveSmallIntegerField(_("social credit"), validators=[MaxValueValidator(100)])
    note = models.CharField(_("why the change"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    CATEGORIES = ("basics", "performance", "capability", "governance", "credit")

    class Meta:
        verbose_name = _("scorecard weights")
        verbose_name_plural = _("scorecard weights")
        ordering = ["-version"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    basics__lte=100,
                    performance__lte=100,
                    capability__lte=100,
                    governance__lte=100,
                    credit__lte=100,
                ),
                name="institution_weights_bounded",
            )
        ]

    def __str__(self) -> str:
        return f"v{self.version}"

    def as_dict(self) -> dict[str, int]:
        return {c: getattr(self, c) for c in self.CATEGORIES}

    def clean(self) -> None:
        total = sum(getattr(self, c) or 0 for c in self.CATEGORIES)
        if total != 100:
            raise ValidationError(_("The weights must add up to 100 (now %(total)s).") % {"total": total})


class SelfReport(StateMachineMixin):
    """An institution's annual self-report on its capability and governance, reviewed by staff.

    Only accepted reports feed the scorecard. Figures are bounded; staff with a degree and certified
    managers cannot exceed the full-time staff.
    """

    TRANSITIONS = REPORT_TRANSITIONS

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="reports")
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    full_time_staff = models.PositiveIntegerField(
        _("full-time staff"), default=0, validators=[MaxValueValidator(MAX_STAFF)]
    )
    staff_with_degree = models.PositiveIntegerField(
        _("staff with a bachelor's degree or above"), default=0, validators=[MaxValueValidator(MAX_STAFF)]
    )
    certified_managers = models.PositiveIntegerField(
        _("certified technology managers"), default=0, validators=[MaxValueValidator(MAX_STAFF)]
    )
    service_revenue = models.DecimalField(
        _("service revenue (yuan)"),
        max_digits=16,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_REVENUE)],
    )
    services_delivered = models.PositiveIntegerField(
        _("services delivered"), default=0, validators=[MaxValueValidator(MAX_COUNT)]
    )
    clients_served = models.PositiveIntegerField(
        _("clients served"), default=0, validators=[MaxValueValidator(MAX_COUNT)]
    )
    has_articles = models.BooleanField(_("articles of association and internal rules"), default=False)
    has_financial_audit = models.BooleanField(_("annual financial audit report"), default=False)
    has_quality_system = models.BooleanField(_("service quality management system"), default=False)
    has_disclosure = models.BooleanField(_("public disclosure of services and fees"), default=False)
    has_complaint_handling = models.BooleanField(_("complaint handling procedure"), default=False)
    summary = models.TextField(_("summary of the year's work"), max_length=5000, blank=True)
    evidence = models.FileField(
        _("supporting documents"), upload_to=evidence_path, max_length=300, blank=True
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT, db_index=True
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_note = models.TextField(_("reviewer's note"), max_length=2000, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    GOVERNANCE_ITEMS = (
        "has_articles",
        "has_financial_audit",
        "has_quality_system",
        "has_disclosure",
        "has_complaint_handling",
    )

    class Meta:
        verbose_name = _("annual self-report")
        verbose_name_plural = _("annual self-reports")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "year"], name="self_report_once_a_year"),
            models.CheckConstraint(
                condition=models.Q(staff_with_degree__lte=models.F("full_time_staff"))
                & models.Q(certified_managers__lte=models.F("full_time_staff")),
                name="self_report_staff_consistent",
            ),
            models.CheckConstraint(
                condition=models.Q(service_revenue__gte=0), name="self_report_revenue_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution_id} {self.year}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        staff = self.full_time_staff or 0
        if (self.staff_with_degree or 0) > staff:
            errors["staff_with_degree"] = _("Cannot exceed the full-time staff.")
        if (self.certified_managers or 0) > staff:
            errors["certified_managers"] = _("Cannot exceed the full-time staff.")
        if self.year and self.year > timezone.localdate().year:
            errors["year"] = _("A self-report covers a year that has begun.")
        if errors:
            raise ValidationError(errors)


class QuarterlyScore(models.Model):
    """One version of an institution's score for one quarter, with every input it was computed from.

    Immutable: recomputing with different inputs adds version + 1; the old versions stay. A score
    computed before the quarter ended is ``provisional``.
    """

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="scores")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    weights = models.ForeignKey(ScorecardWeights, on_delete=models.PROTECT, related_name="+")
    basics = models.DecimalField(_("basic conditions"), validators=SCORE_RANGE, **SCORE)
    performance = models.DecimalField(_("service performance"), validators=SCORE_RANGE, **SCORE)
    capability = models.DecimalField(_("service capability"), validators=SCORE_RANGE, **SCORE)
    governance = models.DecimalField(_("governance"), validators=SCORE_RANGE, **SCORE)
    credit = models.DecimalField(_("social credit"), validators=SCORE_RANGE, **SCORE)
    total = models.DecimalField(_("total"), validators=SCORE_RANGE, **SCORE)
    grade = models.CharField(_("grade"), max_length=1, choices=ScoreGrade.choices)
    inputs = models.JSONField(_("inputs"), default=dict)
    provisional = models.BooleanField(_("provisional"), default=False)
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("quarterly score")
        verbose_name_plural = _("quarterly scores")
        ordering = ["-year", "-quarter", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "year", "quarter", "version"], name="quarterly_score_version_once"
            ),
            models.CheckConstraint(
                condition=models.Q(total__gte=0, total__lte=100), name="quarterly_score_total_0_100"
            ),
        ]
        indexes = [models.Index(fields=["year", "quarter"])]

    def __str__(self) -> str:
        return f"{self.year}Q{self.quarter} v{self.version}: {self.total}"

    @property
    def label(self) -> str:
        return f"{self.year}Q{self.quarter}"


class CreditGrade(models.Model):
    """One version of an institution's credit grade, with the events and rule behind it. Immutable."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="credit_grades")
    version = models.PositiveIntegerField(_("version"))
    grade = models.CharField(_("credit grade"), max_length=1, choices=CreditGradeLevel.choices)
    basis = models.JSONField(_("basis"), default=dict)
    reason = models.CharField(_("why it changed"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("credit grade")
        verbose_name_plural = _("credit grades")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "version"], name="credit_grade_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.institution_id} v{self.version}: {self.grade}"


class CreditEvent(StateMachineMixin):
    """A credit event with its evidence (a complaint upheld, a registration refused for false information,
    a judgment …). Recorded by staff; an upheld appeal annuls it. Severe events blacklist the institution.
    """

    TRANSITIONS = CREDIT_EVENT_TRANSITIONS

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="credit_events")
    kind = models.CharField(_("kind"), max_length=24, choices=CreditEventKind.choices)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    occurred_on = models.DateField(_("occurred on"))
    description = models.TextField(_("what happened"), max_length=2000)
    reference = models.CharField(_("case or contract reference"), max_length=100, blank=True)
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, max_length=300, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CreditEventStatus.choices,
        default=CreditEventStatus.IN_FORCE,
        db_index=True,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    annulled_at = models.DateTimeField(null=True, blank=True)
    annul_reason = models.TextField(_("why it was annulled"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("credit event")
        verbose_name_plural = _("credit events")
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on}"

    def clean(self) -> None:
        if not self.evidence and not self.reference.strip():
            raise ValidationError(
                {
                    "evidence": _(
                        "Attach the evidence or give the case or contract reference it is filed under."
                    )
                }
            )
        if self.occurred_on and self.occurred_on > timezone.localdate():
            raise ValidationError({"occurred_on": _("The date cannot be in the future.")})


class Blacklisting(StateMachineMixin):
    """An institution on the blacklist: it cannot be invited into negotiation rooms nor rated up.

    At most one listing is in force per institution; an upheld appeal (or staff) lifts it.
    """

    TRANSITIONS = BLACKLIST_TRANSITIONS

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="blacklistings")
    event = models.ForeignKey(
        CreditEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="blacklistings"
    )
    reason = models.TextField(_("reason"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=8, choices=BlacklistStatus.choices, default=BlacklistStatus.LISTED
    )
    listed_at = models.DateTimeField(_("blacklisted"), default=timezone.now)
    listed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lift_reason = models.TextField(_("why it was lifted"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("blacklisting")
        verbose_name_plural = _("blacklistings")
        ordering = ["-listed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution"], condition=models.Q(status="listed"), name="blacklisting_one_in_force"
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution_id} {self.listed_at:%Y-%m-%d}"


class Appeal(StateMachineMixin):
    """The institution's appeal against a blacklisting; staff uphold (lift) or dismiss it."""

    TRANSITIONS = APPEAL_TRANSITIONS

    blacklisting = models.ForeignKey(Blacklisting, on_delete=models.CASCADE, related_name="appeals")
    grounds = models.TextField(_("grounds"), max_length=3000)
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=AppealStatus.choices, default=AppealStatus.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision = models.TextField(_("decision"), max_length=3000, blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["blacklisting"], condition=models.Q(status="submitted"), name="appeal_one_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.blacklisting_id} {self.status}"


class Rating(models.Model):
    """A client's rating (1–5) of an institution's service after a contract was performed.

    One per contract, institution and rating organisation; an institution never rates itself and
    never sees who rated it (only staff do).
    """

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="ratings")
    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="+")
    relation = models.CharField(_("role in the contract"), max_length=10, choices=RatingRelation.choices)
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rater_org = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(pgettext_lazy("rating", "comment"), max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("service rating")
        verbose_name_plural = _("service ratings")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "institution", "rater_org"], name="rating_once_per_contract_and_client"
            ),
            models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5), name="rating_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.institution_id}: {self.score}"
