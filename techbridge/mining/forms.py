"""Forms of classification corrections and achievement packages."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from techbridge.lib.numbers import digits
from techbridge.taxonomy.models import IndustryField

from . import packages
from .choices import PACKAGE_METHOD_LABELS, ClassificationTarget

_IDS_RE = re.compile(r"[\s,，;；]+")


class CorrectionForm(forms.Form):
    """A reviewer's label for one target (validated against the target's vocabulary by the service)."""

    target = forms.ChoiceField(label=_("Target"), choices=ClassificationTarget.choices)
    label = forms.CharField(label=_("Correct label"), max_length=100)


class PackageForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    field = forms.ModelChoiceField(
        label=_("Industry field"), queryset=IndustryField.objects.all(), required=False
    )
    key_terms = forms.CharField(
        label=_("Key terms"), required=False, max_length=300, help_text=_("Separated by commas or 、.")
    )

    def clean_key_terms(self) -> list[str]:
        raw = self.cleaned_data.get("key_terms") or ""
        return [t for t in re.split(r"[,，、;；]+", raw) if t.strip()]


class MembersForm(forms.Form):
    """Achievements to add to a package, by number (the number in the achievement's address)."""

    add = forms.CharField(
        label=_("Add achievements"), max_length=500, help_text=_("Achievement numbers, separated by commas.")
    )

    def clean_add(self) -> list[int]:
        parts = [p for p in _IDS_RE.split(self.cleaned_data["add"]) if p]
        if not parts or not all(digits(p) for p in parts):
            raise forms.ValidationError(_("Give achievement numbers, e.g. 12, 15."))
        return [int(p) for p in parts][:100]


class GenerateForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Method"),
        choices=[(m, PACKAGE_METHOD_LABELS[m]) for m in packages.METHODS],
        initial=packages.DEFAULT_METHOD,
    )
    k = forms.IntegerField(
        label=_("Number of groups"),
        required=False,
        min_value=1,
        max_value=2000,
        help_text=_("Empty: automatic."),
    )
    min_size = forms.IntegerField(
        label=_("Smallest package"), initial=packages.MIN_SIZE, min_value=2, max_value=50
    )
