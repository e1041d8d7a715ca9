"""Technology finance: investors and their products, financing requests, NDAs on business plans and the
introductions between an enterprise and an investor (the pipeline).

Amounts are Decimal yuan between 0 and ``MAX_AMOUNT``; lists of choices (stages, instruments, districts)
are bounded by their choices. Every status moves through ``core.workflow.transition``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from techbridge.core.workflow import StateMachineMixin
from techbridge.organizations.choices import District

from .choices import (
    APPLICATION_TRANSITIONS,
    CALL_TRANSITIONS,
    INTRO_TRANSITIONS,
    INVESTOR_TRANSITIONS,
    LOAN_TRANSITIONS,
    REQUEST_TRANSITIONS,
    ApplicationStatus,
    CallStatus,
    Instrument,
    IntroStatus,
    InvestorKind,
    InvestorStatus,
    LoanStatus,
    RequestStatus,
    Side,
    Stage,
)

MAX_AMOUNT = Decimal("10000000000.00")  # 100亿元: above any single financing on the platform
MAX_PLAN_BYTES = 20 * 1024 * 1024
PLAN_EXTENSIONS = (".pdf", ".docx", ".pptx")


def money(verbose: Any, *, null: bool = False) -> models.DecimalField:
    return models.DecimalField(
        verbose,
        max_digits=16,
        decimal_places=2,
        null=null,
        blank=null,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_AMOUNT)],
    )


def check_choices(values: object, choices: type[models.TextChoices], label: str) -> None:
    allowed = set(choices.values)
    if not isinstance(values, list) or len(values) > len(allowed) or not set(values) <= allowed:
        raise ValidationError(gettext("Choose %(what)s from the list.") % {"what": label})


class Investor(StateMachineMixin):
    """An investor's profile and preferences. Only a qualified profile is matched and sees requests;
    the platform operator qualifies it. Empty preference lists mean "any"."""

    TRANSITIONS = INVESTOR_TRANSITIONS

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="investor_profiles"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=16, choices=InvestorKind.choices)
    summary = models.TextField(_("what it invests in"), max_length=2000)
    fields = models.ManyToManyField("taxonomy.IndustryField", blank=True, verbose_name=_("industry fields"))
    stages = models.JSONField(_("stages"), default=list, blank=True)
    instruments = models.JSONField(_("instruments"), default=list, blank=True)
    districts = models.JSONField(_("districts"), default=list, blank=True)
    ticket_min = money(_("smallest ticket (yuan)"))
    ticket_max = money(_("largest ticket (yuan)"))
    status = models.CharField(
        _("status"), max_length=16, choices=InvestorStatus.choices, default=InvestorStatus.SUBMITTED
    )
    reject_reason = models.CharField(_("reason"), max_length=500, blank=True)
    qualified_at = models.DateTimeField(_("qualified"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("investor")
        verbose_name_plural = _("investors")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ticket_min__lte=models.F("ticket_max")),
                name="finance_investor_ticket_range",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        check_choices(self.stages, Stage, gettext("the stages"))
        check_choices(self.instruments, Instrument, gettext("the instruments"))
        check_choices(self.districts, District, gettext("the districts"))
        if self.ticket_min is not None and self.ticket_max is not None and self.ticket_min > self.ticket_max:
            raise ValidationError({"ticket_max": gettext("The largest ticket is smaller than the smallest.")})

    def stage_labels(self) -> list[str]:
        return [str(Stage(s).label) for s in self.stages]

    def instrument_labels(self) -> list[str]:
        return [str(Instrument(s).label) for s in self.instruments]

    def district_labels(self) -> list[str]:
        return [str(District(s).label) for s in self.districts]


class Product(models.Model):
    """A financial product an investor offers (科技贷, 知识产权质押贷, a fund's equity line …) with its
    terms."""

    investor = models.ForeignKey(Investor, on_delete=models.CASCADE, related_name="products")
    name = models.CharField(_("name"), max_length=200)
    instrument = models.CharField(_("instrument"), max_length=16, choices=Instrument.choices)
    summary = models.TextField(_("terms and conditions"), max_length=2000)
    amount_min = money(_("smallest amount (yuan)"))
    amount_max = money(_("largest amount (yuan)"))
    term_months = models.PositiveSmallIntegerField(
        _("term (months)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(360)]
    )
    rate_note = models.CharField(_("rate or price"), max_length=200, blank=True)
    is_active = models.BooleanField(_("on offer"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("financial product")
        verbose_name_plural = _("financial products")
        ordering = ["investor", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_min__lte=models.F("amount_max")),
                name="finance_product_amount_range",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.amount_min is not None and self.amount_max is not None and self.amount_min > self.amount_max:
            raise ValidationError({"amount_max": gettext("The largest amount is smaller than the smallest.")})


class FinancingRequest(StateMachineMixin):
    """An enterprise's financing request. Title and summary are seen by qualified investors; the business
    plan only by an investor who accepted the NDA (``NdaAcceptance``)."""

    TRANSITIONS = REQUEST_TRANSITIONS
    INITIAL_STATES = frozenset({RequestStatus.OPEN})

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="financing_requests"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("project summary"), max_length=3000)
    amount = money(_("amount sought (yuan)"))
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    instrument = models.CharField(_("instrument wanted"), max_length=16, choices=Instrument.choices)
    fields = models.ManyToManyField("taxonomy.IndustryField", blank=True, verbose_name=_("industry fields"))
    district = models.CharField(_("district"), max_length=16, choices=District.choices)
    use_of_funds = models.TextField(_("use of funds"), max_length=2000)
    valuation = money(_("valuation or pledge offered (yuan)"), null=True)
    valuation_report = models.ForeignKey(
        "valuation.Valuation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("valuation report"),
    )
    achievement = models.ForeignKey(
        "achievements.Achievement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("achievement"),
    )
    business_plan = models.FileField(_("business plan"), upload_to="finance/plans/%Y/", blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    funded_at = models.DateTimeField(_("funded"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("financing request")
        verbose_name_plural = _("financing requests")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class NdaAcceptance(models.Model):
    """An investor (through one of its people) accepted the confidentiality terms of a request: from then
    on that investor's people may download the business plan."""

    request = models.ForeignKey(FinancingRequest, on_delete=models.CASCADE, related_name="ndas")
    investor = models.ForeignKey(Investor, on_delete=models.CASCADE, related_name="ndas")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("NDA acceptance")
        verbose_name_plural = _("NDA acceptances")
        constraints = [models.UniqueConstraint(fields=["request", "investor"], name="finance_nda_once")]

    def __str__(self) -> str:
        return f"{self.investor} · {self.request}"


class Introduction(StateMachineMixin):
    """An introduction of a request to an investor (and optionally one of its products). One side proposes
    (its consent is given by proposing); it becomes *introduced* only when the other side consents.
    Then the pipeline: meeting → term sheet → invested / lent, or declined at any step, with amounts."""

    TRANSITIONS = INTRO_TRANSITIONS

    request = models.ForeignKey(FinancingRequest, on_delete=models.CASCADE, related_name="introductions")
    investor = models.ForeignKey(Investor, on_delete=models.PROTECT, related_name="introductions")
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("product")
    )
    proposed_by = models.CharField(_("proposed by"), max_length=16, choices=Side.choices)
    score = models.FloatField(_("match score"), null=True, blank=True)
    reasons = models.JSONField(_("why they match"), default=list, blank=True)
    enterprise_consent_at = models.DateTimeField(_("enterprise consented"), null=True, blank=True)
    investor_consent_at = models.DateTimeField(_("investor consented"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=IntroStatus.choices, default=IntroStatus.PROPOSED
    )
    term_sheet_amount = money(_("term sheet amount (yuan)"), null=True)
    amount = money(_("amount invested or lent (yuan)"), null=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("introduction")
        verbose_name_plural = _("introductions")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "investor"], name="finance_introduction_once"),
            models.CheckConstraint(
                condition=~models.Q(status__in=["invested", "lent"]) | models.Q(amount__isnull=False),
                name="finance_introduction_closed_has_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request} ↔ {self.investor}"


MAX_PLEDGED = 20


class LoanApplication(StateMachineMixin):
    """An IP-pledge loan application to a bank's product: pledged patents of the applicant (each granted,
    with more protection left than the loan's term, checked when applying), an optional valuation
    report, the bank's decision, the registration of the pledge and the repayments (``outstanding``)."""

    TRANSITIONS = LOAN_TRANSITIONS

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="loan_applications"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="loan_applications")
    amount = money(_("amount applied for (yuan)"))
    term_months = models.PositiveSmallIntegerField(
        _("term (months)"), validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    purpose = models.TextField(_("use of the loan"), max_length=2000)
    patents = models.ManyToManyField("ipservices.Patent", related_name="+", verbose_name=_("pledged patents"))
    valuation_report = models.ForeignKey(
        "valuation.Valuation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("valuation report"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=LoanStatus.choices, default=LoanStatus.SUBMITTED
    )
    approved_amount = money(_("amount approved (yuan)"), null=True)
    decision_note = models.CharField(_("bank's note"), max_length=500, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    pledge_number = models.CharField(_("pledge registration number"), max_length=50, blank=True)
    registered_at = models.DateTimeField(_("pledge registered"), null=True, blank=True)
    outstanding = money(_("outstanding (yuan)"), null=True)
    repaid_at = models.DateTimeField(_("repaid"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("IP-pledge loan application")
        verbose_name_plural = _("IP-pledge loan applications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outstanding__isnull=True) | models.Q(outstanding__gte=0),
                name="finance_loan_outstanding_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.product}"


MAX_PANEL = 9
MAX_TRANCHES = 10


class Fund(models.Model):
    """A conversion or guidance fund (成果转化基金) with its sponsor, size, rules and fields; it opens
    calls."""

    name = models.CharField(_("name"), max_length=200)
    sponsor = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    size = money(_("fund size (yuan)"))
    rules = models.TextField(_("rules"), max_length=3000)
    fields = models.ManyToManyField("taxonomy.IndustryField", blank=True, verbose_name=_("industry fields"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class FundCall(StateMachineMixin):
    """A call for applications of a fund, open until ``closes_on``; awards at most ``max_award`` each,
    reviewed by panels of ``panel_size`` experts from the shared pool."""

    TRANSITIONS = CALL_TRANSITIONS

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="calls")
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("what it funds"), max_length=3000)
    closes_on = models.DateField(_("closes on"))
    max_award = money(_("largest award (yuan)"))
    panel_size = models.PositiveSmallIntegerField(
        _("experts per panel"), default=3, validators=[MinValueValidator(1), MaxValueValidator(MAX_PANEL)]
    )
    status = models.CharField(_("status"), max_length=16, choices=CallStatus.choices, default=CallStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("fund call")
        verbose_name_plural = _("fund calls")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class FundApplication(StateMachineMixin):
    """A project's application to a call. The eligibility checks run when it is submitted and are kept
    (``checks``); an ineligible or rejected application keeps all its data."""

    TRANSITIONS = APPLICATION_TRANSITIONS
    INITIAL_STATES = frozenset({ApplicationStatus.ELIGIBLE, ApplicationStatus.INELIGIBLE})

    call = models.ForeignKey(FundCall, on_delete=models.PROTECT, related_name="applications")
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("project"), max_length=200)
    summary = models.TextField(_("project summary"), max_length=3000)
    amount = money(_("amount applied for (yuan)"))
    fields = models.ManyToManyField("taxonomy.IndustryField", blank=True, verbose_name=_("industry fields"))
    checks = models.JSONField(_("eligibility checks"), default=list)
    status = models.CharField(_("status"), max_length=16, choices=ApplicationStatus.choices)
    award_amount = money(_("amount awarded (yuan)"), null=True)
    decision_note = models.CharField(_("decision note"), max_length=500, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("fund application")
        verbose_name_plural = _("fund applications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "organization"], name="finance_fund_application_once")
        ]

    def __str__(self) -> str:
        return self.title


class PanelSeat(models.Model):
    """One expert of the shared pool (``talent.Expert``) on an application's panel, and the score."""

    application = models.ForeignKey(FundApplication, on_delete=models.CASCADE, related_name="seats")
    expert = models.ForeignKey("talent.Expert", on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(
        _("score"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    comment = models.CharField(_("comment"), max_length=1000, blank=True)
    scored_at = models.DateTimeField(_("scored"), null=True, blank=True)

    class Meta:
        verbose_name = _("panel seat")
        verbose_name_plural = _("panel seats")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "expert"], name="finance_panel_seat_once")
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.expert_id}"


class Tranche(models.Model):
    """A part of an award, paid when its milestone is confirmed; tranche *n* only after *n − 1*."""

    application = models.ForeignKey(FundApplication, on_delete=models.CASCADE, related_name="tranches")
    number = models.PositiveSmallIntegerField(_("tranche"))
    milestone = models.CharField(_("milestone"), max_length=300)
    amount = money(_("amount (yuan)"))
    evidence = models.CharField(_("milestone evidence"), max_length=500, blank=True)
    disbursed_at = models.DateTimeField(_("disbursed"), null=True, blank=True)

    class Meta:
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        ordering = ["application", "number"]
        constraints = [models.UniqueConstraint(fields=["application", "number"], name="finance_tranche_once")]

    def __str__(self) -> str:
        return f"{self.application} #{self.number}"
