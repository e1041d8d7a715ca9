"""Choices of the mining app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PackageStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


PACKAGE_TRANSITIONS: dict[str, set[str]] = {
    PackageStatus.DRAFT: {PackageStatus.PUBLISHED, PackageStatus.ARCHIVED},
    PackageStatus.PUBLISHED: {PackageStatus.ARCHIVED},
    PackageStatus.ARCHIVED: {PackageStatus.DRAFT},
}


class ListingKindChoice(models.TextChoices):
    """The two kinds of listing, named as the full-text index and matching name them."""

    ACHIEVEMENT = "achievement", _("Achievement")
    DEMAND = "demand", _("Demand")


class ClassificationTarget(models.TextChoices):
    """What a listing is classified into."""

    FIELD = "field", _("Industry field")
    CATEGORY = "category", _("Discipline category")
    DISCIPLINE = "discipline", _("Discipline")
    IPC_SECTION = "ipc_section", _("IPC section")
    IPC_CLASS = "ipc_class", _("IPC class")


# The grouping methods of ``mining.packages.METHODS`` in words (forms, the package page, the API's docs).
PACKAGE_METHOD_LABELS = {
    "spectral": _("Spectral clustering of the semantic graph (recommended)"),
    "ward-hybrid": _("Ward hierarchical clustering of meaning and words"),
    "kmeans-hybrid": _("K-means clustering of meaning and words"),
    "kmeans": _("K-means clustering of meaning only (reference)"),
}
