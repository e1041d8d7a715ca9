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
