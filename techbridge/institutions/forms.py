"""Forms of the institutions pages. Bounds come from the models; the services validate the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from techbridge.organizations.choices import District
from techbridge.organizations.models import Organization, Zone
from techbridge.taxonomy.models import IndustryField

from .choices import AllianceRole, CreditEventKind, DemonstrationLevel, ServiceKind, Severity
from .models import MAX_FIELDS, MAX_STAFF, SelfReport


class OrganizationPickField(forms.CharField):
    """An organisation named by its unified social credit code or exact name (search-as-you-type
    suggestions come from ``institutions:org_search``); never a ``<select>`` of every organisation."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update({"list": "org-suggestions", "autocomplete": "off", "data-org-picker": "1"})

    def clean(self, value: Any) -> Organization | None:  # type: ignore[override]
        name = super().clean(value)
        if not name:
            return None
        org = (
            Organization.objects.filter(credit_code=name.upper()).first()
            or Organization.objects.filter(name=name).order_by("pk").first()
        )
        if org is None:
            raise forms.ValidationError(_("No organisation on the platform has this name or credit code."))
        return org


class ProfileForm(forms.Form):
    summary = forms.CharField(
        label=_("Profile"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the institution does, for whom, and its notable results."),
    )
    services = forms.MultipleChoiceField(
        label=_("Services offered"), choices=ServiceKind.choices, widget=forms.CheckboxSelectMultiple
    )
    industry_fields = forms.ModelMultipleChoiceField(
        label=_("Industry fields"),
        queryset=IndustryField.objects.order_by("order"),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
    )
    staff_count = forms.IntegerField(label=_("Full-time staff"), min_value=0, max_value=MAX_STAFF)
    host = OrganizationPickField(
        label=_("Host university or company"),
        help_text=_(
            "Name or unified social credit code of the university or company the institution belongs to, "
            "if any."
        ),
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=50)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40)

    def clean_industry_fields(self) -> Any:
        chosen = self.cleaned_data["industry_fields"]
        if len(chosen) > MAX_FIELDS:
            raise forms.ValidationError(_("Choose at most %(n)s industry fields.") % {"n": MAX_FIELDS})
        return chosen

    def service_data(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "summary": d["summary"],
            "services": d["services"],
            "fields": list(d["industry_fields"]),
            "staff_count": d["staff_count"],
            "host": d["host"],
            "contact_name": d["contact_name"],
            "contact_phone": d["contact_phone"],
        }

    @classmethod
    def initial_of(cls, institution: Any) -> dict[str, Any]:
        return {
            "summary": institution.summary,
            "services": institution.service_codes,
            "industry_fields": list(institution.fields.all()),
            "staff_count": institution.staff_count,
            "host": institution.host.name if institution.host else "",
            "contact_name": institution.contact_name,
            "contact_phone": institution.contact_phone,
        }


class DirectoryForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    service = forms.ChoiceField(
        label=_("Service"), required=False, choices=[("", _("All services")), *ServiceKind.choices]
    )
    field = forms.ChoiceField(label=_("Industry field"), required=False)
    level = forms.ChoiceField(
        label=_("Demonstration level"), required=False, choices=[("", _("Any")), *DemonstrationLevel.choices]
    )
    district = forms.ChoiceField(
        label=_("District"), required=False, choices=[("", _("All districts")), *District.choices]
    )
    zone = forms.ChoiceField(label=_("Zone"), required=False)
    alliance = forms.BooleanField(label=_("Alliance members only"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", _("All fields"))] + [  # type: ignore[attr-defined]
            (f.code, f.name) for f in IndustryField.objects.order_by("order")
        ]
        self.fields["zone"].choices = [("", _("All zones"))] + [  # type: ignore[attr-defined]
            (z.code, z.name) for z in Zone.objects.order_by("order", "pk")
        ]

    def filters(self) -> dict[str, Any]:
        d = self.cleaned_data
        zone = Zone.objects.filter(code=d["zone"]).first() if d.get("zone") else None
        return {
            "q": d.get("q", "").strip(),
            "service": d.get("service", ""),
            "field": d.get("field", ""),
            "level": d.get("level", ""),
            "district": d.get("district", ""),
            "zone": zone,
            "alliance": bool(d.get("alliance")),
        }


class DesignationForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=DemonstrationLevel.choices)
    designated_on = forms.DateField(label=_("Designated on"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    certificate_number = forms.CharField(label=_("Certificate number"), max_length=60)
    issued_by = forms.CharField(label=_("Issued by"), max_length=100, help_text=_("e.g. 江苏省科学技术厅"))
    certificate = forms.FileField(label=_("Certificate scan"), required=False)


class SelfReportForm(forms.ModelForm):
    class Meta:
        model = SelfReport
        fields = [
            "full_time_staff",
            "staff_with_degree",
            "certified_managers",
            "service_revenue",
            "services_delivered",
            "clients_served",
            *SelfReport.GOVERNANCE_ITEMS,
            "summary",
        ]
        widgets = {"summary": forms.Textarea(attrs={"rows": 5})}

    evidence = forms.FileField(label=_("Supporting documents"), required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class RateForm(forms.Form):
    institution = forms.IntegerField(widget=forms.HiddenInput)
    score = forms.TypedChoiceField(
        label=_("Rating"),
        coerce=int,
        choices=[(i, f"{i} ★") for i in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=pgettext_lazy("rating", "Comment"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CreditEventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CreditEventKind.choices)
    severity = forms.ChoiceField(
        label=_("Severity"),
        choices=Severity.choices,
        help_text=_("A severe event blacklists the institution at once."),
    )
    occurred_on = forms.DateField(label=_("Occurred on"), widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(
        label=_("What happened"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    reference = forms.CharField(label=_("Case or contract reference"), max_length=100, required=False)
    evidence = forms.FileField(label=_("Evidence"), required=False)


class AppealForm(forms.Form):
    grounds = forms.CharField(label=_("Grounds"), max_length=3000, widget=forms.Textarea(attrs={"rows": 5}))
    evidence = forms.FileField(label=_("Evidence"), required=False)


class DecisionForm(forms.Form):
    decision = forms.CharField(
        label=_("Decision and reasons"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AllianceForm(forms.Form):
    alliance_role = forms.ChoiceField(label=_("Alliance role"), choices=AllianceRole.choices, required=False)
    alliance_joined_on = forms.DateField(
        label=_("Joined the alliance on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class WeightsForm(forms.Form):
    basics = forms.IntegerField(label=_("Basic conditions"), min_value=0, max_value=100)
    performance = forms.IntegerField(label=_("Service performance"), min_value=0, max_value=100)
    capability = forms.IntegerField(label=_("Service capability"), min_value=0, max_value=100)
    governance = forms.IntegerField(label=_("Governance"), min_value=0, max_value=100)
    credit = forms.IntegerField(label=_("Social credit"), min_value=0, max_value=100)
    note = forms.CharField(label=_("Why the change"), max_length=300, required=False)


class ComputeForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.IntegerField(label=_("Quarter"), min_value=1, max_value=4)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["quarter"].initial = (today.month - 1) // 3 + 1


class StandardForm(forms.Form):
    code = forms.CharField(label=_("Standard number"), max_length=40, help_text=_("e.g. T/NJTTA 001-2026"))
    title = forms.CharField(label=_("Title"), max_length=200)
    scope = forms.CharField(
        label=_("Scope"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    published_on = forms.DateField(label=_("Published on"), widget=forms.DateInput(attrs={"type": "date"}))
    body = forms.CharField(label=_("Text"), max_length=50_000, widget=forms.Textarea(attrs={"rows": 12}))
    change_note = forms.CharField(label=_("What changed"), max_length=300, required=False)
    document = forms.FileField(label=_("Document (PDF)"), required=False)
