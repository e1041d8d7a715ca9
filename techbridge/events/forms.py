"""Forms of events: the list's filters, the event form with its programme, registration and the door."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techbridge.achievements.models import Achievement
from techbridge.auctions.choices import SessionStatus
from techbridge.auctions.models import AuctionSession, Lot
from techbridge.auctions.queries import PUBLIC_LOT
from techbridge.carriers.forms import Grouped, IdsField, OrganizationField
from techbridge.core.workflow import ReviewStatus
from techbridge.demands.models import Demand
from techbridge.organizations.choices import District
from techbridge.organizations.forms import ZoneChoiceField

from .choices import EventKind
from .models import Event, EventSession
from .services.events import MAX_SESSIONS

ANY = [("", _("Any"))]
DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
WHEN = [("", _("Upcoming")), ("past", _("Past")), ("all", _("All"))]


class EventFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, max_length=100, widget=forms.TextInput(attrs={"type": "search"})
    )
    kind = forms.ChoiceField(label=_("Kind of event"), required=False, choices=ANY + list(EventKind.choices))
    when = forms.ChoiceField(label=_("When"), required=False, choices=WHEN)
    district = forms.ChoiceField(label=_("District"), required=False, choices=ANY + list(District.choices))
    zone = ZoneChoiceField(empty_label=_("Any"), help_text="")

    def filters(self) -> dict[str, Any]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {k: v for k, v in data.items() if v not in (None, "") and k not in self.errors}


class EventForm(Grouped, forms.ModelForm):
    fieldsets = [
        (_("The event"), ["title", "kind", "summary", "organizer"]),
        (_("When"), ["starts_at", "ends_at", "registration_closes_at"]),
        (_("Where"), ["venue", "address", "live_url", "district", "zone"]),
        (_("Seats"), ["capacity", "waitlist"]),
        (_("Presented"), ["achievements", "demands", "lots", "auction_session"]),
        (_("Programme"), ["programme"]),
    ]
    organizer = OrganizationField(label=_("Organiser"), required=False)
    live_url = forms.URLField(label=_("Live link"), max_length=300, required=False, assume_scheme="https")
    zone = ZoneChoiceField()
    achievements = IdsField(
        label=_("Achievements presented"),
        queryset=Achievement.objects.filter(status=ReviewStatus.PUBLISHED),
        picker="achievements",
        limit=100,
        help_text=_("Achievement numbers, separated by commas."),
    )
    demands = IdsField(
        label=_("Demands presented"),
        queryset=Demand.objects.filter(status=ReviewStatus.PUBLISHED),
        picker="demands",
        limit=100,
        help_text=_("Demand numbers, separated by commas."),
    )
    lots = IdsField(
        label=_("Lots presented"),
        queryset=Lot.objects.filter(status__in=PUBLIC_LOT),
        picker="lots",
        limit=100,
        help_text=_("Lot numbers, separated by commas."),
    )
    programme = forms.CharField(
        label=_("Programme"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One item per line: time, title, then speaker and room after “|”, e.g. "
            "“14:00-14:30 项目路演：集成电路专利包 | 张教授 | 一号厅”. "
            "Start a line with a date for another day."
        ),
    )

    class Meta:
        model = Event
        fields = [
            "title",
            "kind",
            "summary",
            "venue",
            "address",
            "live_url",
            "district",
            "zone",
            "starts_at",
            "ends_at",
            "registration_closes_at",
            "capacity",
            "waitlist",
            "auction_session",
        ]
        widgets = {
            "starts_at": DT,
            "ends_at": DT,
            "registration_closes_at": DT,
            "summary": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sessions = AuctionSession.objects.exclude(status=SessionStatus.CLOSED)
        if self.instance.auction_session_id:
            sessions = sessions | AuctionSession.objects.filter(pk=self.instance.auction_session_id)
        self.fields["auction_session"].queryset = sessions.order_by("-starts_at")  # type: ignore[attr-defined]
        event = self.instance
        if event.pk:
            self.initial.setdefault("organizer", event.organizer.name if event.organizer_id else "")
            self.initial.setdefault("achievements", list(event.achievements.all()))
            self.initial.setdefault("demands", list(event.demands.all()))
            self.initial.setdefault("lots", list(event.lots.all()))
            self.initial.setdefault("programme", programme_text(event))
            if event.zone_id:
                self.initial["zone"] = event.zone.code

    def clean(self) -> dict[str, Any]:
        cd = super().clean() or {}
        start = cd.get("starts_at")
        if start and "programme" in cd:
            try:
                cd["sessions"] = parse_programme(cd["programme"], timezone.localtime(start).date())
            except ValidationError as exc:
                self.add_error("programme", exc)
        return cd

    def service_kwargs(self) -> dict[str, Any]:
        cd = self.cleaned_data
        data = {k: cd[k] for k in self.Meta.fields}
        data["organizer"] = cd.get("organizer")
        return {
            "data": data,
            "achievements": cd.get("achievements") or [],
            "demands": cd.get("demands") or [],
            "lots": cd.get("lots") or [],
        }


_LINE = re.compile(
    r"^(?:(?P<date>\d{4}-\d{1,2}-\d{1,2})\s+)?(?P<start>\d{1,2}[:：]\d{2})(?:\s*[-–~至]\s*(?P<end>\d{1,2}[:：]\d{2}))?\s+(?P<rest>.+)$"
)


def _time(text: str) -> dt.time:
    h, m = re.split(r"[:：]", text)
    return dt.time(int(h), int(m))


def parse_programme(text: str, day: dt.date) -> list[dict[str, Any]]:
    """Programme lines → session dicts; a line that does not read is an error naming the line."""
    sessions: list[dict[str, Any]] = []
    tz = timezone.get_current_timezone()
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        match = _LINE.match(line)
        if not match:
            raise ValidationError(
                _("Line %(n)s: start with a time such as 14:00 or 14:00-14:30, then the title.")
                % {"n": number}
            )
        try:
            on = dt.date(*(int(p) for p in match["date"].split("-"))) if match["date"] else day
            start = dt.datetime.combine(on, _time(match["start"]), tzinfo=tz)
            end = dt.datetime.combine(on, _time(match["end"]), tzinfo=tz) if match["end"] else None
        except ValueError:
            raise ValidationError(_("Line %(n)s: the date or time does not exist.") % {"n": number}) from None
        parts = [p.strip() for p in match["rest"].split("|")]
        sessions.append(
            {
                "title": parts[0][:200],
                "starts_at": start,
                "ends_at": end,
                "speaker": (parts[1] if len(parts) > 1 else "")[:200],
                "room": (parts[2] if len(parts) > 2 else "")[:100],
            }
        )
    if len(sessions) > MAX_SESSIONS:
        raise ValidationError(_("At most %(n)s sessions.") % {"n": MAX_SESSIONS})
    return sessions


def programme_text(event: Event) -> str:
    lines = []
    day = timezone.localtime(event.starts_at).date()
    for s in EventSession.objects.filter(event=event).order_by("starts_at", "id"):
        start = timezone.localtime(s.starts_at)
        prefix = "" if start.date() == day else f"{start:%Y-%m-%d} "
        when = f"{start:%H:%M}" + (f"-{timezone.localtime(s.ends_at):%H:%M}" if s.ends_at else "")
        parts = [s.title]
        if s.speaker or s.room:
            parts.append(s.speaker)
        if s.room:
            parts.append(s.room)
        lines.append(f"{prefix}{when} " + " | ".join(parts))
    return "\n".join(lines)


class RegisterForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the organiser"),
        required=False,
        max_length=200,
        help_text=_("Optional: what you hope to find, or needs such as parking or an interpreter."),
    )


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Ticket code"),
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "inputmode": "text",
                "placeholder": "ABCD-EFGH-JKLM",
            }
        ),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ConcludeForm(forms.Form):
    outcome = forms.CharField(
        label=_("After the event"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "What happened: agreements signed on the spot, follow-ups. "
            "The figures are counted from the records."
        ),
    )


class StatsForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1980, max_value=2100)
    district = forms.ChoiceField(label=_("District"), required=False, choices=ANY + list(District.choices))
    zone = ZoneChoiceField(empty_label=_("Any"), help_text="")

    def filters(self) -> dict[str, Any]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {k: v for k, v in data.items() if v not in (None, "") and k not in self.errors}
