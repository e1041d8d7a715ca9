"""Forms of the instrument, booking, voucher and service-platform pages. Limits come from the models."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from techbridge.accounts.models import User
from techbridge.core.pickers import PickerField
from techbridge.organizations.choices import District, OrgKind
from techbridge.organizations.models import Organization, Zone
from techbridge.taxonomy.models import IndustryField

from . import permissions
from .choices import (
    Audience,
    BookingMode,
    FeeUnit,
    InstrumentCategory,
    OfferKind,
    ResourceKind,
    VoucherUse,
)
from .models import Instrument, ServiceOffer, ServicePlatform, Voucher, VoucherProgramme
from .models.common import MAX_AMOUNT, MAX_HOURS, MAX_RATE, MAX_SAMPLES

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def choice(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


def model_choice(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    return cast(forms.ModelChoiceField, form.fields[name])


def money_field(
    label: Any, *, required: bool = True, maximum: Decimal = MAX_AMOUNT, **kw: Any
) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=required, max_digits=16, decimal_places=2, min_value=0, max_value=maximum, **kw
    )


class UserByNameField(forms.CharField):
    """A user named by username (no list of all users is ever rendered)."""

    def __init__(self, **kw: Any):
        kw.setdefault("max_length", 150)
        super().__init__(**kw)

    def clean(self, value: Any) -> Any:
        name = super().clean(value)
        if not name:
            return None
        user = User.objects.filter(username=name, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No user with this name."))
        return user


# ---- catalogue -------------------------------------------------------------------------------------


class CatalogueFilterForm(forms.Form):
    """The search box and filters of the catalogue (GET)."""

    q = forms.CharField(
        label=_("Describe your testing need"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. 测量陶瓷材料的导热系数")}),
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All")), *InstrumentCategory.choices]
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All")), *ResourceKind.choices])
    district = forms.ChoiceField(
        label=_("District"), required=False, choices=[("", _("All")), *District.choices]
    )
    zone = forms.ChoiceField(label=_("Zone"), required=False)
    field = forms.ChoiceField(label=_("Industry field"), required=False)
    funded = forms.ChoiceField(
        label=_("Funding"),
        required=False,
        choices=[("", _("All")), ("yes", _("Bought with public funds")), ("no", _("Other funding"))],
    )
    self_use = forms.BooleanField(label=_("Self-use after training"), required=False)
    bookable = forms.BooleanField(label=_("Open for booking now"), required=False)
    owner = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        choice(self, "zone").choices = [("", _("All")), *list(Zone.objects.values_list("code", "name"))]
        fields = IndustryField.objects.order_by("order").values_list("code", "name")
        choice(self, "field").choices = [("", _("All")), *list(fields)]


class InstrumentForm(forms.ModelForm):
    """What an owner says about an instrument. The person in charge is named by username."""

    manager_name = UserByNameField(
        label=_("Person in charge (username)"),
        required=False,
        help_text=_("A member of your organisation who approves bookings; empty: you."),
    )
    industry_fields = forms.ModelMultipleChoiceField(
        label=_("Industry fields"),
        queryset=IndustryField.objects.order_by("order"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Instrument
        fields = [
            "kind",
            "name",
            "model_number",
            "maker",
            "category",
            "lab",
            "location",
            "platform",
            "purchase_value",
            "purchase_year",
            "publicly_funded",
            "description",
            "specs",
            "sample_requirements",
            "capacity",
            "access",
            "open_days",
            "opens_at",
            "closes_at",
            "slot_minutes",
            "cancel_notice_hours",
            "horizon_days",
            "calibration_due",
            "contact_phone",
        ]
        widgets = {"opens_at": TIME, "closes_at": TIME, "calibration_due": DATE}

    def __init__(self, *args: Any, owner: Organization, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.owner = owner
        model_choice(self, "platform").queryset = ServicePlatform.objects.filter(host=owner)
        self.fields["platform"].required = False
        if self.instance.pk:
            self.fields["industry_fields"].initial = list(self.instance.fields.all())
            if self.instance.manager:
                self.fields["manager_name"].initial = self.instance.manager.username

    def clean_manager_name(self) -> Any:
        user = self.cleaned_data.get("manager_name")
        if user is not None and user.organization_id != self.owner.pk:
            raise forms.ValidationError(_("The person in charge must be a member of the owner organisation."))
        return user

    def service_data(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("industry_fields", "manager_name")}
        if self.cleaned_data.get("manager_name") is not None:
            data["manager"] = self.cleaned_data["manager_name"]
        return data


class FeeRatesForm(forms.Form):
    """The fee schedule: a price per machine hour and per sample, for internal and external users."""

    internal_hour = money_field(_("Internal, per machine hour"), required=False, maximum=MAX_RATE)
    external_hour = money_field(_("External, per machine hour"), required=False, maximum=MAX_RATE)
    internal_sample = money_field(_("Internal, per sample"), required=False, maximum=MAX_RATE)
    external_sample = money_field(_("External, per sample"), required=False, maximum=MAX_RATE)

    KEYS = {
        "internal_hour": (Audience.INTERNAL, FeeUnit.HOUR),
        "external_hour": (Audience.EXTERNAL, FeeUnit.HOUR),
        "internal_sample": (Audience.INTERNAL, FeeUnit.SAMPLE),
        "external_sample": (Audience.EXTERNAL, FeeUnit.SAMPLE),
    }

    @classmethod
    def initial_for(cls, instrument: Instrument) -> dict[str, Any]:
        by = {(r.audience, r.unit): r.price for r in instrument.rates.all()}
        return {name: by.get(key) for name, key in cls.KEYS.items()}

    def rates(self) -> list[dict[str, Any]]:
        return [
            {"audience": a, "unit": u, "price": self.cleaned_data[name]}
            for name, (a, u) in self.KEYS.items()
            if self.cleaned_data.get(name) is not None
        ]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class QualificationForm(forms.Form):
    username = UserByNameField(label=_("Username of the trained user"))
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DATE)
    note = forms.CharField(label=_("Training note"), max_length=200, required=False)


class MaintenanceForm(forms.Form):
    starts_at = forms.DateTimeField(label=pgettext_lazy("time span", "From"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=pgettext_lazy("time span", "Until"), widget=DATETIME)
    reason = forms.CharField(label=_("Reason"), max_length=200)


class InternalUseForm(forms.Form):
    started_at = forms.DateTimeField(label=_("Started"), widget=DATETIME)
    hours = forms.DecimalField(
        label=_("Machine hours"),
        max_digits=8,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=MAX_HOURS,
    )
    samples = forms.IntegerField(label=_("Samples"), min_value=0, max_value=MAX_SAMPLES, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


# ---- bookings --------------------------------------------------------------------------------------


def voucher_label(obj: Any) -> str:
    return _("%(number)s · %(programme)s · balance %(balance)s yuan") % {
        "number": obj.number,
        "programme": obj.programme,
        "balance": obj.balance,
    }


def voucher_choices(user: Any, use: str) -> forms.ModelChoiceField:
    """The organisation's usable vouchers for ``use``, picked by typing (a voucher number or programme)."""
    qs = Voucher.objects.filter(permissions.usable_vouchers_q(user)).select_related("programme")
    qs = qs.filter(Q(programme__uses="all") | Q(programme__uses=use))
    return PickerField(
        "vouchers",
        qs,
        label=_("Pay part with an innovation voucher"),
        required=False,
        help_text=_("Optional. Type the voucher number or programme and pick it; empty: pay in full."),
    )


class BookingForm(forms.Form):
    starts_at = forms.DateTimeField(label=pgettext_lazy("time span", "From"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=pgettext_lazy("time span", "Until"), widget=DATETIME)
    mode = forms.ChoiceField(label=_("Operation"), choices=BookingMode.choices, initial=BookingMode.OPERATED)
    purpose = forms.CharField(
        label=pgettext_lazy("booking", "Purpose"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    sample_description = forms.CharField(
        label=_("Samples"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    sample_count = forms.IntegerField(
        label=_("Number of samples"), min_value=0, max_value=MAX_SAMPLES, initial=0
    )

    def __init__(self, *args: Any, user: Any, instrument: Instrument, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if instrument.access != "self_use":
            choice(self, "mode").choices = [(BookingMode.OPERATED, BookingMode.OPERATED.label)]
        if user.organization_id != instrument.owner_id:
            self.fields["voucher"] = voucher_choices(user, "instruments")


class UsageForm(forms.Form):
    hours = forms.DecimalField(
        label=_("Machine hours used"),
        max_digits=8,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=MAX_HOURS,
    )
    samples = forms.IntegerField(
        label=_("Samples"), min_value=0, max_value=MAX_SAMPLES, required=False, initial=0
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class StopForm(forms.Form):
    samples = forms.IntegerField(
        label=_("Samples"), min_value=0, max_value=MAX_SAMPLES, required=False, initial=0
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class VoucherPickForm(forms.Form):
    def __init__(self, *args: Any, user: Any, use: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["voucher"] = voucher_choices(user, use)


# ---- vouchers --------------------------------------------------------------------------------------


class VoucherApplyForm(forms.Form):
    requested_amount = money_field(_("Amount requested (yuan)"))
    purpose = forms.CharField(
        label=_("What the enterprise will use it for"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ProgrammeForm(forms.ModelForm):
    eligible_kinds = forms.MultipleChoiceField(
        label=_("Who may apply"), choices=OrgKind.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = VoucherProgramme
        fields = [
            "name",
            "year",
            "issuer",
            "basis",
            "budget",
            "share",
            "cap_per_enterprise",
            "eligible_kinds",
            "nanjing_only",
            "uses",
            "applications_open",
            "applications_close",
            "valid_until",
        ]
        widgets = {"applications_open": DATE, "applications_close": DATE, "valid_until": DATE}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        choice(self, "uses").choices = VoucherUse.choices


class QuotaForm(forms.Form):
    quota = money_field(_("Approved quota (yuan)"))


class SettleForm(forms.Form):
    reference = forms.CharField(label=_("Payment reference"), max_length=100)


# ---- platforms -------------------------------------------------------------------------------------


class OrganizationByNameField(forms.CharField):
    """An approved organisation named by its exact name or its unified social credit code."""

    def clean(self, value: Any) -> Any:
        word = super().clean(value)
        if not word:
            return None
        org = Organization.objects.filter(Q(name=word) | Q(credit_code=word.upper())).first()
        if org is None:
            raise forms.ValidationError(_("No organisation with this name or credit code."))
        return org


class PlatformForm(forms.ModelForm):
    host_name = OrganizationByNameField(label=_("Host organisation (name or credit code)"), max_length=200)
    manager_name = UserByNameField(label=_("Person in charge (username)"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https", max_length=200)

    class Meta:
        model = ServicePlatform
        fields = [
            "name",
            "industry",
            "description",
            "designated_on",
            "designation_ref",
            "website",
            "contact_phone",
        ]
        widgets = {"designated_on": DATE}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["host_name"].initial = self.instance.host.name
            if self.instance.manager:
                self.fields["manager_name"].initial = self.instance.manager.username

    def service_data(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("host_name", "manager_name")}
        data["host"] = self.cleaned_data["host_name"]
        data["manager"] = self.cleaned_data.get("manager_name")
        return data


class PlatformProfileForm(forms.ModelForm):
    """What the host's staff may change about their platform."""

    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https", max_length=200)

    class Meta:
        model = ServicePlatform
        fields = ["description", "website", "contact_phone"]


class OfferForm(forms.ModelForm):
    class Meta:
        model = ServiceOffer
        fields = [
            "kind",
            "title",
            "description",
            "deliverables",
            "lead_time_days",
            "price_from",
            "resource",
            "is_active",
        ]

    def __init__(self, *args: Any, platform: ServicePlatform, **kwargs: Any):
        super().__init__(*args, **kwargs)
        choice(self, "kind").choices = OfferKind.choices
        model_choice(self, "resource").queryset = Instrument.objects.filter(
            owner=platform.host, platform=platform
        ).exclude(status="retired")
        self.fields["resource"].help_text = _(
            "Instruments and pilot lines the host assigned to this platform; orders then book them."
        )


class ServiceRequestForm(forms.Form):
    need = forms.CharField(
        label=_("What is needed"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    wanted_by = forms.DateField(label=_("Wanted by"), required=False, widget=DATE)


class QuoteForm(forms.Form):
    amount = money_field(_("Price (yuan)"))
    days = forms.IntegerField(label=_("Delivery within (days)"), min_value=1, max_value=365)
    note = forms.CharField(
        label=_("Quote details"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    slot_start = forms.DateTimeField(label=_("Resource booked from"), required=False, widget=DATETIME)
    slot_end = forms.DateTimeField(label=_("Resource booked until"), required=False, widget=DATETIME)


class DeliverForm(forms.Form):
    report = forms.CharField(
        label=_("Delivery report"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    hours_used = forms.DecimalField(
        label=_("Machine hours used"),
        max_digits=8,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=MAX_HOURS,
        required=False,
    )


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        choices=[(i, "★" * i) for i in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=pgettext_lazy("order rating", "Comment"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
