"""Forms of the talent pages. Bounds come from the models; the services validate the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from techbridge.accounts.models import User
from techbridge.institutions.forms import OrganizationPickField
from techbridge.taxonomy.models import IndustryField

from .choices import CertificateKind, ManagerLevel, SecondmentProgramme, TalentCategory
from .models import MAX_FIELDS, MAX_HOURS, Course, TrainingBase


def _fields_field(label: Any) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=IndustryField.objects.order_by("order"),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
    )


class UserField(forms.CharField):
    """A platform user named by user name."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 150)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> User | None:  # type: ignore[override]
        name = super().clean(value)
        if not name:
            return None
        user = User.objects.filter(username=name, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active user has this user name."))
        return user


class ExpertForm(forms.Form):
    """Add a user to the expert pool (by user name) or change an expert; conflicts one per line."""

    username = UserField(label=_("User name"))
    expertise = _fields_field(_("Fields of expertise"))
    title = forms.CharField(label=_("Professional title"), max_length=100, required=False)
    bio = forms.CharField(
        label=_("Experience"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    conflicts = forms.CharField(
        label=_("Declared conflicts of interest"),
        required=False,
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: organisation name or credit code | tie (e.g. 示例大学 | 兼职教授)."),
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, expert: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.expert = expert
        if expert is not None:
            self.fields["username"].disabled = True
            self.initial.update(
                username=expert.user.username,
                expertise=list(expert.fields.all()),
                title=expert.title,
                bio=expert.bio,
                active=expert.active,
                conflicts="\n".join(
                    f"{c.organization.credit_code or c.organization.name} | {c.reason}"
                    for c in expert.declared_conflicts.select_related("organization")
                ),
            )

    def clean_conflicts(self) -> list[tuple[Any, str]]:
        from techbridge.organizations.models import Organization

        out = []
        lines = [line for line in (self.cleaned_data.get("conflicts") or "").splitlines() if line.strip()]
        if len(lines) > 30:
            raise forms.ValidationError(_("At most %(n)s declared conflicts.") % {"n": 30})
        for n, line in enumerate(lines, start=1):
            name, _sep, reason = line.partition("|")
            name = name.strip()
            org = (
                Organization.objects.filter(credit_code=name.upper()).first()
                or Organization.objects.filter(name=name).order_by("pk").first()
            )
            if org is None:
                raise forms.ValidationError(
                    _("Line %(n)s: no organisation on the platform is named “%(name)s”.")
                    % {"n": n, "name": name}
                )
            out.append((org, reason.strip()[:200]))
        return out


class ManagerProfileForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Level"),
        choices=ManagerLevel.choices,
        help_text=_("Platform staff confirm it against your certificates."),
    )
    fields_ = _fields_field(_("Industry fields"))
    bio = forms.CharField(
        label=_("Experience"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    max_load = forms.IntegerField(label=_("Hard demands at a time"), min_value=1, max_value=50, initial=5)
    accepting_routes = forms.BooleanField(
        label=_("Accept hard demands routed to me"), required=False, initial=True
    )

    def clean_fields_(self) -> Any:
        chosen = self.cleaned_data["fields_"]
        if len(chosen) > MAX_FIELDS:
            raise forms.ValidationError(_("Choose at most %(n)s industry fields.") % {"n": MAX_FIELDS})
        return chosen


class CertificateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CertificateKind.choices)
    number = forms.CharField(label=_("Certificate number"), max_length=60)
    issuer = forms.CharField(label=_("Issued by"), max_length=100)
    issued_on = forms.DateField(label=_("Issued on"), widget=forms.DateInput(attrs={"type": "date"}))
    expires_on = forms.DateField(
        label=_("Expires on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ReviewForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Confirmed level"), choices=[("", "–"), *ManagerLevel.choices], required=False
    )
    note = forms.CharField(label=_("Note or reason (required to return)"), max_length=2000, required=False)


class BaseForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    host = OrganizationPickField(label=_("Host organisation"), required=True)
    description = forms.CharField(
        label=_("Description"), max_length=3000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    designated_on = forms.DateField(
        label=_("Designated on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class CourseForm(forms.Form):
    base = forms.ModelChoiceField(label=_("Training base"), queryset=TrainingBase.objects.filter(active=True))
    code = forms.CharField(label=_("Course code"), max_length=30)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), max_length=3000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    hours = forms.DecimalField(
        label=_("Hours"), min_value=1, max_value=MAX_HOURS, max_digits=5, decimal_places=1
    )
    has_exam = forms.BooleanField(label=_("Ends with an exam"), required=False, initial=True)
    pass_mark = forms.IntegerField(label=_("Pass mark"), min_value=0, max_value=100, initial=60)


class SessionForm(forms.Form):
    course = forms.ModelChoiceField(label=_("Course"), queryset=Course.objects.filter(published=True))
    starts_on = forms.DateField(label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Ends on"), widget=forms.DateInput(attrs={"type": "date"}))
    registration_closes = forms.DateField(
        label=_("Registration closes"), widget=forms.DateInput(attrs={"type": "date"})
    )
    location = forms.CharField(label=_("Location"), max_length=200)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=500)


class SecondmentForm(forms.Form):
    programme = forms.ChoiceField(
        label=pgettext_lazy("secondment", "Programme"), choices=SecondmentProgramme.choices
    )
    person_name = forms.CharField(label=_("Person"), max_length=50)
    person = UserField(label=_("Platform account (user name)"), required=False)
    from_org = OrganizationPickField(label=pgettext_lazy("secondment", "From"), required=True)
    to_org = OrganizationPickField(label=pgettext_lazy("secondment", "To"), required=True)
    post = forms.CharField(label=_("Post"), max_length=100)
    starts_on = forms.DateField(label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Ends on"), widget=forms.DateInput(attrs={"type": "date"}))
    projects = forms.IntegerField(label=_("Projects brought about"), min_value=0, max_value=1000, initial=0)
    outputs = forms.CharField(
        label=_("Outputs"), max_length=3000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class TalentEntryForm(forms.Form):
    programme = forms.CharField(label=pgettext_lazy("talent register", "Programme"), max_length=100)
    category = forms.ChoiceField(label=_("Category"), choices=TalentCategory.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    person_name = forms.CharField(label=_("Name"), max_length=50)
    organization = OrganizationPickField(label=_("Organisation on the platform"))
    organization_name = forms.CharField(
        label=_("Organisation name (if not on the platform)"), max_length=200, required=False
    )
    external_id = forms.CharField(label=_("External id"), max_length=100, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class ManagerFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("Any")), *ManagerLevel.choices]
    )
    field = forms.ChoiceField(label=_("Industry field"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", _("All fields"))] + [  # type: ignore[attr-defined]
            (f.code, f.name) for f in IndustryField.objects.order_by("order")
        ]
