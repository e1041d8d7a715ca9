"""The demand form of the portal: validates input, the services save it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techbridge.core.listing_views import ListingForm, WanYuanField, vocabulary_by_code
from techbridge.organizations.forms import ZoneChoiceField

from .models import Demand
from .services import EDITABLE_FIELDS


class DemandForm(ListingForm):
    """Create or edit a technology demand. A budget is a range in 万元 or 面议."""

    editable = EDITABLE_FIELDS
    m2m_fields = ("fields", "cooperation_modes")
    fieldsets = [
        (_("The problem"), ["title", "fields", "problem", "setting", "indicators", "keywords", "zone"]),
        (_("Terms"), ["cooperation_modes", "budget_negotiable", "budget_min", "budget_max", "deadline"]),
        (_("Contact"), ["contact_name", "contact_phone", "contact_email"]),
    ]

    budget_min = WanYuanField(label=_("Budget from (10k yuan)"), required=False)
    budget_max = WanYuanField(label=_("Budget to (10k yuan)"), required=False)

    class Meta:
        model = Demand
        fields = [
            "title",
            "fields",
            "problem",
            "setting",
            "indicators",
            "keywords",
            "zone",
            "cooperation_modes",
            "budget_negotiable",
            "budget_min",
            "budget_max",
            "deadline",
            "contact_name",
            "contact_phone",
            "contact_email",
        ]
        widgets = {
            "fields": forms.CheckboxSelectMultiple,
            "cooperation_modes": forms.CheckboxSelectMultiple,
            "problem": forms.Textarea(attrs={"rows": 5}),
            "setting": forms.Textarea(attrs={"rows": 3}),
            "indicators": forms.Textarea(attrs={"rows": 3}),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        field_classes = {"zone": ZoneChoiceField}
        help_texts = {
            "problem": _("What should be solved, and what has been tried already."),
            "indicators": _("Figures a solution must reach, e.g. 污泥产量降低30%以上."),
            "keywords": _("Separate keywords with commas."),
            "deadline": _("Leave empty for an open-ended demand. It expires after this day."),
            "zone": _("Leave empty to use your organisation's zone."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        vocabulary_by_code(self, "fields", "cooperation_modes")
        self.fields["title"].widget.attrs["placeholder"] = _("e.g. 污水处理厂污泥减量技术需求")
        self._stored_deadline = self.instance.deadline if self.instance.pk else None

    def clean_deadline(self) -> date | None:
        deadline = self.cleaned_data.get("deadline")
        # An unchanged past deadline may stay while other fields are edited; submitting asks for a new one.
        if deadline and deadline != self._stored_deadline and deadline < timezone.localdate():
            raise ValidationError(_("The deadline cannot be in the past."), code="past")
        return deadline
