"""Models of deal announcements: the public notice of a concluded deal (成交公示), objections to it, the
transaction certificate (交易鉴证书) issued after the notice period, and the parties' consent to announce
a registered contract (成交公告).

- An announcement is opened once per deal (``origin_ref`` is unique: ``lot:<pk>`` or ``offer:<pk>``) and
  copies what the notice shows, so the notice does not change when the listing does.
- While an objection is pending the notice period cannot end; an upheld objection suspends the notice
  and flags the deal.
- A certificate seals the fields it shows (copied at issue) and carries an unguessable code with a check
  character; the PDF's SHA-256 is kept on it once the PDF is made.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techbridge.core.workflow import StateMachineMixin

from . import rules
from .choices import (
    ANNOUNCEMENT_TRANSITIONS,
    CERTIFICATE_TRANSITIONS,
    OBJECTION_TRANSITIONS,
    AnnouncementStatus,
    CertificateStatus,
    ObjectionStatus,
    Origin,
)

SUBJECT_MAX = 200
NAME_MAX = 200
REASON_MAX = 2000
REASON_MIN = 10
NOTE_MAX = 1000
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
MONEY = {
    "max_digits": 16,
    "decimal_places": 2,
    "validators": [MinValueValidator(0), MaxValueValidator(10**13)],
}


class Announcement(StateMachineMixin):
    """The public notice of one concluded deal, open for the notice period."""

    TRANSITIONS = ANNOUNCEMENT_TRANSITIONS

    origin = models.CharField(_("how the deal was made"), max_length=12, choices=Origin.choices)
    origin_ref = models.CharField(_("deal reference"), max_length=40, unique=True)
    subject = models.CharField(_("subject"), max_length=SUBJECT_MAX)
    seller = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("seller"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    seller_name = models.CharField(_("seller"), max_length=NAME_MAX)
    buyer = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("buyer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    buyer_name = models.CharField(_("buyer"), max_length=NAME_MAX)
    price = models.DecimalField(_("price (yuan)"), **MONEY)  # type: ignore[arg-type]
    deal_mode = models.CharField(_("deal mode"), max_length=32, blank=True)
    deal_mode_name = models.CharField(_("deal mode"), max_length=50, blank=True)
    concluded_at = models.DateTimeField(_("deal concluded"))
    period_ends_at = models.DateTimeField(_("notice period ends"), db_index=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=AnnouncementStatus.choices,
        default=AnnouncementStatus.OPEN,
        db_index=True,
    )
    flagged = models.BooleanField(_("deal flagged"), default=False)
    flag_note = models.TextField(_("why the deal is flagged"), max_length=NOTE_MAX, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("opened"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("deal announcement")
        verbose_name_plural = _("deal announcements")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.subject

    @property
    def last_day(self) -> dt.date:
        """The last day of the notice period (the period ends at the following midnight)."""
        return timezone.localtime(self.period_ends_at).date() - dt.timedelta(days=1)


def evidence_path(instance: Objection, filename: str) -> str:
    now = timezone.now()
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"announcements/objections/{now:%Y/%m}/{rules.new_code().lower()}.{ext}"


class Objection(StateMachineMixin):
    """An objection (异议) to a deal under public notice, filed by someone who is not a party."""

    TRANSITIONS = OBJECTION_TRANSITIONS

    announcement = models.ForeignKey(
        Announcement, verbose_name=_("announcement"), on_delete=models.CASCADE, related_name="objections"
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("filed by"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"), max_length=REASON_MAX)
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, max_length=200, blank=True)
    evidence_name = models.CharField(_("evidence file name"), max_length=200, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ObjectionStatus.choices,
        default=ObjectionStatus.PENDING,
        db_index=True,
    )
    resolution = models.TextField(_("decision"), max_length=REASON_MAX, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("filed"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "filed_by"],
                condition=Q(status="pending"),
                name="announcements_one_pending_objection_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.announcement} · {self.pk}"


class Certificate(StateMachineMixin):
    """A transaction certificate (交易鉴证书): the sealed fields of the deal and a verification code."""

    TRANSITIONS = CERTIFICATE_TRANSITIONS

    announcement = models.OneToOneField(
        Announcement, verbose_name=_("announcement"), on_delete=models.PROTECT, related_name="certificate"
    )
    code = models.CharField(_("verification code"), max_length=rules.CODE_LENGTH, unique=True)
    subject = models.CharField(_("subject"), max_length=SUBJECT_MAX)
    seller_name = models.CharField(_("seller"), max_length=NAME_MAX)
    buyer_name = models.CharField(_("buyer"), max_length=NAME_MAX)
    price = models.DecimalField(_("price (yuan)"), **MONEY)  # type: ignore[arg-type]
    origin = models.CharField(_("how the deal was made"), max_length=12, choices=Origin.choices)
    deal_mode_name = models.CharField(_("deal mode"), max_length=50, blank=True)
    concluded_at = models.DateTimeField(_("deal concluded"))
    period_ends_at = models.DateTimeField(_("notice period ends"))
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=CertificateStatus.choices,
        default=CertificateStatus.VALID,
        db_index=True,
    )
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    revoked_reason = models.TextField(_("why it was revoked"), max_length=NOTE_MAX, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("transaction certificate")
        verbose_name_plural = _("transaction certificates")
        ordering = ["-issued_at", "-pk"]

    def __str__(self) -> str:
        return self.grouped_code

    @property
    def grouped_code(self) -> str:
        return rules.grouped(self.code)

    @property
    def number(self) -> str:
        return f"JJ{timezone.localtime(self.issued_at):%Y}{self.pk:06d}"


class Publication(models.Model):
    """The parties' consent to announce a registered contract on the public 成交公告 list.

    The contract appears when both sides consented; its amount only when both allowed it.
    """

    contract = models.OneToOneField(
        "contracts.Contract", verbose_name=_("contract"), on_delete=models.CASCADE, related_name="+"
    )
    seller_consent_at = models.DateTimeField(_("seller consented"), null=True, blank=True)
    seller_consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    seller_shows_amount = models.BooleanField(_("seller allows the amount"), default=False)
    buyer_consent_at = models.DateTimeField(_("buyer consented"), null=True, blank=True)
    buyer_consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    buyer_shows_amount = models.BooleanField(_("buyer allows the amount"), default=False)
    published_at = models.DateTimeField(_("announced"), null=True, blank=True, db_index=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("deal publication")
        verbose_name_plural = _("deal publications")
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return str(self.contract_id)

    @property
    def shows_amount(self) -> bool:
        return self.seller_shows_amount and self.buyer_shows_amount
