"""The pure parts: time units, opening hours, fees from the schedule, the voucher share, the low-use rule."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone

from techbridge.instruments import fees, slots
from techbridge.instruments.importing import parse_hours, parse_weekdays
from techbridge.instruments.rules import LowExternalUseRule

HOURS = slots.Hours.parse("12345", dt.time(8, 30), dt.time(17, 30))


def at(day: str, hm: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(f"{day}T{hm}"))


def test_units_are_aligned_to_local_midnight():
    assert slots.is_aligned(at("2026-03-02", "09:00"), 60)
    assert not slots.is_aligned(at("2026-03-02", "09:30"), 60)
    assert slots.is_aligned(at("2026-03-02", "09:30"), 30)
    assert slots.is_aligned(at("2026-03-02", "00:00"), 1440)
    assert not slots.is_aligned(at("2026-03-02", "08:00"), 1440)
    assert slots.floor(at("2026-03-02", "09:47"), 30) == at("2026-03-02", "09:30")


def test_a_day_shows_only_whole_units_inside_the_opening_hours():
    rows = slots.rows_of_day(60, HOURS)
    assert rows[0] == dt.time(9, 0) and rows[-1] == dt.time(16, 0) and len(rows) == 8
    assert slots.rows_of_day(30, HOURS)[0] == dt.time(8, 30)
    assert slots.rows_of_day(1440, HOURS) == [dt.time(0, 0)]


def test_opening_hours_decide_which_units_are_open():
    monday, saturday = "2026-03-02", "2026-03-07"
    assert slots.is_open(at(monday, "09:00"), 60, HOURS)
    assert not slots.is_open(at(monday, "17:00"), 60, HOURS)  # would run past 17:30
    assert not slots.is_open(at(monday, "08:00"), 60, HOURS)
    assert not slots.is_open(at(saturday, "09:00"), 60, HOURS)
    assert slots.is_open(at(monday, "00:00"), 1440, HOURS)


def test_available_hours_count_open_days_only():
    # March 2026: 22 weekdays × 9 open hours.
    assert slots.available_hours(dt.date(2026, 3, 1), dt.date(2026, 3, 31), 60, HOURS) == 22 * 9.0
    assert slots.available_hours(dt.date(2026, 3, 1), dt.date(2026, 3, 31), 1440, HOURS) == 22 * 24.0


def test_fee_uses_the_rates_of_the_users_audience():
    rates = [
        SimpleNamespace(audience="internal", unit="hour", price=Decimal("200")),
        SimpleNamespace(audience="external", unit="hour", price=Decimal("400")),
        SimpleNamespace(audience="external", unit="sample", price=Decimal("35.5")),
    ]
    fee, detail = fees.compute_fee(rates, audience="external", hours=Decimal("2.25"), samples=3)
    assert fee == Decimal("1006.50")  # 2.25 × 400 + 3 × 35.5
    assert [line["unit"] for line in detail["lines"]] == ["hour", "sample"]
    internal, _detail = fees.compute_fee(rates, audience="internal", hours=Decimal("2.25"), samples=3)
    assert internal == Decimal("450.00")  # no per-sample rate for internal users: not charged


def test_voucher_share_rounds_down_and_stops_at_the_balance():
    assert fees.voucher_share(Decimal("333.33"), Decimal("0.5"), Decimal("1000")) == Decimal("166.66")
    assert fees.voucher_share(Decimal("1000"), Decimal("0.5"), Decimal("120")) == Decimal("120")
    assert fees.voucher_share(Decimal("1000"), Decimal("0.5"), Decimal("0")) == Decimal("0")


def test_low_external_use_rule_states_its_inputs():
    rule = LowExternalUseRule()
    assert not rule.applies_to(publicly_funded=False, purchase_value=Decimal("2000000"))
    assert not rule.applies_to(publicly_funded=True, purchase_value=Decimal("499999"))
    assert rule.applies_to(publicly_funded=True, purchase_value=Decimal("500000"))
    few = rule.check(total_hours=Decimal("800"), external_hours=Decimal("60"))
    assert few["flagged"] and few["too_few_hours"] and few["too_small_share"]
    assert few["external_share"] == Decimal("0.075") and few["min_external_hours"] == Decimal("100")
    ok = rule.check(total_hours=Decimal("500"), external_hours=Decimal("150"))
    assert not ok["flagged"]
    unused = rule.check(total_hours=Decimal("0"), external_hours=Decimal("0"))
    assert unused["flagged"] and unused["external_share"] == Decimal("0")


def test_rule_thresholds_come_from_settings(settings):
    settings.INSTRUMENTS_LOW_USE_MIN_EXTERNAL_HOURS = 40
    settings.INSTRUMENTS_LOW_USE_MIN_EXTERNAL_SHARE = "0.1"
    rule = LowExternalUseRule.from_settings()
    assert rule.min_external_hours == Decimal("40") and rule.min_external_share == Decimal("0.1")


def test_import_reads_chinese_days_and_hours():
    assert parse_weekdays("周一至周五") == "12345"
    assert parse_weekdays("周一至周六") == "123456"
    assert parse_weekdays("周一、周三、周五") == "135"
    assert parse_weekdays("每天") == "1234567"
    assert parse_weekdays("12345") == "12345"
    assert parse_weekdays("工作日") is None
    assert parse_hours("08:30-17:30") == (dt.time(8, 30), dt.time(17, 30))
    assert parse_hours("0:00-24:00") == (dt.time(0, 0), dt.time(0, 0))
    assert parse_hours("早八点") is None
