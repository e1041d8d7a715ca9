"""Forms of contracts: they validate input; services decide."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from techbridge.achievements.choices import LegalStatus
from techbridge.organizations.choices import District
from techbridge.organizations.models import Organization

from .choices import ContractType, DisputeMethodChoices, Origin, SubType
from .clauses import CLAUSE_TEXT_MAX, VENUE_MAX
from .models import PARTY_MESSAGES, Contract
from .parties import ID_NUMBER_MAX, IdType, PartyKind, id_number_ok, party_fields


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


SIDE_WORDS = {
    "seller": {
        "is": _("The seller is"),
        "code": _("Seller's unified social credit code"),
        "name": _("Seller's name"),
    },
    "buyer": {
        "is": _("The buyer is"),
        "code": _("Buyer's unified social credit code"),
        "name": _("Buyer's name"),
    },
}


def party_form_fields(side: str, *, with_code: bool) -> dict[str, forms.Field]:
    """The form fields declaring one side's party (认定规则 art. 4)."""
    words = SIDE_WORDS[side]
    fields: dict[str, forms.Field] = {
        f"{side}_party_kind": forms.ChoiceField(
            label=words["is"],
            choices=PartyKind.choices,
            initial=PartyKind.ORGANIZATION,
            required=False,
            help_text=_("Left empty: an organisation registered in China."),
        )
    }
    if with_code:
        fields[f"{side}_credit_code"] = forms.CharField(
            label=words["code"],
            max_length=18,
            required=False,
            help_text=_("For an organisation registered in China."),
        )
    fields[f"{side}_name"] = forms.CharField(
        label=words["name"],
        max_length=200,
        required=False,
        help_text=_("For a natural person or an organisation abroad."),
    )
    fields[f"{side}_id_type"] = forms.ChoiceField(
        label=_("Identity document"), choices=[("", "—"), *IdType.choices], required=False
    )
    fields[f"{side}_id_number"] = forms.CharField(
        label=_("Document number"),
        max_length=ID_NUMBER_MAX,
        required=False,
        help_text=_("Stored for the registry and shown masked on every page."),
    )
    fields[f"{side}_country"] = forms.CharField(label=_("Country or region"), max_length=60, required=False)
    if side == "seller":
        fields["seller_district"] = forms.ChoiceField(
            label=_("District where the seller lives or works"),
            choices=[("", "—"), *District.choices],
            required=False,
            help_text=_("For a natural person: the statistics count sellers located in Nanjing."),
        )
    return fields


def clean_party(form: forms.Form, side: str, data: dict) -> str:
    """Check one side's declaration on the form (the model checks the same on save); returns its kind."""
    kind = data.get(f"{side}_party_kind") or PartyKind.ORGANIZATION
    data[f"{side}_party_kind"] = kind
    for name in ("name", "id_type", "id_number", "country"):
        data[f"{side}_{name}"] = (data.get(f"{side}_{name}") or "").strip()
    if kind == PartyKind.ORGANIZATION:
        return kind
    words = PARTY_MESSAGES[side]
    if not data[f"{side}_name"]:
        form.add_error(f"{side}_name", words["name"])
    if kind == PartyKind.PERSON:
        if not data[f"{side}_id_type"]:
            form.add_error(f"{side}_id_type", words["document"])
        elif not id_number_ok(data[f"{side}_id_type"], data[f"{side}_id_number"]):
            form.add_error(f"{side}_id_number", _("This is not a valid number for that identity document."))
        if side == "seller" and not data.get("seller_district"):
            form.add_error(
                "seller_district",
                _("Give the district where the seller lives or works (“Outside Nanjing” if elsewhere)."),
            )
    if kind == PartyKind.FOREIGN and not data[f"{side}_country"]:
        form.add_error(f"{side}_country", words["country"])
    return kind


class PartyForm(forms.Form):
    """A draft's party on the user's own side: the organisation itself, or a natural person or an
    organisation abroad it acts for (an inventor whose transfer office negotiates, a parent company
    abroad). The other side declares its own."""

    prefix = "party"

    def __init__(self, *args, side: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.side = side
        self.fields.update(party_form_fields(side, with_code=False))

    def clean(self):
        data = super().clean() or {}
        clean_party(self, self.side, data)
        return data


class ExternalContractForm(ContractForm):
    """A contract made outside the platform, entered for registration. Each party is a platform
    organisation (by credit code; the seller is the user's own organisation unless a registry officer
    enters it), a natural person (identity document) or an organisation abroad."""

    signed_on = forms.DateField(label=_("Signed on"), widget=forms.DateInput(attrs={"type": "date"}))

    class Meta(ContractForm.Meta):
        fields = [f for f in ContractForm.Meta.fields if f not in ("payment_terms", "royalty_rate")]

    seller = None
    buyer = None

    def __init__(self, *args, officer: bool = False, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.officer, self.organization = officer, organization
        self.instance.origin = Origin.EXTERNAL
        if officer:
            # A registry officer transcribes a paper application: the seller may be anyone.
            self.fields.update(party_form_fields("seller", with_code=True))
        self.fields.update(party_form_fields("buyer", with_code=True))

    def _update_errors(self, errors):
        # The model names the organisations; this form asks for their credit codes.
        if hasattr(errors, "error_dict"):
            for side in ("seller", "buyer"):
                if side in errors.error_dict:
                    moved = errors.error_dict.pop(side)
                    target = f"{side}_credit_code" if f"{side}_credit_code" in self.fields else None
                    if target and not self.has_error(target):
                        errors.error_dict.setdefault(target, []).extend(moved)
                    elif not target:
                        errors.error_dict.setdefault("__all__", []).extend(moved)
        super()._update_errors(errors)

    def clean(self):
        data = super().clean() or {}
        for side in ("seller", "buyer"):
            if side == "seller" and not self.officer:
                self.seller = self.instance.seller = self.organization
                continue
            kind = clean_party(self, side, data)
            # The model's own checks of the parties run on the instance (ModelForm._post_clean).
            for name in party_fields(side):
                setattr(self.instance, name, data.get(name) or "")
            if kind == PartyKind.ORGANIZATION:
                code = (data.get(f"{side}_credit_code") or "").strip().upper()
                org = Organization.objects.filter(credit_code=code).first() if code else None
                if org is None:
                    self.add_error(
                        f"{side}_credit_code",
                        _("No organisation with this credit code is registered on the platform."),
                    )
                setattr(self, side, org)
                setattr(self.instance, side, org)
                data[f"{side}_credit_code"] = code
        return data


class ScheduleForm(forms.Form):
    """The schedule as text: one line per payment or milestone, ``date | amount | description``."""

    lines = forms.CharField(
        label=_("Payment schedule and milestones"),
        max_length=40_000,
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


class ClauseForm(forms.Form):
    """One clause's text; for the dispute clause also the forum the parties choose."""

    text = forms.CharField(
        label=_("Text of the clause"),
        max_length=CLAUSE_TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    dispute_method = forms.ChoiceField(
        label=_("If negotiation fails"), choices=DisputeMethodChoices.choices, required=False
    )
    dispute_venue = forms.CharField(
        label=_("Arbitration commission or court"),
        max_length=VENUE_MAX,
        required=False,
        help_text=_("e.g. 南京仲裁委员会; blank: the usual one for the choice"),
    )


class SignForm(forms.Form):
    """Signing asks the signer to confirm and to enter the sign-in password again."""

    confirm = forms.BooleanField(
        label=_("I have read the whole text of this contract and sign it for my organisation."),
        error_messages={"required": _("Confirm that you have read the contract and sign it.")},
    )
    password = forms.CharField(
        label=_("Your sign-in password"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your sign-in password to sign.")},
    )
