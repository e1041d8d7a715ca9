"""Filter forms shared by listing list pages and list endpoints.

A filter value that does not exist (an unknown field code, TRL 12, a negative price) is an error with
a translated message, not an empty result.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from techbridge.organizations.choices import District

from .models import DealMode, IndustryField


class ListingFilterForm(forms.Form):
    """Query, industry field, deal mode, district and sort; subclasses add their own filters."""

    SORTS: dict[str, tuple[Any, list[str]]] = {}
    OWNER_FIELD = "owner"

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    field = forms.ModelChoiceField(
        label=_("Industry field"),
        queryset=IndustryField.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("All fields"),
    )
    deal_mode = forms.ModelChoiceField(
        label=_("Deal mode"),
        queryset=DealMode.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("All deal modes"),
    )
    district = forms.ChoiceField(
        label=_("District"), choices=[("", _("All districts")), *District.choices], required=False
    )
    sort = forms.ChoiceField(label=_("Sort"), required=False)
    page = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sort_field = self.fields["sort"]
        assert isinstance(sort_field, forms.ChoiceField)
        sort_field.choices = [(k, label) for k, (label, _order) in self.SORTS.items()]
        # Long user input is cut, not refused: a pasted paragraph still searches.
        if self.data and len(self.data.get("q", "")) > 200:
            data = dict(self.data.items())
            data["q"] = data["q"][:200]
            self.data = data

    def filter(self, qs: QuerySet) -> QuerySet:
        cd = self.cleaned_data
        if cd.get("field"):
            qs = qs.filter(fields=cd["field"])
        if cd.get("deal_mode"):
            qs = qs.filter(**{self.deal_mode_lookup: cd["deal_mode"]})
        if cd.get("district"):
            qs = qs.filter(**{f"{self.OWNER_FIELD}__district": cd["district"]})
        return self.extra_filter(qs, cd)

    deal_mode_lookup = "deal_modes"

    def extra_filter(self, qs: QuerySet, cd: dict[str, Any]) -> QuerySet:
        return qs

    @property
    def sort_key(self) -> str:
        sort = self.cleaned_data.get("sort") if self.is_bound and self.is_valid() else ""
        if sort:
            return sort
        return (
            "relevance"
            if (self.cleaned_data.get("q") if self.is_bound and self.is_valid() else "")
            else "newest"
        )

    @property
    def sort_fields(self) -> dict[str, list[str]]:
        return {k: order for k, (_label, order) in self.SORTS.items() if order}

    def error_message(self) -> str:
        """The first error, as one sentence for the API and the page."""
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else name
            return f"{label}: {errors[0]}"
        return ""


def range_q(field: str, low: Any, high: Any) -> Q:
    q = Q()
    if low is not None:
        q &= Q(**{f"{field}__gte": low})
    if high is not None:
        q &= Q(**{f"{field}__lte": high})
    return q
