"""Forms of notices and news: the article editor, the image upload, the portal's filter."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import ArticleStatus, Section
from .models import Article

DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ArticleFilterForm(forms.Form):
    """The portal's list: a section and words in the title or summary."""

    section = forms.ChoiceField(
        label=_("section"), required=False, choices=[("", _("All")), *Section.choices]
    )
    q = forms.CharField(
        label=_("Search"), required=False, max_length=100, widget=forms.TextInput(attrs={"type": "search"})
    )

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class ArticleApiFilterForm(ArticleFilterForm):
    """The API's list also filters by status (console users; others only ever see published articles)."""

    status = forms.ChoiceField(
        label=_("status"), required=False, choices=[("", _("All")), *ArticleStatus.choices]
    )


class ArticleForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = ["section", "title", "summary", "body", "source", "publish_at"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 18, "class": "mono"}),
            "publish_at": DT,
        }

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ImageForm(forms.Form):
    image = forms.FileField(label=_("image"), help_text=_("JPEG, PNG, GIF or WebP, at most 5 MB."))
    alt = forms.CharField(
        label=_("description"),
        required=False,
        max_length=200,
        help_text=_("Read aloud to blind readers and shown when the image cannot load."),
    )


class PublishForm(forms.Form):
    publish_at = forms.DateTimeField(
        label=_("public from"),
        required=False,
        widget=DT,
        help_text=_("Leave empty to publish at once."),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("reason"), required=False, max_length=500)
