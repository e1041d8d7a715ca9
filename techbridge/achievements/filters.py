"""Filters of the achievement list page and endpoint."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from techbridge.taxonomy.filters import ListingFilterForm, range_q

from .choices import AchievementType


class AchievementFilterForm(ListingFilterForm):
    SORTS = {
        "relevance": (_("Best match"), []),
        "newest": (_("Newest"), ["-published_at", "-id"]),
        "price_asc": (_("Price: low to high"), ["price", "-id"]),
        "price_desc": (_("Price: high to low"), ["-price", "-id"]),
        "trl_desc": (_("Most mature first"), ["-trl", "-published_at", "-id"]),
    }

    type = forms.ChoiceField(
        label=_("Type"), choices=[("", _("All types")), *AchievementType.choices], required=False
    )
    trl_min = forms.IntegerField(label=_("TRL from"), min_value=1, max_value=9, required=False)
    trl_max = forms.IntegerField(label=_("TRL to"), min_value=1, max_value=9, required=False)
    price_min = forms.DecimalField(
        label=_("Price from (10k yuan)"), min_value=0, max_digits=12, required=False
    )
    price_max = forms.DecimalField(label=_("Price to (10k yuan)"), min_value=0, max_digits=12, required=False)
    dual_use = forms.BooleanField(label=_("Dual-use only"), required=False)

    def clean(self) -> dict[str, Any]:
        cd = super().clean() or {}
        if cd.get("trl_min") and cd.get("trl_max") and cd["trl_min"] > cd["trl_max"]:
            self.add_error("trl_max", _("The upper TRL must not be below the lower one."))
        if (
            cd.get("price_min") is not None
            and cd.get("price_max") is not None
            and cd["price_min"] > cd["price_max"]
        ):
            self.add_error("price_max", _("The upper price must not be below the lower one."))
        return cd

    def extra_filter(self, qs: QuerySet, cd: dict[str, Any]) -> QuerySet:
        if cd.get("type"):
            qs = qs.filter(kind=cd["type"])
        qs = qs.filter(range_q("trl", cd.get("trl_min"), cd.get("trl_max")))
        low, high = cd.get("price_min"), cd.get("price_max")
        if low is not None or high is not None:
            # Prices are entered in 10k yuan (万元) on the page and stored in yuan.
            qs = qs.filter(price__isnull=False).filter(
                range_q(
                    "price",
                    low * 10000 if low is not None else None,
                    high * 10000 if high is not None else None,
                )
            )
        if cd.get("dual_use"):
            qs = qs.filter(dual_use=True)
        return qs
