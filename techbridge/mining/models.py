"""Models of mining: achievement packages (科技成果包) and, later, import/dedup/classification records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import PackageStatus


class AchievementPackage(models.Model):
    """A thematic package of related achievements (科技成果包), promoted and traded as one lot.

    Packages are proposed automatically by clustering the achievements' embeddings (``is_automatic``)
    or assembled by staff; staff edit, publish and promote them. Auctions and deals may sell a
    published package as one lot.
    """

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
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

    class Meta:
        verbose_name = _("achievement package")
        verbose_name_plural = _("achievement packages")
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return self.title
