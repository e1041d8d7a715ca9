"""Sci-tech achievements (科技成果): what universities and institutes offer for transfer."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techbridge.core.listing_files import ListingFile, ListingVideo
from techbridge.core.workflow import ReviewableListing
from techbridge.lib import limits
from techbridge.lib.numbers import validate_price

from .choices import PATENT_KINDS, TRL_CHOICES, AchievementType, AttachmentVisibility, LegalStatus
from .validators import validate_ipc_codes, validate_patent_numbers


class Achievement(ReviewableListing):
    """One achievement offered for transfer.

    The public part (summary, advantages, applications) shows to everyone once published; ``detail``
    and the attachments show only to the owner organisation, reviewers and users who accepted the
    non-disclosure terms. A price is either a non-negative amount in yuan or 面议 (negotiable).
    """

    OWNER_FIELD = "owner"

    kind = models.CharField(_("type"), max_length=24, choices=AchievementType.choices)
    fields = models.ManyToManyField("taxonomy.IndustryField", verbose_name=_("industry fields"), blank=True)
    discipline = models.ForeignKey(
        "taxonomy.Discipline", verbose_name=_("discipline"), null=True, blank=True, on_delete=models.PROTECT
    )
    ipc_codes = models.CharField(_("IPC codes"), max_length=300, blank=True, validators=[validate_ipc_codes])
    # Null means "not assessed": imported and demo records often arrive without a TRL, and the
    # platform does not invent one. Forms on the platform require it.
    trl = models.PositiveSmallIntegerField(
        _("technology readiness level"),
        choices=TRL_CHOICES,
        validators=[MinValueValidator(1), MaxValueValidator(9)],
        null=True,
        blank=True,
    )
    deal_modes = models.ManyToManyField("taxonomy.DealMode", verbose_name=_("deal modes"), blank=True)
    price_negotiable = models.BooleanField(_("price negotiable (面议)"), default=True)
    price = models.DecimalField(
        _("indicative price (yuan)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[validate_price],
    )
    patent_numbers = models.CharField(
        _("patent numbers"), max_length=500, blank=True, validators=[validate_patent_numbers]
    )
    legal_status = models.CharField(
        _("legal status"),
        max_length=16,
        choices=LegalStatus.choices,
        blank=True,
        default="",
        help_text=_("For a patent: pending, granted, lapsed, expired or invalidated."),
    )
    owner = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("owner organisation"),
        on_delete=models.PROTECT,
        related_name="achievements",
    )
    # Where the achievement is (or would be) put to work; the owner's zone unless the owner says otherwise.
    zone = models.ForeignKey(
        "organizations.Zone",
        verbose_name=_("zone"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="achievements",
    )
    team = models.TextField(_("inventors / team"), blank=True, max_length=limits.DESCRIPTION)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    summary = models.TextField(_("public summary"), max_length=limits.SUMMARY)
    advantages = models.TextField(
        _("advantages over existing technology"), blank=True, max_length=limits.DESCRIPTION
    )
    applications = models.TextField(
        _("applications and commercial route"), blank=True, max_length=limits.DESCRIPTION
    )
    detail = models.TextField(
        _("detailed description (confidential)"), blank=True, max_length=limits.DESCRIPTION
    )
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)
    dual_use = models.BooleanField(_("dual-use (军民两用)"), default=False)

    class Meta:
        verbose_name = _("achievement")
        verbose_name_plural = _("achievements")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(trl__isnull=True) | models.Q(trl__gte=1, trl__lte=9),
                name="achievement_trl_1_to_9",
            ),
            models.CheckConstraint(
                condition=models.Q(price__isnull=True) | models.Q(price__gte=0),
                name="achievement_price_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(price_negotiable=True) | models.Q(price__isnull=False),
                name="achievement_price_or_negotiable",
            ),
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=~models.Q(external_id=""),
                name="achievement_unique_external_id",
            ),
        ]
        indexes = [models.Index(fields=["status", "-published_at"])]

    def clean(self) -> None:
        errors = {}
        if self.price is not None and self.price < 0:
            errors["price"] = _("The price cannot be negative.")
        if not self.price_negotiable and self.price is None:
            errors["price"] = _("Give an indicative price or mark the price as negotiable (面议).")
        if self.legal_status and self.kind not in PATENT_KINDS:
            errors["legal_status"] = _("Only a patent or a patent application has a legal status.")
        if errors:
            raise ValidationError(errors)

    def search_document(self) -> str:
        """The public text that full-text search indexes. Never includes the confidential detail."""
        parts = [
            self.title,
            self.keywords,
            self.summary,
            self.advantages,
            self.applications,
            self.ipc_codes,
            self.patent_numbers,
            self.owner.name,
            self.discipline.name if self.discipline else "",
        ]
        parts += [f.name for f in self.fields.all()]
        return "\n".join(p for p in parts if p)


def attachment_path(instance: AchievementAttachment, filename: str) -> str:
    return f"achievements/{instance.achievement_id}/{timezone.now():%Y%m%d%H%M%S}-{filename}"


class AchievementAttachment(ListingFile):
    """A file of an achievement: a public image, document or patent-certificate scan, or one gated by
    the NDA (the confidential part); served only through a permission check, never from MEDIA_URL."""

    achievement = models.ForeignKey(Achievement, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    visibility = models.CharField(
        _("who may open it"),
        max_length=10,
        choices=AttachmentVisibility.choices,
        default=AttachmentVisibility.NDA,
    )

    class Meta(ListingFile.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")


class AchievementVideo(ListingVideo):
    """A link to a video about the achievement on an allowed host; shown as a link, never embedded."""

    achievement = models.ForeignKey(Achievement, on_delete=models.CASCADE, related_name="videos")

    class Meta(ListingVideo.Meta):
        verbose_name = _("video link")
        verbose_name_plural = _("video links")


class NdaAcceptance(models.Model):
    """A user's acceptance of the platform's non-disclosure terms for one achievement."""

    achievement = models.ForeignKey(Achievement, on_delete=models.CASCADE, related_name="nda_acceptances")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="nda_acceptances"
    )
    accepted_at = models.DateTimeField(default=timezone.now)
    terms_version = models.CharField(max_length=20, default="2026-1")

    class Meta:
        verbose_name = _("NDA acceptance")
        verbose_name_plural = _("NDA acceptances")
        constraints = [models.UniqueConstraint(fields=["achievement", "user"], name="nda_once_per_user")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.achievement_id}"
