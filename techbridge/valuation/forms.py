"""Forms of valuation: they validate input and hand clean values to the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from techbridge.taxonomy.models import DealMode, IndustryField

from . import formulas as F
from .choices import GRADES
from .engine import ASSUMPTION_FIELDS
from .models import Scorecard, ValuationRequest

INDICATOR_LABELS: dict[str, Any] = {
    "legal_status": _("Legal status"),
    "remaining_term": _("Remaining term"),
    "claims": _("Claims"),
    "family_size": _("Family size"),
    "citations": _("Forward citations"),
    "ipc_breadth": _("IPC breadth"),
    "trl": _("Technology readiness"),
    "team": _("Team"),
    "market": _("Market size"),
}

FIELDSETS = [
    (_("Purpose"), ["purpose", "purpose_note"]),
    (
        _("Cost approach"),
        [
            "reproduction_cost",
            "developer_profit_pct",
            "technical_obsolescence_pct",
            "economic_obsolescence_pct",
        ],
    ),
    (
        _("Income approach"),
        [
            "income_method",
            "first_year_revenue",
            "growth_pct",
            "economic_life_years",
            "remaining_term_years",
            "tax_pct",
            "risk_free_pct",
            "technology_risk_pct",
            "market_risk_pct",
            "management_risk_pct",
            "royalty_pct",
            "profit_margin_pct",
            "technology_share_pct",
        ],
    ),
    (_("Market approach"), ["subject_deal_mode", "price_index_pct"]),
    (_("Reconciliation weights"), ["weight_cost", "weight_market", "weight_income"]),
]


class RequestForm(forms.ModelForm):
    """The purpose and the draft assumptions of a valuation request."""

    subject_deal_mode = forms.ChoiceField(label=_("Deal mode being valued"))

    class Meta:
        model = ValuationRequest
        fields = ["purpose", "purpose_note", *ASSUMPTION_FIELDS]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subject_deal_mode"].choices = [  # type: ignore[attr-defined]
            (m.code, m.name) for m in DealMode.objects.order_by("order") if m.code in F.DEAL_MODE_FACTORS
        ]
        for name, field in self.fields.items():
            if isinstance(field, forms.DecimalField):
                field.widget.attrs["step"] = "any"
            if name.endswith("_pct"):
                field.widget.attrs["inputmode"] = "decimal"

    def grouped_fields(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(legend, [self[n] for n in names if n in self.fields]) for legend, names in FIELDSETS]

    def clean_first_year_revenue(self) -> Any:
        value = self.cleaned_data.get("first_year_revenue")
        if value is not None and value < 0:
            raise forms.ValidationError(_("The revenue forecast cannot be negative."))
        return value

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.cleaned_data}


class ScorecardForm(forms.ModelForm):
    """The indicator inputs an owner or operator enters; empty means "not known", never zero."""

    class Meta:
        model = Scorecard
        fields = [
            "legal_status",
            "remaining_term_years",
            "claims",
            "independent_claims",
            "family_size",
            "citations",
            "market_size",
            "source_note",
        ]

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class ScoreForm(forms.Form):
    score = forms.IntegerField(label=_("Score (0–100)"), min_value=0, max_value=100)
    value_low = forms.DecimalField(
        label=_("Value opinion, low (yuan)"), required=False, min_value=0, max_digits=16, decimal_places=2
    )
    value_high = forms.DecimalField(
        label=_("Value opinion, high (yuan)"), required=False, min_value=0, max_digits=16, decimal_places=2
    )
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)


class PanelForm(forms.Form):
    size = forms.IntegerField(label=_("Panel size"), min_value=1, max_value=7, initial=3)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class WeightsForm(forms.Form):
    """One field per indicator; saving adds a new version."""

    note = forms.CharField(label=_("Why the change"), max_length=300, required=False)

    def __init__(self, *args: Any, current: dict | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code in F.INDICATORS:
            self.fields[code] = forms.DecimalField(
                label=INDICATOR_LABELS[code],
                min_value=0,
                max_value=1000,
                max_digits=7,
                decimal_places=2,
                initial=(current or F.DEFAULT_WEIGHTS).get(code),
            )
        self.order_fields([*F.INDICATORS, "note"])

    def weights(self) -> dict[str, Any]:
        return {code: self.cleaned_data[code] for code in F.INDICATORS}


SORT_CHOICES = [
    ("grade", _("Best grade first")),
    ("-grade", _("Lowest grade first")),
    ("recent", _("Newest first")),
]


class ScreeningForm(forms.Form):
    """成果筛选: filter published achievements by grade, field and TRL."""

    grade = forms.MultipleChoiceField(
        label=_("Grade"),
        required=False,
        choices=[(g, g) for g in GRADES] + [("-", _("Not graded"))],
        widget=forms.CheckboxSelectMultiple,
    )
    field = forms.ChoiceField(label=_("Industry field"), required=False)
    min_trl = forms.IntegerField(label=_("Minimum TRL"), required=False, min_value=1, max_value=9)
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", _("All fields"))] + [  # type: ignore[attr-defined]
            (f.code, f.name) for f in IndustryField.objects.order_by("order")
        ]
