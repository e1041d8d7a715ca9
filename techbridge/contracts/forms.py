"""Forms of contracts: they validate input; services decide."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from techbridge.achievements.choices import LegalStatus
from techbridge.organizations.models import Organization

from .choices import ContractType, SubType
from .models import Contract
from .parties import ID_NUMBER_MAX, IdType, PartyKind, id_number_ok


class ContractForm(forms.ModelForm):
    """A draft's terms (either party)."""

    class Meta:
        model = Contract
        fields = [
            "title",
            "contract_type",
            "sub_type",
            "subject_kind",
            "subject_legal_status",
            "field",
            "total_amount",
            "equipment_amount",
            "materials_amount",
            "other_non_tech_amount",
            "carrier_amount",
            "payment_terms",
            "royalty_rate",
            "duration_months",
            "territory",
            "exclusivity",
            "terms",
        ]
        widgets = {"terms": forms.Textarea(attrs={"rows": 8})}
        help_texts = {
            "sub_type": _(
                "Left empty when the rules cannot decide it (e.g. the patent's legal status is not "
                "stated); choose it before signing."
            ),
            "subject_legal_status": _(
                "A pending application is transferred as a patent application right; a patent that "
                "lapsed, expired or was declared invalid cannot be transferred or licensed."
            ),
            "carrier_amount": _(
                "The direct cost of a reasonable quantity of samples or prototypes that carry the "
                "technology, included in equipment and materials above; the registry counts it as "
                "technology (技术合同认定规则) once it accepts the quantity as reasonable."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carrier_amount"].required = False

    def clean_carrier_amount(self):
        return self.cleaned_data.get("carrier_amount") or Decimal("0")


class ExternalContractForm(ContractForm):
    """A contract made outside the platform, entered for registration. The buyer is a platform
    organisation (by credit code), a natural person (identity document) or an organisation abroad."""

    buyer_party_kind = forms.ChoiceField(
        label=_("The buyer is"),
        choices=PartyKind.choices,
        initial=PartyKind.ORGANIZATION,
        required=False,
        help_text=_("Left empty: an organisation registered in China."),
    )
    buyer_credit_code = forms.CharField(
        label=_("Buyer's unified social credit code"),
        max_length=18,
        required=False,
        help_text=_("For an organisation registered in China."),
    )
    buyer_name = forms.CharField(
        label=_("Buyer's name"),
        max_length=200,
        required=False,
        help_text=_("For a natural person or an organisation abroad."),
    )
    buyer_id_type = forms.ChoiceField(
        label=_("Identity document"), choices=[("", "—"), *IdType.choices], required=False
    )
    buyer_id_number = forms.CharField(
        label=_("Document number"),
        max_length=ID_NUMBER_MAX,
        required=False,
        help_text=_("Stored for the registry and shown masked on every page."),
    )
    buyer_country = forms.CharField(label=_("Country or region"), max_length=60, required=False)
    signed_on = forms.DateField(label=_("Signed on"), widget=forms.DateInput(attrs={"type": "date"}))

    class Meta(ContractForm.Meta):
        fields = [f for f in ContractForm.Meta.fields if f not in ("payment_terms", "royalty_rate")]

    buyer = None

    def _update_errors(self, errors):
        # The model names the buyer organisation; this form asks for its credit code.
        if hasattr(errors, "error_dict") and "buyer" in errors.error_dict:
            moved = errors.error_dict.pop("buyer")
            if not self.has_error("buyer_credit_code"):
                errors.error_dict.setdefault("buyer_credit_code", []).extend(moved)
        super()._update_errors(errors)

    def clean(self):
        data = super().clean() or {}
        kind = data.get("buyer_party_kind") or PartyKind.ORGANIZATION
        # The model's own checks of the parties run on the instance (ModelForm._post_clean).
        self.instance.buyer_party_kind = kind
        for name in ("buyer_name", "buyer_id_type", "buyer_id_number", "buyer_country"):
            setattr(self.instance, name, (data.get(name) or "").strip())
        if kind == PartyKind.ORGANIZATION:
            code = (data.get("buyer_credit_code") or "").strip().upper()
            org = Organization.objects.filter(credit_code=code).first() if code else None
            if org is None:
                self.add_error(
                    "buyer_credit_code",
                    _("No organisation with this credit code is registered on the platform."),
                )
            self.buyer = self.instance.buyer = org
            data["buyer_credit_code"] = code
            return data
        if not (data.get("buyer_name") or "").strip():
            self.add_error("buyer_name", _("Give the buyer's name."))
        if kind == PartyKind.PERSON:
            if not data.get("buyer_id_type"):
                self.add_error("buyer_id_type", _("Choose the buyer's identity document."))
            elif not id_number_ok(data["buyer_id_type"], data.get("buyer_id_number") or ""):
                self.add_error("buyer_id_number", _("This is not a valid number for that identity document."))
        if kind == PartyKind.FOREIGN and not (data.get("buyer_country") or "").strip():
            self.add_error("buyer_country", _("Give the buyer's country or region."))
        return data


class ScheduleForm(forms.Form):
    """The schedule as text: one line per payment or milestone, ``date | amount | description``."""

    lines = forms.CharField(
        label=_("Payment schedule and milestones"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("One per line: date | amount in yuan (blank for a milestone) | description"),
    )


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.DecimalField(label=_("Amount (yuan)"), min_value=0, max_digits=16, decimal_places=2)
    note = forms.CharField(
        label=_("Note"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. entry fee")}),
    )


class RegisterForm(forms.Form):
    contract_type = forms.ChoiceField(label=_("Contract type"), choices=ContractType.choices)
    sub_type = forms.ChoiceField(label=_("Sub-type"), choices=SubType.choices)
    subject_legal_status = forms.ChoiceField(
        label=_("Legal status of the subject (CNIPA register)"),
        choices=[("", _("Not a patent")), *LegalStatus.choices],
        required=False,
    )
    carrier_amount = forms.DecimalField(
        label=_("Accepted cost of items carrying the technology (yuan)"),
        min_value=0,
        max_digits=16,
        decimal_places=2,
        required=False,
        help_text=_("Counted as technology, not deducted: correct it if the quantity is not reasonable."),
    )
    technology_amount = forms.DecimalField(
        label=_("Certified technology transaction amount (yuan)"),
        min_value=0,
        max_digits=16,
        decimal_places=2,
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason registration is refused"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel or CSV file"))
