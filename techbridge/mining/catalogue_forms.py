"""Forms of catalogues (成果目录)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Catalogue


class CatalogueForm(forms.ModelForm):
    class Meta:
        model = Catalogue
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class EntryNoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
