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
            "patent_filing_date",
            "term_adjustment_days",
            "income_perpetuity",
            "tax_pct",
            "risk_free_pct",
            "technology_risk_pct",
            "market_risk_pct",
            "management_risk_pct",
            "royalty_pct",
            "profit_margin_pct",
            "technology_share_pct",
            "share_decline_pct",
        ],
    ),
    (
        _("Profit share rate from the scoring table (leave empty to use the rate above)"),
        ["share_low_pct", "share_high_pct", *[f"share_score_{k}" for k in F.SHARE_FACTORS]],
    ),
    (_("Market approach"), ["subject_deal_mode", "price_index_pct", "comparable_adjustments"]),
    (
        _("Suggested weights (the appraiser concludes when issuing)"),
        ["weight_cost", "weight_market", "weight_income"],
    ),
]

# The factors of the profit share rate's scoring table (formulas.SHARE_FACTORS), in Chinese practice.
SHARE_FACTOR_LABELS: dict[str, Any] = {
    "legal_status": _("Legal: legal status (法律状态)"),
    "protection_scope": _("Legal: scope of protection (保护范围)"),
    "infringement": _("Legal: ease of proving infringement (侵权判定)"),
    "field": _("Technical: field of the technology (技术所属领域)"),
    "substitutes": _("Technical: substitute technologies (替代技术)"),
    "advancement": _("Technical: advancement (先进性)"),
    "innovation": _("Technical: innovation (创新性)"),
    "maturity": _("Technical: maturity (成熟度)"),
    "applicability": _("Technical: range of applications (应用范围)"),
    "defensibility": _("Technical: defensibility (技术防御力)"),
    "supply_demand": _("Economic: supply and demand (供求关系)"),
}
# Fields with a model default: an empty input means that default, not an error.
DEFAULTED = {"share_decline_pct": 0, "term_adjustment_days": 0}


class RequestForm(forms.ModelForm):
    """The purpose and the draft assumptions of a valuation request."""

    subject_deal_mode = forms.ChoiceField(label=_("Deal mode being valued"))
    comparable_adjustments = forms.CharField(
        label=_("Adjustments of the comparables"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One per line: comparable (e.g. contract:12) | technical-difference factor (0.5–2, 1 = equal) | "
            "its remaining life in years at its deal (blank if unknown)."
        ),
    )

    class Meta:
        model = ValuationRequest
        fields = ["purpose", "purpose_note", *[f for f in ASSUMPTION_FIELDS if f != "share_scores"]]
        widgets = {"patent_filing_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scores = (self.instance.share_scores or {}) if self.instance else {}
        for key in F.SHARE_FACTORS:
            self.fields[f"share_score_{key}"] = forms.IntegerField(
                label=SHARE_FACTOR_LABELS[key],
                min_value=0,
                max_value=100,
                required=False,
                initial=scores.get(key),
                help_text=_("weight %(w)s") % {"w": F.SHARE_FACTORS[key]},
            )
        for name in DEFAULTED:
            self.fields[name].required = False
        adj = (self.instance.comparable_adjustments or {}) if self.instance else {}
        if adj and not self.is_bound:
            self.initial["comparable_adjustments"] = "\n".join(
                f"{ref} | {row.get('tech_factor', 1)} | {row.get('remaining_life') or ''}"
                for ref, row in adj.items()
            )
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

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, default in DEFAULTED.items():
            if data.get(name) is None:
                data[name] = default
        return data

    def clean_comparable_adjustments(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        text = self.cleaned_data.get("comparable_adjustments") or ""
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) > 3 or not parts[0]:
                raise forms.ValidationError(_("Line %(n)s: comparable | factor | remaining life.") % {"n": n})
            row: dict[str, str] = {"tech_factor": parts[1] if len(parts) > 1 and parts[1] else "1"}
            if len(parts) > 2 and parts[2]:
                row["remaining_life"] = parts[2]
            out[parts[0][:40]] = row
        return out

    def service_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.cleaned_data}
        data["comparable_adjustments"] = self.cleaned_data.get("comparable_adjustments") or {}
        data["share_scores"] = {
            key: self.cleaned_data[f"share_score_{key}"]
            for key in F.SHARE_FACTORS
            if self.cleaned_data.get(f"share_score_{key}") is not None
        }
        return data


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
