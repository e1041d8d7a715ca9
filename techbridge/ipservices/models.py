"""IP services: the patent register, industries and their patent navigation, early warning for
enterprises, IP-protection assistance and IP-intensive enterprises.

The register is the platform's one place for patents as records; other apps read legal status and
remaining term through ``ipservices.queries`` (docs/ipservices.md).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techbridge.core.workflow import Source, StateMachineMixin
from techbridge.organizations.choices import District

from . import terms
from .choices import (
    ALERT_TRANSITIONS,
    ANALYSIS_TRANSITIONS,
    ASSISTANCE_TRANSITIONS,
    LEGAL_TRANSITIONS,
    REPORT_TRANSITIONS,
    AlertStatus,
    AnalysisStatus,
    ApplicantType,
    AssistanceKind,
    AssistanceOutcome,
    AssistanceStatus,
    LegalStatus,
    PatentKind,
    ProviderRole,
    ReportStatus,
)

# Limits shared by models, forms and the API.
MAX_ABSTRACT = 5000
MAX_CLAIMS = 20000
MAX_NAMES = 1000
MAX_ADJUSTMENT_DAYS = 5 * 365
MAX_INDUSTRY_PREFIXES = 30
MAX_INDUSTRY_KEYWORDS = 40
MAX_PRODUCT_TEXT = 2000
MAX_EVIDENCE_FILES = 20
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
MAX_EMPLOYEES = 1_000_000
MONEY: dict[str, Any] = {"max_digits": 16, "decimal_places": 2}


class Patent(StateMachineMixin):
    """One Chinese patent or application, identified by its application number (or, for records
    that only give it, its publication number).

    ``expiry_date`` is never entered: it is computed by rule (``terms.expiry_date``) from the type, the
    filing date and the stored patent-term adjustment every time the record is saved. ``legal_status``
    moves only through ``core.workflow.transition`` (imports, staff corrections, the expiry sweep).
    """

    TRANSITIONS = LEGAL_TRANSITIONS
    STATUS_FIELD = "legal_status"
    # A patent enters the register in the legal status its source reports (an export of old patents
    # brings lapsed and expired ones); later moves go through the transitions.
    INITIAL_STATES = frozenset(LegalStatus.values)

    application_number = models.CharField(
        _("application number"), max_length=20, unique=True, null=True, blank=True
    )
    publication_number = models.CharField(_("publication number"), max_length=20, blank=True, db_index=True)
    grant_number = models.CharField(_("grant publication number"), max_length=20, blank=True, db_index=True)
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("patent type"), max_length=16, choices=PatentKind.choices, db_index=True)
    legal_status = models.CharField(
        _("legal status"),
        max_length=16,
        choices=LegalStatus.choices,
        default=LegalStatus.PENDING,
        db_index=True,
    )
    legal_status_text = models.CharField(
        _("legal status as recorded by the source"), max_length=100, blank=True
    )
    status_date = models.DateField(
        _("status effective from"),
        null=True,
        blank=True,
        help_text=_("When a lapse or invalidation took effect, if known."),
    )
    filing_date = models.DateField(_("filing date"), null=True, blank=True, db_index=True)
    publication_date = models.DateField(_("publication date"), null=True, blank=True)
    grant_date = models.DateField(_("grant date"), null=True, blank=True)
    term_adjustment_days = models.PositiveIntegerField(
        _("patent-term adjustment (days)"),
        default=0,
        validators=[MaxValueValidator(MAX_ADJUSTMENT_DAYS)],
        help_text=_("Days added to an invention patent's term under Patent Law art. 42."),
    )
    expiry_date = models.DateField(_("end of term"), null=True, blank=True, db_index=True, editable=False)
    applicants = models.CharField(_("applicants"), max_length=MAX_NAMES, blank=True)
    first_applicant = models.CharField(_("first applicant"), max_length=200, blank=True, db_index=True)
    applicant_type = models.CharField(
        _("applicant type"), max_length=16, choices=ApplicantType.choices, blank=True, db_index=True
    )
    applicant_address = models.CharField(_("applicant address"), max_length=300, blank=True)
    applicant_org = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("applicant on the platform"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="register_patents",
    )
    province = models.CharField(_("province or country"), max_length=16, blank=True, db_index=True)
    city = models.CharField(_("city"), max_length=16, blank=True, db_index=True)
    district = models.CharField(
        _("district"), max_length=16, choices=District.choices, blank=True, db_index=True
    )
    inventors = models.CharField(_("inventors"), max_length=MAX_NAMES, blank=True)
    ipc_main = models.CharField(_("main IPC code"), max_length=30, blank=True)
    ipc_subclass = models.CharField(_("IPC subclass"), max_length=4, blank=True, db_index=True)
    ipc_main_group = models.CharField(_("IPC main group"), max_length=16, blank=True, db_index=True)
    ipc_codes = models.CharField(_("IPC codes"), max_length=MAX_NAMES, blank=True)
    abstract = models.TextField(_("abstract"), max_length=MAX_ABSTRACT, blank=True)
    claims = models.TextField(_("claims"), max_length=MAX_CLAIMS, blank=True)
    agency = models.CharField(_("patent agency"), max_length=200, blank=True)
    achievements = models.ManyToManyField(
        "achievements.Achievement",
        verbose_name=_("achievements"),
        blank=True,
        related_name="register_patents",
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.MANUAL)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("patent")
        verbose_name_plural = _("patents")
        ordering = ["-filing_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(application_number__isnull=False) | ~models.Q(publication_number=""),
                name="patent_has_a_number",
            ),
            models.UniqueConstraint(
                fields=["publication_number"],
                condition=models.Q(application_number__isnull=True),
                name="patent_unique_publication_without_application",
            ),
        ]
        indexes = [
            models.Index(fields=["legal_status", "expiry_date"], name="patent_status_expiry"),
            models.Index(fields=["city", "legal_status"], name="patent_city_status"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def number(self) -> str:
        """The number people quote: the application number, else the publication number."""
        return self.application_number or self.publication_number

    @property
    def numbers(self) -> list[str]:
        return [n for n in (self.application_number, self.publication_number, self.grant_number) if n]

    @property
    def applicant_list(self) -> list[str]:
        return [a for a in self.applicants.split("；") if a]

    @property
    def ipc_list(self) -> list[str]:
        return [c for c in self.ipc_codes.split("；") if c]

    def clean(self) -> None:
        if not self.application_number and not self.publication_number:
            raise ValidationError(_("A patent needs an application number or a publication number."))
        for earlier, later, message in (
            ("filing_date", "publication_date", _("The publication date is before the filing date.")),
            ("filing_date", "grant_date", _("The grant date is before the filing date.")),
        ):
            a, b = getattr(self, earlier), getattr(self, later)
            if a and b and b < a:
                raise ValidationError({later: message})
        if self.term_adjustment_days and self.kind != PatentKind.INVENTION:
            raise ValidationError(
                {"term_adjustment_days": _("Only invention patents get a patent-term adjustment.")}
            )

    def compute_expiry(self) -> dt.date | None:
        return terms.expiry_date(self.kind, self.filing_date, self.term_adjustment_days or 0)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.expiry_date = self.compute_expiry()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "expiry_date"}
        super().save(*args, **kwargs)


class Industry(models.Model):
    """An industry for patent navigation, defined as data: IPC code prefixes and keywords.

    A patent belongs to the industry when its main or any IPC code starts with one of the prefixes,
    or its title or abstract contains one of the keywords. ``version`` moves with every edit; the
    membership table (``IndustryPatent``) records the version it was computed for. ``is_base`` marks
    the action plan's IP-intensive industry bases (software, smart grid, biomedicine, IoT …).
    """

    name = models.CharField(_("name"), max_length=60, unique=True)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    ipc_prefixes = models.CharField(
        _("IPC codes"),
        max_length=500,
        blank=True,
        help_text=_("Subclasses or groups, separated by ；, e.g. H02J；H02H；G01R 31."),
    )
    keywords = models.CharField(
        _("keywords"),
        max_length=500,
        blank=True,
        help_text=_("Words of titles and abstracts, separated by ；, e.g. 智能电网；配电网；电力调度."),
    )
    is_base = models.BooleanField(_("IP-intensive industry base"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    version = models.PositiveIntegerField(default=1, editable=False)
    membership_version = models.PositiveIntegerField(default=0, editable=False)
    member_count = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("industry")
        verbose_name_plural = _("industries")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def prefix_list(self) -> list[str]:
        return [p for p in self.ipc_prefixes.split("；") if p]

    @property
    def keyword_list(self) -> list[str]:
        return [k for k in self.keywords.split("；") if k]

    @property
    def membership_current(self) -> bool:
        return self.membership_version == self.version


class IndustryPatent(models.Model):
    """A patent's membership of an industry, and what made it a member."""

    industry = models.ForeignKey(Industry, on_delete=models.CASCADE, related_name="memberships")
    patent = models.ForeignKey(Patent, on_delete=models.CASCADE, related_name="industry_memberships")
    by_ipc = models.BooleanField(default=False)
    by_keyword = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("industry patent")
        verbose_name_plural = _("industry patents")
        constraints = [
            models.UniqueConstraint(fields=["industry", "patent"], name="industry_patent_once"),
        ]

    def __str__(self) -> str:
        return f"{self.industry_id}:{self.patent_id}"


def report_path(instance: NavigationReport, filename: str) -> str:
    return f"ipservices/navigation/{instance.industry_id}/{instance.pk}-{filename}"


class NavigationReport(StateMachineMixin):
    """A patent-navigation report of one industry, generated once in the background and kept.

    ``snapshot`` holds every figure of the report as computed; the PDF (charts drawn as SVG on the
    server) and the Excel workbook are stored with their SHA-256 and served only through a view.
    """

    TRANSITIONS = REPORT_TRANSITIONS

    industry = models.ForeignKey(
        Industry, verbose_name=_("industry"), on_delete=models.PROTECT, related_name="reports"
    )
    industry_version = models.PositiveIntegerField(default=1)
    status = models.CharField(
        _("status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.QUEUED, db_index=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("requested"), default=timezone.now, editable=False)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    message = models.CharField(_("message"), max_length=2000, blank=True)
    patent_count = models.PositiveIntegerField(_("patents"), default=0)
    snapshot = models.JSONField(default=dict, blank=True)
    pdf = models.FileField(_("PDF report"), upload_to=report_path, max_length=300, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    xlsx = models.FileField(_("Excel tables"), upload_to=report_path, max_length=300, blank=True)
    xlsx_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("navigation report")
        verbose_name_plural = _("navigation reports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["industry"],
                condition=models.Q(status__in=["queued", "running"]),
                name="report_one_pending_per_industry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.industry} {self.created_at:%Y-%m-%d}"


class ServiceProvider(models.Model):
    """An organisation that takes IP work from the platform: an IP service institution (analysis
    requests, assistance) or the IP-protection assistance centre. Staff register providers."""

    organization = models.OneToOneField(
        "organizations.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="ip_provider",
    )
    role = models.CharField(_("role"), max_length=16, choices=ProviderRole.choices)
    offers_analysis = models.BooleanField(_("takes patent analysis requests"), default=True)
    offers_assistance = models.BooleanField(_("takes assistance requests"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    description = models.CharField(_("services offered"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("IP service provider")
        verbose_name_plural = _("IP service providers")
        ordering = ["role", "organization__name"]

    def __str__(self) -> str:
        return str(self.organization)


class WatchedProduct(models.Model):
    """A product or technology an organisation describes in its own words to be warned of patents
    that come close to it. Its text is matched against every new or imported patent (the
    ``ipservices.products`` corpus); never shown to other organisations."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="watched_products",
    )
    name = models.CharField(_("product or technology"), max_length=100)
    description = models.TextField(
        _("description"),
        max_length=MAX_PRODUCT_TEXT,
        help_text=_("What it is, what it does and how it works, in your own words."),
    )
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)
    ipc_codes = models.CharField(
        _("IPC codes of its field"),
        max_length=300,
        blank=True,
        help_text=_("Optional; used to list lapsed and expiring patents of the field."),
    )
    is_active = models.BooleanField(_("watched"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("watched product")
        verbose_name_plural = _("watched products")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="watched_product_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def ipc_list(self) -> list[str]:
        return [c for c in self.ipc_codes.split("；") if c]


class PatentAlert(StateMachineMixin):
    """A patent that came close to a watched product: raised at most once per (product, patent),
    with the shared terms and the claim sentences that carry them, and the organisation's decision."""

    TRANSITIONS = ALERT_TRANSITIONS

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="patent_alerts"
    )
    product = models.ForeignKey(
        WatchedProduct, verbose_name=_("product"), on_delete=models.CASCADE, related_name="alerts"
    )
    patent = models.ForeignKey(
        Patent, verbose_name=_("patent"), on_delete=models.CASCADE, related_name="alerts"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=AlertStatus.choices, default=AlertStatus.NEW, db_index=True
    )
    score = models.FloatField(_("closeness"))
    similarity = models.FloatField(_("similarity in meaning"), null=True, blank=True)
    shared_terms = models.JSONField(_("shared terms"), default=list, blank=True)
    claim_sentences = models.JSONField(_("matching claim sentences"), default=list, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("raised"), default=timezone.now, editable=False, db_index=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("patent alert")
        verbose_name_plural = _("patent alerts")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["product", "patent"], name="alert_once_per_product_and_patent"),
        ]
        indexes = [models.Index(fields=["organization", "status"], name="alert_org_status")]

    def __str__(self) -> str:
        return f"{self.product} ← {self.patent}"


class AnalysisRequest(StateMachineMixin):
    """An organisation asks an IP service provider to analyse a patent against its product (usually
    from an alert). The provider accepts and answers, or declines."""

    TRANSITIONS = ANALYSIS_TRANSITIONS

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("requesting organisation"),
        on_delete=models.CASCADE,
        related_name="ip_analysis_requests",
    )
    alert = models.OneToOneField(
        PatentAlert, null=True, blank=True, on_delete=models.SET_NULL, related_name="analysis_request"
    )
    patent = models.ForeignKey(Patent, verbose_name=_("patent"), on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey(
        WatchedProduct,
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    provider = models.ForeignKey(
        ServiceProvider,
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        related_name="analysis_requests",
    )
    question = models.TextField(_("question"), max_length=2000)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=AnalysisStatus.choices,
        default=AnalysisStatus.SUBMITTED,
        db_index=True,
    )
    due_date = models.DateField(_("answer due"), null=True, blank=True)
    answer = models.TextField(_("answer"), max_length=10000, blank=True)
    decline_reason = models.CharField(_("reason for declining"), max_length=2000, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("requested"), default=timezone.now, editable=False)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("patent analysis request")
        verbose_name_plural = _("patent analysis requests")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.organization} · {self.patent.number}"


class AssistanceRequest(StateMachineMixin):
    """A request for IP-protection assistance (维权援助): infringement found, accused of infringing, or
    an ownership dispute. Routed to the assistance centre or an IP service institution, handled
    through states with deadlines (``due_date`` is the deadline of the current step), closed with an
    outcome. Its description and evidence are confidential to the applicant, the provider and staff.
    """

    TRANSITIONS = ASSISTANCE_TRANSITIONS

    applicant = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="ip_assistance_requests",
    )
    kind = models.CharField(_("kind of matter"), max_length=16, choices=AssistanceKind.choices)
    title = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("what happened"), max_length=5000)
    patent = models.ForeignKey(
        Patent,
        verbose_name=_("patent concerned"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    patent_number = models.CharField(_("patent number"), max_length=20, blank=True)
    counterparty = models.CharField(_("other party"), max_length=200, blank=True)
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("industry"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    provider = models.ForeignKey(
        ServiceProvider,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assistance_requests",
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=AssistanceStatus.choices,
        default=AssistanceStatus.DRAFT,
        db_index=True,
    )
    due_date = models.DateField(_("deadline of the current step"), null=True, blank=True, db_index=True)
    outcome = models.CharField(_("outcome"), max_length=24, choices=AssistanceOutcome.choices, blank=True)
    outcome_note = models.TextField(_("outcome details"), max_length=5000, blank=True)
    decline_reason = models.CharField(_("reason for not accepting"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("assistance request")
        verbose_name_plural = _("assistance requests")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        from .choices import OPEN_ASSISTANCE

        return bool(self.due_date and self.status in OPEN_ASSISTANCE and self.due_date < timezone.localdate())


def evidence_path(instance: EvidenceFile, filename: str) -> str:
    return f"ipservices/assistance/{instance.request_id}/{timezone.now():%Y%m%d%H%M%S}-{filename}"


class EvidenceFile(models.Model):
    """A file of evidence attached to an assistance request; served only through a checked view."""

    request = models.ForeignKey(AssistanceRequest, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=300)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    description = models.CharField(_("what it shows"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class EnterpriseIndicators(models.Model):
    """IP indicators of one organisation for one year: the employees it reports, and what the register
    and the platform's registered contracts show (computed, stored with the time of computation)."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="ip_indicators",
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1985), MaxValueValidator(2100)]
    )
    employees = models.PositiveIntegerField(
        _("employees"), validators=[MinValueValidator(1), MaxValueValidator(MAX_EMPLOYEES)]
    )
    rd_employees = models.PositiveIntegerField(
        _("R&D staff"), null=True, blank=True, validators=[MaxValueValidator(MAX_EMPLOYEES)]
    )
    patents_in_force = models.PositiveIntegerField(_("patents in force"), default=0)
    inventions_in_force = models.PositiveIntegerField(_("invention patents in force"), default=0)
    patents_filed = models.PositiveIntegerField(_("applications filed in the year"), default=0)
    invention_share = models.DecimalField(
        _("invention share"), max_digits=5, decimal_places=4, default=Decimal(0)
    )
    patents_per_100_employees = models.DecimalField(
        _("patents in force per 100 employees"), max_digits=10, decimal_places=2, default=Decimal(0)
    )
    licences_out = models.PositiveIntegerField(_("licences granted"), default=0)
    transfers_out = models.PositiveIntegerField(_("assignments made"), default=0)
    licences_in = models.PositiveIntegerField(_("licences taken"), default=0)
    transfers_in = models.PositiveIntegerField(_("assignments received"), default=0)
    contract_amount = models.DecimalField(
        _("technology amount of these contracts (yuan)"), default=Decimal(0), **MONEY
    )
    computed_at = models.DateTimeField(_("computed"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("enterprise IP indicators")
        verbose_name_plural = _("enterprise IP indicators")
        ordering = ["-year", "organization__name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="indicators_once_per_year"),
            models.CheckConstraint(
                condition=models.Q(employees__gte=1), name="indicators_employees_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}"


class Designation(models.Model):
    """The designation of an organisation as an IP-intensive enterprise (知识产权密集型企业) in a year,
    optionally under an industry base. It counts from its year on until it is revoked."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="ip_designations",
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("industry base"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="designations",
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    designated_at = models.DateTimeField(_("designated"), default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoke_reason = models.CharField(_("reason for revoking"), max_length=500, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("IP-intensive enterprise designation")
        verbose_name_plural = _("IP-intensive enterprise designations")
        ordering = ["-year", "organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"], name="ip_intensive_designation_once_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}"
