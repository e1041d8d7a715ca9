"""The technology-transfer office's case file: disclosure → decision → docket → licence → income → rewards
→ annual report. Money is Decimal yuan; percentages are Decimal with two places."""

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
    APPLICATION_TRANSITIONS,
    DISCLOSURE_TRANSITIONS,
    DISTRIBUTION_TRANSITIONS,
    LICENCE_TRANSITIONS,
    REPORT_TRANSITIONS,
    ActionKind,
    AnnuityChoice,
    ApplicationStatus,
    DisclosureStatus,
    DistributionStatus,
    IncomeKind,
    LicenceStatus,
    PatentKind,
    ReportStatus,
)

USER = settings.AUTH_USER_MODEL
MAX_MONEY = Decimal("9999999999.99")
MONEY: dict[str, Any] = {
    "max_digits": 16,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal("0")), MaxValueValidator(MAX_MONEY)],
}
PERCENT: dict[str, Any] = {
    "max_digits": 5,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
}
MAX_INVENTORS = 20
MAX_FUNDING = 10
MAX_FILE_BYTES = 20 * 1024 * 1024


class Disclosure(StateMachineMixin):
    """A researcher's disclosure of a service invention (职务科技成果披露) and the office's case on it.

    Only the office (the institution's organisation admins) and the inventors see it
    (``permissions.disclosure_for``). Inventor shares sum to 100 % before it can be submitted.
    """

    TRANSITIONS = DISCLOSURE_TRANSITIONS

    institution = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="tto_disclosures"
    )
    number = models.CharField(_("case number"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("public summary"), max_length=2000)
    detail = models.TextField(_("technical detail (confidential)"), max_length=10000, blank=True)
    prior_disclosures = models.TextField(
        _("prior disclosures (papers, talks, theses)"), max_length=2000, blank=True
    )
    commercial_notes = models.TextField(
        _("commercial notes (interested firms, uses)"), max_length=2000, blank=True
    )
    status = models.CharField(
        _("status"), max_length=12, choices=DisclosureStatus.choices, default=DisclosureStatus.DRAFT
    )
    # assessment (a scored checklist, 0–5 each)
    score_novelty = models.PositiveSmallIntegerField(
        _("novelty"), null=True, blank=True, validators=[MaxValueValidator(5)]
    )
    score_market = models.PositiveSmallIntegerField(
        _("market need"), null=True, blank=True, validators=[MaxValueValidator(5)]
    )
    score_maturity = models.PositiveSmallIntegerField(
        _("maturity"), null=True, blank=True, validators=[MaxValueValidator(5)]
    )
    score_protectability = models.PositiveSmallIntegerField(
        _("protectability"), null=True, blank=True, validators=[MaxValueValidator(5)]
    )
    assessment_note = models.TextField(_("assessment note"), max_length=2000, blank=True)
    assessed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    assessed_at = models.DateTimeField(_("assessed"), null=True, blank=True)
    experts = models.ManyToManyField(
        "talent.Expert", verbose_name=_("experts consulted"), blank=True, related_name="tto_disclosures"
    )
    decision_reasons = models.TextField(_("reasons for the decision"), max_length=2000, blank=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(pgettext_lazy("tto decision", "decided"), null=True, blank=True)
    achievement = models.OneToOneField(
        "achievements.Achievement", null=True, blank=True, on_delete=models.SET_NULL, related_name="tto_case"
    )
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="tto_disclosures")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    submitted_at = models.DateTimeField(_("disclosed"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = pgettext_lazy("invention", "disclosure")
        verbose_name_plural = _("disclosures")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def score(self) -> int | None:
        parts = [self.score_novelty, self.score_market, self.score_maturity, self.score_protectability]
        return None if any(p is None for p in parts) else sum(p for p in parts if p is not None)


class Inventor(models.Model):
    """An inventor of a disclosure and their share (the shares of a case sum to 100 %)."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="inventors")
    user = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="tto_inventions"
    )
    name = models.CharField(_("name"), max_length=50)
    share = models.DecimalField(_("share (%)"), **PERCENT)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("inventor")
        verbose_name_plural = _("inventors")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["disclosure", "name"], name="tto_inventor_once")]

    def __str__(self) -> str:
        return f"{self.name} {self.share}%"


class FundingSource(models.Model):
    """A grant or contract that funded the work, with the obligations it puts on the result."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="funding")
    funder = models.CharField(_("funder"), max_length=200)
    grant_number = models.CharField(_("grant number"), max_length=100, blank=True)
    obligations = models.TextField(
        _("obligations (reporting, rights, march-in)"), max_length=1000, blank=True
    )

    class Meta:
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.funder


def disclosure_file_path(instance: DisclosureFile, filename: str) -> str:
    return f"tto/disclosures/{instance.disclosure_id}/{filename}"


class DisclosureFile(models.Model):
    """A file behind a disclosure, served only through a view that checks who sees the case."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to=disclosure_file_path, max_length=300)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("disclosure file")
        verbose_name_plural = _("disclosure files")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class PatentApplication(StateMachineMixin):
    """A patent application filed for a case. Its deadlines are computed (``rules``), never typed;
    ``next_deadline`` keeps the nearest one for reminders and sorting and is rewritten by the services."""

    TRANSITIONS = APPLICATION_TRANSITIONS

    disclosure = models.ForeignKey(Disclosure, on_delete=models.PROTECT, related_name="applications")
    kind = models.CharField(
        _("kind"), max_length=12, choices=PatentKind.choices, default=PatentKind.INVENTION
    )
    title = models.CharField(_("title"), max_length=200)
    application_number = models.CharField(_("application number"), max_length=30, unique=True)
    agency = models.CharField(_("patent agency"), max_length=200, blank=True)
    filing_date = models.DateField(_("filing date"))
    grant_date = models.DateField(_("grant date"), null=True, blank=True)
    examination_requested = models.BooleanField(_("substantive examination requested"), default=False)
    official_fees = models.DecimalField(_("official fees paid"), default=Decimal("0"), **MONEY)
    agency_fees = models.DecimalField(_("agency fees"), default=Decimal("0"), **MONEY)
    status = models.CharField(
        _("status"), max_length=12, choices=ApplicationStatus.choices, default=ApplicationStatus.FILED
    )
    next_deadline = models.DateField(_("next deadline"), null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("patent application")
        verbose_name_plural = _("patent applications")
        ordering = ["-filing_date", "-id"]

    def __str__(self) -> str:
        return f"{self.application_number} {self.title}"


class OfficeAction(models.Model):
    """A notice from the patent office; its answer is due ``response_due`` (computed)."""

    application = models.ForeignKey(
        PatentApplication, on_delete=models.CASCADE, related_name="office_actions"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ActionKind.choices)
    issued_on = models.DateField(_("date sent"))
    response_due = models.DateField(_("answer due"))
    responded_on = models.DateField(_("answered"), null=True, blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("office action")
        verbose_name_plural = _("office actions")
        ordering = ["issued_on", "id"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.kind} {self.issued_on}"


class AnnuityDecision(models.Model):
    """The office's decision to pay (keep) or let go (abandon) one year's annual fee of a granted patent."""

    application = models.ForeignKey(PatentApplication, on_delete=models.CASCADE, related_name="annuities")
    patent_year = models.PositiveSmallIntegerField(
        _("patent year"), validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    due_on = models.DateField(pgettext_lazy("annual fee", "due"))
    decision = models.CharField(_("decision"), max_length=8, choices=AnnuityChoice.choices)
    fee = models.DecimalField(_("annual fee"), default=Decimal("0"), **MONEY)
    reasons = models.TextField(_("reasons"), max_length=1000, blank=True)
    decided_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("annuity decision")
        verbose_name_plural = _("annuity decisions")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "patent_year"], name="tto_annuity_once")
        ]

    def __str__(self) -> str:
        return f"{self.application_id} y{self.patent_year} {self.decision}"


class OpenLicence(StateMachineMixin):
    """A declaration that a granted patent is open for licence (专利开放许可, 专利法 art. 50–52) with its
    published royalty terms; anyone may take a licence by notice on these terms."""

    TRANSITIONS = LICENCE_TRANSITIONS

    application = models.ForeignKey(PatentApplication, on_delete=models.PROTECT, related_name="open_licences")
    royalty_rate = models.DecimalField(_("royalty rate on sales (%)"), **PERCENT)
    entry_fee = models.DecimalField(_("entry fee"), default=Decimal("0"), **MONEY)
    term_years = models.PositiveSmallIntegerField(
        _("term (years)"), validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    payment_terms = models.TextField(_("how royalties are paid"), max_length=1000)
    status = models.CharField(
        _("status"), max_length=10, choices=LicenceStatus.choices, default=LicenceStatus.DECLARED
    )
    declared_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    declared_at = models.DateTimeField(_("declared"), default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("open licence")
        verbose_name_plural = _("open licences")
        ordering = ["-declared_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"], condition=models.Q(status="declared"), name="tto_open_licence_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} {self.royalty_rate}%"


class LicenceGrant(models.Model):
    """A licence taken by notice under an open licence, with the licence contract it generated."""

    licence = models.ForeignKey(OpenLicence, on_delete=models.PROTECT, related_name="grants")
    licensee = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    contract = models.OneToOneField("contracts.Contract", on_delete=models.PROTECT, related_name="+")
    noticed_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    noticed_at = models.DateTimeField(_("notice given"), default=timezone.now)

    class Meta:
        verbose_name = _("licence by notice")
        verbose_name_plural = _("licences by notice")
        ordering = ["-noticed_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["licence", "licensee"], name="tto_grant_once")]

    def __str__(self) -> str:
        return f"{self.licence_id} → {self.licensee_id}"


class RoyaltyReport(models.Model):
    """A licensee's report of its sales for one year under an open licence, and the royalty it owes."""

    grant = models.ForeignKey(LicenceGrant, on_delete=models.CASCADE, related_name="reports")
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    sales = models.DecimalField(_("sales"), **MONEY)
    royalty = models.DecimalField(_("royalty due"), **MONEY)
    reported_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    reported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("royalty report")
        verbose_name_plural = _("royalty reports")
        ordering = ["-year", "-id"]
        constraints = [models.UniqueConstraint(fields=["grant", "year"], name="tto_royalty_report_once")]

    def __str__(self) -> str:
        return f"{self.grant_id} {self.year}"


class Income(models.Model):
    """Money (or equity, valued) received for a case: from a registered contract's payment or recorded
    directly (equity, operating profit)."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.PROTECT, related_name="incomes")
    kind = models.CharField(_("kind"), max_length=10, choices=IncomeKind.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    received_on = models.DateField(_("received"))
    contract = models.ForeignKey(
        "contracts.Contract", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("income")
        verbose_name_plural = _("incomes")
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"{self.disclosure_id} {self.kind} {self.amount}"


class RewardPolicy(models.Model):
    """The institution's own reward rules (科技成果转化管理办法): the inventors' share by kind of income."""

    institution = models.OneToOneField(
        "organizations.Organization", on_delete=models.CASCADE, related_name="tto_policy"
    )
    transfer_percent = models.DecimalField(
        _("share of net transfer or licence income (%)"), default=Decimal("70"), **PERCENT
    )
    equity_percent = models.DecimalField(_("share of equity (%)"), default=Decimal("70"), **PERCENT)
    profit_percent = models.DecimalField(_("share of operating profit (%)"), default=Decimal("5"), **PERCENT)
    updated_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reward policy")
        verbose_name_plural = _("reward policies")

    def __str__(self) -> str:
        return str(self.institution_id)

    def percent_for(self, kind: str) -> Decimal:
        return {
            IncomeKind.TRANSFER: self.transfer_percent,
            IncomeKind.EQUITY: self.equity_percent,
            IncomeKind.PROFIT: self.profit_percent,
        }[IncomeKind(kind)]


class Distribution(StateMachineMixin):
    """The inventors' reward out of one kind of a case's income in one year: gross − costs = net, times the
    inventors' percentage, split by their shares. Below the statutory minimum only with a recorded
    agreement (促进科技成果转化法 art. 44–45)."""

    TRANSITIONS = DISTRIBUTION_TRANSITIONS

    disclosure = models.ForeignKey(Disclosure, on_delete=models.PROTECT, related_name="distributions")
    kind = models.CharField(_("kind of income"), max_length=10, choices=IncomeKind.choices)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    gross = models.DecimalField(_("income"), **MONEY)
    costs = models.DecimalField(_("costs deducted"), default=Decimal("0"), **MONEY)
    costs_note = models.CharField(_("what the costs were"), max_length=300, blank=True)
    net = models.DecimalField(_("net income"), **MONEY)
    percent = models.DecimalField(_("inventors' share (%)"), **PERCENT)
    inventors_amount = models.DecimalField(_("to the inventors"), **MONEY)
    agreement = models.CharField(_("agreement with the inventors (reference)"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=DistributionStatus.choices, default=DistributionStatus.DRAFT
    )
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("distribution")
        verbose_name_plural = _("distributions")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["disclosure", "kind", "year"], name="tto_distribution_once"),
            models.CheckConstraint(
                condition=models.Q(costs__lte=models.F("gross")), name="tto_costs_within_gross"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.disclosure_id} {self.kind} {self.year}"

    def clean(self) -> None:
        if self.costs is not None and self.gross is not None and self.costs > self.gross:
            raise ValidationError({"costs": _("Costs cannot exceed the income.")})


def statement_path(instance: DistributionLine, filename: str) -> str:
    return f"tto/statements/{instance.distribution_id}/{filename}"


class DistributionLine(models.Model):
    """One inventor's part of a distribution and their statement (PDF, stored with its SHA-256)."""

    distribution = models.ForeignKey(Distribution, on_delete=models.CASCADE, related_name="lines")
    inventor = models.ForeignKey(Inventor, on_delete=models.PROTECT, related_name="lines")
    share = models.DecimalField(_("share (%)"), **PERCENT)
    amount = models.DecimalField(_("amount"), **MONEY)
    statement = models.FileField(_("statement"), upload_to=statement_path, max_length=300, blank=True)
    statement_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("distribution line")
        verbose_name_plural = _("distribution lines")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.inventor.name} {self.amount}"


def report_path(instance: AnnualReport, filename: str) -> str:
    return f"tto/reports/{instance.institution_id}/{filename}"


class AnnualReport(StateMachineMixin):
    """The institution's annual technology-transfer report (科技成果转化年度报告): figures generated from
    the records, editable by the office before it is final; PDF and Excel stored with their hashes."""

    TRANSITIONS = REPORT_TRANSITIONS

    institution = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="tto_reports"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    figures = models.JSONField(_("figures"), default=dict)
    spinoffs = models.PositiveIntegerField(
        _("spin-off companies"), default=0, validators=[MaxValueValidator(10000)]
    )
    office_staff = models.PositiveIntegerField(
        _("office staff"), default=0, validators=[MaxValueValidator(10000)]
    )
    narrative = models.TextField(_("narrative"), max_length=5000, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    pdf = models.FileField(upload_to=report_path, max_length=300, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    xlsx = models.FileField(upload_to=report_path, max_length=300, blank=True)
    xlsx_sha256 = models.CharField(max_length=64, blank=True)
    generated_at = models.DateTimeField(_("generated"), null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["-year", "institution"]
        constraints = [models.UniqueConstraint(fields=["institution", "year"], name="tto_report_once")]

    def __str__(self) -> str:
        return f"{self.institution_id} {self.year}"
