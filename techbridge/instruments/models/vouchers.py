"""Innovation vouchers (创新券): programmes with their rules as data, vouchers, redemptions and claims."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techbridge.core.workflow import StateMachineMixin
from techbridge.organizations.choices import OrgKind

from ..choices import (
    LIVE_VOUCHER_STATUSES,
    PROGRAMME_TRANSITIONS,
    REDEMPTION_TRANSITIONS,
    VOUCHER_TRANSITIONS,
    ProgrammeStatus,
    RedemptionStatus,
    VoucherStatus,
    VoucherUse,
)
from .common import MONEY, SHARE, TEXT_MEDIUM, TEXT_SHORT


def validate_org_kinds(value: object) -> None:
    if not isinstance(value, list) or not value or any(v not in OrgKind.values for v in value):
        raise ValidationError(_("Choose at least one kind of organisation that may apply."))


class VoucherProgramme(StateMachineMixin):
    """One year's voucher scheme: its budget and rules, all as data.

    Rules: who may apply (kinds of organisation, optionally only those registered in Nanjing), the
    share of a bill a voucher pays, the cap per enterprise, what vouchers pay for, and the dates.
    Guarantee: ``allocated`` (the sum of approved quotas) never exceeds ``budget`` — approvals claim it
    with a compare-and-set write and a check constraint backs it.
    """

    TRANSITIONS = PROGRAMME_TRANSITIONS

    name = models.CharField(_("name"), max_length=TEXT_SHORT)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    issuer = models.CharField(_("issued by"), max_length=100)
    basis = models.TextField(
        _("policy basis"),
        max_length=TEXT_MEDIUM,
        blank=True,
        help_text=_("The policy document and its number."),
    )
    budget = models.DecimalField(_("annual budget (yuan)"), **MONEY)
    allocated = models.DecimalField(_("allocated to vouchers (yuan)"), default=Decimal("0"), **MONEY)
    share = models.DecimalField(
        _("share of a bill a voucher pays"),
        help_text=_("Between 0 and 1: 0.5 pays half of each bill."),
        **SHARE,
    )
    cap_per_enterprise = models.DecimalField(_("cap per enterprise (yuan)"), **MONEY)
    eligible_kinds = models.JSONField(
        _("who may apply"),
        default=list,
        validators=[validate_org_kinds],
        help_text=_("Kinds of organisation."),
    )
    nanjing_only = models.BooleanField(_("only organisations registered in Nanjing"), default=True)
    uses = models.CharField(
        _("vouchers pay for"), max_length=16, choices=VoucherUse.choices, default=VoucherUse.ALL
    )
    applications_open = models.DateField(_("applications from"))
    applications_close = models.DateField(_("applications until"))
    valid_until = models.DateField(_("vouchers valid until"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ProgrammeStatus.choices,
        default=ProgrammeStatus.DRAFT,
        db_index=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("voucher programme")
        verbose_name_plural = _("voucher programmes")
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "year"], name="programme_name_once_per_year"),
            models.CheckConstraint(
                condition=models.Q(allocated__lte=models.F("budget")), name="programme_within_budget"
            ),
            models.CheckConstraint(
                condition=models.Q(share__gt=0) & models.Q(share__lte=1), name="programme_share"
            ),
            models.CheckConstraint(
                condition=models.Q(cap_per_enterprise__lte=models.F("budget")),
                name="programme_cap_within_budget",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.share is not None and not (Decimal("0") < self.share <= Decimal("1")):
            errors["share"] = _("The share must be more than 0 and at most 1.")
        if (
            self.budget is not None
            and self.cap_per_enterprise is not None
            and self.cap_per_enterprise > self.budget
        ):
            errors["cap_per_enterprise"] = _("The cap per enterprise cannot exceed the budget.")
        if self.cap_per_enterprise is not None and self.cap_per_enterprise <= 0:
            errors["cap_per_enterprise"] = _("The cap per enterprise must be more than zero.")
        if (
            self.applications_open
            and self.applications_close
            and self.applications_close < self.applications_open
        ):
            errors["applications_close"] = _("Applications cannot close before they open.")
        if self.applications_close and self.valid_until and self.valid_until < self.applications_close:
            errors["valid_until"] = _("Vouchers must stay valid at least until applications close.")
        if errors:
            raise ValidationError(errors)

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.allocated

    @property
    def eligible_kind_labels(self) -> list[str]:
        labels = dict(OrgKind.choices)
        return [str(labels.get(k, k)) for k in self.eligible_kinds or []]

    def covers(self, what: str) -> bool:
        """Whether vouchers of this programme pay for ``instruments`` or ``services``."""
        return self.uses == VoucherUse.ALL or self.uses == what


class Voucher(StateMachineMixin):
    """An enterprise's voucher of one programme: the quota staff approved and what has been spent.

    Guarantees: one live voucher per enterprise and programme; ``spent`` never exceeds ``quota`` (a
    compare-and-set write per redemption plus a check constraint); a quota never exceeds the
    programme's cap per enterprise.
    """

    TRANSITIONS = VOUCHER_TRANSITIONS

    number = models.CharField(_("number"), max_length=32, unique=True, null=True, blank=True)
    programme = models.ForeignKey(
        VoucherProgramme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="vouchers"
    )
    enterprise = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="innovation_vouchers",
    )
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    purpose = models.TextField(_("what the enterprise will use it for"), max_length=TEXT_MEDIUM)
    requested_amount = models.DecimalField(_("amount requested (yuan)"), **MONEY)
    quota = models.DecimalField(_("approved quota (yuan)"), default=Decimal("0"), **MONEY)
    spent = models.DecimalField(_("spent (yuan)"), default=Decimal("0"), **MONEY)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=VoucherStatus.choices,
        default=VoucherStatus.APPLIED,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("applied"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("innovation voucher")
        verbose_name_plural = _("innovation vouchers")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "enterprise"],
                condition=models.Q(status__in=LIVE_VOUCHER_STATUSES),
                name="voucher_one_live_per_enterprise",
            ),
            models.CheckConstraint(
                condition=models.Q(spent__lte=models.F("quota")), name="voucher_within_quota"
            ),
            models.CheckConstraint(
                condition=models.Q(requested_amount__gt=0), name="voucher_request_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"{self.programme_id}/{self.enterprise_id}"

    @property
    def balance(self) -> Decimal:
        return self.quota - self.spent


class VoucherRedemption(StateMachineMixin):
    """A voucher paying its share of one fee statement, and the provider's claim on the programme.

    Guarantees: a fee statement is paid by at most one redemption (one-to-one), so no bill is paid twice;
    the amount was taken from the voucher's balance in the same transaction. ``redeemed → claimed →
    settled``; staff may return a claim to the provider.
    """

    TRANSITIONS = REDEMPTION_TRANSITIONS

    voucher = models.ForeignKey(Voucher, on_delete=models.PROTECT, related_name="redemptions")
    invoice = models.OneToOneField("instruments.Invoice", on_delete=models.PROTECT, related_name="redemption")
    provider = models.ForeignKey(
        "organizations.Organization", verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=RedemptionStatus.choices,
        default=RedemptionStatus.REDEEMED,
        db_index=True,
    )
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    settled_at = models.DateTimeField(_("settled"), null=True, blank=True)
    settlement_ref = models.CharField(_("payment reference"), max_length=100, blank=True)
    return_reason = models.CharField(_("why the claim was returned"), max_length=500, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("redeemed"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("voucher redemption")
        verbose_name_plural = _("voucher redemptions")
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="redemption_positive")]

    def __str__(self) -> str:
        return f"{self.voucher_id}: {self.amount}"
