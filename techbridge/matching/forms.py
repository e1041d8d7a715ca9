"""The match page's form: a need in free text, within the achievement list's filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from techbridge.achievements.filters import AchievementFilterForm

from .hybrid import MAX_QUERY_CHARS

DEFAULT_K = 10
MAX_K = 50


class MatchForm(AchievementFilterForm):
    """``q`` is the need, as long as people write it (the engine reads at most 20,000 characters and
    says so); the other fields are the achievement filters, so an unknown value is a form error."""

    q = forms.CharField(
        label=_("Describe the technology you need"),
        required=False,
        strip=True,
        widget=forms.Textarea(
            attrs={
                "rows": 4,
                "placeholder": _("e.g. 我们需要耐高温的动力锂电池隔膜，提高电池安全性"),
            }
        ),
    )
    k = forms.IntegerField(label=_("Results"), min_value=1, max_value=MAX_K, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        data = args[0] if args else kwargs.get("data")
        raw = data.get("q", "") if data is not None else ""
        super().__init__(*args, **kwargs)
        # The list filter cuts its search box at 200 characters; a need is matched as written (up to
        # what the engine reads: the cut is announced with the results).
        if data is not None and len(raw) > 200:
            copy = dict(self.data.items())
            copy["q"] = raw[: MAX_QUERY_CHARS + 1]
            self.data = copy
        del self.fields["sort"]
        del self.fields["page"]
        self.fields["k"].widget = forms.HiddenInput()

    @property
    def result_count(self) -> int:
        return (self.cleaned_data.get("k") if self.is_bound and self.is_valid() else None) or DEFAULT_K
