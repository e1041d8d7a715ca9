"""The achievement form of the portal: validates input, the services save it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from techbridge.core.listing_files import check_attachment
from techbridge.core.listing_views import ListingForm, WanYuanField, vocabulary_by_code
from techbridge.organizations.forms import ZoneChoiceField

from .models import Achievement
from .services import EDITABLE_FIELDS

MAX_FILES_PER_UPLOAD = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (empty when none was chosen)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class DisciplineChoiceField(forms.ModelChoiceField):
    """Disciplines with their category, so 67 names in one list stay findable."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.category} · {obj.name}"


class AchievementForm(ListingForm):
    """Create or edit an achievement; files are checked here and again by the service."""

    editable = EDITABLE_FIELDS
    m2m_fields = ("fields", "deal_modes")
    fieldsets = [
        (_("What it is"), ["title", "kind", "fields", "discipline", "trl", "keywords", "dual_use", "zone"]),
        (_("Patents"), ["patent_numbers", "legal_status", "ipc_codes"]),
        (_("For buyers (public)"), ["summary", "advantages", "applications"]),
        (_("Terms"), ["deal_modes", "price_negotiable", "price"]),
        (
            _("Confidential (shown only after the non-disclosure terms are accepted)"),
            ["detail", "attachments"],
        ),
        (_("Team and contact"), ["team", "contact_name", "contact_phone", "contact_email"]),
    ]

    price = WanYuanField(
        label=_("Indicative price (10k yuan)"),
        required=False,
        help_text=_("Leave empty and tick “negotiable” to show 面议."),
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_(
            "Confidential files for buyers who accepted the non-disclosure terms: PDF, Word (.docx) or "
            "Excel (.xlsx) documents up to 20 MB, or JPEG, PNG, GIF or WebP images up to 5 MB, checked by "
            "their content."
        ),
    )

    class Meta:
        model = Achievement
        fields = [
            "title",
            "kind",
            "fields",
            "discipline",
            "trl",
            "keywords",
            "dual_use",
            "zone",
            "patent_numbers",
            "legal_status",
            "ipc_codes",
            "summary",
            "advantages",
            "applications",
            "deal_modes",
            "price_negotiable",
            "price",
            "detail",
            "team",
            "contact_name",
            "contact_phone",
            "contact_email",
        ]
        field_classes = {"discipline": DisciplineChoiceField, "zone": ZoneChoiceField}
        widgets = {
            "fields": forms.CheckboxSelectMultiple,
            "deal_modes": forms.CheckboxSelectMultiple,
            "summary": forms.Textarea(attrs={"rows": 4}),
            "advantages": forms.Textarea(attrs={"rows": 3}),
            "applications": forms.Textarea(attrs={"rows": 3}),
            "detail": forms.Textarea(attrs={"rows": 6}),
            "team": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "keywords": _("Separate keywords with commas, e.g. 锂电池，隔膜."),
            "patent_numbers": _("e.g. CN202223220665.2; separate several with commas."),
            "ipc_codes": _("e.g. H01M 50/403; separate several with commas."),
            "summary": _("Public: what it does and for whom. Everyone can read this."),
            "zone": _("Leave empty to use your organisation's zone."),
            "advantages": _("Public: the benefit over existing technology, with figures if you can."),
            "applications": _("Public: where it can be used and how it reaches the market."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Imports may leave the TRL empty; on the platform the owner must assess it.
        self.fields["trl"].required = True
        vocabulary_by_code(self, "fields", "deal_modes")
        discipline = self.fields["discipline"]
        assert isinstance(discipline, forms.ModelChoiceField)
        discipline.empty_label = _("Choose a discipline")
        self.fields["title"].widget.attrs["placeholder"] = _("e.g. 一种高孔隙率锂电池隔膜的制备方法")

    def clean_attachments(self) -> list[Any]:
        files = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_FILES_PER_UPLOAD:
            raise ValidationError(
                _("Upload at most %(n)s files at a time.") % {"n": MAX_FILES_PER_UPLOAD}, code="too_many"
            )
        errors: list[str] = []
        for upload in files:
            try:
                check_attachment(upload)
            except ValidationError as exc:
                errors.extend(f"{upload.name}: {message}" for message in exc.messages)
        if errors:
            raise ValidationError(errors)
        return files

    def service_kwargs(self) -> dict[str, Any]:
        return {**super().service_kwargs(), "attachments": self.cleaned_data.get("attachments") or []}
