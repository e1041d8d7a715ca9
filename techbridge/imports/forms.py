"""Forms of the import console."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from techbridge.core.workflow import Source

from .batches import UPLOAD_SOURCES
from .readers import SUPPORTED_EXTENSIONS
from .registry import import_kinds


def kind_choices() -> list[tuple[str, str]]:
    return [(k.code, str(k.label)) for k in import_kinds()]


class UploadForm(forms.Form):
    """An Excel, CSV, TSV or JSONL file of one kind of record from one source."""

    kind = forms.ChoiceField(label=_("Kind of record"), choices=kind_choices)
    source = forms.ChoiceField(
        label=_("Source"), choices=[(s.value, s.label) for s in Source if s in UPLOAD_SOURCES]
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("Excel (.xlsx), CSV, TSV or JSON Lines; the first row names the columns."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(SUPPORTED_EXTENSIONS)}),
    )
    publish = forms.BooleanField(
        label=_("Publish new listings directly (approve new organisations)"), required=False
    )
    find_duplicates = forms.BooleanField(
        label=_("Look for duplicates after the import"), required=False, initial=True
    )
