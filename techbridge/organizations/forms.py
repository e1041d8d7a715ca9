"""Forms of the organisation pages: the directory filter, the profile edit and the review decision."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from techbridge.lib import credit_code as cc
from techbridge.lib import limits

from .choices import District, OrgKind, OrgStatus
from .models import Organization, Zone
from .validators import validate_credit_code

ANY = [("", _("Any"))]


class ZoneChoiceField(forms.ModelChoiceField):
    """A zone picked by its code (``?zone=jiangbei``); a park shows the zone it belongs to.

    Zones are a short list of rows (the two zones and their parks), so a plain ``<select>`` is right.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Zone"))
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            _("Jiangbei New Area, the High-tech Zone or one of its parks; zones overlap the districts."),
        )
        # A ModelForm passes its own queryset and ``to_field_name`` (the pk); a filter form keeps codes.
        kwargs.pop("queryset", None)
        kwargs.setdefault("to_field_name", "code")
        super().__init__(queryset=Zone.objects.select_related("parent").order_by("order", "id"), **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.parent.name} · {obj.name}" if obj.parent_id else obj.name


class DirectoryFilterForm(forms.Form):
    """Search and filters of the public directory; a bad value is reported and ignored."""

    q = forms.CharField(
        label=_("Name"), required=False, max_length=100, widget=forms.TextInput(attrs={"type": "search"})
    )
    kind = forms.ChoiceField(label=_("Type"), required=False, choices=ANY + list(OrgKind.choices))
    district = forms.ChoiceField(label=_("District"), required=False, choices=ANY + list(District.choices))
    zone = ZoneChoiceField(empty_label=_("Any"), help_text="")

    def filters(self) -> dict[str, Any]:
        """The valid filters only, so one bad parameter does not empty the page."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        found: dict[str, Any] = {}
        for name in self.fields:
            if name in self.errors:
                continue
            value = data.get(name)
            found[name] = value if isinstance(value, Zone) else (value or "").strip()
        return found


# What an organisation admin may change at any time; the identity (name, type, credit code) is what
# reviewers checked, so it changes only while the registration is not yet approved.
PROFILE_FIELDS = ("district", "zone", "address", "contact_phone", "website", "description")
IDENTITY_FIELDS = ("name", "credit_code")
# Once approved the name is fixed; the credit code can still be added or corrected (contract
# registration needs it), each change audited with the old and the new code.
LOCKED_WHEN_APPROVED = ("name",)


class OrganizationForm(forms.Form):
    """An organisation's public profile, as its admin edits it."""

    name = forms.CharField(label=_("Organisation name"), max_length=200)
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )
    district = forms.ChoiceField(
        label=_("District"), required=False, choices=[("", "---------"), *District.choices]
    )
    zone = ZoneChoiceField()
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    contact_phone = forms.CharField(
        label=_("Contact phone"), max_length=40, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    description = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=limits.SUMMARY,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the organisation does and what it offers or looks for; shown on its public page."),
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any):
        self.organization = organization
        initial: dict[str, Any] = {
            name: getattr(organization, name) or "" for name in (*IDENTITY_FIELDS, *PROFILE_FIELDS)
        }
        initial["zone"] = organization.zone.code if organization.zone else ""
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        if organization.status == OrgStatus.APPROVED or organization.status == OrgStatus.SUSPENDED:
            for name in LOCKED_WHEN_APPROVED:
                del self.fields[name]
            self.fields["credit_code"].help_text = _(
                "Needed to register technology contracts (认定登记). Enter the 18 characters of the "
                "business licence; every change is recorded."
            )
            self.fields["credit_code"].required = False
        if not organization.credit_code:
            self.fields["credit_code"].required = False

    @property
    def identity_editable(self) -> bool:
        return "name" in self.fields

    @property
    def missing_credit_code(self) -> bool:
        return not self.organization.credit_code

    def clean_credit_code(self) -> str | None:
        code = cc.normalise(self.cleaned_data.get("credit_code") or "")
        if not code:
            # An approved organisation's code is corrected, never removed: blank keeps it.
            return self.organization.credit_code if not self.identity_editable else None
        validate_credit_code(code)
        taken = Organization.objects.filter(credit_code=code).exclude(pk=self.organization.pk).exists()
        if taken:
            raise forms.ValidationError(
                _("An organisation with this unified social credit code is already registered."),
                code="credit_code_taken",
            )
        return code

    def changes(self) -> dict[str, Any]:
        """The cleaned values, as ``update_organization`` takes them."""
        return {name: self.cleaned_data[name] for name in self.fields}

    def add_service_error(self, exc: forms.ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, exc)


class ReviewForm(forms.Form):
    """A reviewer's decision on a registration; a rejection needs a reason the applicant can act on."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason for rejection"),
        required=False,
        max_length=limits.REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when rejecting; the applicant sees it and can correct the registration."),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        data["reason"] = (data.get("reason") or "").strip()
        if data.get("decision") == "reject" and not data["reason"]:
            self.add_error("reason", _("Give the applicant a reason for the rejection."))
        return data


class JoinRequestForm(forms.Form):
    """The optional note an applicant sends with a request to join an organisation."""

    message = forms.CharField(
        label=_("Message to the organisation's admins"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("Who you are and what you work on")}),
    )
