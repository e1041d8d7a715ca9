"""Filters of the demand list page and endpoint."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techbridge.taxonomy.filters import ListingFilterForm


class DemandFilterForm(ListingFilterForm):
    """Field, cooperation mode, district, a budget range in 万元 overlapping the demand's, open ones only."""

    OWNER_FIELD = "enterprise"
    deal_mode_lookup = "cooperation_modes"
    # Orders may be expressions here (nulls last), which the base annotation does not foresee.
    SORTS: dict[str, tuple[Any, list[Any]]] = {  # type: ignore[assignment]
        "relevance": (_("Best match"), []),
        "newest": (_("Newest"), ["-published_at", "-id"]),
        "deadline": (
            _("Deadline: soonest first"),
            [F("deadline").asc(nulls_last=True), "-published_at", "-id"],
        ),
        "budget": (
            _("Budget: high to low"),
            [F("budget_max").desc(nulls_last=True), F("budget_min").desc(nulls_last=True), "-id"],
        ),
    }

    budget_min = forms.DecimalField(
        label=_("Budget from (10k yuan)"), min_value=0, max_digits=12, required=False
    )
    budget_max = forms.DecimalField(
        label=_("Budget to (10k yuan)"), min_value=0, max_digits=12, required=False
    )
    open_only = forms.BooleanField(label=_("Deadline not passed"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mode = self.fields["deal_mode"]
        assert isinstance(mode, forms.ModelChoiceField)
        mode.label = _("Cooperation mode")
        mode.empty_label = _("All cooperation modes")

    def clean(self) -> dict[str, Any]:
        cd = super().clean() or {}
        low, high = cd.get("budget_min"), cd.get("budget_max")
        if low is not None and high is not None and low > high:
            self.add_error("budget_max", _("The upper budget must not be below the lower one."))
        return cd

    def extra_filter(self, qs: QuerySet, cd: dict[str, Any]) -> QuerySet:
        low, high = cd.get("budget_min"), cd.get("budget_max")
        if low is not None or high is not None:
            # Budgets are entered in 10k yuan (万元) and stored in yuan. A demand matches when its range
            # overlaps the wanted one; an open end counts as unbounded, a 面议-only demand has no range.
            qs = qs.exclude(budget_min__isnull=True, budget_max__isnull=True)
            if low is not None:
                qs = qs.filter(Q(budget_max__isnull=True) | Q(budget_max__gte=low * 10000))
            if high is not None:
                qs = qs.filter(Q(budget_min__isnull=True) | Q(budget_min__lte=high * 10000))
        if cd.get("open_only"):
            qs = qs.filter(Q(deadline__isnull=True) | Q(deadline__gte=timezone.localdate()))
        return qs
