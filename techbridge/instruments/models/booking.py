"""The booking engine: slots, bookings, usage, monthly usage figures and invoices."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from techbridge.core.workflow import StateMachineMixin

from ..choices import (
    BOOKING_TRANSITIONS,
    USAGE_TRANSITIONS,
    Audience,
    BookingMode,
    BookingStatus,
    UsageMethod,
    UsageStatus,
)
from .common import HOURS, MAX_SAMPLES, MONEY, TEXT_MEDIUM


class Booking(StateMachineMixin):
    """A request to use a resource for whole units of time, and what became of it.

    Guarantees: while the booking is requested, approved or in use it holds one ``Slot`` per unit of
    ``[starts_at, ends_at)``, so no two bookings (or a maintenance window) ever hold the same unit; a
    booking that is rejected or cancelled gives its slots back. ``audience`` is fixed when requested
    (internal when the requester belongs to the owner organisation). Who decided, when and why is kept
    in fields, not read back from the audit log.
    """

    TRANSITIONS = BOOKING_TRANSITIONS

    instrument = models.ForeignKey(
        "instruments.Instrument",
        verbose_name=_("instrument"),
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="instrument_bookings",
    )
    audience = models.CharField(_("user type"), max_length=16, choices=Audience.choices)
    mode = models.CharField(
        _("operation"), max_length=16, choices=BookingMode.choices, default=BookingMode.OPERATED
    )
    starts_at = models.DateTimeField(pgettext_lazy("time span", "from"), db_index=True)
    ends_at = models.DateTimeField(pgettext_lazy("time span", "until"))
    units = models.PositiveSmallIntegerField(_("units"))
    purpose = models.TextField(pgettext_lazy("booking", "purpose"), max_length=TEXT_MEDIUM)
    sample_description = models.TextField(_("samples"), max_length=1000, blank=True)
    sample_count = models.PositiveIntegerField(
        _("number of samples"), default=0, validators=[MaxValueValidator(MAX_SAMPLES)]
    )
    voucher = models.ForeignKey(
        "instruments.Voucher",
        verbose_name=_("innovation voucher"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=BookingStatus.choices,
        default=BookingStatus.REQUESTED,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("requested"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="booking_span"
            ),
            models.CheckConstraint(condition=models.Q(units__gte=1), name="booking_units"),
        ]
        indexes = [
            models.Index(fields=["instrument", "status", "starts_at"]),
            models.Index(fields=["organization", "-starts_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_id} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def hours_booked(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600


class Slot(models.Model):
    """One unit of a resource's time, held by exactly one booking or one maintenance window.

    The unique constraint on (instrument, starts_at) is the guarantee against double booking: a second
    claim of the same unit fails in the database, on SQLite as on PostgreSQL, whatever the timing.
    """

    instrument = models.ForeignKey("instruments.Instrument", on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    booking = models.ForeignKey(
        Booking, null=True, blank=True, on_delete=models.CASCADE, related_name="slots"
    )
    maintenance = models.ForeignKey(
        "instruments.MaintenanceWindow", null=True, blank=True, on_delete=models.CASCADE, related_name="slots"
    )

    class Meta:
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "starts_at"], name="slot_held_once"),
            models.CheckConstraint(
                condition=(models.Q(booking__isnull=False) & models.Q(maintenance__isnull=True))
                | (models.Q(booking__isnull=True) & models.Q(maintenance__isnull=False)),
                name="slot_one_holder",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_id}@{self.starts_at:%Y-%m-%d %H:%M}"


class UsageRecord(StateMachineMixin):
    """Machine time actually used, in hours, and what it costs under the fee schedule.

    Started and stopped on the platform (``timer``) or entered by the operator. A booking has at most
    one usage record; walk-in use by the owner's own people may have none. Once recorded, the figures
    feed ``UsageMonth`` in the same transaction.
    """

    TRANSITIONS = USAGE_TRANSITIONS
    # Timed use is born running; use entered after the fact (walk-ins) is born recorded.
    INITIAL_STATES = frozenset({UsageStatus.RUNNING, UsageStatus.RECORDED})

    instrument = models.ForeignKey(
        "instruments.Instrument", verbose_name=_("instrument"), on_delete=models.PROTECT, related_name="usage"
    )
    booking = models.OneToOneField(
        Booking, null=True, blank=True, on_delete=models.PROTECT, related_name="usage"
    )
    order = models.ForeignKey(
        "instruments.ServiceOrder", null=True, blank=True, on_delete=models.PROTECT, related_name="usage"
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("user organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    audience = models.CharField(_("user type"), max_length=16, choices=Audience.choices)
    started_at = models.DateTimeField(_("started"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    hours = models.DecimalField(_("machine hours"), null=True, blank=True, **HOURS)
    samples = models.PositiveIntegerField(
        _("samples"), default=0, validators=[MaxValueValidator(MAX_SAMPLES)]
    )
    fee = models.DecimalField(_("fee (yuan)"), default=0, **MONEY)
    fee_detail = models.JSONField(_("fee detail"), default=dict, blank=True)
    method = models.CharField(_("recorded how"), max_length=16, choices=UsageMethod.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=UsageStatus.choices, default=UsageStatus.RUNNING
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("usage record")
        verbose_name_plural = _("usage records")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True) | models.Q(ended_at__gte=models.F("started_at")),
                name="usage_span",
            ),
            models.CheckConstraint(
                condition=models.Q(status=UsageStatus.RUNNING) | models.Q(hours__isnull=False),
                name="usage_recorded_has_hours",
            ),
        ]
        indexes = [
            models.Index(fields=["instrument", "started_at"]),
            models.Index(fields=["started_at", "audience"]),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_id} {self.started_at:%Y-%m-%d} {self.hours}h"


class UsageMonth(models.Model):
    """Recorded usage of one instrument in one month, by audience: what the utilisation pages read.

    Kept in step with ``UsageRecord`` by ``services.usage.record_usage`` (same transaction);
    ``manage.py rebuild_usage_months`` recomputes it from the records.
    """

    instrument = models.ForeignKey("instruments.Instrument", on_delete=models.CASCADE, related_name="months")
    month = models.DateField()  # the first day of the month
    audience = models.CharField(max_length=16, choices=Audience.choices)
    hours = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    samples = models.PositiveIntegerField(default=0)
    fee = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    records = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("monthly usage")
        verbose_name_plural = _("monthly usage")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "month", "audience"], name="usage_month_once")
        ]
        indexes = [models.Index(fields=["month", "instrument"])]

    def __str__(self) -> str:
        return f"{self.instrument_id} {self.month:%Y-%m} {self.audience}"


def invoice_path(instance: Invoice, filename: str) -> str:
    return f"instruments/invoices/{instance.issued_at:%Y/%m}/{filename}"


class Invoice(models.Model):
    """A fee statement (结算单) for a completed booking or an accepted service order.

    Issued once with its figures frozen in ``snapshot``; the PDF is rendered from the snapshot once,
    stored with its SHA-256 and served from storage. ``voucher_amount`` is what an innovation voucher
    paid; ``payable`` what the user still owes the provider. Not a tax invoice (发票).
    """

    number = models.CharField(_("number"), max_length=32, unique=True, null=True, blank=True)
    booking = models.OneToOneField(
        Booking, null=True, blank=True, on_delete=models.PROTECT, related_name="invoice"
    )
    order = models.OneToOneField(
        "instruments.ServiceOrder", null=True, blank=True, on_delete=models.PROTECT, related_name="invoice"
    )
    provider = models.ForeignKey(
        "organizations.Organization", verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+"
    )
    payer = models.ForeignKey(
        "organizations.Organization", verbose_name=_("payer"), on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    voucher_amount = models.DecimalField(_("paid by innovation voucher (yuan)"), default=0, **MONEY)
    payable = models.DecimalField(_("payable by the user (yuan)"), **MONEY)
    snapshot = models.JSONField(_("snapshot"))
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    pdf = models.FileField(_("PDF"), upload_to=invoice_path, max_length=300, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("fee statement")
        verbose_name_plural = _("fee statements")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(booking__isnull=False) & models.Q(order__isnull=True))
                | (models.Q(booking__isnull=True) & models.Q(order__isnull=False)),
                name="invoice_one_subject",
            ),
            # payable = amount - voucher_amount is checked by the service in Decimal: SQLite keeps
            # decimals as binary floats, where a subtraction in SQL need not equal the stored figure.
            models.CheckConstraint(
                condition=models.Q(voucher_amount__lte=models.F("amount")) & models.Q(payable__gte=0),
                name="invoice_voucher_within_amount",
            ),
        ]
        indexes = [
            models.Index(fields=["payer", "-issued_at"]),
            models.Index(fields=["provider", "-issued_at"]),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    # Issued figures never change; only the number (right after insert) and the PDF may be written.
    MUTABLE = frozenset({"number", "pdf", "pdf_sha256"})

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding and set(kwargs.get("update_fields") or ("*",)) - self.MUTABLE:
            raise ValueError("An issued fee statement cannot be changed.")
        super().save(*args, **kwargs)
