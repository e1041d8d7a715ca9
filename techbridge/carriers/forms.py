"""Forms of carriers and enterprise records. They check types and bounds; the services decide the rest.

Organisations, achievements and contracts are named in text (one per line, a name or a credit code; ids
or contract numbers, or ``#12 …`` as the shared picker fills it), helped by the search-as-you-type list
of ``core.pickers``, so no form renders a ``<select>`` of every organisation on the platform.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techbridge.core.pickers import PickerTextarea, PickerWidget, number_of
from techbridge.lib import credit_code as cc
from techbridge.lib.numbers import digits
from techbridge.organizations.choices import District, OrgStatus
from techbridge.organizations.forms import ZoneChoiceField
from techbridge.organizations.models import Organization
from techbridge.taxonomy.models import IndustryField

from . import indicators
from .choices import (
    CarrierKind,
    CaseCategory,
    DesignationKind,
    Family,
    Level,
    MemberRole,
    ProjectKind,
)
from .models import (
    Alliance,
    AnnualReport,
    Carrier,
    Designation,
    EvaluationFormula,
    Project,
    RdInput,
    TypicalCase,
)
from .services.carriers import CARRIER_FIELDS, MAX_HOSTS

ANY = [("", _("Any"))]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SPLIT = re.compile(r"[\n\r,，、;；]+")
MAX_NAMES = 20


class Grouped:
    """Fields shown in titled groups (``fieldsets``)."""

    fieldsets: list[tuple[Any, list[str]]] = []

    def grouped_fields(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [
            (legend, [self[name] for name in names if name in self.fields])  # type: ignore[index,attr-defined]
            for legend, names in self.fieldsets
        ]


def _fields_by_code(field: forms.ModelMultipleChoiceField) -> None:
    field.to_field_name = "code"


def industry_fields_field(**kwargs: Any) -> forms.ModelMultipleChoiceField:
    field = forms.ModelMultipleChoiceField(
        queryset=IndustryField.objects.order_by("order", "id"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=kwargs.pop("label", _("Industry fields")),
        **kwargs,
    )
    _fields_by_code(field)
    return field


# ---- naming organisations, achievements, contracts -------------------------------------------------


def resolve_organization(text: str, *, approved_only: bool = True) -> Organization:
    """The organisation named by ``text`` (``#12 …`` as picked, its exact name or its credit code), or a
    form error."""
    text = (text or "").strip()
    code = cc.normalise(text)
    qs = Organization.objects.all()
    if approved_only:
        qs = qs.filter(status=OrgStatus.APPROVED)
    pk = number_of(text) if text.startswith("#") else None
    if pk is not None:
        picked = qs.filter(pk=pk).first()
        if picked is not None:
            return picked
    found = list(qs.filter(Q(name=text) | Q(credit_code=code))[:2]) if text else []
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise ValidationError(
            _("Several organisations are called “%(name)s”; give the credit code instead.") % {"name": text}
        )
    raise ValidationError(
        _("No approved organisation is called “%(name)s” on the platform.") % {"name": text}
    )


class OrganizationField(forms.CharField):
    """One organisation, by exact name or credit code."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("help_text", _("The exact name as registered on the platform, or the credit code."))
        kwargs.setdefault("widget", PickerWidget("organizations", attrs={"maxlength": "200"}))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        return f"#{value.pk} {value.name}" if isinstance(value, Organization) else value

    def clean(self, value: Any) -> Organization | None:  # type: ignore[override]
        text = super().clean(value)
        if not text:
            return None
        return resolve_organization(text)


class OrganizationsField(forms.CharField):
    """Several organisations, one per line (names or credit codes)."""

    def __init__(self, *, limit: int = MAX_NAMES, **kwargs: Any) -> None:
        self.limit = limit
        kwargs.setdefault("max_length", 4000)
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", PickerTextarea("organizations"))
        kwargs.setdefault(
            "help_text", _("One per line: the exact name as registered on the platform, or the credit code.")
        )
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "\n".join(f"#{o.pk} {o.name}" if isinstance(o, Organization) else str(o) for o in value)
        return value

    def clean(self, value: Any) -> list[Organization]:  # type: ignore[override]
        text = super().clean(value) or ""
        # A picked line (``#12 名称（代码）``) is one organisation; other lines may list several names.
        names = []
        for line in text.splitlines():
            line = line.strip()
            if line.startswith("#") and number_of(line) is not None:
                names.append(line)
            else:
                names.extend(n.strip() for n in SPLIT.split(line) if n.strip())
        if len(names) > self.limit:
            raise ValidationError(_("At most %(n)s organisations.") % {"n": self.limit})
        found, errors = [], []
        for name in dict.fromkeys(names):
            try:
                found.append(resolve_organization(name))
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return found


class IdsField(forms.CharField):
    """Record numbers separated by commas or spaces (``12, 15``); ``model`` rows visible to ``queryset``."""

    def __init__(
        self, *, queryset: Any = None, lookup: str = "pk", picker: str = "", limit: int = 50, **kwargs: Any
    ):
        self.queryset, self.lookup, self.limit = queryset, lookup, limit
        kwargs.setdefault("max_length", 2000)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        if picker:
            self.widget = PickerTextarea(picker, attrs={"rows": "3", "maxlength": str(self.max_length)})
            self.widget.is_required = self.required

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(str(getattr(v, self.lookup, v)) for v in value)
        return value

    def clean(self, value: Any) -> list[Any]:  # type: ignore[override]
        text = super().clean(value) or ""
        # A line the picker filled (``#12 标题``) names one record by its id; other text lists keys.
        picked: list[int] = []
        rest: list[str] = []
        for line in text.splitlines():
            line = line.strip()
            if re.match(r"^#\d{1,12}\s", line):
                picked.append(int(line[1:].split()[0]))
            else:
                rest.append(line)
        if picked:
            found = self.queryset.in_bulk(picked)
            missing_ids = [f"#{pk}" for pk in dict.fromkeys(picked) if pk not in found]
            text = "\n".join(rest)
        keys = [k.strip().lstrip("#") for k in re.split(r"[\s,，、;；]+", text) if k.strip()]
        if picked:
            if missing_ids:
                raise ValidationError(
                    _("Not found or not available to you: %(keys)s") % {"keys": "、".join(missing_ids)}
                )
            keys = [str(getattr(found[pk], self.lookup)) for pk in dict.fromkeys(picked)] + keys
        if len(keys) > self.limit:
            raise ValidationError(_("At most %(n)s records.") % {"n": self.limit})
        if self.lookup == "pk":
            bad = [k for k in keys if not digits(k)]
            if bad:
                raise ValidationError(_("Not a record number: %(keys)s") % {"keys": "、".join(bad)})
        rows = {str(getattr(r, self.lookup)): r for r in self.queryset.filter(**{f"{self.lookup}__in": keys})}
        missing = [k for k in dict.fromkeys(keys) if k not in rows]
        if missing:
            raise ValidationError(
                _("Not found or not available to you: %(keys)s") % {"keys": "、".join(missing)}
            )
        return [rows[k] for k in dict.fromkeys(keys)]


# ---- carriers -----------------------------------------------------------------------------------------


class CarrierFilterForm(forms.Form):
    """The directory's filters; a bad value is reported and ignored on pages, refused by the API."""

    q = forms.CharField(
        label=_("Search"), required=False, max_length=100, widget=forms.TextInput(attrs={"type": "search"})
    )
    kind = forms.ChoiceField(
        label=_("Kind of carrier"), required=False, choices=ANY + list(CarrierKind.choices)
    )
    level = forms.ChoiceField(label=_("Recognition level"), required=False, choices=ANY + list(Level.choices))
    district = forms.ChoiceField(label=_("District"), required=False, choices=ANY + list(District.choices))
    zone = ZoneChoiceField(empty_label=_("Any"), help_text="")
    field = forms.ModelChoiceField(
        label=_("Industry field"),
        required=False,
        queryset=IndustryField.objects.order_by("order", "id"),
        to_field_name="code",
        empty_label=_("Any"),
    )

    def filters(self) -> dict[str, Any]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {k: v for k, v in data.items() if v not in (None, "") and k not in self.errors}


class CarrierForm(Grouped, forms.ModelForm):
    fieldsets = [
        (_("The carrier"), ["name", "kind", "fields", "services", "description", "space_m2"]),
        (_("Recognition"), ["level", "recognised_on", "recognised_by", "certificate_no"]),
        (
            _("Where and who"),
            ["hosts", "district", "zone", "address", "website", "contact_name", "contact_phone"],
        ),
    ]

    hosts = OrganizationsField(label=_("Host organisations"), limit=MAX_HOSTS)
    website = forms.URLField(label=_("Website"), max_length=200, required=False, assume_scheme="https")
    fields: Any = industry_fields_field()
    zone = ZoneChoiceField()

    class Meta:
        model = Carrier
        fields = list(CARRIER_FIELDS)
        widgets = {
            "recognised_on": DATE,
            "services": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "recognised_by": _("e.g. 江苏省科学技术厅"),
            "certificate_no": _("The number of the recognition document or certificate."),
        }

    def __init__(self, *args: Any, on_behalf: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if on_behalf and not self.instance.pk:
            # Platform operators register a carrier for the organisation that runs it.
            self.fields["operator"] = OrganizationField(label=_("Operating organisation"))
            self.fieldsets = [(_("Operating organisation"), ["operator"]), *self.fieldsets]
        if self.instance.pk:
            self.initial.setdefault("hosts", list(self.instance.hosts.all()))
            self.initial.setdefault("fields", list(self.instance.fields.values_list("code", flat=True)))
            if self.instance.zone_id:
                self.initial["zone"] = self.instance.zone.code

    def service_kwargs(self) -> dict[str, Any]:
        cd = self.cleaned_data
        data = {name: cd[name] for name in CARRIER_FIELDS if name in cd}
        kwargs = {"data": data, "hosts": cd.get("hosts") or [], "fields": list(cd.get("fields") or [])}
        if cd.get("operator") is not None:
            kwargs["operator"] = cd["operator"]
        return kwargs


class FirmForm(forms.Form):
    name = forms.CharField(label=_("Firm name"), max_length=200)
    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=30, required=False)
    field = forms.ModelChoiceField(
        label=_("Industry field"),
        queryset=IndustryField.objects.order_by("order", "id"),
        required=False,
        to_field_name="code",
    )
    entered_on = forms.DateField(label=_("Admitted on"), widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def clean_credit_code(self) -> str:
        code = cc.normalise(self.cleaned_data.get("credit_code") or "")
        if code:
            problem = cc.problem(code)
            if problem:
                raise ValidationError(problem)
        return code

    def service_data(self) -> dict[str, Any]:
        cd = self.cleaned_data
        org = None
        if cd["credit_code"]:
            org = Organization.objects.filter(credit_code=cd["credit_code"]).first()
        return {
            "name": cd["name"].strip(),
            "credit_code": cd["credit_code"],
            "organization": org,
            "field": cd.get("field"),
            "entered_on": cd["entered_on"],
            "note": cd["note"],
        }


class CloseFirmForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("graduated", _("Graduated")), ("left", _("Left without graduating"))]
    )
    on = forms.DateField(label=_("On"), widget=DATE)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


# ---- reports and formulas ----------------------------------------------------------------------------


class ReportForm(forms.ModelForm):
    """A report's indicators; only those of the carrier's family are shown."""

    class Meta:
        model = AnnualReport
        fields = [*indicators.CODES, "narrative"]
        widgets = {"narrative": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, carrier: Carrier, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keep = {i.code for i in indicators.indicators_for(carrier.family)}
        for code in indicators.CODES:
            if code not in keep:
                del self.fields[code]
            else:
                indicator = indicators.BY_CODE[code]
                field = self.fields[code]
                field.label = str(indicator.label)
                field.required = False
                if indicator.help:
                    field.help_text = str(indicator.help)

    def service_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k in self.fields}


class NewReportForm(ReportForm):
    year = forms.IntegerField(label=_("Year"), min_value=1980, max_value=2100)

    class Meta(ReportForm.Meta):
        fields = ["year", *indicators.CODES, "narrative"]


WEIGHT: Any = {"max_digits": 5, "decimal_places": 2, "min_value": Decimal("0"), "max_value": Decimal("100")}


class FormulaForm(forms.Form):
    """A new formula version: a weight (points) and a benchmark for each indicator of the family."""

    title = forms.CharField(label=_("Title"), max_length=200)
    excellent_from = forms.DecimalField(label=_("Excellent from"), initial=85, **WEIGHT)
    good_from = forms.DecimalField(label=_("Good from"), initial=70, **WEIGHT)
    pass_from = forms.DecimalField(label=_("Pass from"), initial=60, **WEIGHT)
    notes = forms.CharField(
        label=_("Notes"), max_length=3000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, family: str, base: EvaluationFormula | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.family = family
        for indicator in indicators.indicators_for(family):
            self.fields[f"w_{indicator.code}"] = forms.DecimalField(
                label=_("Weight: %(label)s") % {"label": indicator.label}, required=False, **WEIGHT
            )
            self.fields[f"b_{indicator.code}"] = forms.DecimalField(
                label=_("Benchmark: %(label)s") % {"label": indicator.label},
                required=False,
                max_digits=14,
                decimal_places=2,
                min_value=Decimal("0"),
                max_value=indicators.MONEY_MAX,
            )
        if base is not None and not self.is_bound:
            self.initial.update({"title": base.title, "notes": base.notes})
            self.initial.update(
                {
                    "excellent_from": base.excellent_from,
                    "good_from": base.good_from,
                    "pass_from": base.pass_from,
                }
            )
            for code, w in base.weights.items():
                self.initial[f"w_{code}"] = w
                self.initial[f"b_{code}"] = base.benchmarks.get(code)

    def indicator_rows(self) -> list[tuple[Any, forms.BoundField, forms.BoundField]]:
        return [
            (i.label, self[f"w_{i.code}"], self[f"b_{i.code}"])
            for i in indicators.indicators_for(self.family)
        ]

    def clean(self) -> dict[str, Any]:
        cd = super().clean() or {}
        weights, benchmarks = {}, {}
        for indicator in indicators.indicators_for(self.family):
            w, b = cd.get(f"w_{indicator.code}"), cd.get(f"b_{indicator.code}")
            if w:
                weights[indicator.code] = w
                benchmarks[indicator.code] = b
        problems = indicators.check_weights(self.family, weights, {k: v for k, v in benchmarks.items()})
        for problem in problems:
            self.add_error(None, problem)
        cd["weights"], cd["benchmarks"] = weights, benchmarks
        return cd


class FamilyForm(forms.Form):
    family = forms.ChoiceField(label=_("Family of carriers"), choices=Family.choices)


# ---- enterprises -------------------------------------------------------------------------------------


class DesignationForm(Grouped, forms.ModelForm):
    fieldsets = [
        (_("Designation"), ["organization", "kind", "year", "granted_on", "valid_until"]),
        (_("Evidence"), ["issuer", "certificate_no", "evidence"]),
    ]
    organization = OrganizationField(label=_("Enterprise"))

    class Meta:
        model = Designation
        fields = ["kind", "year", "granted_on", "valid_until", "issuer", "certificate_no", "evidence"]
        widgets = {"granted_on": DATE, "valid_until": DATE, "evidence": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "valid_until": _("Leave empty for a 高新技术企业 certificate: three years from the grant date."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("year", timezone.localdate().year)


class DesignationFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Designation"), required=False, choices=ANY + list(DesignationKind.choices)
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1980, max_value=2100)
    district = forms.ChoiceField(label=_("District"), required=False, choices=ANY + list(District.choices))
    zone = ZoneChoiceField(empty_label=_("Any"), help_text="")
    q = forms.CharField(label=_("Enterprise"), required=False, max_length=100)

    def filters(self) -> dict[str, Any]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {k: v for k, v in data.items() if v not in (None, "") and k not in self.errors}


class RdInputForm(forms.ModelForm):
    year = forms.IntegerField(label=_("Year"), min_value=1980, max_value=2100)

    class Meta:
        model = RdInput
        fields = ["rd_expenditure", "revenue", "rd_staff", "staff_total", "cooperation_spend", "note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("year", timezone.localdate().year - 1)

    def service_data(self) -> dict[str, Any]:
        cd = self.cleaned_data
        return {k: cd[k] for k in self.Meta.fields}


class ProjectForm(Grouped, forms.ModelForm):
    fieldsets = [
        (_("The project"), ["title", "kind", "summary", "starts_on", "ends_on", "budget", "public_funding"]),
        (_("Parties"), ["universities", "enterprises", "others"]),
        (_("Where"), ["district", "zone"]),
        (_("Outputs"), ["outputs", "achievements", "contracts"]),
    ]
    universities = OrganizationsField(label=_("University and institute partners"))
    enterprises = OrganizationsField(label=_("Enterprise partners"))
    others = OrganizationsField(label=_("Other partners"))
    zone = ZoneChoiceField()

    class Meta:
        model = Project
        fields = [
            "title",
            "kind",
            "summary",
            "starts_on",
            "ends_on",
            "budget",
            "public_funding",
            "district",
            "zone",
            "outputs",
        ]
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "summary": forms.Textarea(attrs={"rows": 4}),
            "outputs": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        from techbridge.achievements.models import Achievement
        from techbridge.contracts.models import Contract
        from techbridge.contracts.queries import contracts_for
        from techbridge.core.workflow import ReviewStatus

        super().__init__(*args, **kwargs)
        org = getattr(user, "organization_id", None)
        self.fields["achievements"] = IdsField(
            label=_("Linked achievements"),
            queryset=Achievement.objects.filter(Q(status=ReviewStatus.PUBLISHED) | Q(owner_id=org)),
            picker="achievements",
            help_text=_("Achievement numbers, separated by commas."),
        )
        self.fields["contracts"] = IdsField(
            label=_("Linked contracts"),
            queryset=contracts_for(user) if org else Contract.objects.none(),
            lookup="number",
            picker="contracts",
            help_text=_("Contract numbers of your organisation, separated by commas."),
        )
        project = self.instance
        if project.pk:
            by_role: dict[str, list[Organization]] = {"university": [], "enterprise": [], "other": []}
            for party in project.parties.select_related("organization"):
                if party.role in by_role:
                    by_role[party.role].append(party.organization)
            self.initial.setdefault("universities", by_role["university"])
            self.initial.setdefault("enterprises", by_role["enterprise"])
            self.initial.setdefault("others", by_role["other"])
            self.initial.setdefault("achievements", list(project.achievements.all()))
            self.initial.setdefault("contracts", list(project.contracts.all()))
            if project.zone_id:
                self.initial["zone"] = project.zone.code

    def service_kwargs(self) -> dict[str, Any]:
        cd = self.cleaned_data
        parties = [
            *[(o, "university") for o in cd.get("universities") or []],
            *[(o, "enterprise") for o in cd.get("enterprises") or []],
            *[(o, "other") for o in cd.get("others") or []],
        ]
        data = {k: cd[k] for k in self.Meta.fields}
        return {
            "data": data,
            "parties": parties,
            "achievements": cd.get("achievements") or [],
            "contracts": cd.get("contracts") or [],
        }


class ProjectFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of project"), required=False, choices=ANY + list(ProjectKind.choices)
    )


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_on = forms.DateField(label=_("Due on"), widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class AllianceForm(Grouped, forms.ModelForm):
    fieldsets = [
        (_("The alliance"), ["name", "lead", "founded_on", "fields", "description", "website"]),
        (_("Where"), ["district", "zone"]),
    ]
    lead = OrganizationField(label=_("Lead organisation"))
    website = forms.URLField(label=_("Website"), max_length=200, required=False, assume_scheme="https")
    fields: Any = industry_fields_field()
    zone = ZoneChoiceField()

    class Meta:
        model = Alliance
        fields = ["name", "founded_on", "description", "website", "district", "zone"]
        widgets = {"founded_on": DATE, "description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            lead = cast(Any, self).fields["lead"]
            lead.required = False
            lead.disabled = True
            self.initial["lead"] = self.instance.lead.name
            self.initial.setdefault("fields", list(self.instance.fields.values_list("code", flat=True)))
            if self.instance.zone_id:
                self.initial["zone"] = self.instance.zone.code

    def service_data(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in self.Meta.fields}


class MemberForm(forms.Form):
    organization = OrganizationField(label=_("Organisation"))
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices, initial=MemberRole.MEMBER)
    joined_on = forms.DateField(label=_("Joined on"), widget=DATE)


# ---- cases ------------------------------------------------------------------------------------------


class CaseForm(Grouped, forms.ModelForm):
    fieldsets = [
        (_("The case"), ["title", "category", "year", "summary", "body"]),
        (_("Who and where"), ["organizations", "carrier_name", "fields", "district", "zone"]),
        (_("Publication"), ["show_amount", "consent"]),
    ]
    organizations = OrganizationsField(label=_("Organisations involved"), limit=10)
    carrier_name = forms.CharField(
        label=_("Carrier involved"),
        required=False,
        max_length=200,
        help_text=_("The exact name of an approved carrier, if the case involves one."),
    )
    fields: Any = industry_fields_field()
    zone = ZoneChoiceField()

    class Meta:
        model = TypicalCase
        fields = [
            "title",
            "category",
            "year",
            "summary",
            "body",
            "district",
            "zone",
            "show_amount",
            "consent",
        ]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3}), "body": forms.Textarea(attrs={"rows": 14})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(Any, self).fields["category"].choices = list(CaseCategory.choices)
        case = self.instance
        if case.pk:
            self.initial.setdefault("organizations", list(case.organizations.all()))
            self.initial.setdefault("fields", list(case.fields.values_list("code", flat=True)))
            if case.carrier_id:
                self.initial.setdefault("carrier_name", case.carrier.name)
            if case.zone_id:
                self.initial["zone"] = case.zone.code
        elif not self.is_bound:
            self.initial.setdefault("year", timezone.localdate().year)

    def clean_carrier_name(self) -> Carrier | None:
        from .choices import CarrierStatus

        name = (self.cleaned_data.get("carrier_name") or "").strip()
        if not name:
            return None
        carrier = Carrier.objects.filter(name=name, status=CarrierStatus.APPROVED).first()
        if carrier is None:
            raise ValidationError(_("No approved carrier is called “%(name)s”.") % {"name": name})
        return carrier

    def service_kwargs(self, *, created: bool) -> dict[str, Any]:
        cd = self.cleaned_data
        data = {k: cd[k] for k in self.Meta.fields}
        data["carrier"] = cd.get("carrier_name")
        organizations = cd.get("organizations")
        fields = list(cd.get("fields") or [])
        # A new case from a record takes the record's organisations and fields unless the writer named some.
        return {
            "data": data,
            "organizations": organizations if (organizations or not created) else None,
            "fields": fields if (fields or not created) else None,
        }


class RecordNumberField(forms.IntegerField):
    """A record number, typed (``12``) or as the picker fills it (``#12 标题``)."""

    def to_python(self, value: Any) -> int | None:
        if value not in self.empty_values and not str(value).strip().isdigit():
            number = number_of(value)
            if number is not None:
                value = number
        return super().to_python(value)


class CaseSourceForm(forms.Form):
    """Which platform record a new case is written from (or none: by hand)."""

    source_kind = forms.ChoiceField(label=_("Written from"), required=False)
    source_id = RecordNumberField(
        label=_("Record"),
        required=False,
        min_value=1,
        widget=PickerWidget(
            "case-__kind__",
            attrs={
                "data-pick-kind-from": "id_source_kind",
                "placeholder": _("Type part of its title or number, then pick it from the list"),
            },
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .case_sources import case_sources

        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["source_kind"]).choices = [
            ("", _("By hand (no platform record)"))
        ] + [(s.code, s.label) for s in case_sources()]

    def clean(self) -> dict[str, Any]:
        cd = super().clean() or {}
        if cd.get("source_kind") and not cd.get("source_id"):
            self.add_error("source_id", _("Pick the record the case is written from."))
        return cd


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, max_length=100, widget=forms.TextInput(attrs={"type": "search"})
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=ANY + list(CaseCategory.choices)
    )
    district = forms.ChoiceField(label=_("District"), required=False, choices=ANY + list(District.choices))
    zone = ZoneChoiceField(empty_label=_("Any"), help_text="")

    def filters(self) -> dict[str, Any]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {k: v for k, v in data.items() if v not in (None, "") and k not in self.errors}


class StatsFilterForm(forms.Form):
    """The date figures are counted at, and the district and zone they are narrowed to."""

    year = forms.IntegerField(label=_("At the end of"), required=False, min_value=1980, max_value=2100)
    district = forms.ChoiceField(label=_("District"), required=False, choices=ANY + list(District.choices))
    zone = ZoneChoiceField(empty_label=_("Any"), help_text="")

    def filters(self) -> dict[str, Any]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {k: v for k, v in data.items() if v not in (None, "") and k not in self.errors}
