"""Booking: the calendar's slots, approval, training for self-use, cancellation rules, maintenance,
reminders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from techbridge.core.models import AuditEntry, Notification
from techbridge.core.workflow import TransitionError
from techbridge.instruments.models import Booking, Slot
from techbridge.instruments.services import booking as services
from techbridge.instruments.services import catalogue
from techbridge.instruments.services.reminders import send_reminders
from techbridge.testing.factories.instruments import future_slot

pytestmark = pytest.mark.django_db


def book(user, instrument, start, end, **extra):
    return services.request_booking(
        actor=user,
        instrument=instrument,
        starts_at=start,
        ends_at=end,
        purpose="测试陶瓷样品导热系数",
        **extra,
    )


def test_a_request_holds_one_slot_per_unit_and_tells_the_owner(cast, instrument):
    start, end = future_slot(hour=9, minutes=180)
    booking = book(cast.buyer, instrument, start, end, sample_count=3)
    assert booking.status == "requested" and booking.units == 3 and booking.audience == "external"
    assert Slot.objects.filter(booking=booking).count() == 3
    assert Notification.objects.filter(
        recipient=cast.researcher, kind="instrument_booking_requested"
    ).exists()
    assert AuditEntry.objects.filter(
        action="instruments.booking.requested", object_id=str(booking.pk)
    ).exists()


def test_the_owners_own_people_book_as_internal_users(cast, instrument):
    start, end = future_slot()
    assert book(cast.univ_admin, instrument, start, end).audience == "internal"


def test_an_overlapping_booking_is_refused_with_the_time_that_is_taken(cast, instrument):
    start, end = future_slot(hour=9, minutes=120)
    book(cast.buyer, instrument, start, end)
    with pytest.raises(ValidationError) as exc:
        book(cast.broker, instrument, start + dt.timedelta(hours=1), end + dt.timedelta(hours=1))
    assert "already booked" in str(exc.value)
    assert Booking.objects.count() == 1  # nothing half-written
    assert Slot.objects.count() == 2


def test_periods_must_be_whole_open_future_units(cast, instrument):
    start, end = future_slot(hour=9)
    with pytest.raises(ValidationError, match="units"):
        book(cast.buyer, instrument, start + dt.timedelta(minutes=15), end)
    with pytest.raises(ValidationError, match="closed"):
        book(cast.buyer, instrument, start.replace(hour=18), end.replace(hour=19))
    with pytest.raises(ValidationError, match="passed"):
        book(cast.buyer, instrument, start - dt.timedelta(days=14), end - dt.timedelta(days=14))
    with pytest.raises(ValidationError, match="ahead"):
        book(cast.buyer, instrument, start + dt.timedelta(days=70), end + dt.timedelta(days=70))
    with pytest.raises(ValidationError, match="after the start"):
        book(cast.buyer, instrument, end, start)
    assert Booking.objects.count() == 0


def test_day_units_are_booked_in_whole_days(cast):
    from .conftest import make_instrument

    line = make_instrument(cast, kind="pilot_line", slot_minutes=1440, name="膜材料中试线", access="operated")
    start, _end = future_slot(hour=0)
    booking = book(cast.buyer, line, start, start + dt.timedelta(days=1))
    assert booking.units == 1
    with pytest.raises(ValidationError, match="whole days"):
        book(cast.buyer, line, start.replace(hour=9), start.replace(hour=17))


def test_self_use_needs_a_valid_training_qualification(cast, instrument):
    start, end = future_slot()
    with pytest.raises(ValidationError, match="training"):
        book(cast.buyer, instrument, start, end, mode="self_use")
    catalogue.grant_qualification(instrument, actor=cast.researcher, user=cast.buyer)
    assert book(cast.buyer, instrument, start, end, mode="self_use").mode == "self_use"
    assert Notification.objects.filter(recipient=cast.buyer, kind="instrument_qualified").exists()


def test_operated_only_instruments_refuse_self_use(cast):
    from .conftest import make_instrument

    operated = make_instrument(cast, access="operated")
    catalogue.grant_qualification(operated, actor=cast.researcher, user=cast.buyer)
    start, end = future_slot()
    with pytest.raises(ValidationError, match="staff only"):
        book(cast.buyer, operated, start, end, mode="self_use")


def test_only_members_of_approved_organisations_book(cast, instrument):
    start, end = future_slot()
    with pytest.raises(PermissionDenied):
        book(cast.outsider, instrument, start, end)
    catalogue.suspend_instrument(instrument, actor=cast.operator, reason="设备故障")
    with pytest.raises(PermissionDenied, match="not open"):
        book(cast.buyer, instrument, start, end)


def test_the_owner_approves_or_rejects_and_a_rejection_frees_the_time(cast, instrument):
    start, end = future_slot()
    first = book(cast.buyer, instrument, start, end)
    with pytest.raises(PermissionDenied):
        services.approve_booking(first, actor=cast.stranger)
    with pytest.raises(ValidationError):
        services.reject_booking(first, actor=cast.researcher, reason="")
    services.reject_booking(first, actor=cast.researcher, reason="样品不符合要求")
    first.refresh_from_db()
    assert (
        first.status == "rejected"
        and first.reason == "样品不符合要求"
        and first.decided_by == cast.researcher
    )
    second = book(cast.broker, instrument, start, end)  # the same time is free again
    services.approve_booking(second, actor=cast.univ_admin)
    second.refresh_from_db()
    assert second.status == "approved" and second.decided_by == cast.univ_admin
    assert Notification.objects.filter(recipient=cast.broker, kind="instrument_booking_approved").exists()
    with pytest.raises(TransitionError):
        services.approve_booking(second, actor=cast.researcher)


def test_requesters_cancel_until_the_notice_period_the_owner_any_time_before_with_a_reason(cast, instrument):
    start, end = future_slot(days=3)
    booking = book(cast.buyer, instrument, start, end)
    services.approve_booking(booking, actor=cast.researcher)
    late = start - dt.timedelta(hours=instrument.cancel_notice_hours - 1)
    with pytest.raises(ValidationError, match="until 24 hours"):
        services.cancel_booking(booking, actor=cast.buyer, now=late)
    with pytest.raises(PermissionDenied):
        services.cancel_booking(booking, actor=cast.stranger)
    with pytest.raises(ValidationError, match="why"):
        services.cancel_booking(booking, actor=cast.researcher, now=late)
    services.cancel_booking(booking, actor=cast.researcher, reason="设备临时维修", now=late)
    booking.refresh_from_db()
    assert booking.status == "cancelled" and booking.cancelled_by == cast.researcher
    assert not Slot.objects.filter(booking=booking).exists()
    assert Notification.objects.filter(recipient=cast.buyer, kind="instrument_booking_cancelled").exists()


def test_a_request_may_be_cancelled_by_its_requester_any_time_before_it_starts(cast, instrument):
    start, end = future_slot(days=1)
    booking = book(cast.buyer, instrument, start, end)
    services.cancel_booking(booking, actor=cast.buyer, now=start - dt.timedelta(minutes=10))
    assert Booking.objects.get(pk=booking.pk).status == "cancelled"
    with pytest.raises(TransitionError):
        services.cancel_booking(booking, actor=cast.buyer)


def test_maintenance_blocks_the_calendar_and_refuses_when_bookings_hold_it(cast, instrument):
    start, end = future_slot(days=4, hour=9, minutes=120)
    window = catalogue.schedule_maintenance(
        instrument,
        actor=cast.researcher,
        starts_at=start,
        ends_at=end - dt.timedelta(minutes=30),
        reason="年度校准",
    )
    assert window.ends_at == end  # widened to whole units
    with pytest.raises(ValidationError, match="maintenance"):
        book(cast.buyer, instrument, start, start + dt.timedelta(hours=1))
    later_start, later_end = future_slot(days=5, hour=9)
    book(cast.buyer, instrument, later_start, later_end)
    with pytest.raises(ValidationError, match="already booked"):
        catalogue.schedule_maintenance(
            instrument, actor=cast.researcher, starts_at=later_start, ends_at=later_end, reason="更换光源"
        )
    catalogue.remove_maintenance(window, actor=cast.researcher)
    assert book(cast.buyer, instrument, start, end).units == 2


def test_no_show_is_recorded_after_the_start_only(cast, instrument):
    start, end = future_slot()
    booking = book(cast.buyer, instrument, start, end)
    services.approve_booking(booking, actor=cast.researcher)
    with pytest.raises(ValidationError, match="not started"):
        services.mark_no_show(booking, actor=cast.researcher)
    services.mark_no_show(booking, actor=cast.researcher, now=end)
    assert Booking.objects.get(pk=booking.pk).status == "no_show"


def test_the_booking_unit_cannot_change_while_future_slots_are_held(cast, instrument):
    start, end = future_slot()
    book(cast.buyer, instrument, start, end)
    with pytest.raises(ValidationError, match="booking unit"):
        catalogue.update_instrument(instrument, actor=cast.researcher, data={"slot_minutes": 30})


def test_retiring_needs_the_open_bookings_settled_first(cast, instrument):
    start, end = future_slot()
    booking = book(cast.buyer, instrument, start, end)
    with pytest.raises(ValidationError, match="open bookings"):
        catalogue.retire_instrument(instrument, actor=cast.researcher)
    services.reject_booking(booking, actor=cast.researcher, reason="停用")
    catalogue.retire_instrument(instrument, actor=cast.researcher)
    assert instrument.status == "retired"


def test_reminders_go_out_once_for_tomorrows_bookings_and_maintenance(cast, instrument):
    start, end = future_slot(days=2)
    booking = book(cast.buyer, instrument, start, end)
    services.approve_booking(booking, actor=cast.researcher)
    later, later_end = future_slot(days=2, hour=14)
    catalogue.schedule_maintenance(
        instrument, actor=cast.researcher, starts_at=later, ends_at=later_end, reason="校准"
    )
    instrument.calibration_due = start.date()
    instrument.save(update_fields=["calibration_due"])
    day_before = timezone.localtime(start).date() - dt.timedelta(days=1)
    first = send_reminders(day_before)
    assert first["bookings"] == 1 and first["maintenance"] == 1 and first["calibration"] == 1
    send_reminders(day_before)  # idempotent: the same reminders are not sent twice
    assert Notification.objects.filter(recipient=cast.buyer, kind="instrument_booking_tomorrow").count() == 1
    assert (
        Notification.objects.filter(recipient=cast.researcher, kind="instrument_maintenance_tomorrow").count()
        == 1
    )
    assert (
        Notification.objects.filter(recipient=cast.researcher, kind="instrument_calibration_due").count() == 1
    )


def test_the_daily_sweep_is_registered():
    from techbridge.core.registry import sweeps

    assert any(f.__name__ == "send_reminders" for f in sweeps)
