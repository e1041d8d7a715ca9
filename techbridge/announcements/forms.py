"""Forms of deal announcements: an objection, an operator's decision, a revocation, the consent to
announce a contract and the verification code."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import NOTE_MAX, REASON_MAX


class ObjectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What is wrong with this deal (ownership, price, procedure …), at least 10 characters."),
    )
    evidence = forms.FileField(
        label=_("Evidence (optional)"),
        required=False,
        help_text=_("A PDF, PNG or JPEG file of at most 10 MB. Only the platform sees it."),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("dismiss", pgettext_lazy("objection decision", "Dismiss")),
            ("uphold", pgettext_lazy("objection decision", "Uphold")),
        ],
        widget=forms.RadioSelect,
    )
    resolution = forms.CharField(
        label=_("Reason for the decision"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revoking"), max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class ConsentForm(forms.Form):
    consent = forms.BooleanField(required=False, widget=forms.HiddenInput)
    show_amount = forms.BooleanField(label=_("Also show the contract amount"), required=False)


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=_("The 20 letters and digits printed on the certificate; dashes and spaces do not matter."),
    )
