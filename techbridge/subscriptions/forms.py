"""The notification settings form: one checkbox per kind group and channel, quiet hours, WeChat."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from techbridge.core import channels


class PreferenceForm(forms.Form):
    quiet_start = forms.TimeField(label=_("Quiet hours from"), required=False)
    quiet_end = forms.TimeField(label=_("Quiet hours until"), required=False)
    wechat_openid = forms.CharField(label=_("WeChat account"), max_length=64, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for group in channels.GROUP_NAMES:
            for name in channels.CHANNEL_NAMES:
                self.fields[f"{group}:{name}"] = forms.BooleanField(required=False)

    def choices(self) -> dict[str, bool]:
        out = {
            f"{group}:{name}": bool(self.cleaned_data.get(f"{group}:{name}"))
            for group in channels.GROUP_NAMES
            for name in channels.CHANNEL_NAMES
        }
        out[f"{channels.SYSTEM}:{channels.IN_APP}"] = True  # always on, shown disabled
        return out

    def service_kwargs(self) -> dict[str, Any]:
        cd = self.cleaned_data
        return {
            "choices": self.choices(),
            "quiet_start": cd.get("quiet_start"),
            "quiet_end": cd.get("quiet_end"),
            "wechat_openid": cd.get("wechat_openid") or "",
        }

    def error_message(self) -> str:
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else name
            return f"{label}: {errors[0]}"
        return ""

    def as_preferences(self, current: channels.Preferences) -> channels.Preferences:
        """What the user sent, to show the form again after a refusal."""
        if not hasattr(self, "cleaned_data"):
            return current
        cd = self.cleaned_data
        return channels.Preferences(
            self.choices(), cd.get("quiet_start"), cd.get("quiet_end"), cd.get("wechat_openid") or ""
        )
