"""Models of valuation (评估): scorecards and their weights, valuation requests with their panels (drawn
from the one expert pool, ``talent.Expert``), and issued valuations, which never change once issued (a
new version does)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techbridge.core.workflow import StateMachineMixin
from techbridge.lib import limits

from . import formulas as F
from .choices import (
    REQUEST_TRANSITIONS,
    Conclusion,
    IncomeMethod,
    LegalStatus,
    Purpose,
    RequesterKind,
    RequestStatus,
)

PCT: dict[str, Any] = {"max_digits": 7, "decimal_places": 3}
MAX_COMPARABLE_ADJUSTMENTS = 20


def _number_between(value: Any, low: Any, high: Any) -> bool:
    """A number (int, Decimal or numeric text, not bool) within [low, high]."""
    if isinstance(value, bool):
        return False
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return False
    return number.is_finite() and Decimal(str(low)) <= number <= Decimal(str(high))


MONEY: dict[str, Any] = {"max_digits": 16, "decimal_places": 2}


class ScorecardWeights(models.Model):
    """One version of the indicator weights. Operators add versions; none is ever edited.

    The latest version is in force; every scorecard records the version it was graded with.
    """

    version = models.PositiveIntegerField(_("version"), unique=True)
    weights = models.JSONField(_("weights"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("scorecard weights")
        verbose_name_plural = _("scorecard weights")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"v{self.version}"


class Scorecard(models.Model):
    """The indicator scorecard of one achievement.

    TRL, IPC breadth and team come from the achievement itself; the other inputs are entered by the
    owner or an operator. Missing inputs stay empty (``None``) and are shown as missing; ``score`` and
    ``grade`` are stored so that lists filter and sort by them, and are recomputed when the inputs,
    the achievement or the weights change.
    """

    achievement = models.OneToOneField(
        "achievements.Achievement", on_delete=models.CASCADE, related_name="valuation_scorecard"
    )
    legal_status = models.CharField(_("legal status"), max_length=16, choices=LegalStatus.choices, blank=True)
    remaining_term_years = models.DecimalField(
        _("remaining patent term (years)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(30)],
    )
    claims = models.PositiveIntegerField(
        _("number of claims"), null=True, blank=True, validators=[MaxValueValidator(10000)]
    )
    independent_claims = models.PositiveIntegerField(
        _("independent claims"), null=True, blank=True, validators=[MaxValueValidator(10000)]
    )
    family_size = models.PositiveIntegerField(
        _("patent family size"), null=True, blank=True, validators=[MaxValueValidator(10000)]
    )
    citations = models.PositiveIntegerField(
        _("forward citations"), null=True, blank=True, validators=[MaxValueValidator(1000000)]
    )
    market_size = models.DecimalField(
        _("addressable market size (yuan per year)"),
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
    )
    source_note = models.CharField(_("source of the inputs"), max_length=300, blank=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=1, blank=True, db_index=True)
    coverage = models.DecimalField(_("coverage"), max_digits=5, decimal_places=4, default=0)
    parts = models.JSONField(_("indicator scores"), default=dict, blank=True)
    weights_version = models.PositiveIntegerField(_("weights version"), default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(grade__in=["", "A", "B", "C", "D"]), name="scorecard_grade_known"
            )
        ]

    def __str__(self) -> str:
        return f"{self.achievement_id}: {self.grade or '-'}"


class ValuationRequest(StateMachineMixin):
    """A request to value one achievement, with the draft assumptions of the three approaches.

    ``submitted → panel → issued``; ``cancelled`` from either open state. Percentages are stored as
    percent (5 = 5 %), amounts in yuan. Once issued, the request is closed; its figures live on in the
    ``Valuation`` it produced.
    """

    TRANSITIONS = REQUEST_TRANSITIONS

    achievement = models.ForeignKey(
        "achievements.Achievement", on_delete=models.PROTECT, related_name="valuation_requests"
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requester_kind = models.CharField(_("requested as"), max_length=16, choices=RequesterKind.choices)
    requester_org = models.ForeignKey(
        "organizations.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    counterparty_org = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("counterparty"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    room = models.ForeignKey(
        "deals.Room",
        verbose_name=_("negotiation room"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    purpose_note = models.CharField(_("purpose in detail"), max_length=300, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=RequestStatus.choices,
        default=RequestStatus.SUBMITTED,
        db_index=True,
    )
    panel_size = models.PositiveSmallIntegerField(
        _("panel size"), default=3, validators=[MinValueValidator(1), MaxValueValidator(7)]
    )
    # Experts taken off this request's panel before scoring; never drawn for it again.
    replaced_experts = models.ManyToManyField(
        "talent.Expert", verbose_name=_("experts replaced on the panel"), blank=True, related_name="+"
    )

    # cost approach
    reproduction_cost = models.DecimalField(
        _("reproduction cost (yuan)"), **MONEY, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    developer_profit_pct = models.DecimalField(
        _("developer profit rate (%)"), **PCT, default=0, validators=[MinValueValidator(0)]
    )
    technical_obsolescence_pct = models.DecimalField(
        _("technical obsolescence (%)"),
        **PCT,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    economic_obsolescence_pct = models.DecimalField(
        _("economic obsolescence (%)"),
        **PCT,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    # income approach
    income_method = models.CharField(
        _("income method"), max_length=16, choices=IncomeMethod.choices, default=IncomeMethod.PROFIT_SHARE
    )
    first_year_revenue = models.DecimalField(
        _("first-year revenue (yuan)"),
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(0, message=_("The revenue forecast cannot be negative."))],
    )
    growth_pct = models.DecimalField(_("yearly revenue growth (%)"), **PCT, default=0)
    economic_life_years = models.PositiveSmallIntegerField(
        _("economic life (years)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    remaining_term_years = models.DecimalField(
        _("remaining patent term (years)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "Leave empty for technology without a patent term (e.g. a technical secret), or give the "
            "filing date below and it is computed."
        ),
    )
    patent_filing_date = models.DateField(
        _("patent filing date"),
        null=True,
        blank=True,
        help_text=_(
            "The term runs from it (专利法 art. 42): invention 20 years, utility model 10, design 10 if "
            "filed before 2021-06-01 and 15 from that day."
        ),
    )
    term_adjustment_days = models.PositiveIntegerField(
        _("patent term adjustment (days)"),
        default=0,
        validators=[MaxValueValidator(F.MAX_TERM_ADJUSTMENT_DAYS)],
        help_text=_("Granted by CNIPA for an invention patent (专利法 art. 42 para. 2 and 3)."),
    )
    income_perpetuity = models.BooleanField(
        _("income continues after the forecast years (perpetuity)"),
        default=False,
        help_text=_(
            "Only for technology without a legal term, such as a technical secret; needs a discount "
            "rate above the growth rate."
        ),
    )
    tax_pct = models.DecimalField(_("income tax rate (%)"), **PCT, default=25)
    risk_free_pct = models.DecimalField(_("risk-free rate (%)"), **PCT, null=True, blank=True)
    technology_risk_pct = models.DecimalField(_("technology risk premium (%)"), **PCT, default=0)
    market_risk_pct = models.DecimalField(_("market risk premium (%)"), **PCT, default=0)
    management_risk_pct = models.DecimalField(
        _("management and financial risk premium (%)"), **PCT, default=0
    )
    royalty_pct = models.DecimalField(
        # xgettext:no-python-format
        _("royalty rate (% of revenue)"),
        **PCT,
        null=True,
        blank=True,
    )
    profit_margin_pct = models.DecimalField(
        # xgettext:no-python-format
        _("pre-tax profit margin, 销售利润率 (% of revenue)"),
        **PCT,
        null=True,
        blank=True,
        help_text=_("Profit before income tax: the income tax rate above is deducted once, from the result."),
    )
    technology_share_pct = models.DecimalField(
        _("profit share rate, 利润分成率 (%)"),
        **PCT,
        null=True,
        blank=True,
        help_text=_(
            "The technology's share of the profit, not of the revenue: 销售收入分成率 = 销售利润率 × "
            "利润分成率. Leave empty to derive it from the scoring table."
        ),
    )
    share_decline_pct = models.DecimalField(
        _("yearly decline of the share rate (%)"),
        **PCT,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(Decimal("99.999"))],
        help_text=_("a_t = a_1 × (1 − d)^(t − 1): the technology's share fades as it ages."),
    )
    share_low_pct = models.DecimalField(
        _("profit share rate, lower bound (%)"),
        **PCT,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    share_high_pct = models.DecimalField(
        _("profit share rate, upper bound (%)"),
        **PCT,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    share_scores = models.JSONField(_("share-rate scoring table"), default=dict, blank=True)
    # market approach
    subject_deal_mode = models.CharField(_("deal mode being valued"), max_length=32, default="assignment")
    price_index_pct = models.DecimalField(_("yearly price index change (%)"), **PCT, default=0)
    # ref → {"tech_factor": "1.10", "remaining_life": "8"}: the appraiser's adjustments of a comparable.
    comparable_adjustments = models.JSONField(_("adjustments of the comparables"), default=dict, blank=True)
    # reconciliation
    weight_cost = models.PositiveSmallIntegerField(
        _("weight of the cost approach"), default=20, validators=[MaxValueValidator(100)]
    )
    weight_market = models.PositiveSmallIntegerField(
        _("weight of the market approach"), default=30, validators=[MaxValueValidator(100)]
    )
    weight_income = models.PositiveSmallIntegerField(
        _("weight of the income approach"), default=50, validators=[MaxValueValidator(100)]
    )
    # The appraiser's conclusion (资产评估执业准则): which approach, and why. The weights above only
    # make a suggestion.
    conclusion = models.CharField(
        _("conclusion rests on"), max_length=16, choices=Conclusion.choices, blank=True
    )
    conclusion_reason = models.TextField(_("why this conclusion"), max_length=2000, blank=True)

    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)

    class Meta:
        verbose_name = _("valuation request")
        verbose_name_plural = _("valuation requests")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.achievement_id}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        scores = self.share_scores or {}
        if not isinstance(scores, dict) or any(
            k not in F.SHARE_FACTORS or not _number_between(v, 0, 100) for k, v in scores.items()
        ):
            errors["share_scores"] = _("Score the factors of the share-rate table between 0 and 100.")
        if (
            self.share_low_pct is not None
            and self.share_high_pct is not None
            and self.share_low_pct > self.share_high_pct
        ):
            errors["share_high_pct"] = _("The upper bound must not be below the lower bound.")
        adj = self.comparable_adjustments or {}
        if not isinstance(adj, dict) or len(adj) > MAX_COMPARABLE_ADJUSTMENTS:
            errors["comparable_adjustments"] = _("Too many comparable adjustments.")
        else:
            for ref, row in adj.items():
                ok = isinstance(ref, str) and len(ref) <= 40 and isinstance(row, dict)
                ok = ok and set(row) <= {"tech_factor", "remaining_life"}
                ok = ok and _number_between(row.get("tech_factor", 1), F.TECH_FACTOR_MIN, F.TECH_FACTOR_MAX)
                ok = ok and (
                    row.get("remaining_life") in (None, "") or _number_between(row["remaining_life"], 0, 50)
                )
                if not ok:
                    errors["comparable_adjustments"] = _(
                        "A comparable's technical factor is between 0.5 and 2, its remaining life "
                        "between 0 and 50 years."
                    )
                    break
        if self.income_perpetuity and (self.remaining_term_years is not None or self.patent_filing_date):
            errors["income_perpetuity"] = _(
                "A patent ends with its term: income in perpetuity is only for technology without a legal "
                "term, such as a technical secret."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        return self.status in (RequestStatus.SUBMITTED, RequestStatus.PANEL)


class PanelMember(models.Model):
    """One expert on the panel of one request, with their score (0–100), value opinion and comment."""

    request = models.ForeignKey(ValuationRequest, on_delete=models.CASCADE, related_name="panel")
    expert = models.ForeignKey("talent.Expert", on_delete=models.PROTECT, related_name="assignments")
    order = models.PositiveSmallIntegerField(default=0)
    assigned_at = models.DateTimeField(default=timezone.now)
    score = models.PositiveSmallIntegerField(
        _("score (0–100)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    value_low = models.DecimalField(_("value opinion, low (yuan)"), **MONEY, null=True, blank=True)
    value_high = models.DecimalField(_("value opinion, high (yuan)"), **MONEY, null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True, max_length=limits.NOTE)
    scored_at = models.DateTimeField(_("scored"), null=True, blank=True)

    class Meta:
        verbose_name = _("panel member")
        verbose_name_plural = _("panel members")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "expert"], name="panel_expert_once"),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__lte=100), name="panel_score_0_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}/{self.expert_id}"


def report_path(instance: Valuation, filename: str) -> str:
    return f"valuation/{instance.achievement_id}/v{instance.version}-{filename}"


class Valuation(models.Model):
    """An issued valuation: one version per achievement, frozen. Saving an issued one again fails.

    ``snapshot`` holds every assumption, figure, comparable, the scorecard and the panel exactly as
    issued; the PDF report is rendered from it once and stored with its SHA-256.
    """

    request = models.OneToOneField(ValuationRequest, on_delete=models.PROTECT, related_name="valuation")
    achievement = models.ForeignKey(
        "achievements.Achievement", on_delete=models.PROTECT, related_name="valuations"
    )
    version = models.PositiveIntegerField(_("version"))
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    point = models.DecimalField(_("value"), **MONEY)
    low = models.DecimalField(_("low end"), **MONEY)
    high = models.DecimalField(_("high end"), **MONEY)
    grade = models.CharField(_("grade"), max_length=1, blank=True)
    snapshot = models.JSONField(_("snapshot"))
    report = models.FileField(_("report"), upload_to=report_path, max_length=300, blank=True)
    report_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("valuation")
        verbose_name_plural = _("valuations")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["achievement", "version"], name="valuation_version_once"),
            models.CheckConstraint(
                condition=models.Q(low__lte=models.F("point")) & models.Q(point__lte=models.F("high")),
                name="valuation_low_point_high",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.achievement_id} v{self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Issued figures never change: only the first save (and the report file written in the same
        # transaction, through ``update_fields``) is allowed.
        if not self._state.adding and set(kwargs.get("update_fields") or ()) - {"report", "report_sha256"}:
            raise ValueError("An issued valuation cannot be changed; issue a new version.")
        if not self._state.adding and not kwargs.get("update_fields"):
            raise ValueError("An issued valuation cannot be changed; issue a new version.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("An issued valuation is kept for the record and cannot be deleted.")
