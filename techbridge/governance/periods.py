"""Calendar arithmetic for dashboards: years, quarters, months as ``core.registry.Period``."""

from __future__ import annotations

import calendar
import datetime as dt

from techbridge.core.registry import Period

from .choices import Granularity


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter(year: int, q: int) -> Period:
    first_month = 3 * (q - 1) + 1
    last_month = first_month + 2
    return Period(
        dt.date(year, first_month, 1), dt.date(year, last_month, calendar.monthrange(year, last_month)[1])
    )


def month(year: int, m: int) -> Period:
    return Period(dt.date(year, m, 1), dt.date(year, m, calendar.monthrange(year, m)[1]))


def previous_quarter(year: int, q: int) -> tuple[int, int]:
    return (year, q - 1) if q > 1 else (year - 1, 4)


def last_closed_quarter(day: dt.date) -> tuple[int, int]:
    """The last quarter that ended before ``day``."""
    return previous_quarter(*quarter_of(day))


def complete_quarters(before: dt.date, n: int) -> list[Period]:
    """The ``n`` quarters that ended on or before ``before``, oldest first."""
    year, q = quarter_of(before)
    if quarter(year, q).end != before:
        year, q = previous_quarter(year, q)
    out = []
    for _ in range(n):
        out.append(quarter(year, q))
        year, q = previous_quarter(year, q)
    return out[::-1]


def buckets(start: dt.date, end: dt.date, granularity: str) -> list[tuple[str, Period]]:
    """Labelled periods of ``granularity`` covering ``start``–``end``; the last is cut at ``end``."""
    out: list[tuple[str, Period]] = []
    if start > end:
        return out
    if granularity == Granularity.YEAR:
        for year in range(start.year, end.year + 1):
            p = Period.year(year)
            out.append((str(year), p))
    elif granularity == Granularity.QUARTER:
        year, q = quarter_of(start)
        while quarter(year, q).start <= end:
            out.append((f"{year}Q{q}", quarter(year, q)))
            year, q = (year, q + 1) if q < 4 else (year + 1, 1)
    else:
        year, m = start.year, start.month
        while dt.date(year, m, 1) <= end:
            out.append((f"{year}-{m:02d}", month(year, m)))
            year, m = (year, m + 1) if m < 12 else (year + 1, 1)
    return [(label, Period(max(p.start, start), min(p.end, end))) for label, p in out]


def fraction_elapsed(start: dt.date, end: dt.date, day: dt.date) -> float:
    """How much of ``start``–``end`` (both included) has passed by the end of ``day``."""
    total = (end - start).days + 1
    done = (min(day, end) - start).days + 1
    return max(0.0, min(1.0, done / total)) if total > 0 else 1.0
