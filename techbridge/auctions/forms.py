"""Forms of auctions: operators set up sessions and lots; reviewers screen lots; bidders bid."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from techbridge.achievements.models import Achievement
from techbridge.core.pickers import PickerField
from techbridge.core.workflow import ReviewStatus
from techbridge.mining.models import AchievementPackage

from .models import AuctionSession, Lot

DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class GroupedForm(forms.ModelForm):
    fieldsets: list[tuple[Any, list[str]]] = []

    def grouped_fields(self) -> list[tuple[Any, list[Any]]]:
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in self.fieldsets
        ]


class SessionForm(GroupedForm):
    fieldsets = [(_("Session"), ["title", "description", "starts_at", "deposit_amount", "bidder_terms"])]

    class Meta:
        model = AuctionSession
        fields = ["title", "description", "starts_at", "deposit_amount", "bidder_terms"]
        widgets = {
            "starts_at": DT,
            "description": forms.Textarea(attrs={"rows": 4}),
            "bidder_terms": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"deposit_amount": _("Paid once per bidder for the session; 0 means no deposit.")}


class LadderField(forms.CharField):
    """The increment ladder as text lines "from_price step", e.g. "100000 5000"."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> str:
        if isinstance(value, list):
            return "\n".join(f"{a} {b}" for a, b in value)
        return value or ""

    def to_python(self, value: Any) -> list[list[str]]:  # type: ignore[override]
        rows: list[list[str]] = []
        for line in str(value or "").splitlines():
            parts = line.replace(",", " ").replace("，", " ").split()
            if not parts:
                continue
            try:
                threshold, step = (Decimal(p) for p in parts)
            except (ValueError, InvalidOperation):
                raise ValidationError(_("Each ladder row is a price and a step, e.g. 100000 5000.")) from None
            rows.append([str(threshold), str(step)])
        return rows


class LotForm(GroupedForm):
    fieldsets = [
        (_("What is sold"), ["title", "description", "achievement", "package", "sale_kind", "licence_type"]),
        (
            _("Format and prices"),
            ["format", "starting_price", "reserve_price", "increment", "increment_ladder"],
        ),
        (
            _("Timing"),
            [
                "starts_at",
                "scheduled_end_at",
                "soft_close_minutes",
                "extension_minutes",
                "extension_cap_minutes",
            ],
        ),
        (_("Dutch clock"), ["dutch_decrement", "dutch_interval_seconds"]),
    ]
    increment_ladder = LadderField(
        label=_("Increment ladder"),
        required=False,
        help_text=_("Optional. One row per price band: from price, step. E.g. 100000 5000."),
    )
    # Published achievements grow into the tens of thousands: picked by typing, never a <select>.
    achievement = PickerField(
        "achievements",
        Achievement.objects.filter(status=ReviewStatus.PUBLISHED).select_related("owner"),
        label=_("Achievement"),
        required=False,
        help_text=_("Type part of the title or its number and pick it from the list."),
    )

    package = PickerField(
        "packages",
        AchievementPackage.objects.none(),
        label=capfirst(Lot._meta.get_field("package").verbose_name),
        required=False,
        help_text=_("Or a published achievement package: type part of its title and pick it."),
    )

    class Meta:
        model = Lot
        fields = [
            "title",
            "description",
            "achievement",
            "package",
            "sale_kind",
            "licence_type",
            "format",
            "starting_price",
            "reserve_price",
            "increment",
            "increment_ladder",
            "starts_at",
            "scheduled_end_at",
            "soft_close_minutes",
            "extension_minutes",
            "extension_cap_minutes",
            "dutch_decrement",
            "dutch_interval_seconds",
        ]
        widgets = {"starts_at": DT, "scheduled_end_at": DT, "description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "reserve_price": _("Hidden from bidders. Below it the lot goes to post-auction negotiation."),
            "soft_close_minutes": _("A bid in these last minutes extends the end."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["package"].queryset = AchievementPackage.objects.filter(  # type: ignore[attr-defined]
            status="published"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("achievement")) == bool(data.get("package")):
            raise ValidationError(_("Choose either an achievement or an achievement package."))
        return data


class ScreeningForm(forms.Form):
    rights_verified = forms.BooleanField(label=_("Ownership verified"), required=False)
    rights_in_force = forms.BooleanField(
        label=_("Rights valid and in force (fees paid, term remaining)"), required=False
    )
    no_encumbrance = forms.BooleanField(label=_("No pledge, conflicting licence or dispute"), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


# ---- deposits paid by bank transfer (views_deposits.py) ----------------------------------------------


class RefundAccountForm(forms.Form):
    """Where the bidder's deposit goes back; the service checks it (digits 8–30, name and bank)."""

    refund_account_name = forms.CharField(label=_("Account name (户名)"), max_length=100)
    refund_account_number = forms.CharField(
        label=_("Account number"), max_length=40, help_text=_("8 to 30 digits; spaces are ignored.")
    )
    refund_bank = forms.CharField(label=_("Bank and branch (开户行)"), max_length=100)

    def __init__(self, *args: Any, registration: Any = None, **kwargs: Any):
        if registration is not None and registration.refund_account_number:
            kwargs.setdefault(
                "initial",
                {
                    "refund_account_name": registration.refund_account_name,
                    "refund_account_number": registration.refund_account_number,
                    "refund_bank": registration.refund_bank,
                },
            )
        super().__init__(*args, **kwargs)


class StatementUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Bank statement (.xlsx or .csv)"),
        help_text=_(
            "The export of the receiving account: 交易日期, 摘要/附言, 对方户名, 对方账号, 收入金额, 流水号."
        ),
    )


class AssignLineForm(forms.Form):
    """Pay a registration's deposit with an unmatched line: the bidder's payment reference."""

    reference = forms.CharField(label=_("Payment reference"), max_length=40)
    override_reason = forms.CharField(label=_("Reason if the amount differs"), max_length=500, required=False)

    def clean_reference(self) -> Any:
        from .deposits import registration_for_reference

        reg = registration_for_reference(self.cleaned_data["reference"])
        if reg is None:
            raise ValidationError(_("No registration has this payment reference (check the characters)."))
        self.cleaned_data["registration"] = reg
        return self.cleaned_data["reference"]


class DismissLineForm(forms.Form):
    reason = forms.CharField(
        label=pgettext_lazy("bank statement", "Reason"),
        max_length=500,
        error_messages={"required": _("Give the reason for dismissing the line.")},
    )


class RefundExportForm(forms.Form):
    file_format = forms.ChoiceField(
        label=_("Format"), choices=[("xlsx", "Excel (.xlsx)"), ("csv", "CSV")], initial="xlsx"
    )
