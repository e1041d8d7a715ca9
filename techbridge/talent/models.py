"""Models of the talent app.

- ``Expert`` — the one expert pool (fields, title, organisation via the user, declared conflicts),
  used by valuation panels and, through ``talent.panels``, by every app that draws a panel.
- ``TechnologyManager`` (技术经理人) and ``Certificate`` — profiles reviewed by staff, certificates
  verified by staff or issued by the platform's training.
- ``TrainingBase`` → ``Course`` → ``TrainingSession`` → ``Enrolment`` — capacity claimed by a
  conditional UPDATE (``seats_taken ≤ capacity`` holds in the database), hours and exam results,
  certificates issued on completion.
- ``Secondment`` — two-way secondments (科技镇长团, 技术副总, 产业教授, cadres).
- ``TalentEntry`` — the task-15 talent register, imported from Excel.
- ``DemandAssessment`` and ``Routing`` — the hard-demand rule score and the manager a demand was
  routed to.
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

from techbridge.core.workflow import Source, StateMachineMixin

from .choices import (
    CERTIFICATE_TRANSITIONS,
    ENROLMENT_TRANSITIONS,
    MANAGER_TRANSITIONS,
    ROUTING_TRANSITIONS,
    SESSION_TRANSITIONS,
    CertificateKind,
    CertificateStatus,
    EnrolmentStatus,
    ManagerLevel,
    ManagerStatus,
    RoutingStatus,
    SecondmentProgramme,
    SessionStatus,
    TalentCategory,
)

MAX_FIELDS = 6
MAX_HOURS = Decimal("200")
HOURS: dict[str, Any] = {"max_digits": 5, "decimal_places": 1}


class Expert(models.Model):
    """A member of the expert pool. Their organisation is their user's; operators manage the pool.

    ``conflicts`` are organisations the expert declared ties with (a former employer, a company they
    advise …): panels about those organisations never draw the expert (``talent.panels``).
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="expert")
    fields = models.ManyToManyField(
        "taxonomy.IndustryField", verbose_name=_("fields of expertise"), related_name="+"
    )
    title = models.CharField(_("professional title"), max_length=100, blank=True)
    bio = models.TextField(_("experience"), max_length=2000, blank=True)
    active = models.BooleanField(_("active"), default=True)
    conflicts = models.ManyToManyField(
        "organizations.Organization",
        through="ExpertConflict",
        verbose_name=_("declared conflicts of interest"),
        related_name="+",
        blank=True,
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.user.display_name

    @property
    def organization_id(self) -> int | None:
        return self.user.organization_id


class ExpertConflict(models.Model):
    """An organisation an expert has ties with, and why."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="declared_conflicts")
    organization = models.ForeignKey("organizations.Organization", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("tie"), max_length=200, blank=True)
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("declared conflict of interest")
        verbose_name_plural = _("declared conflicts of interest")
        constraints = [
            models.UniqueConstraint(fields=["expert", "organization"], name="expert_conflict_once")
        ]

    def __str__(self) -> str:
        return f"{self.expert_id} ↔ {self.organization_id}"


class TechnologyManager(StateMachineMixin):
    """A technology manager's profile (技术经理人), listed in the public directory once staff approve it.

    ``max_load`` bounds how many hard demands are routed to the manager at once.
    """

    TRANSITIONS = MANAGER_TRANSITIONS

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="technology_manager"
    )
    level = models.CharField(_("level"), max_length=14, choices=ManagerLevel.choices)
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managers",
    )
    fields = models.ManyToManyField(
        "taxonomy.IndustryField", verbose_name=_("industry fields"), related_name="+"
    )
    bio = models.TextField(_("experience"), max_length=2000, blank=True)
    max_load = models.PositiveSmallIntegerField(
        _("hard demands at a time"), default=5, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    accepting_routes = models.BooleanField(_("accepts routed demands"), default=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ManagerStatus.choices,
        default=ManagerStatus.SUBMITTED,
        db_index=True,
    )
    review_note = models.TextField(_("reviewer's note"), max_length=2000, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("technology manager")
        verbose_name_plural = _("technology managers")
        ordering = ["user__real_name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_load__gte=1, max_load__lte=50), name="manager_load_bounded"
            )
        ]

    def __str__(self) -> str:
        return self.user.display_name

    @property
    def is_listed(self) -> bool:
        return self.status == ManagerStatus.APPROVED


class Certificate(StateMachineMixin):
    """A person's certificate: declared (then verified by staff) or issued by the platform's training.

    Verified technology-transfer training certificates are what the plan's 500 counts.
    """

    TRANSITIONS = CERTIFICATE_TRANSITIONS

    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="talent_certificates"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=CertificateKind.choices)
    number = models.CharField(_("certificate number"), max_length=60)
    issuer = models.CharField(_("issued by"), max_length=100)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    session = models.ForeignKey(
        "TrainingSession", null=True, blank=True, on_delete=models.PROTECT, related_name="certificates"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CertificateStatus.choices,
        default=CertificateStatus.PENDING,
        db_index=True,
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "number"], name="certificate_number_once_per_issuer"),
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True) | models.Q(expires_on__gte=models.F("issued_on")),
                name="certificate_expires_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.number}"

    def clean(self) -> None:
        if self.issued_on and self.issued_on > timezone.localdate():
            raise ValidationError({"issued_on": _("The issue date cannot be in the future.")})
        if self.expires_on and self.issued_on and self.expires_on < self.issued_on:
            raise ValidationError({"expires_on": _("A certificate cannot expire before it is issued.")})

    @property
    def is_valid(self) -> bool:
        return self.status == CertificateStatus.VERIFIED and (
            self.expires_on is None or self.expires_on >= timezone.localdate()
        )


class TrainingBase(models.Model):
    """A technology-transfer talent training base (技术转移人才培养基地)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    host = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("host organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.TextField(_("description"), max_length=3000, blank=True)
    designated_on = models.DateField(_("designated on"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("training base")
        verbose_name_plural = _("training bases")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Course(models.Model):
    """A course of a training base: its hours, and whether an exam decides who passes."""

    base = models.ForeignKey(
        TrainingBase, verbose_name=_("training base"), on_delete=models.PROTECT, related_name="courses"
    )
    code = models.CharField(_("course code"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=3000, blank=True)
    hours = models.DecimalField(
        _("hours"), validators=[MinValueValidator(Decimal("1")), MaxValueValidator(MAX_HOURS)], **HOURS
    )
    has_exam = models.BooleanField(_("ends with an exam"), default=True)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark"), default=60, validators=[MaxValueValidator(100)]
    )
    published = models.BooleanField(pgettext_lazy("course", "published"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["base", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gt=0, hours__lte=200), name="course_hours_bounded"
            ),
            models.CheckConstraint(condition=models.Q(pass_mark__lte=100), name="course_pass_mark_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class TrainingSession(StateMachineMixin):
    """One run of a course. ``seats_taken`` is claimed by a conditional UPDATE and never exceeds
    ``capacity`` (a database constraint)."""

    TRANSITIONS = SESSION_TRANSITIONS

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="sessions"
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    registration_closes = models.DateField(_("registration closes"))
    location = models.CharField(_("location"), max_length=200)
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    seats_taken = models.PositiveSmallIntegerField(_("seats taken"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.OPEN, db_index=True
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(seats_taken__lte=models.F("capacity")), name="session_not_over_capacity"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="session_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1, capacity__lte=500), name="session_capacity_bounded"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course.title} {self.starts_on}"

    @property
    def seats_left(self) -> int:
        return max(0, self.capacity - self.seats_taken)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("A session cannot end before it starts.")
        if self.registration_closes and self.ends_on and self.registration_closes > self.ends_on:
            errors["registration_closes"] = _("Registration must close by the last day of the session.")
        if errors:
            raise ValidationError(errors)


class Enrolment(StateMachineMixin):
    """A person's place in a session: attended hours and exam score, the result, the certificate."""

    TRANSITIONS = ENROLMENT_TRANSITIONS

    session = models.ForeignKey(TrainingSession, on_delete=models.PROTECT, related_name="enrolments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enrolments")
    status = models.CharField(
        _("status"), max_length=10, choices=EnrolmentStatus.choices, default=EnrolmentStatus.REGISTERED
    )
    hours = models.DecimalField(
        _("hours attended"),
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_HOURS)],
        **HOURS,
    )
    exam_score = models.PositiveSmallIntegerField(
        _("exam score"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    certificate = models.OneToOneField(
        Certificate, null=True, blank=True, on_delete=models.SET_NULL, related_name="enrolment"
    )
    registered_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["registered_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=~models.Q(status="cancelled"),
                name="enrolment_once_per_session",
            ),
            models.CheckConstraint(
                condition=models.Q(hours__gte=0, hours__lte=200), name="enrolment_hours_bounded"
            ),
            models.CheckConstraint(
                condition=models.Q(exam_score__isnull=True) | models.Q(exam_score__lte=100),
                name="enrolment_score_0_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_id} {self.user_id}"


class Secondment(models.Model):
    """A two-way secondment: who went from where to where, for how long, in which post, with what result."""

    programme = models.CharField(_("programme"), max_length=20, choices=SecondmentProgramme.choices)
    person_name = models.CharField(_("person"), max_length=50)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("platform account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="secondments",
    )
    from_org = models.ForeignKey(
        "organizations.Organization",
        verbose_name=pgettext_lazy("secondment", "from"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_org = models.ForeignKey(
        "organizations.Organization",
        verbose_name=pgettext_lazy("secondment", "to"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    post = models.CharField(_("post"), max_length=100)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    outputs = models.TextField(_("outputs"), max_length=3000, blank=True)
    projects = models.PositiveSmallIntegerField(
        _("projects brought about"), default=0, validators=[MaxValueValidator(1000)]
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("secondment")
        verbose_name_plural = _("secondments")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="secondment_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~models.Q(from_org=models.F("to_org")), name="secondment_two_organisations"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_name} {self.get_programme_display()}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("A secondment cannot end before it starts.")
        if self.from_org_id and self.from_org_id == self.to_org_id:
            errors["to_org"] = _("A secondment goes from one organisation to another.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_current(self) -> bool:
        return self.starts_on <= timezone.localdate() <= self.ends_on


class TalentEntry(models.Model):
    """One person in a task-15 talent programme (programme, category, year, organisation).

    Imported from Excel (``talent_register`` import kind) or entered by staff; identified by the
    external id, else by programme, year, name and organisation.
    """

    programme = models.CharField(_("programme"), max_length=100)
    category = models.CharField(
        pgettext_lazy("talent register", "category"),
        max_length=24,
        choices=TalentCategory.choices,
        db_index=True,
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    person_name = models.CharField(_("name"), max_length=50)
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organization_name = models.CharField(_("organisation name"), max_length=200, blank=True)
    field = models.ForeignKey(
        "taxonomy.IndustryField",
        verbose_name=_("industry field"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    external_id = models.CharField(_("external id"), max_length=100, blank=True)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.MANUAL)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("talent register entry")
        verbose_name_plural = _("talent register entries")
        ordering = ["-year", "programme", "person_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "external_id"],
                condition=~models.Q(external_id=""),
                name="talent_entry_external_id_once",
            )
        ]
        indexes = [models.Index(fields=["category", "year"])]

    def __str__(self) -> str:
        return f"{self.person_name} {self.programme} {self.year}"


class DemandAssessment(models.Model):
    """The hard-demand rule score of a published demand, with the inputs it was computed from."""

    demand = models.OneToOneField(
        "demands.Demand", on_delete=models.CASCADE, related_name="talent_assessment"
    )
    score = models.PositiveSmallIntegerField(_("rule score"))
    threshold = models.PositiveSmallIntegerField(_("threshold"))
    inputs = models.JSONField(_("inputs"), default=list)
    rule_version = models.CharField(_("rule version"), max_length=20)
    content_stamp = models.CharField(max_length=64)
    assessed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("hard-demand assessment")
        verbose_name_plural = _("hard-demand assessments")

    def __str__(self) -> str:
        return f"{self.demand_id}: {self.score}"

    @property
    def is_hard(self) -> bool:
        return self.score >= self.threshold


class Routing(StateMachineMixin):
    """A hard demand routed to a technology manager, who accepts or declines (then the next one is
    chosen). At most one open routing per demand."""

    TRANSITIONS = ROUTING_TRANSITIONS

    demand = models.ForeignKey("demands.Demand", on_delete=models.CASCADE, related_name="talent_routings")
    manager = models.ForeignKey(TechnologyManager, on_delete=models.PROTECT, related_name="routings")
    score = models.PositiveSmallIntegerField(_("rule score"))
    reason = models.JSONField(_("why this manager"), default=dict)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RoutingStatus.choices,
        default=RoutingStatus.ASSIGNED,
        db_index=True,
    )
    routed_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("demand routing")
        verbose_name_plural = _("demand routings")
        ordering = ["-routed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["demand"],
                condition=models.Q(status__in=["assigned", "accepted"]),
                name="routing_one_open_per_demand",
            )
        ]

    def __str__(self) -> str:
        return f"{self.demand_id} → {self.manager_id}"
