"""The daily sweep: reminders of tomorrow's bookings and maintenance, calibrations due, vouchers expiring."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from .. import slots
from ..choices import BookingStatus, InstrumentStatus
from ..models import Booking, Instrument, MaintenanceWindow
from .common import instrument_staff, tell
from .vouchers import expire_vouchers

CALIBRATION_NOTICE_DAYS = 7


def send_reminders(today: dt.date | None = None) -> dict[str, Any]:
    """Daily and idempotent (each reminder has its own key, so a second run sends nothing new).

    * the requester of every approved booking that starts tomorrow;
    * the staff of an instrument whose maintenance starts tomorrow;
    * the staff of an instrument whose calibration or service falls due within a week;
    * approved vouchers of programmes that ended expire.
    """
    today = today or timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    start, end = slots.day_start(tomorrow), slots.day_start(tomorrow + dt.timedelta(days=1))
    bookings = 0
    for booking in Booking.objects.filter(
        status=BookingStatus.APPROVED, starts_at__gte=start, starts_at__lt=end
    ).select_related("instrument", "requester"):
        when = timezone.localtime(booking.starts_at).strftime("%Y-%m-%d %H:%M")
        tell(
            [booking.requester],
            kind="instrument_booking_tomorrow",
            title=_("Reminder: %(name)s is booked for you at %(when)s")
            % {"name": booking.instrument.name, "when": when},
            body=booking.instrument.location,
            url_name="instruments:booking",
            pk=booking.pk,
            key=f"instruments:booking:{booking.pk}:tomorrow",
        )
        bookings += 1
    windows = 0
    for window in MaintenanceWindow.objects.filter(starts_at__gte=start, starts_at__lt=end).select_related(
        "instrument", "instrument__manager"
    ):
        when = timezone.localtime(window.starts_at).strftime("%Y-%m-%d %H:%M")
        tell(
            instrument_staff(window.instrument),
            kind="instrument_maintenance_tomorrow",
            title=_("Reminder: maintenance of %(name)s starts at %(when)s")
            % {"name": window.instrument.name, "when": when},
            body=window.reason,
            url_name="instruments:detail",
            pk=window.instrument_id,
            key=f"instruments:maintenance:{window.pk}:tomorrow",
        )
        windows += 1
    due = 0
    for instrument in (
        Instrument.objects.filter(
            calibration_due__gte=today,
            calibration_due__lte=today + dt.timedelta(days=CALIBRATION_NOTICE_DAYS),
        )
        .exclude(status=InstrumentStatus.RETIRED)
        .select_related("manager")
    ):
        tell(
            instrument_staff(instrument),
            kind="instrument_calibration_due",
            title=_("%(name)s is due for calibration or service on %(day)s")
            % {"name": instrument.name, "day": instrument.calibration_due},
            url_name="instruments:detail",
            pk=instrument.pk,
            key=f"instruments:calibration:{instrument.pk}:{instrument.calibration_due}",
        )
        due += 1
    return {
        "bookings": bookings,
        "maintenance": windows,
        "calibration": due,
        "vouchers_expired": expire_vouchers(today),
    }
