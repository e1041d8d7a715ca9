"""Forms of governance: they validate input (limits shared with the models); services decide."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techbridge.organizations.choices import District, OrgKind
from techbridge.organizations.models import Organization, Zone
from techbridge.taxonomy.models import IndustryField

from .choices import ConditionKind, Designation, OrgSize, PolicyLevel, SelfAssessment, Source
from .evaluation import BY_CODE, INPUTS, MANUAL_INPUTS
from .models import MAX_REPORT_FIGURES, Meeting, Plan, Policy, ProgressReport, Task

DATE = forms.DateInput(attrs={"type": "date"})
TEXTAREA = forms.Textarea(attrs={"rows": 4})
MONEY: dict[str, Any] = {
    "min_value": Decimal("0"),
    "max_value": Decimal("1e15"),
    "max_digits": 18,
    "decimal_places": 2,
}


def year_choices() -> list[tuple[int, int]]:
    this = timezone.localdate().year
    return [(y, y) for y in range(this, 2014, -1)]


class PlanSettingsForm(forms.ModelForm):
    make_current = forms.BooleanField(label=_("Open the dashboards with this plan"), required=False)

    class Meta:
        model = Plan
        fields = [
            "on_track_ratio",
            "attention_ratio",
            "forecast_periods",
            "report_grace_days",
            "reporting_starts",
        ]
        widgets = {"reporting_starts": DATE}


class FigureForm(forms.Form):
    as_of = forms.DateField(label=_("As of"), widget=DATE)
    value = forms.DecimalField(label=_("Value"), **MONEY)
    evidence = forms.CharField(label=_("Evidence"), widget=TEXTAREA, max_length=1000)
    evidence_file = forms.FileField(label=_("Evidence file"), required=False)

    def clean_as_of(self) -> dt.date:
        day = self.cleaned_data["as_of"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A figure cannot be dated in the future."))
        return day


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due = forms.DateField(label=_("Due"), widget=DATE)
    description = forms.CharField(label=_("Description"), widget=TEXTAREA, max_length=1000, required=False)


class ReportForm(forms.Form):
    """The report's text; the figures and milestones below it are built per task (``ReportForm.for_task``)."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), coerce=int, choices=[(q, f"Q{q}") for q in (1, 2, 3, 4)]
    )
    summary = forms.CharField(
        label=_("Progress this quarter"), widget=forms.Textarea(attrs={"rows": 8}), max_length=5000
    )
    next_steps = forms.CharField(label=_("Next steps"), widget=TEXTAREA, max_length=2000, required=False)
    self_assessment = forms.ChoiceField(label=_("Self-assessment"), choices=SelfAssessment.choices)

    def __init__(self, *args: Any, task: Task, report: ProgressReport | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.task = task
        self.report = report
        if report is not None:
            del self.fields["year"]
            del self.fields["quarter"]
        self.manual_targets = [t for t in task.targets.all() if t.source == Source.MANUAL]
        self.open_milestones = [m for m in task.milestones.all() if m.done_on is None]
        for i in range(MAX_REPORT_FIGURES if self.is_bound else 5):
            self.fields[f"figure_{i}_label"] = forms.CharField(
                label=_("Figure"), max_length=100, required=False
            )
            self.fields[f"figure_{i}_value"] = forms.DecimalField(label=_("Value"), required=False, **MONEY)
            self.fields[f"figure_{i}_unit"] = forms.CharField(label=_("Unit"), max_length=20, required=False)
            self.fields[f"figure_{i}_target"] = forms.TypedChoiceField(
                label=_("Counts towards"),
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", "–"), *[(t.pk, t.indicator) for t in self.manual_targets]],
            )
            self.fields[f"figure_{i}_evidence"] = forms.CharField(
                label=_("Evidence"), max_length=500, required=False
            )
        for m in self.open_milestones:
            self.fields[f"milestone_{m.pk}"] = forms.DateField(label=m.title, required=False, widget=DATE)
        if report is not None and not self.is_bound:
            self._initial_from(report)

    def _initial_from(self, report: ProgressReport) -> None:
        self.initial.update(
            {
                "summary": report.summary,
                "next_steps": report.next_steps,
                "self_assessment": report.self_assessment,
            }
        )
        for i, f in enumerate(report.figures.all()[:5]):
            self.initial.update(
                {
                    f"figure_{i}_label": f.label,
                    f"figure_{i}_value": f.value,
                    f"figure_{i}_unit": f.unit,
                    f"figure_{i}_target": f.target_id,
                    f"figure_{i}_evidence": f.evidence,
                }
            )
        for done in report.milestones_done.all():
            self.initial[f"milestone_{done.milestone_id}"] = done.done_on

    def figure_rows(self) -> list[list[Any]]:
        rows = []
        i = 0
        while f"figure_{i}_label" in self.fields:
            rows.append(
                [self[f"figure_{i}_{part}"] for part in ("label", "value", "unit", "target", "evidence")]
            )
            i += 1
        return rows

    def milestone_fields(self) -> list[Any]:
        return [self[f"milestone_{m.pk}"] for m in self.open_milestones]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        figures = []
        i = 0
        while f"figure_{i}_label" in self.fields:
            label = data.get(f"figure_{i}_label") or ""
            value = data.get(f"figure_{i}_value")
            target = data.get(f"figure_{i}_target")
            if (label or target) and value is None:
                self.add_error(f"figure_{i}_value", _("Give the value of this figure."))
            elif value is not None and not (label or target):
                self.add_error(f"figure_{i}_label", _("Say what the figure is."))
            elif value is not None:
                figures.append(
                    {
                        "label": label,
                        "value": value,
                        "unit": data.get(f"figure_{i}_unit") or "",
                        "target": target,
                        "evidence": data.get(f"figure_{i}_evidence") or "",
                    }
                )
            i += 1
        data["figures"] = figures
        data["milestones"] = [
            {"milestone": m.pk, "done_on": data[f"milestone_{m.pk}"]}
            for m in self.open_milestones
            if data.get(f"milestone_{m.pk}")
        ]
        return data


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the department"), widget=TEXTAREA, max_length=2000, required=False
    )


class MeetingForm(forms.ModelForm):
    attendees = forms.ModelMultipleChoiceField(
        label=_("Participating departments"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Meeting
        fields = ["title", "held_on", "location", "chair", "participants", "minutes"]
        widgets = {"held_on": DATE, "minutes": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = plan_departments(plan)  # type: ignore[attr-defined]
        if self.instance.pk:
            self.initial["attendees"] = list(self.instance.attendees.values_list("pk", flat=True))


def plan_departments(plan: Plan) -> Any:
    return Organization.objects.filter(governance_assignments__task__plan=plan).distinct().order_by("name")


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), widget=TEXTAREA, max_length=1000)
    task = forms.ModelChoiceField(label=_("Task"), queryset=Task.objects.none(), required=False)
    responsible = forms.ModelChoiceField(
        label=_("Responsible"), queryset=Organization.objects.none(), required=False
    )
    due = forms.DateField(label=_("Due"), widget=DATE, required=False)

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = plan.tasks.order_by("number")  # type: ignore[attr-defined]
        self.fields["responsible"].queryset = plan_departments(plan)  # type: ignore[attr-defined]


class CloseDecisionForm(forms.Form):
    outcome = forms.CharField(label=_("What came of it"), widget=TEXTAREA, max_length=1000)


class FormulaForm(forms.Form):
    note = forms.CharField(label=_("Why this version"), widget=TEXTAREA, max_length=1000)

    def __init__(self, *args: Any, current: dict[str, Any] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for inp in INPUTS:
            self.fields[f"w_{inp.code}"] = forms.DecimalField(
                label=str(inp.label),
                min_value=0,
                max_value=100,
                max_digits=5,
                decimal_places=2,
                initial=Decimal(str((current or {}).get(inp.code, 1))),
            )

    def weights(self) -> dict[str, Decimal]:
        return {inp.code: self.cleaned_data[f"w_{inp.code}"] for inp in INPUTS}


class EvaluationFigureForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    input = forms.ChoiceField(label=_("Input"), choices=[(c, BY_CODE[c].label) for c in MANUAL_INPUTS])
    value = forms.DecimalField(label=_("Value"), **MONEY)
    evidence = forms.CharField(label=_("Evidence"), widget=TEXTAREA, max_length=1000)
    attachment = forms.FileField(label=_("Evidence file"), required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()  # type: ignore[attr-defined]


class MonthlyForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    month = forms.TypedChoiceField(label=_("Month"), coerce=int, choices=[(m, m) for m in range(1, 13)])

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()  # type: ignore[attr-defined]


def condition_choices(kind: str) -> list[tuple[str, str]]:
    if kind == ConditionKind.ORG_KIND:
        return [(k, str(v)) for k, v in OrgKind.choices]
    if kind == ConditionKind.LOCATION:
        return [(k, str(v)) for k, v in District.choices]
    if kind == ConditionKind.ZONE:
        return list(Zone.objects.order_by("order", "id").values_list("code", "name"))
    if kind == ConditionKind.FIELD:
        return list(IndustryField.objects.order_by("order", "id").values_list("code", "name"))
    if kind == ConditionKind.DESIGNATION:
        return [(k, str(v)) for k, v in Designation.choices]
    return [(k, str(v)) for k, v in OrgSize.choices]


class PolicyForm(forms.ModelForm):
    """The policy and one optional condition per kind (values ticked, the policy's own wording)."""

    url = forms.URLField(label=_("Official text"), max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = Policy
        fields = [
            "title",
            "level",
            "issuer",
            "document_number",
            "issued_on",
            "effective_from",
            "effective_until",
            "url",
            "summary",
            "keywords",
        ]
        widgets = {"issued_on": DATE, "effective_from": DATE, "effective_until": DATE, "summary": TEXTAREA}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = PolicyLevel.choices  # type: ignore[attr-defined]
        existing = {c.kind: c for c in self.instance.conditions.all()} if self.instance.pk else {}
        for kind, label in ConditionKind.choices:
            self.fields[f"cond_{kind}"] = forms.MultipleChoiceField(
                label=label,
                choices=condition_choices(kind),
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            self.fields[f"cond_{kind}_note"] = forms.CharField(
                label=_("Wording in the policy"), max_length=300, required=False
            )
            if kind in existing:
                self.initial[f"cond_{kind}"] = existing[kind].values
                self.initial[f"cond_{kind}_note"] = existing[kind].note

    def condition_fields(self) -> list[tuple[Any, Any]]:
        return [(self[f"cond_{k}"], self[f"cond_{k}_note"]) for k in ConditionKind.values]

    def conditions(self) -> list[dict[str, Any]]:
        return [
            {"kind": k, "values": self.cleaned_data[f"cond_{k}"], "note": self.cleaned_data[f"cond_{k}_note"]}
            for k in ConditionKind.values
            if self.cleaned_data.get(f"cond_{k}")
        ]

    def data_for_service(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ProfileForm(forms.Form):
    size = forms.ChoiceField(
        label=_("Size"), choices=[("", _("Not declared")), *OrgSize.choices], required=False
    )
    designations = forms.MultipleChoiceField(
        label=_("Designations held"),
        choices=Designation.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    industry_fields = forms.ModelMultipleChoiceField(
        label=_("Industry fields"),
        queryset=IndustryField.objects.order_by("order", "id"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class PolicySearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    level = forms.ChoiceField(
        label=_("Level"), choices=[("", _("All levels")), *PolicyLevel.choices], required=False
    )
