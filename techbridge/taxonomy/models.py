"""Shared vocabularies of the listings: the plan's industry fields, disciplines and deal modes.

They are rows, not code, so operators can adjust them and later rules (MIIT 2026) can be loaded.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IndustryField(models.Model):
    """A strategic industry field named in the action plan (集成电路, 生命健康 …)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=50, unique=True)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("industry field")
        verbose_name_plural = _("industry fields")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class Discipline(models.Model):
    """One of the 67 national disciplines (学科) under 13 categories (门类), as used by CSL."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    category = models.CharField(_("category"), max_length=20, db_index=True)

    class Meta:
        verbose_name = _("discipline")
        verbose_name_plural = _("disciplines")
        ordering = ["category", "name"]

    def __str__(self) -> str:
        return self.name


class DealMode(models.Model):
    """A way of transferring technology: assignment, licences, equity, development, service, consulting."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=50, unique=True)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("deal mode")
        verbose_name_plural = _("deal modes")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name
