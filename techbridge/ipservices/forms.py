"""Forms of ipservices: they bound and validate input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy as pgettext

from techbridge.core.pickers import PickerField

from .choices import AssistanceKind, AssistanceOutcome, LegalStatus, PatentKind, ProviderRole
from .models import (
    MAX_ABSTRACT,
    MAX_ADJUSTMENT_DAYS,
    MAX_CLAIMS,
    MAX_EMPLOYEES,
    MAX_PRODUCT_TEXT,
    Industry,
    Patent,
    ServiceProvider,
)

TEXTAREA = forms.Textarea(attrs={"rows": 4})


class RegisterFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    kind = forms.ChoiceField(
        label=_("Patent type"), choices=[("", _("All")), *PatentKind.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Legal status"), choices=[("", _("All")), *LegalStatus.choices], required=False
    )
    ipc = forms.CharField(label=_("IPC code starts with"), max_length=16, required=False)
    nanjing = forms.BooleanField(label=_("Nanjing applicants only"), required=False)

    def filter(self, qs: Any) -> Any:
        if not self.is_valid():
            return qs
        d = self.cleaned_data
        if d["q"]:
            from techbridge.lib.patents import normalise_patent_number

            number = normalise_patent_number(d["q"])
            qs = qs.filter(
                Q(title__icontains=d["q"])
                | Q(first_applicant__icontains=d["q"])
                | Q(application_number=number)
                | Q(publication_number=number)
                | Q(grant_number=number)
            )
        if d["kind"]:
            qs = qs.filter(kind=d["kind"])
        if d["status"]:
            qs = qs.filter(legal_status=d["status"])
        if d["ipc"]:
            qs = qs.filter(ipc_codes__icontains=d["ipc"].strip().upper())
        if d["nanjing"]:
            qs = qs.filter(city="南京")
        return qs


class PatentForm(forms.ModelForm):
    """Staff enter or correct a patent's bibliographic data."""

    class Meta:
        model = Patent
        fields = [
            "application_number",
            "publication_number",
            "grant_number",
            "title",
            "kind",
            "filing_date",
            "publication_date",
            "grant_date",
            "term_adjustment_days",
            "applicants",
            "applicant_type",
            "applicant_address",
            "inventors",
            "ipc_codes",
            "abstract",
            "claims",
            "agency",
        ]
        widgets = {
            "filing_date": forms.DateInput(attrs={"type": "date"}),
            "publication_date": forms.DateInput(attrs={"type": "date"}),
            "grant_date": forms.DateInput(attrs={"type": "date"}),
            "abstract": TEXTAREA,
            "claims": forms.Textarea(attrs={"rows": 6}),
            "applicants": forms.TextInput(),
            "inventors": forms.TextInput(),
        }

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["term_adjustment_days"].max_value = MAX_ADJUSTMENT_DAYS
        fields["abstract"].max_length = MAX_ABSTRACT
        fields["claims"].max_length = MAX_CLAIMS

    def _post_clean(self) -> None:  # the service validates the whole record (numbers are normalised there)
        pass


class LegalStatusForm(forms.Form):
    legal_status = forms.ChoiceField(label=_("Legal status"), choices=LegalStatus.choices)
    status_date = forms.DateField(
        label=_("Effective from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    text = forms.CharField(label=_("Legal status as recorded"), max_length=100, required=False)


class IndustryForm(forms.ModelForm):
    class Meta:
        model = Industry
        fields = ["name", "code", "description", "ipc_prefixes", "keywords", "is_base", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["code"].required = False
        self.fields["code"].help_text = _("Letters, digits and hyphens; made from the name when empty.")

    def _post_clean(self) -> None:
        pass


class ProductForm(forms.Form):
    name = forms.CharField(label=_("Product or technology"), max_length=100)
    description = forms.CharField(
        label=_("Description"),
        max_length=MAX_PRODUCT_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What it is, what it does and how it works, in your own words."),
    )
    keywords = forms.CharField(label=_("Keywords"), max_length=300, required=False)
    ipc_codes = forms.CharField(
        label=_("IPC codes of its field"),
        max_length=300,
        required=False,
        help_text=_(
            "Optional, e.g. H02J 3；H01M. Lapsed and expiring "
            "patents of these codes are listed as opportunities."
        ),
    )


def provider_choices(*, analysis: bool = False, assistance: bool = False) -> Any:
    qs = ServiceProvider.objects.filter(is_active=True).select_related("organization")
    if analysis:
        qs = qs.filter(offers_analysis=True)
    if assistance:
        qs = qs.filter(offers_assistance=True)
    return qs.order_by("-role", "organization__name")


def provider_field(kind: str, label: Any) -> PickerField:
    """Service providers grow with every registered agency: picked by typing, never a <select>."""
    return PickerField(
        kind,
        ServiceProvider.objects.none(),
        label=label,
        help_text=_("Type part of the provider's name, then pick it from the list."),
    )


class AlertDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=pgettext("alert", "Decision"),
        choices=[("irrelevant", _("Not relevant")), ("watch", _("Watch"))],
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class AnalysisAskForm(forms.Form):
    provider = provider_field("analysis-providers", _("Provider"))
    question = forms.CharField(
        label=_("What should be analysed"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        initial="",
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = provider_choices(analysis=True)  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Analysis"), max_length=10000, widget=forms.Textarea(attrs={"rows": 8}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class AssistanceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of matter"), choices=AssistanceKind.choices)
    title = forms.CharField(label=pgettext("assistance request", "Subject"), max_length=200)
    description = forms.CharField(
        label=_("What happened"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Confidential: seen by your organisation, the provider handling it and platform staff."),
    )
    patent_number = forms.CharField(label=_("Patent number"), max_length=20, required=False)
    counterparty = forms.CharField(label=_("Other party"), max_length=200, required=False)
    industry = forms.ModelChoiceField(label=_("Industry"), queryset=Industry.objects.none(), required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["industry"].queryset = Industry.objects.order_by("order", "name")  # type: ignore[attr-defined]


class SubmitForm(forms.Form):
    provider = provider_field("assistance-providers", _("Send to"))

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = provider_choices(assistance=True)  # type: ignore[attr-defined]


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=AssistanceOutcome.choices)
    note = forms.CharField(
        label=_("Outcome details"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Evidence file"))
    description = forms.CharField(label=_("What it shows"), max_length=300, required=False)


def organisation_by(value: str, *, kinds: Any = None) -> Any:
    """The approved organisation named (exactly) or identified by credit code in ``value``."""
    from techbridge.organizations.choices import OrgStatus
    from techbridge.organizations.models import Organization

    text = (value or "").strip()
    if not text:
        return None
    qs = Organization.objects.filter(status=OrgStatus.APPROVED).filter(
        Q(name=text) | Q(credit_code=text.upper())
    )
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return qs.order_by("pk").first()


class OrganisationField(forms.CharField):
    """An organisation typed by name or credit code (with search-as-you-type suggestions)."""

    def __init__(self, *args: Any, kinds: Any = None, **kwargs: Any):
        kwargs.setdefault("max_length", 200)
        super().__init__(*args, **kwargs)
        self.kinds = kinds

    def clean(self, value: Any) -> Any:
        text = super().clean(value)
        org = organisation_by(text, kinds=self.kinds)
        if org is None:
            raise forms.ValidationError(
                _("No approved organisation of this kind has this name or credit code.")
            )
        return org


class IndicatorsForm(forms.Form):
    organization = OrganisationField(label=_("Enterprise"))
    year = forms.IntegerField(label=_("Year"), min_value=1985, max_value=2100)
    employees = forms.IntegerField(label=_("Employees"), min_value=1, max_value=MAX_EMPLOYEES)
    rd_employees = forms.IntegerField(
        label=_("R&D staff"), min_value=0, max_value=MAX_EMPLOYEES, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any):
        from techbridge.organizations.choices import OrgKind

        super().__init__(*args, **kwargs)
        self.fields["organization"].kinds = [OrgKind.ENTERPRISE]  # type: ignore[attr-defined]
        self.fields["year"].initial = timezone.localdate().year - 1


class DesignationForm(forms.Form):
    organization = OrganisationField(label=_("Enterprise"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    industry = forms.ModelChoiceField(
        label=_("Industry base"), queryset=Industry.objects.none(), required=False
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        from techbridge.organizations.choices import OrgKind

        super().__init__(*args, **kwargs)
        self.fields["organization"].kinds = [OrgKind.ENTERPRISE]  # type: ignore[attr-defined]
        self.fields["industry"].queryset = Industry.objects.filter(is_base=True).order_by("order", "name")  # type: ignore[attr-defined]
        self.fields["year"].initial = timezone.localdate().year


class ProviderForm(forms.Form):
    organization = OrganisationField(label=_("Organisation"))
    role = forms.ChoiceField(label=_("Role"), choices=ProviderRole.choices)
    offers_analysis = forms.BooleanField(
        label=_("Takes patent analysis requests"), required=False, initial=True
    )
    offers_assistance = forms.BooleanField(label=_("Takes assistance requests"), required=False, initial=True)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    description = forms.CharField(label=_("Services offered"), max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        from techbridge.organizations.choices import OrgKind

        super().__init__(*args, **kwargs)
        self.fields["organization"].kinds = [OrgKind.SERVICE, OrgKind.GOVERNMENT, OrgKind.INSTITUTE]  # type: ignore[attr-defined]
