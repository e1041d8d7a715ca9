"""Models of mining: achievement packages (科技成果包) and, later, import/dedup/classification records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techbridge.core.workflow import StateMachineMixin
from techbridge.lib import limits

from .choices import (
    PACKAGE_METHOD_LABELS,
    PACKAGE_TRANSITIONS,
    ClassificationTarget,
    ListingKindChoice,
    PackageStatus,
)


class AchievementPackage(StateMachineMixin):
    """A thematic package of related achievements (科技成果包), promoted and traded as one lot.

    Packages are proposed automatically by clustering the achievements' embeddings (``is_automatic``)
    or assembled by staff; staff edit, publish and promote them. Auctions and deals may sell a
    published package as one lot.
    """

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True, max_length=limits.SUMMARY)
    key_terms = models.JSONField(_("key terms"), default=list, blank=True)
    achievements = models.ManyToManyField(
        "achievements.Achievement", verbose_name=_("achievements"), related_name="packages", blank=True
    )
    field = models.ForeignKey(
        "taxonomy.IndustryField",
        verbose_name=_("industry field"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    status = models.CharField(
        _("status"), max_length=16, choices=PackageStatus.choices, default=PackageStatus.DRAFT
    )
    is_automatic = models.BooleanField(_("proposed automatically"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    promoted_at = models.DateTimeField(_("last promoted at"), null=True, blank=True)
    # How the proposal was made (method, cluster size, cohesion), for the reviewer's judgement.
    proposal_info = models.JSONField(_("proposal details"), default=dict, blank=True)

    TRANSITIONS = PACKAGE_TRANSITIONS

    class Meta:
        verbose_name = _("achievement package")
        verbose_name_plural = _("achievement packages")
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def method_label(self) -> str:
        """How an automatic proposal was grouped, in words."""
        method = str((self.proposal_info or {}).get("method", ""))
        return str(PACKAGE_METHOD_LABELS.get(method, method))


class PackagePromotion(models.Model):
    """One enterprise told about one package (推介): at most once per package and enterprise."""

    package = models.ForeignKey(
        AchievementPackage, verbose_name=_("package"), on_delete=models.CASCADE, related_name="promotions"
    )
    enterprise = models.ForeignKey(
        "organizations.Organization", verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="+"
    )
    score = models.FloatField(_("match score"), default=0.0)
    recipients = models.PositiveSmallIntegerField(_("people notified"), default=0)
    promoted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("promoted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("package promotion")
        verbose_name_plural = _("package promotions")
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["package", "enterprise"], name="package_promotion_once_per_enterprise"
            )
        ]

    def __str__(self) -> str:
        return f"{self.package_id} → {self.enterprise_id}"


class ListingClassification(models.Model):
    """What the classifiers say about one listing for one target (discipline, category, industry
    field, IPC section or class), and the reviewer's correction if any.

    A correction is shown instead of the prediction and is never overwritten by re-classification:
    ``classify_listing`` only rewrites the predicted columns.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=ListingKindChoice.choices)
    object_id = models.BigIntegerField(_("listing id"))
    target = models.CharField(_("target"), max_length=16, choices=ClassificationTarget.choices)
    label = models.CharField(_("predicted label"), max_length=100, blank=True)
    confidence = models.FloatField(_("confidence"), default=0.0)
    alternatives = models.JSONField(_("runners-up"), default=list, blank=True)
    model_version = models.CharField(_("model version"), max_length=40, blank=True)
    # A hash of the text that was classified: unchanged text is not classified again.
    text_hash = models.CharField(_("text hash"), max_length=64, blank=True)
    classified_at = models.DateTimeField(_("classified at"), null=True, blank=True)
    corrected_label = models.CharField(_("corrected label"), max_length=100, blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("corrected by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    corrected_at = models.DateTimeField(_("corrected at"), null=True, blank=True)

    class Meta:
        verbose_name = _("listing classification")
        verbose_name_plural = _("listing classifications")
        ordering = ["kind", "object_id", "target"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "target"], name="classification_once_per_listing_target"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {self.target}={self.effective_label}"

    @property
    def effective_label(self) -> str:
        """The reviewer's label when there is one, else the prediction."""
        return self.corrected_label or self.label

    @property
    def is_corrected(self) -> bool:
        return bool(self.corrected_label)


class ClassificationCorrection(models.Model):
    """The history of reviewers' corrections: who changed which label, when, from what to what."""

    classification = models.ForeignKey(
        ListingClassification,
        verbose_name=_("classification"),
        on_delete=models.CASCADE,
        related_name="corrections",
    )
    old_label = models.CharField(_("old label"), max_length=100, blank=True)
    new_label = models.CharField(_("new label"), max_length=100)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("classification correction")
        verbose_name_plural = _("classification corrections")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.old_label} → {self.new_label}"


# ---- catalogues (成果目录) and supply–demand analysis snapshots (mining-pipeline) ----------------


class Catalogue(StateMachineMixin):
    """A staff-curated catalogue of achievements (科技成果目录), published as a page, PDF and Excel.

    Entries keep the order staff gave them and an optional note. The public page and exports show
    only entries whose achievement is published at the time they are viewed.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    TRANSITIONS = {Status.DRAFT: {Status.PUBLISHED}, Status.PUBLISHED: {Status.DRAFT}}

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=limits.DESCRIPTION)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("achievement catalogue")
        verbose_name_plural = _("achievement catalogues")
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return self.title


class CatalogueEntry(models.Model):
    """One achievement in a catalogue, at a position, with an optional note from the editors."""

    catalogue = models.ForeignKey(Catalogue, on_delete=models.CASCADE, related_name="entries")
    achievement = models.ForeignKey(
        "achievements.Achievement",
        verbose_name=_("achievement"),
        on_delete=models.CASCADE,
        related_name="catalogue_entries",
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("catalogue entry")
        verbose_name_plural = _("catalogue entries")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "achievement"], name="catalogue_entry_once"),
        ]

    def __str__(self) -> str:
        return f"{self.catalogue_id}#{self.position}: {self.achievement_id}"


class AnalysisSnapshot(models.Model):
    """One computation of the supply–demand analysis that is too slow for a page view.

    ``data`` holds the demands without a good match (id, title, field codes, district, best score and
    the best achievement) and the parameters used; the page shows it with ``computed_at``.
    """

    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)
    threshold = models.FloatField(_("threshold"))
    demands_checked = models.PositiveIntegerField(_("demands checked"), default=0)
    seconds = models.FloatField(_("seconds"), default=0.0)
    data = models.JSONField(_("result"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("computed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("supply–demand analysis snapshot")
        verbose_name_plural = _("supply–demand analysis snapshots")
        ordering = ["-computed_at", "-id"]
        get_latest_by = "computed_at"

    def __str__(self) -> str:
        return f"{self.computed_at:%Y-%m-%d %H:%M}"
