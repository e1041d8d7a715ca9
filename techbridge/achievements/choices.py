"""Choices of the achievements app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AchievementType(models.TextChoices):
    INVENTION_PATENT = "invention_patent", _("Invention patent")
    UTILITY_MODEL = "utility_model", _("Utility model")
    DESIGN = "design", _("Design patent")
    SOFTWARE = "software", _("Software copyright")
    IC_LAYOUT = "ic_layout", _("IC layout design")
    PLANT_VARIETY = "plant_variety", _("Plant variety")
    BIOMEDICINE = "biomedicine", _("New biomedicine variety")
    TECHNICAL_SECRET = "technical_secret", _("Technical secret")
    OTHER = "other", _("Other")


class LegalStatus(models.TextChoices):
    """The legal status of a patent or patent application (专利法 2020; CNIPA register terms).

    Blank means not a patent, or not yet stated. Registration of technology contracts reads it: a
    pending application is transferred as 专利申请权 (not 专利权), and a patent that lapsed, expired or
    was invalidated is in the public domain and cannot be transferred or licensed.
    """

    PENDING = "pending", _("Application pending (申请中)")
    GRANTED = "granted", _("Granted and in force (有效)")
    LAPSED = "lapsed", _("Lapsed: fees unpaid or surrendered (终止)")
    EXPIRED = "expired", _("Expired at the end of its term (届满)")
    INVALIDATED = "invalidated", _("Declared invalid (宣告无效)")


# Statuses in which the patent no longer protects anything: the technology is in the public domain.
PUBLIC_DOMAIN_STATUSES = frozenset({LegalStatus.LAPSED, LegalStatus.EXPIRED, LegalStatus.INVALIDATED})
PATENT_KINDS = frozenset(
    {AchievementType.INVENTION_PATENT, AchievementType.UTILITY_MODEL, AchievementType.DESIGN}
)


TRL_LABELS = {
    1: _("TRL 1 · basic principles observed"),
    2: _("TRL 2 · concept formulated"),
    3: _("TRL 3 · proof of concept"),
    4: _("TRL 4 · validated in the laboratory"),
    5: _("TRL 5 · validated in a relevant environment"),
    6: _("TRL 6 · prototype demonstrated in a relevant environment"),
    7: _("TRL 7 · prototype demonstrated in operation"),
    8: _("TRL 8 · system complete and qualified"),
    9: _("TRL 9 · proven in production"),
}
TRL_CHOICES = [(k, v) for k, v in TRL_LABELS.items()]

# How the summary of a title-only patent record begins (a bibliographic record with no abstract or
# claims, as the demo import writes it): such records follow described ones where listings are shown
# to a first-time visitor (the home page).
TITLE_ONLY_PREFIX = "专利著录记录："


class AttachmentVisibility(models.TextChoices):
    """Who opens a file of an achievement: everyone who sees it, or only after the NDA."""

    PUBLIC = "public", _("Public")
    NDA = "nda", _("After the NDA only")
