"""The catalogue of shared resources: instruments and pilot lines, their fees, trained users, maintenance."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from techbridge.core.workflow import Source, StateMachineMixin

from .. import slots
from ..choices import (
    INSTRUMENT_TRANSITIONS,
    AccessMode,
    Audience,
    FeeUnit,
    InstrumentCategory,
    InstrumentStatus,
    ResourceKind,
)
from .common import MONEY, RATE, TEXT_LONG, TEXT_MEDIUM, TEXT_SHORT


def validate_weekdays(value: str) -> None:
    if not value or any(c not in "1234567" for c in value) or len(set(value)) != len(value):
        raise ValidationError(
            _("Write the open weekdays as digits 1–7 (1 is Monday), each once, e.g. 12345.")
        )


class Instrument(StateMachineMixin):
    """A bookable resource of an organisation: a research instrument or a pilot line.

    Guarantees: the owner is an organisation; opening hours are a non-empty span on at least one
    weekday; ``slot_minutes`` is one of ``slots.SLOT_CHOICES`` and never changes while future slots are
    held (services refuse it); fees are rows of ``FeeRate`` (data, not code). ``status`` moves only
    through ``core.workflow.transition``; only ``active`` resources take bookings.
    """

    TRANSITIONS = INSTRUMENT_TRANSITIONS

    kind = models.CharField(
        _("kind"), max_length=16, choices=ResourceKind.choices, default=ResourceKind.INSTRUMENT
    )
    name = models.CharField(_("name"), max_length=TEXT_SHORT)
    model_number = models.CharField(pgettext_lazy("instrument", "model"), max_length=100, blank=True)
    maker = models.CharField(_("manufacturer"), max_length=100, blank=True)
    category = models.CharField(
        pgettext_lazy("instrument", "category"),
        max_length=16,
        choices=InstrumentCategory.choices,
        default=InstrumentCategory.OTHER,
    )
    fields = models.ManyToManyField(
        "taxonomy.IndustryField", verbose_name=_("industry fields"), blank=True, related_name="+"
    )
    owner = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="instruments",
    )
    lab = models.CharField(_("laboratory"), max_length=100, blank=True)
    location = models.CharField(_("location"), max_length=TEXT_SHORT, blank=True)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person in charge"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_instruments",
        help_text=_("A member of the owner organisation who approves bookings and records usage."),
    )
    platform = models.ForeignKey(
        "instruments.ServicePlatform",
        verbose_name=_("service platform"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resources",
    )
    purchase_value = models.DecimalField(_("purchase value (yuan)"), null=True, blank=True, **MONEY)
    purchase_year = models.PositiveSmallIntegerField(
        _("year of purchase"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1950), MaxValueValidator(2100)],
    )
    publicly_funded = models.BooleanField(_("bought with public funds"), default=False)
    description = models.TextField(_("what it does"), max_length=TEXT_LONG, blank=True)
    specs = models.TextField(_("technical specifications"), max_length=TEXT_LONG, blank=True)
    sample_requirements = models.TextField(_("sample requirements"), max_length=TEXT_MEDIUM, blank=True)
    capacity = models.CharField(
        _("capacity"),
        max_length=TEXT_SHORT,
        blank=True,
        help_text=_("For pilot lines: batch size or throughput, e.g. 200 L per batch."),
    )
    access = models.CharField(
        _("access"), max_length=16, choices=AccessMode.choices, default=AccessMode.OPERATED
    )
    open_days = models.CharField(
        _("open weekdays"), max_length=7, default="12345", validators=[validate_weekdays]
    )
    opens_at = models.TimeField(_("opens at"), default=dt.time(8, 30))
    closes_at = models.TimeField(_("closes at"), default=dt.time(17, 30))
    slot_minutes = models.PositiveSmallIntegerField(
        _("booking unit"),
        choices=[(m, m) for m in slots.SLOT_CHOICES],
        default=60,
        help_text=_("Bookings are made in whole units of this many minutes (1440: whole days)."),
    )
    cancel_notice_hours = models.PositiveSmallIntegerField(
        _("cancellation notice (hours)"),
        default=24,
        validators=[MaxValueValidator(720)],
        help_text=_(
            "An approved booking may be cancelled by its requester until this long before it starts."
        ),
    )
    horizon_days = models.PositiveSmallIntegerField(
        _("bookable ahead (days)"), default=60, validators=[MinValueValidator(1), MaxValueValidator(366)]
    )
    calibration_due = models.DateField(_("next calibration or service due"), null=True, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=InstrumentStatus.choices,
        default=InstrumentStatus.ACTIVE,
        db_index=True,
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.MANUAL)
    external_id = models.CharField(_("external id"), max_length=100, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(slot_minutes__in=slots.SLOT_CHOICES), name="instrument_slot_unit"
            ),
            models.UniqueConstraint(
                fields=["owner", "external_id"],
                condition=~models.Q(external_id=""),
                name="instrument_external_id_once_per_owner",
            ),
        ]
        indexes = [models.Index(fields=["owner", "status"]), models.Index(fields=["category", "status"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.slot_minutes not in slots.SLOT_CHOICES:
            raise ValidationError({"slot_minutes": _("Choose one of the offered booking units.")})
        if self.slot_minutes < slots.DAY and self.opens_at and self.closes_at:
            hours = self.hours
            if not slots.rows_of_day(self.slot_minutes, hours):
                raise ValidationError(
                    {"closes_at": _("The daily opening hours must hold at least one whole booking unit.")}
                )

    @property
    def hours(self) -> slots.Hours:
        return slots.Hours.parse(self.open_days, self.opens_at, self.closes_at)

    @property
    def is_bookable(self) -> bool:
        return self.status == InstrumentStatus.ACTIVE

    @property
    def is_large(self) -> bool:
        """大型科研仪器: a unit value of 500,000 yuan or more (国发〔2014〕70号)."""
        from ..rules import LARGE_INSTRUMENT_VALUE

        return self.purchase_value is not None and self.purchase_value >= LARGE_INSTRUMENT_VALUE

    @property
    def open_weekday_names(self) -> list[str]:
        names = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]
        return [str(names[int(c) - 1]) for c in sorted(self.open_days)]


class FeeRate(models.Model):
    """One price of an instrument's fee schedule: for internal or external users, per hour or per sample.

    At most one rate per (instrument, audience, unit); a missing rate means that part is not charged.
    """

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="rates")
    audience = models.CharField(_("for"), max_length=16, choices=Audience.choices)
    unit = models.CharField(_("unit"), max_length=16, choices=FeeUnit.choices)
    price = models.DecimalField(_("price (yuan)"), **RATE)
    note = models.CharField(_("note"), max_length=TEXT_SHORT, blank=True)

    class Meta:
        verbose_name = _("fee rate")
        verbose_name_plural = _("fee rates")
        ordering = ["audience", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "audience", "unit"], name="fee_rate_once"),
            models.CheckConstraint(condition=models.Q(price__gte=0), name="fee_rate_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_audience_display()} {self.price} {self.get_unit_display()}"


class Qualification(models.Model):
    """A user trained to operate an instrument themselves (self-use bookings need a valid one)."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="qualifications")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(_("granted"), default=timezone.now)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    note = models.CharField(_("training note"), max_length=TEXT_SHORT, blank=True)

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        ordering = ["-granted_at"]
        constraints = [models.UniqueConstraint(fields=["instrument", "user"], name="qualification_once")]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.instrument_id}"

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_until is None or self.valid_until >= day


class MaintenanceWindow(models.Model):
    """A period the owner takes an instrument out of service; it holds the calendar's slots."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="maintenance")
    starts_at = models.DateTimeField(pgettext_lazy("time span", "from"))
    ends_at = models.DateTimeField(pgettext_lazy("time span", "until"))
    reason = models.CharField(_("reason"), max_length=TEXT_SHORT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("maintenance window")
        verbose_name_plural = _("maintenance windows")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="maintenance_span"
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument_id} {self.starts_at:%Y-%m-%d %H:%M}"
