"""The calendar's time units: pure functions, no database.

A resource (instrument or pilot line) is booked in whole units of ``slot_minutes`` (30 minutes to one
day), aligned to local midnight in ``TIME_ZONE`` (Asia/Shanghai has no daylight saving, so a unit is
always exactly ``slot_minutes`` long). A booking of N units claims N rows of ``Slot``, one per unit
start; the unique constraint on (resource, start) is what makes a double booking impossible.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils import timezone

SLOT_CHOICES = (30, 60, 120, 240, 1440)
DAY = 1440
# A booking holds at most this many units (48 hours of 30-minute units, four months of day units).
MAX_UNITS = 120


@dataclass(frozen=True)
class Hours:
    """When a resource can be used: ISO weekdays (1 = Monday) and daily opening times."""

    days: frozenset[int]
    opens: dt.time
    closes: dt.time

    @classmethod
    def parse(cls, days: str, opens: dt.time, closes: dt.time) -> Hours:
        return cls(frozenset(int(c) for c in days if c in "1234567"), opens, closes)

    def minutes(self) -> int:
        """Open minutes per open day."""
        return max(0, _closing_minute(self.closes) - _minute_of(self.opens))


def _minute_of(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def _closing_minute(t: dt.time) -> int:
    # 00:00 as a closing time means the end of the day.
    return _minute_of(t) or DAY


def local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value)


def is_aligned(value: dt.datetime, slot_minutes: int) -> bool:
    """Whether ``value`` starts a unit of ``slot_minutes``."""
    v = local(value)
    if v.second or v.microsecond:
        return False
    return (v.hour * 60 + v.minute) % slot_minutes == 0


def floor(value: dt.datetime, slot_minutes: int) -> dt.datetime:
    """The start of the unit containing ``value``."""
    v = local(value).replace(second=0, microsecond=0)
    minute = v.hour * 60 + v.minute
    start = minute - minute % slot_minutes
    return v.replace(hour=start // 60, minute=start % 60)


def units(start: dt.datetime, end: dt.datetime, slot_minutes: int) -> Iterator[dt.datetime]:
    """The start of every unit in ``[start, end)``."""
    step = dt.timedelta(minutes=slot_minutes)
    t = start
    while t < end:
        yield t
        t = t + step


def count_units(start: dt.datetime, end: dt.datetime, slot_minutes: int) -> int:
    return int((end - start).total_seconds() // (slot_minutes * 60))


def is_open(unit_start: dt.datetime, slot_minutes: int, hours: Hours) -> bool:
    """Whether the whole unit starting at ``unit_start`` lies within the opening hours."""
    v = local(unit_start)
    if v.isoweekday() not in hours.days:
        return False
    if slot_minutes >= DAY:
        return True
    start = v.hour * 60 + v.minute
    closes = _closing_minute(hours.closes)
    return _minute_of(hours.opens) <= start and start + slot_minutes <= closes


def week_start(day: dt.date) -> dt.date:
    """The Monday of the week of ``day``."""
    return day - dt.timedelta(days=day.weekday())


def day_start(day: dt.date) -> dt.datetime:
    """Local midnight of ``day`` as an aware datetime."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(0, 0)))


def rows_of_day(slot_minutes: int, hours: Hours) -> list[dt.time]:
    """The unit start times a day view shows: the opening hours, or one row for day units."""
    if slot_minutes >= DAY:
        return [dt.time(0, 0)]
    opens = _minute_of(hours.opens)
    closes = _closing_minute(hours.closes)
    first = -(-opens // slot_minutes) * slot_minutes  # the first unit starting at or after opening
    return [
        dt.time(m // 60, m % 60) for m in range(first, closes, slot_minutes) if m + slot_minutes <= closes
    ]


def available_hours(first: dt.date, last: dt.date, slot_minutes: int, hours: Hours) -> float:
    """Open hours between two dates (both included): the denominator of the utilisation rate."""
    per_day = 24.0 if slot_minutes >= DAY else hours.minutes() / 60
    total = (last - first).days + 1
    if total <= 0:
        return 0.0
    weeks, rest = divmod(total, 7)
    start = first.isoweekday()
    days = weeks * len(hours.days) + sum(1 for i in range(rest) if (start + i - 1) % 7 + 1 in hours.days)
    return days * per_day
