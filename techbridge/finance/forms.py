"""Forms of technology finance; the services validate again, so the API refuses the same things."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from techbridge.core.pickers import PickerMultipleField
from techbridge.ipservices.models import Patent
from techbridge.organizations.choices import District
from techbridge.taxonomy.models import IndustryField
from techbridge.valuation.models import Valuation

from .choices import PIPELINE_VERBS, Instrument, IntroStatus, Stage
from .models import MAX_AMOUNT, FinancingRequest, Fund, FundCall, Investor, Product
from .services import MAX_FIELDS

_at_most_fields = lazy(lambda: gettext("At most %(n)s.") % {"n": MAX_FIELDS}, str)


def _fields_field() -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        IndustryField.objects.order_by("order", "pk"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Industry fields"),
        # Lazy: the fields are built when the form class is defined, before any request's language.
        help_text=_at_most_fields(),
    )


def _amount(label: Any, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, max_digits=16, decimal_places=2, min_value=0, max_value=MAX_AMOUNT, required=required
    )


class InvestorForm(forms.ModelForm):
    fields_ = _fields_field()
    stages = forms.MultipleChoiceField(
        choices=Stage.choices, required=False, widget=forms.CheckboxSelectMultiple, label=_("Stages")
    )
    instruments = forms.MultipleChoiceField(
        choices=Instrument.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Instruments"),
    )
    districts = forms.MultipleChoiceField(
        choices=District.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Districts"),
        help_text=_("None chosen: the whole city."),
    )
    ticket_min = _amount(_("Smallest ticket (yuan)"))
    ticket_max = _amount(_("Largest ticket (yuan)"))

    class Meta:
        model = Investor
        fields = ["name", "kind", "summary", "stages", "instruments", "districts", "ticket_min", "ticket_max"]

    def clean_fields_(self) -> list[Any]:
        rows = list(self.cleaned_data["fields_"])
        if len(rows) > MAX_FIELDS:
            raise forms.ValidationError(_("Choose at most %(n)s industry fields.") % {"n": MAX_FIELDS})
        return rows

    def data_for_service(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in self.Meta.fields}


class ProductForm(forms.ModelForm):
    amount_min = _amount(_("Smallest amount (yuan)"))
    amount_max = _amount(_("Largest amount (yuan)"))

    class Meta:
        model = Product
        fields = ["name", "instrument", "summary", "amount_min", "amount_max", "term_months", "rate_note"]

    def data_for_service(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in self.Meta.fields}


class RequestForm(forms.ModelForm):
    fields_ = _fields_field()
    amount = _amount(_("Amount sought (yuan)"))
    valuation = _amount(_("Valuation or pledge offered (yuan)"), required=False)
    business_plan = forms.FileField(
        label=_("Business plan"),
        required=False,
        help_text=_("PDF, Word or PowerPoint, at most 20 MB; shown only to investors who accept the NDA."),
    )

    class Meta:
        model = FinancingRequest
        fields = [
            "title",
            "summary",
            "amount",
            "stage",
            "instrument",
            "district",
            "use_of_funds",
            "valuation",
            "valuation_report",
        ]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.db.models import Q

        org = getattr(user, "organization_id", None)
        field = self.fields["valuation_report"]
        field.queryset = (  # type: ignore[attr-defined]
            Valuation.objects.filter(Q(achievement__owner_id=org) | Q(request__requester_org_id=org))
            .select_related("achievement")
            .order_by("-issued_at")
            if org
            else Valuation.objects.none()
        )
        field.required = False
        if user is not None and getattr(user, "organization", None) is not None:
            self.fields["district"].initial = user.organization.district

    def clean_fields_(self) -> list[Any]:
        rows = list(self.cleaned_data["fields_"])
        if len(rows) > MAX_FIELDS:
            raise forms.ValidationError(_("Choose at most %(n)s industry fields.") % {"n": MAX_FIELDS})
        return rows

    def data_for_service(self) -> dict[str, Any]:
        keys = ["title", "summary", "amount", "stage", "instrument", "district", "use_of_funds", "valuation"]
        return {k: self.cleaned_data[k] for k in keys}


class AdvanceForm(forms.Form):
    to = forms.ChoiceField(choices=[(k, IntroStatus(k).label) for k in PIPELINE_VERBS], label=_("Next step"))
    amount = _amount(_("Amount (yuan)"), required=False)
    note = forms.CharField(
        max_length=500, required=False, label=_("Note"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=500, label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class LoanForm(forms.Form):
    """An IP-pledge loan application: the product, amount, term, use, the patents pledged."""

    product = forms.ModelChoiceField(Product.objects.none(), label=_("IP-pledge loan product"))
    amount = _amount(_("Amount applied for (yuan)"))
    term_months = forms.IntegerField(min_value=1, max_value=120, label=_("Term (months)"))
    purpose = forms.CharField(
        max_length=2000, label=_("Use of the loan"), widget=forms.Textarea(attrs={"rows": 3})
    )
    # A university holds thousands of patents: picked by typing, one per line, never a list of checkboxes.
    patents = PickerMultipleField(
        "patents",
        Patent.objects.none(),
        limit=50,
        label=_("Patents pledged"),
        help_text=_(
            "Your organisation's patents in the patent register; "
            "each is checked for legal status and term left."
        ),
    )
    valuation_report = forms.ModelChoiceField(
        Valuation.objects.none(), required=False, label=_("Valuation report")
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.db.models import Q

        from .loans import ip_loan_products, pledgeable_patents

        org = user.organization
        self.fields["product"].queryset = ip_loan_products()  # type: ignore[attr-defined]
        self.fields["patents"].queryset = pledgeable_patents(org)  # type: ignore[attr-defined]
        self.fields["valuation_report"].queryset = Valuation.objects.filter(  # type: ignore[attr-defined]
            Q(achievement__owner_id=org.pk) | Q(request__requester_org_id=org.pk)
        )


class DecideForm(forms.Form):
    approve = forms.TypedChoiceField(
        choices=[("1", _("Approve")), ("0", _("Refuse"))], coerce=lambda v: v == "1", label=_("Decision")
    )
    amount = _amount(_("Amount approved (yuan)"), required=False)
    note = forms.CharField(
        max_length=500, required=False, label=_("Note"), widget=forms.Textarea(attrs={"rows": 2})
    )


class PledgeForm(forms.Form):
    number = forms.CharField(max_length=50, label=_("Pledge registration number"))


class RepaymentForm(forms.Form):
    amount = _amount(_("Repayment (yuan)"))


class FundForm(forms.ModelForm):
    size = _amount(_("Fund size (yuan)"))
    fields_ = _fields_field()

    class Meta:
        model = Fund
        fields = ["name", "sponsor", "size", "rules"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from techbridge.organizations.choices import OrgStatus

        from .permissions import INVESTOR_ORG_KINDS

        # Sponsors are the few investors, transfer institutions and departments, not every organisation.
        self.fields["sponsor"].queryset = (  # type: ignore[attr-defined]
            self.fields["sponsor"].queryset.filter(kind__in=INVESTOR_ORG_KINDS, status=OrgStatus.APPROVED)  # type: ignore[attr-defined]
        )


class CallForm(forms.ModelForm):
    max_award = _amount(_("Largest award (yuan)"))

    class Meta:
        model = FundCall
        fields = ["fund", "title", "summary", "closes_on", "max_award", "panel_size"]
        widgets = {"closes_on": forms.DateInput(attrs={"type": "date"})}


class FundApplicationForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Project"))
    summary = forms.CharField(
        max_length=3000, label=_("Project summary"), widget=forms.Textarea(attrs={"rows": 4})
    )
    amount = _amount(_("Amount applied for (yuan)"))
    fields_ = _fields_field()


class ScoreForm(forms.Form):
    score = forms.IntegerField(min_value=0, max_value=100, label=_("Score (0–100)"))
    comment = forms.CharField(
        max_length=1000, required=False, label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2})
    )


class AwardForm(forms.Form):
    """Award or reject; an award lists its tranches one per line: ``milestone | amount``."""

    award = forms.TypedChoiceField(
        choices=[("1", _("Award")), ("0", _("Do not award"))], coerce=lambda v: v == "1", label=_("Decision")
    )
    amount = _amount(_("Award (yuan)"), required=False)
    tranches = forms.CharField(
        max_length=4000,
        required=False,
        label=_("Tranches"),
        help_text=_("One per line: milestone | amount in yuan."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    note = forms.CharField(
        max_length=500, required=False, label=_("Note"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def tranche_rows(self) -> list[tuple[str, str]]:
        rows = []
        for line in (self.cleaned_data.get("tranches") or "").splitlines():
            if line.strip():
                milestone, _sep, amount = line.rpartition("|")
                rows.append((milestone.strip(), amount.strip()))
        return rows


class DisburseForm(forms.Form):
    number = forms.IntegerField(min_value=1, max_value=10, label=_("Tranche"))
    evidence = forms.CharField(
        max_length=500, label=_("How the milestone was met"), widget=forms.Textarea(attrs={"rows": 2})
    )
