"""Technology demands (技术需求): problems enterprises want solved."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techbridge.core.listing_files import ListingFile, ListingVideo
from techbridge.core.workflow import ReviewableListing
from techbridge.lib import limits
from techbridge.lib.numbers import validate_price


class Demand(ReviewableListing):
    """One enterprise's technology demand.

    A budget is a non-negative range in yuan (low ≤ high) or 面议; a demand whose deadline has passed
    expires on the next daily sweep.
    """

    OWNER_FIELD = "enterprise"

    enterprise = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="demands",
    )
    # Where the demand arises; the enterprise's zone unless the enterprise says otherwise.
    zone = models.ForeignKey(
        "organizations.Zone",
        verbose_name=_("zone"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="demands",
    )
    problem = models.TextField(_("problem to solve"), max_length=limits.DESCRIPTION)
    setting = models.TextField(_("application setting"), blank=True, max_length=limits.DESCRIPTION)
    indicators = models.TextField(_("wanted technical indicators"), blank=True, max_length=limits.DESCRIPTION)
    fields = models.ManyToManyField("taxonomy.IndustryField", verbose_name=_("industry fields"), blank=True)
    cooperation_modes = models.ManyToManyField(
        "taxonomy.DealMode", verbose_name=_("cooperation modes"), blank=True
    )
    budget_negotiable = models.BooleanField(_("budget negotiable (面议)"), default=True)
    budget_min = models.DecimalField(
        _("budget from (yuan)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[validate_price],
    )
    budget_max = models.DecimalField(
        _("budget to (yuan)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[validate_price],
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)

    class Meta:
        verbose_name = _("technology demand")
        verbose_name_plural = _("technology demands")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(budget_min__isnull=True) | models.Q(budget_min__gte=0))
                & (models.Q(budget_max__isnull=True) | models.Q(budget_max__gte=0)),
                name="demand_budget_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(budget_min__isnull=True)
                | models.Q(budget_max__isnull=True)
                | models.Q(budget_min__lte=models.F("budget_max")),
                name="demand_budget_range_ordered",
            ),
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=~models.Q(external_id=""),
                name="demand_unique_external_id",
            ),
        ]
        indexes = [models.Index(fields=["status", "-published_at"])]

    def clean(self) -> None:
        errors = {}
        for name in ("budget_min", "budget_max"):
            value = getattr(self, name)
            if value is not None and value < 0:
                errors[name] = _("A budget cannot be negative.")
        if self.budget_min is not None and self.budget_max is not None and self.budget_min > self.budget_max:
            errors["budget_max"] = _("The upper budget must not be below the lower one.")
        if not self.budget_negotiable and self.budget_min is None and self.budget_max is None:
            errors["budget_max"] = _("Give a budget range or mark the budget as negotiable (面议).")
        if errors:
            raise ValidationError(errors)

    def search_document(self) -> str:
        """The text that full-text search indexes (all of a demand is public once published)."""
        parts = [self.title, self.keywords, self.problem, self.setting, self.indicators, self.enterprise.name]
        parts += [f.name for f in self.fields.all()]
        return "\n".join(p for p in parts if p)


class AttachmentVisibility(models.TextChoices):
    """Who opens a file of a demand: everyone who sees it, or signed-in members of organisations."""

    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Signed-in organisation members only")


def attachment_path(instance: DemandAttachment, filename: str) -> str:
    return f"demands/{instance.demand_id}/{timezone.now():%Y%m%d%H%M%S}-{filename}"


class DemandAttachment(ListingFile):
    """A file of a demand (an image, a document, a patent-certificate scan), public or for signed-in
    members of organisations only; served only through a permission check, never from MEDIA_URL."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    visibility = models.CharField(
        _("who may open it"),
        max_length=10,
        choices=AttachmentVisibility.choices,
        default=AttachmentVisibility.PUBLIC,
    )

    class Meta(ListingFile.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")


class DemandVideo(ListingVideo):
    """A link to a video about the demand on an allowed host; shown as a link, never embedded."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="videos")

    class Meta(ListingVideo.Meta):
        verbose_name = _("video link")
        verbose_name_plural = _("video links")
