"""Forms of deals: they validate input; services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from techbridge.contracts.choices import DURATION_LIMIT, INSTALMENTS_LIMIT, Exclusivity, PaymentTerms
from techbridge.core.pickers import PickerField
from techbridge.lib import limits
from techbridge.taxonomy.models import DealMode


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=limits.MESSAGE,
    )
    attachment = forms.FileField(label=_("Attachment"), required=False)


class OfferForm(forms.Form):
    deal_mode = forms.ModelChoiceField(
        label=_("Deal mode"), queryset=DealMode.objects.order_by("order"), to_field_name="code"
    )
    price = forms.DecimalField(label=_("Price (yuan)"), min_value=0, max_digits=16, decimal_places=2)
    payment_terms = forms.ChoiceField(label=_("Payment terms"), choices=PaymentTerms.choices)
    entry_fee = forms.DecimalField(
        label=_("Entry fee (yuan)"), min_value=0, max_digits=16, decimal_places=2, required=False
    )
    royalty_rate = forms.DecimalField(
        label=_("Royalty rate (%)"), min_value=0, max_value=100, decimal_places=3, required=False
    )
    instalments = forms.IntegerField(
        label=_("Number of instalments"), min_value=1, required=False, validators=[INSTALMENTS_LIMIT]
    )
    equity_share = forms.DecimalField(
        label=_("Equity share (%)"), min_value=0, max_value=100, decimal_places=3, required=False
    )
    duration_months = forms.IntegerField(
        label=_("Duration (months)"), min_value=1, required=False, validators=[DURATION_LIMIT]
    )
    territory = forms.CharField(label=_("Territory"), max_length=100, required=False)
    exclusivity = forms.ChoiceField(label=_("Exclusivity"), choices=Exclusivity.choices, required=False)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=limits.REASON
    )

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["deal_mode"] = data["deal_mode"].code
        return data


def broker_choices():
    """Technology managers: active members of approved service institutions."""
    from techbridge.accounts.models import User
    from techbridge.organizations.choices import OrgKind, OrgStatus

    return (
        User.objects.filter(
            is_active=True, organization__kind=OrgKind.SERVICE, organization__status=OrgStatus.APPROVED
        )
        .select_related("organization")
        .order_by("organization__name", "real_name", "username")
    )


class InviteBrokerForm(forms.Form):
    # Technology managers grow with every service institution: picked by typing, never a <select>.
    broker = PickerField(
        "brokers",
        broker_choices(),
        label=_("Technology manager"),
        help_text=_("Type part of the name or the institution, then pick from the list."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=limits.MESSAGE
    )
