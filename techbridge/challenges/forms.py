"""Forms of challenges: the challenge editor, the application (揭榜), the expert panel, scores, the
outcome and milestone acceptance, and the public list's filter. Lists typed in a text box (indicators,
team, schedule) are turned into the structures the services check, so the page and the API refuse the
same things with the same message."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from techbridge.core.listing_views import WanYuanField
from techbridge.core.pickers import PickerMultipleField
from techbridge.organizations.choices import District
from techbridge.talent.models import Expert
from techbridge.talent.panels import MAX_PANEL
from techbridge.taxonomy.models import IndustryField

from .choices import PUBLIC_STATES, ChallengeStatus
from .models import (
    APPROACH_MAX,
    COMMENT_MAX,
    NOTE_MAX,
    REASON_MAX,
    SUMMARY_MAX,
    Challenge,
)

DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
LIST_TEXT_MAX = 5000


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _pairs(text: str, first: str, second: str) -> list[dict[str, str]]:
    out = []
    for line in _lines(text):
        parts = [p.strip() for p in line.replace("，", ",").split(",", 1)]
        out.append({first: parts[0], second: parts[1] if len(parts) > 1 else ""})
    return out


class ChallengeFilterForm(forms.Form):
    """The public list: words, industry field, district and state (open or what came of it)."""

    q = forms.CharField(
        label=_("Search"), required=False, max_length=100, widget=forms.TextInput(attrs={"type": "search"})
    )
    field = forms.ModelChoiceField(
        label=_("Industry field"),
        queryset=IndustryField.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("All fields"),
    )
    district = forms.ChoiceField(
        label=_("District"), choices=[("", _("All districts")), *District.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("status"),
        required=False,
        choices=[("", _("All")), *[(s.value, s.label) for s in ChallengeStatus if s in PUBLIC_STATES]],
    )

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class ChallengeForm(forms.ModelForm):
    indicators_text = forms.CharField(
        label=_("Goals and indicators"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=LIST_TEXT_MAX,
        help_text=_("One measurable indicator per line (at most 10), e.g. 检测精度 ≥ 99.5%."),
    )
    budget = WanYuanField(
        label=_("Budget or prize (万元)"), required=False, help_text=_("Leave empty if it is to be agreed.")
    )
    field = forms.ModelChoiceField(
        label=_("Industry field"), queryset=IndustryField.objects.all(), required=False
    )

    class Meta:
        model = Challenge
        fields = ["title", "problem", "budget", "deadline", "eligibility", "field", "district"]
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 8}),
            "eligibility": forms.Textarea(attrs={"rows": 3}),
            "deadline": DT,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["indicators_text"] = "\n".join(self.instance.indicators)

    def service_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["indicators"] = _lines(self.cleaned_data["indicators_text"])
        return data


class ApplicationForm(forms.Form):
    summary = forms.CharField(
        label=_("plan summary"), max_length=SUMMARY_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    approach = forms.CharField(
        label=_("technical approach"), max_length=APPROACH_MAX, widget=forms.Textarea(attrs={"rows": 8})
    )
    team_text = forms.CharField(
        label=_("Team members"),
        max_length=LIST_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line: name, role (at most 20), e.g. 李研究, 项目负责人."),
    )
    schedule_text = forms.CharField(
        label=_("Schedule"),
        max_length=LIST_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One step per line: what is delivered, due date (at most 12), e.g. 样机交付, 2027-06-30."
        ),
    )
    price = WanYuanField(label=_("Quoted price (万元)"))
    plan = forms.FileField(
        label=_("plan (PDF)"), required=False, help_text=_("Optional, a PDF of at most 10 MB.")
    )

    def service_data(self) -> dict[str, Any]:
        return {
            "summary": self.cleaned_data["summary"],
            "approach": self.cleaned_data["approach"],
            "team": _pairs(self.cleaned_data["team_text"], "name", "role"),
            "schedule": _pairs(self.cleaned_data["schedule_text"], "title", "due"),
            "price": self.cleaned_data["price"],
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("reason"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class PanelForm(forms.Form):
    experts = PickerMultipleField(
        "experts",
        Expert.objects.filter(active=True).select_related("user"),
        limit=MAX_PANEL,
        label=_("Experts of the panel (from the expert pool)"),
        help_text=_("Type part of an expert's name, then pick from the list; one per line."),
    )


class ScoreForm(forms.Form):
    comment = forms.CharField(
        label=_("comment"), required=False, max_length=COMMENT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, indicators: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i, text in enumerate(indicators):
            self.fields[f"s{i}"] = forms.IntegerField(label=text, min_value=0, max_value=100)
        self.order_fields([*(f"s{i}" for i in range(len(indicators))), "comment"])
        self.count = len(indicators)

    def values(self) -> list[int]:
        return [self.cleaned_data[f"s{i}"] for i in range(self.count)]


class AwardForm(forms.Form):
    application = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class MilestoneForm(forms.Form):
    accepted = forms.TypedChoiceField(
        label=_("decision"),
        coerce=lambda v: v == "1",
        choices=[("1", _("Accept the milestone")), ("0", _("Do not accept the milestone"))],
    )
    note = forms.CharField(label=_("acceptance note"), required=False, max_length=NOTE_MAX)
