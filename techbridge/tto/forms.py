"""Forms of the workbench. Lists typed as lines (inventors, funding) so the page works without JavaScript;
the services validate everything again (the API shares them)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from techbridge.core.pickers import PickerMultipleField
from techbridge.talent.models import Expert

from .models import MAX_FUNDING, MAX_INVENTORS, Disclosure


def parse_inventors(text: str, institution_id: int) -> list[dict[str, Any]]:
    """``姓名, 份额[, 用户名]`` per line; a user name links the inventor's account (same institution)."""
    rows = []
    lines = [ln for ln in (text or "").splitlines() if ln.strip()]
    if len(lines) > MAX_INVENTORS:
        raise ValidationError(_("At most %(n)d inventors.") % {"n": MAX_INVENTORS})
    for line in lines:
        parts = [p.strip() for p in line.replace("，", ",").split(",")]
        if len(parts) < 2:
            raise ValidationError(_("Write each inventor as: name, share[, user name]."))
        user = None
        if len(parts) > 2 and parts[2]:
            user = (
                get_user_model()
                .objects.filter(username=parts[2][:150], organization_id=institution_id)
                .first()
            )
            if user is None:
                raise ValidationError(_("No user %(name)s in your institution.") % {"name": parts[2][:150]})
        rows.append({"name": parts[0], "share": parts[1], "user": user})
    return rows


def parse_funding(text: str) -> list[dict[str, str]]:
    lines = [ln for ln in (text or "").splitlines() if ln.strip()]
    if len(lines) > MAX_FUNDING:
        raise ValidationError(_("At most %(n)d funding sources.") % {"n": MAX_FUNDING})
    out = []
    for line in lines:
        parts = [p.strip() for p in line.replace("，", ",").split(",", 2)]
        out.append(
            {
                "funder": parts[0],
                "grant_number": parts[1] if len(parts) > 1 else "",
                "obligations": parts[2] if len(parts) > 2 else "",
            }
        )
    return out


class ExpertsForm(forms.Form):
    """The experts an office consulted, picked from the whole pool by typing (one per line)."""

    experts = PickerMultipleField(
        "experts",
        Expert.objects.filter(active=True).select_related("user"),
        required=False,
        limit=20,
        label=_("Experts consulted (from the expert pool)"),
        help_text=_("Type part of an expert's name, then pick from the list; one per line."),
    )


class DisclosureForm(forms.ModelForm):
    inventors_text = forms.CharField(
        label=_("Inventors"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
        help_text=_(
            "One per line: name, share in %, user name on the platform (optional). Shares sum to 100."
        ),
    )
    funding_text = forms.CharField(
        label=_("Funding sources"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=3000,
        required=False,
        help_text=_("One per line: funder, grant number, obligations."),
    )

    class Meta:
        model = Disclosure
        fields = ["title", "summary", "detail", "prior_disclosures", "commercial_notes"]
        widgets = {
            n: forms.Textarea(attrs={"rows": 4})
            for n in ("summary", "detail", "prior_disclosures", "commercial_notes")
        }

    def __init__(self, *args: Any, institution_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.institution_id = institution_id

    def clean_inventors_text(self) -> list[dict[str, Any]]:
        return parse_inventors(self.cleaned_data["inventors_text"], self.institution_id)

    def clean_funding_text(self) -> list[dict[str, str]]:
        return parse_funding(self.cleaned_data.get("funding_text", ""))


class ReportForm(forms.Form):
    spinoffs = forms.IntegerField(label=_("Spin-off companies"), min_value=0, max_value=10000)
    office_staff = forms.IntegerField(label=_("Office staff"), min_value=0, max_value=10000)
    narrative = forms.CharField(
        label=_("Narrative"), widget=forms.Textarea(attrs={"rows": 6}), max_length=5000, required=False
    )
